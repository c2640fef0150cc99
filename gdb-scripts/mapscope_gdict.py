# The real type of a local of a generic function, from the function's dictionary.
#
# The compiler emits one body per shape (`main.setHolder[go.shape.string,go.shape.int]`) and
# passes it a dictionary, a read-only array of words named `<pkg>..dict.<func>[<type args>]`.
# A local whose type depends on the type parameters has a shape type in DWARF; its DW_AT_type
# is a typedef that putparamtypes (cmd/internal/dwarf) names `.paramN` and gives
# DW_AT_go_dict_index N: word N of the dictionary is the *abi.Type of the local's real type
# (the rtypes section since Go 1.20's unified IR; Go 1.18/1.19 put the type arguments first,
# then derived types: N indexes either way). gdb shows the typedef's name, not the attribute,
# so the name is read.
#
# The dictionary is the function's first argument, `.dict`. DWARF describes it only in builds
# without optimization (-gcflags=-N): ssa/debug.go leaves out synthetic names (a leading '.').
# Otherwise it is read where Go's ABI spills the first register argument, at the caller's stack
# pointer plus the fixed frame size, i.e. the frame's CFA plus that size; the compiler stores it
# there on entry when the body needs it after a call, as a body that converts a shape-typed value
# to an interface after blocking does. What is read there is taken only if gdb names it a
# dictionary of this very function, starting at that very address; a slot the body never wrote
# could otherwise hold a word of an earlier call.

import re

import gdb

from mapscope_allgs import uintptr
from mapscope_gsignal import MIN_FRAME_SIZE, caller_sp

_PARAM = re.compile(r"^\.param(\d+)$")
_INFO_SYMBOL = re.compile(r"^(.*?)( \+ \d+)? in section \S+")


def dict_index(t):
    """N when t is the `.paramN` typedef of a shape-typed variable, else None."""
    if t.code != gdb.TYPE_CODE_TYPEDEF:
        return None
    m = _PARAM.match(t.name or "")
    return int(m.group(1)) if m else None


def _strip_type_args(name):
    """`main.(*Box[go.shape.int]).Put` -> `main.(*Box).Put`: brackets that follow a name."""
    out = []
    depth = 0
    for i, c in enumerate(name):
        if c == "[" and (depth > 0 or (i > 0 and name[i - 1] not in " ([]*,")):
            depth += 1
        elif c == "]" and depth > 0:
            depth -= 1
        elif depth == 0:
            out.append(c)
    return "".join(out)


def _owners(function):
    """The names a dictionary of `function` may carry once type arguments are stripped: the
    function's own, or for a method that of its receiver type (Go 1.20+ gives methods of a
    generic type the type's dictionary)."""
    base = _strip_type_args(function)
    names = {base}
    m = re.match(r"^(.*)\.\(\*([^()]+)\)\.[^.]+$", base) or re.match(r"^(.*)\.([^.()]+)\.[^.]+$", base)
    if m:
        names.add("%s.%s" % (m.group(1), m.group(2)))
    return names


def _dictionary_named(address, function):
    """address, if gdb's symbol table has a dictionary of `function` starting exactly there."""
    try:
        text = gdb.execute("info symbol 0x%x" % address, to_string=True).strip()
    except gdb.error:
        return None
    m = _INFO_SYMBOL.match(text)
    if not m or m.group(2) or "..dict." not in m.group(1):
        return None
    owner = _strip_type_args(m.group(1).replace("..dict.", ".", 1))
    return address if owner in _owners(function) else None


def _word(address):
    return int(gdb.Value(address).cast(uintptr().pointer()).dereference())


def _dictionary(frame, symbols):
    function = frame.name() or ""
    sym = symbols.get(".dict")
    if sym is not None:
        try:
            value = sym.value(frame)
            if not value.is_optimized_out:
                found = _dictionary_named(int(value.cast(uintptr())), function)
                if found:
                    return found
        except (gdb.error, gdb.MemoryError):
            pass
    cfa = caller_sp(frame)
    arch = gdb.selected_inferior().architecture().name()
    if cfa is None or arch not in MIN_FRAME_SIZE:
        return None
    try:
        return _dictionary_named(_word(cfa + MIN_FRAME_SIZE[arch]), function)
    except (gdb.error, gdb.MemoryError):
        return None


def runtime_type(frame, symbols, index):
    """The *abi.Type of entry `index` of frame's dictionary, or None when the dictionary cannot
    be found (the names then stay the shapes')."""
    dictionary = _dictionary(frame, symbols)
    if dictionary is None:
        return None
    try:
        return _word(dictionary + index * uintptr().sizeof) or None
    except (gdb.error, gdb.MemoryError):
        return None
