#!/bin/bash
# A gdb that stops answering, for the safety tests. Given to mapscope as --gdb, it runs the real
# gdb and passes commands on until STUCK_GDB_AFTER commands after the attach; then, by
# STUCK_GDB_MODE:
#   stop         SIGSTOPs the real gdb, which never answers: the target stays stopped under it
#   mute         passes nothing more on: gdb idles, still attached
#   stop-target  sends the target a SIGSTOP, then passes nothing more on: when gdb goes, the
#                kernel turns that pending stop into a real one (state T, no tracer)
# The real gdb is a child, not exec'd, as with many wrapper scripts: mapscope knows only this pid.
dir=$(mktemp -d) || exit 1
mkfifo "$dir/in" || exit 1
"${STUCK_GDB_REAL:-gdb}" "$@" <"$dir/in" &
real=$!
exec 3>"$dir/in"
rm -rf "$dir"
after=${STUCK_GDB_AFTER:-0} n=-1 target=
while IFS= read -r line; do
  if [ "$n" -ge 0 ]; then
    if [ "$n" -eq "$after" ]; then
      case $STUCK_GDB_MODE in
        stop) kill -STOP "$real" ;;
        stop-target) kill -STOP "$target" ;;
      esac
    fi
    n=$((n + 1))
    [ "$n" -gt "$after" ] && [ "$STUCK_GDB_MODE" != stop ] && continue
  fi
  printf '%s\n' "$line" >&3
  case $line in *-target-attach*) n=0 target=${line##* } ;; esac
done
exec 3>&-
wait "$real"
