# The locals and parameters of one goroutine frame, by name, and the value a Go expression
# denotes there: `m`, `cfg.byName` (field by field, through pointers), or, for anything that is
# not a path from a local, gdb's own evaluator with that frame selected (`main.routes`). A local
# of a generic function comes with its real type's descriptor, from the function's dictionary.

import re

import gdb

from mapscope_allgs import find_g
from mapscope_gdict import dict_index, runtime_type
from mapscope_gview import MAX_UNWIND, GoroutineFrames

_PATH = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)((?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*$")


def _frame_symbols(frame):
    """The arguments and locals visible in a frame, innermost block first, by name."""
    found = {}
    try:
        block = frame.block()
    except RuntimeError:
        return found  # assembly and runtime frames without DWARF scopes
    while block is not None:
        for sym in block:
            if (sym.is_variable or sym.is_argument) and sym.name not in found:
                found[sym.name] = sym
        if block.function is not None:
            break
        block = block.superblock
    return found


def _lookup_local(frame, name):
    """A local or argument by name, and whether it must be dereferenced. Go's DWARF names a
    variable the compiler moved to the heap `&name`, a pointer to it."""
    symbols = _frame_symbols(frame)
    if name in symbols:
        return symbols[name], False
    if "&" + name in symbols:
        return symbols["&" + name], True
    return None, False


def _local_names(frame, most=12):
    names = sorted(n[1:] if n.startswith("&") else n for n in _frame_symbols(frame))
    return names if len(names) <= most else names[:most] + ["..."]


def _read_path(frame, what, sym, via_pointer, fields):
    name = sym.name.lstrip("&")
    try:
        value = sym.value(frame)
        if via_pointer:
            value = value.dereference()
        if value.is_optimized_out:
            raise gdb.GdbError("%s is optimized out in %s" % (name, what))
        path = name
        for f in fields:
            shown = value.type
            while value.type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
                value = value.dereference()
            t = value.type.strip_typedefs()
            if t.code != gdb.TYPE_CODE_STRUCT or f not in [x.name for x in t.fields()]:
                raise gdb.GdbError("%s (%s) has no field %s, in %s" % (path, shown, f, what))
            value = value[f]
            path += "." + f
        value.fetch_lazy()
    except gdb.MemoryError as e:
        raise gdb.GdbError("cannot read %s in %s: %s" % (name, what, e))
    except gdb.error as e:
        raise gdb.GdbError("%s, in %s" % (str(e).rstrip("."), what))
    if value.is_optimized_out:
        raise gdb.GdbError("%s is optimized out in %s" % (name, what))
    return value


def _choose_frame(frames, head, fields, is_map):
    """The innermost frame where the path reads as a map; else the innermost that has its first
    name at all (a method's receiver `m` may shadow the map `m` further out); else None."""
    having = [i for i, f in enumerate(frames) if head and _lookup_local(f, head)[0] is not None]
    for i in having:
        sym, via_pointer = _lookup_local(frames[i], head)
        try:
            value = _read_path(frames[i], "", sym, via_pointer, fields)
        except gdb.GdbError:
            continue
        if is_map(value.type):
            return i
    return having[0] if having else None


def goroutine_value(goid, index, expr, gdb_expr, names, is_map):
    """The value of expr in frame `index` of goroutine `goid` (-1: the innermost frame where it
    names a map), with the frame's index and function, and, for a local whose type is a shape,
    the address of its real type's descriptor (None when there is none or it cannot be read).
    gdb_expr is expr quoted for gdb's parser."""
    g = find_g(goid, names)
    path = _PATH.match(expr)
    head = path.group(1) if path else None
    fields = [f.strip() for f in path.group(2).split(".")[1:]] if path else []
    limit = MAX_UNWIND if index < 0 else index + 1
    with GoroutineFrames(g, limit) as frames:
        count = len(frames.frames)
        if count == 0:
            if g.lwp is not None:
                raise gdb.GdbError(
                    "goroutine %d runs on thread %d, whose stack gdb cannot unwind back to the goroutine's own" % (goid, g.lwp)
                )
            raise gdb.GdbError("goroutine %d has no frames that gdb can unwind (status %s)" % (goid, g.status))
        if index < 0:
            index = _choose_frame(frames.frames, head, fields, is_map)
            if index is None and path and not fields:
                raise gdb.GdbError("no frame of goroutine %d has a local or parameter %s" % (goid, head))
            # Not a local anywhere: a global (`main.cfg`), which any frame sees.
            index = index or 0
        if index >= count:
            raise gdb.GdbError(
                "goroutine %d has %d frame%s (0-%d), not frame %d" % (goid, count, "" if count == 1 else "s", count - 1, index)
            )
        frame = frames.frames[index]
        what = "frame %d (%s) of goroutine %d" % (index, frame.name() or "??", goid)
        sym, via_pointer = _lookup_local(frame, head) if head else (None, False)
        rtype = None
        if sym is not None:
            value = _read_path(frame, what, sym, via_pointer, fields)
            # Only a local's own type has a dictionary entry; a field path's type is the shape's.
            shape = dict_index(value.type) if not fields else None
            if shape is not None:
                rtype = runtime_type(frame, _frame_symbols(frame), shape)
        elif path and not fields:
            locals_ = _local_names(frame)
            raise gdb.GdbError("no local or parameter %s in %s (it has %s)" % (head, what, ", ".join(locals_) or "none"))
        else:
            frame.select()
            try:
                value = gdb.parse_and_eval(gdb_expr)
                value.fetch_lazy()
            except gdb.error as e:
                raise gdb.GdbError("%s, in %s" % (str(e).rstrip("."), what))
        return value, index, frame.name() or "", rtype
