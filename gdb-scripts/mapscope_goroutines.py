# mapscope's goroutine MI commands: the runtime's goroutines with their states and innermost
# frames (-mapscope-goroutines), and a map held by a local of one goroutine's frame
# (-mapscope-goroutine-eval). How goroutines are read: mapscope_allgs.py; how their frames are
# found without touching the target: mapscope_gview.py; locals: mapscope_glocals.py.

import time

import gdb

from mapscope_allgs import RuntimeFields, RuntimeNames, all_gs
from mapscope_gdict import dict_index
from mapscope_glocals import goroutine_value
from mapscope_gview import MAX_UNWIND, GoroutineFrames, PreservedSelection, frame_sp

DEFAULT_DEPTH = 20


def _function_at(pc):
    """The function containing pc, the outermost one when pc is in inlined code."""
    try:
        block = gdb.block_for_pc(pc)
    except RuntimeError:
        block = None
    name = None
    while block is not None:
        if block.function is not None:
            name = block.function.name
        block = block.superblock
    return name


def _frame_record(frames, index):
    frame = frames.frames[index]
    sal = frame.find_sal()
    record = {
        "function": frame.name() or "",
        "file": sal.symtab.filename if sal.symtab else "",
        "line": str(sal.line or 0),
        "pc": str(frames.pc(index)),
        "sp": str(frame_sp(frame) or 0),
    }
    if frame.type() == gdb.INLINE_FRAME:
        record["inlined"] = "1"
    return record


def _creator_record(g):
    # Goroutine 1 is started by the runtime's entry code, which Go's tracebacks do not show.
    if not g.gopc or g.goid == 1:
        return None
    # gopc is the return address of the `go` statement's call: its line is that of gopc - 1.
    creator = _function_at(g.gopc - 1)
    if not creator:
        return None
    sal = gdb.find_pc_line(g.gopc - 1)
    record = {
        "function": creator,
        "file": sal.symtab.filename if sal.symtab else "",
        "line": str(sal.line or 0),
        "pc": str(g.gopc),
    }
    if g.parent:
        record["goroutine"] = str(g.parent)
    return record


def _goroutine_record(g, depth):
    record = {"id": str(g.goid), "status": g.status, "address": str(g.address)}
    if g.wait_reason:
        record["waitReason"] = g.wait_reason
    if g.lwp is not None:
        record["thread"] = str(g.lwp)
    start = _function_at(g.startpc) if g.startpc else None
    if start:
        record["startFunction"] = start
    if not g.dead and depth > 0:
        with GoroutineFrames(g, depth) as frames:
            record["frames"] = [_frame_record(frames, i) for i in range(len(frames.frames))]
            record["origin"] = frames.origin
    created = _creator_record(g)
    if created:
        record["createdBy"] = created
    return record


class _Goroutines(gdb.MICommand):
    """-mapscope-goroutines [--all] [--depth N] [--within MS]: every goroutine of runtime.allgs
    (dead ones only with --all) with its status, wait reason, OS thread and innermost N frames.
    --within: stop unwinding after MS milliseconds (a live target's pause budget); the answer
    then says how many goroutines it left out."""

    def __init__(self):
        super().__init__("-mapscope-goroutines")

    def invoke(self, argv):
        depth = DEFAULT_DEPTH
        include_dead = False
        deadline = None
        i = 0
        while i < len(argv):
            if argv[i] == "--all":
                include_dead = True
            elif argv[i] == "--depth" and i + 1 < len(argv):
                i += 1
                depth = max(0, min(int(argv[i]), MAX_UNWIND))
            elif argv[i] == "--within" and i + 1 < len(argv):
                i += 1
                deadline = time.monotonic() + max(0, int(argv[i])) / 1000.0
            else:
                raise gdb.GdbError("usage: -mapscope-goroutines [--all] [--depth N] [--within MS]")
            i += 1
        fields = RuntimeFields()
        gs = all_gs(RuntimeNames(), fields)
        out = []
        left = 0
        with PreservedSelection():
            for g in gs:
                if not include_dead and g.dead:
                    continue
                if deadline is not None and time.monotonic() >= deadline:
                    left += 1
                    continue
                out.append(_goroutine_record(g, depth))
        gaps = [{"struct": st, "field": f, "without": w} for st, f, w in fields.gaps]
        return {"goroutines": out, "scanned": str(len(gs)), "left": str(left), "gaps": gaps}


def register(describe_map_value, is_map_type):
    """Registers the MI commands; describe_map_value(type, header) is the bridge's map answer,
    is_map_type(type) tells a Go map type."""

    class _GoroutineEval(gdb.MICommand):
        """-mapscope-goroutine-eval GOID FRAME EXPR GDBEXPR: the map EXPR denotes in frame FRAME
        (-1: the innermost where it is a map) of goroutine GOID, as -mapscope-eval answers, with
        the frame's index and function; for a local of a generic function, described as its
        shape type, with runtimeType the address of the real type's descriptor when the
        function's dictionary could be read."""

        def __init__(self):
            super().__init__("-mapscope-goroutine-eval")

        def invoke(self, argv):
            if len(argv) != 4:
                raise gdb.GdbError("usage: -mapscope-goroutine-eval GOID FRAME EXPR GDBEXPR")
            try:
                goid, index = int(argv[0]), int(argv[1])
            except ValueError:
                raise gdb.GdbError("usage: -mapscope-goroutine-eval GOID FRAME EXPR GDBEXPR")
            with PreservedSelection():
                value, index, function, rtype = goroutine_value(goid, index, argv[2], argv[3], RuntimeNames(), is_map_type)
                try:
                    header = int(value.cast(gdb.lookup_type("void").pointer()))
                except gdb.error as e:
                    raise gdb.GdbError("%s: %s" % (argv[2], e))
                map_type = value.type
                if dict_index(map_type) is not None:
                    map_type = map_type.target()  # the `.paramN` typedef: its target is the shape map type
                answer = describe_map_value(map_type, header)
            answer["frame"] = str(index)
            answer["function"] = function
            if rtype:
                answer["runtimeType"] = str(rtype)
            return answer

    _Goroutines()
    _GoroutineEval()
