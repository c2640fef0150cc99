/**
 * The guard's POSIX sh program (see guard.ts). It reads lines on stdin:
 *
 *   gdb PID START              the gdb mapscope started (START: /proc/PID/stat field 22)
 *   target PID START STATE     the live target, and its state before the attach
 *   tracer PID START           the process that traces the target (gdb, or a wrapper's gdb)
 *   done                       mapscope closed the session itself: exit, touching nothing
 *
 * EOF before `done` means mapscope died. gdb gets EOF on its stdin at the same moment and, once
 * idle, detaches and quits; the guard gives it a moment, then SIGTERM (gdb detaches on it even
 * mid-command) with SIGCONT (should it be stopped), then SIGKILL (the kernel detaches). Last, a
 * target that was running before and now sits in group-stop with no tracer (the kernel turns an
 * attach SIGSTOP gdb had not yet collected into a real stop when gdb dies) gets SIGCONT.
 * Each pid is checked against its start time, so a pid reused meanwhile is never signalled.
 * MAPSCOPE_GUARD_LOG=FILE appends what it does to FILE.
 */
export const GUARD_SCRIPT = String.raw`
trap '' INT HUP PIPE
log() { [ -z "$MAPSCOPE_GUARD_LOG" ] || echo "mapscope-guard $$: $*" >>"$MAPSCOPE_GUARD_LOG" 2>/dev/null; }
readstat() {
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  set -- ${'$'}{s##*) }
  st_state=$1 st_ppid=$2 st_start=${'$'}{20}
}
same() { [ -n "$1" ] && readstat "$1" && [ "$st_start" = "$2" ] && [ "$st_state" != Z ] && [ "$st_state" != X ]; }
tracer_of() { sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null; }
descends() {
  p=$1 n=0
  while [ -n "$p" ] && [ "$p" -gt 1 ] && [ $n -lt 64 ]; do
    [ "$p" = "$2" ] && return 0
    readstat "$p" || return 1
    p=$st_ppid n=$((n + 1))
  done
  return 1
}
gone_within() {
  i=0
  while same "$1" "$2"; do
    [ $i -ge "$3" ] && return 1
    sleep 0.05
    i=$((i + 1))
  done
}
finish() {
  same "$1" "$2" || return 0
  gone_within "$1" "$2" 4 && return 0
  log "SIGTERM $1"
  kill -TERM "$1" 2>/dev/null; kill -CONT "$1" 2>/dev/null
  gone_within "$1" "$2" 40 && return 0
  log "SIGKILL $1"
  kill -KILL "$1" 2>/dev/null
  gone_within "$1" "$2" 40
}
gdb= gdb_start= target= target_start= before= tracer= tracer_start=
while read -r what pid start extra; do
  case $what in
    gdb) gdb=$pid gdb_start=$start ;;
    target) target=$pid target_start=$start before=$extra ;;
    tracer) tracer=$pid tracer_start=$start ;;
    done) exit 0 ;;
  esac
done
log "mapscope is gone without closing its session (gdb $gdb, target $target, tracer $tracer)"
if [ -z "$tracer" ] && [ -n "$target" ] && same "$target" "$target_start"; then
  t=$(tracer_of "$target")
  if [ -n "$t" ] && [ "$t" != 0 ] && [ -n "$gdb" ] && descends "$t" "$gdb" && readstat "$t"; then
    tracer=$t tracer_start=$st_start
  fi
fi
finish "$gdb" "$gdb_start"
[ "$tracer" = "$gdb" ] || finish "$tracer" "$tracer_start"
[ -n "$target" ] || exit 0
case $before in T|t) exit 0 ;; esac
i=0
while [ $i -lt 20 ] && same "$target" "$target_start"; do
  if [ "$st_state" = T ] && [ "$(tracer_of "$target")" = 0 ]; then
    log "SIGCONT $target (left stopped, no tracer)"
    kill -CONT "$target" 2>/dev/null
    exit 0
  fi
  sleep 0.025
  i=$((i + 1))
done
log "target $target left running"
`;
