# mapscope's bridge inside gdb.
#
# Thin on purpose: it evaluates expressions with gdb's own evaluator, describes DWARF types as
# plain data, and reads memory in bulk. Everything that knows how a Go map is laid out lives in
# TypeScript, where it is tested against synthetic memory as well as real processes.
#
# Every command is read-only. Nothing here calls into the inferior, writes memory or registers,
# or resumes execution. The one thing the bridge writes is the memory channel, a private file of
# mapscope's own (see _Channel), with copies of bytes it read.

import os
import stat
import struct

import gdb

MIN_GDB_MAJOR = 13


def _gdb_major():
    try:
        return int(gdb.VERSION.split(".")[0])
    except ValueError:
        return 0


if _gdb_major() < MIN_GDB_MAJOR or not hasattr(gdb, "MICommand"):
    raise gdb.GdbError(
        "mapscope needs gdb %d or newer with Python MI commands; this is gdb %s"
        % (MIN_GDB_MAJOR, gdb.VERSION)
    )

_CODE_NAMES = {
    gdb.TYPE_CODE_PTR: "PTR",
    gdb.TYPE_CODE_ARRAY: "ARRAY",
    gdb.TYPE_CODE_STRUCT: "STRUCT",
    gdb.TYPE_CODE_UNION: "UNION",
    gdb.TYPE_CODE_ENUM: "ENUM",
    gdb.TYPE_CODE_FUNC: "FUNC",
    gdb.TYPE_CODE_INT: "INT",
    gdb.TYPE_CODE_FLT: "FLT",
    gdb.TYPE_CODE_VOID: "VOID",
    gdb.TYPE_CODE_BOOL: "BOOL",
    gdb.TYPE_CODE_COMPLEX: "COMPLEX",
    gdb.TYPE_CODE_TYPEDEF: "TYPEDEF",
    gdb.TYPE_CODE_CHAR: "CHAR",
}

# How far type descriptions follow pointers. The map walk needs about six hops
# (typedef -> *Map -> **table -> *group -> *K); values never need more than one.
MAX_POINTER_HOPS = 8
MAX_TYPES = 20000


class _Describer:
    """Turns a graph of gdb.Type into a flat list of dicts that reference each other by id."""

    def __init__(self):
        self.types = []
        self.ids = {}

    def describe(self, t, hops=0):
        key = (t.code, str(t), t.sizeof)
        found = self.ids.get(key)
        if found is not None:
            entry = self.types[found]
            # A type first reached past the hop budget may be reached again closer to the root.
            if entry.get("truncated") and hops < MAX_POINTER_HOPS:
                del entry["truncated"]
                entry["target"] = str(self.describe(t.target(), hops + 1))
            return found
        if len(self.types) >= MAX_TYPES:
            raise gdb.GdbError("type graph too large (over %d types)" % MAX_TYPES)
        tid = len(self.types)
        entry = {
            "id": str(tid),
            "code": _CODE_NAMES.get(t.code, "OTHER%d" % t.code),
            "name": t.name or "",
            "str": str(t),
            "size": str(t.sizeof),
        }
        self.ids[key] = tid
        self.types.append(entry)
        code = t.code
        if code == gdb.TYPE_CODE_TYPEDEF:
            # Go's DWARF can chain a typedef to another of the same name (`interface {}`); skip
            # to what it finally names so the description has no self-loop.
            target = t.target()
            while target.code == gdb.TYPE_CODE_TYPEDEF and (target.name or "") == (t.name or ""):
                target = target.target()
            entry["target"] = str(self.describe(target, hops))
        elif code == gdb.TYPE_CODE_PTR:
            if hops < MAX_POINTER_HOPS:
                entry["target"] = str(self.describe(t.target(), hops + 1))
            else:
                entry["truncated"] = "1"
        elif code == gdb.TYPE_CODE_ARRAY:
            lo, hi = t.range()
            entry["length"] = str(hi - lo + 1)
            entry["target"] = str(self.describe(t.target(), hops))
        elif code in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
            fields = []
            for f in t.fields():
                if not hasattr(f, "bitpos"):
                    continue
                fields.append(
                    {
                        "name": f.name or "",
                        "offset": str(f.bitpos // 8),
                        "bitsize": str(f.bitsize),
                        "type": str(self.describe(f.type, hops)),
                    }
                )
            entry["fields"] = fields
        elif code in (gdb.TYPE_CODE_INT, gdb.TYPE_CODE_CHAR):
            entry["signed"] = "1" if t.is_signed else "0"
        return tid


def _lookup_go_type(name):
    """Finds a DWARF type by its Go name. gdb stores Go string, slice and struct types under the
    struct tag namespace and has no entry for most pointer types, so those are built here."""
    if name.startswith("*"):
        return _lookup_go_type(name[1:]).pointer()
    for candidate in (name, "struct " + name):
        try:
            return gdb.lookup_type(candidate)
        except gdb.error:
            continue
    raise gdb.GdbError("no DWARF type named %s" % name)


def _symbol_address(name):
    try:
        return str(int(gdb.parse_and_eval("&'%s'" % name).cast(gdb.lookup_type("void").pointer())))
    except gdb.error:
        return ""


def _parse_int(text):
    return int(text, 0)


def _elf_symbol(path, name):
    """(link-time address, section name) of `name` in the ELF symbol table of the file at `path`,
    or None: no such file, no .symtab, no such symbol, or anything unexpected. Reading the file
    spares gdb the expansion of the runtime's whole compilation unit (~0.1 s on a small binary,
    several tenths on a large one) that looking the symbol up would cost."""
    import struct

    try:
        with open(path, "rb") as f:

            def read(offset, size):
                if offset < 0 or size < 0 or size > (1 << 28):
                    raise ValueError("absurd ELF range")
                f.seek(offset)
                data = f.read(size)
                if len(data) != size:
                    raise ValueError("ELF range past the end of the file")
                return data

            ident = read(0, 64)
            if ident[:4] != b"\x7fELF" or ident[4] not in (1, 2):
                return None
            is64 = ident[4] == 2
            end = ">" if ident[5] == 2 else "<"
            if is64:
                (shoff,) = struct.unpack_from(end + "Q", ident, 0x28)
                shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", ident, 0x3A)
            else:
                (shoff,) = struct.unpack_from(end + "I", ident, 0x20)
                shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", ident, 0x2E)
            if shnum == 0 or shstrndx >= shnum or shentsize < (64 if is64 else 40):
                return None
            table = read(shoff, shentsize * shnum)
            sections = []
            for i in range(shnum):
                if is64:
                    fields = struct.unpack_from(end + "IIQQQQI", table, i * shentsize)
                else:
                    fields = struct.unpack_from(end + "IIIIIII", table, i * shentsize)
                # name offset, type, address, file offset, size, link
                sections.append((fields[0], fields[1], fields[3], fields[4], fields[5], fields[6]))
            shstr = read(sections[shstrndx][3], sections[shstrndx][4])

            def section_name(i):
                start = sections[i][0]
                stop = shstr.find(b"\0", start)
                return shstr[start:stop].decode("latin-1") if stop >= 0 else None

            symtab = [s for s in sections if s[1] == 2]  # SHT_SYMTAB
            if len(symtab) != 1 or symtab[0][5] >= shnum:
                return None
            symtab = symtab[0]
            strtab = sections[symtab[5]]
            strs = read(strtab[3], strtab[4])
            at = strs.find(b"\0" + name.encode() + b"\0")
            if at < 0:
                return None
            entsize = 24 if is64 else 16
            syms = read(symtab[3], symtab[4] - symtab[4] % entsize)
            needle = struct.pack(end + "I", at + 1)
            i = syms.find(needle)
            while i >= 0:
                if i % entsize == 0:
                    if is64:
                        _, _, _, shndx, value, _ = struct.unpack_from(end + "IBBHQQ", syms, i)
                    else:
                        _, value, _, _, _, shndx = struct.unpack_from(end + "IIIBBH", syms, i)
                    if shndx == 0 or shndx >= shnum:
                        return None
                    return value, sections[shndx][2], section_name(shndx)
                i = syms.find(needle, i + 1)
            return None
    except (OSError, ValueError, struct.error):
        return None


def _exec_section_starts(sections_text):
    """Section name -> start address, as gdb has placed the program's sections (the 'Exec file'
    part of `maint info sections`; a name listed twice is left out)."""
    import re

    section_line = re.compile(r"^\s+\[\d+\]\s+0x([0-9a-fA-F]+)->0x[0-9a-fA-F]+ at 0x[0-9a-fA-F]+: (\S+)")
    starts = {}
    twice = set()
    in_exec = False
    for line in sections_text.splitlines():
        if line and not line[0].isspace():
            # A header: "Exec file: `...'", "Core file: `...'".
            in_exec = line.startswith("Exec file:")
            continue
        if not in_exec:
            continue
        m = section_line.match(line)
        if m:
            if m.group(2) in starts:
                twice.add(m.group(2))
            starts[m.group(2)] = int(m.group(1), 16)
    for name in twice:
        del starts[name]
    return starts


def _go_version_address(sections_text):
    """runtime.buildVersion's address in the target: from the ELF symbol table, moved as gdb has
    moved its section (a PIE once the core or process is open); from gdb's symbol lookup if the
    file cannot tell."""
    progspace = gdb.current_progspace()
    path = progspace.filename if progspace is not None else None
    found = _elf_symbol(path, "runtime.buildVersion") if path else None
    if found is not None:
        value, section_addr, section = found
        start = _exec_section_starts(sections_text).get(section) if section else None
        if start is not None:
            mask = (1 << (8 * gdb.lookup_type("void").pointer().sizeof)) - 1
            return str((value - section_addr + start) & mask)
    return _symbol_address("runtime.buildVersion")


class _Target(gdb.MICommand):
    """-mapscope-target: what the target is: Go version, architecture, pointer size, byte order."""

    def __init__(self):
        super().__init__("-mapscope-target")

    def invoke(self, argv):
        inferior = gdb.selected_inferior()
        arch = inferior.architecture()
        endian = gdb.execute("show endian", to_string=True)
        result = {
            "arch": arch.name(),
            "pointerSize": str(gdb.lookup_type("void").pointer().sizeof),
            "byteOrder": "big" if "big endian" in endian else "little",
            "pid": str(inferior.pid),
        }
        sections = gdb.execute("maint info sections", to_string=True)
        # By address, so that a binary without DWARF (only ELF symbols) still shows it is Go.
        result["goVersionAddress"] = _go_version_address(sections)
        result["goBuildInfo"] = "1" if ".go.buildinfo" in sections else "0"
        try:
            gdb.lookup_type("runtime.g")
            result["dwarf"] = "1"
        except gdb.error:
            result["dwarf"] = "0"
        return result


class _Eval(gdb.MICommand):
    """-mapscope-eval EXPR: evaluates a gdb expression that denotes a Go map and returns the map
    header pointer and the DWARF description of the map type."""

    def __init__(self):
        super().__init__("-mapscope-eval")

    def invoke(self, argv):
        if len(argv) != 1:
            raise gdb.GdbError("usage: -mapscope-eval EXPR")
        try:
            value = gdb.parse_and_eval(argv[0])
        except gdb.error as e:
            raise gdb.GdbError(str(e))
        return _describe_map_value(value.type, int(value.cast(gdb.lookup_type("void").pointer())))


class _MapAt(gdb.MICommand):
    """-mapscope-map-at ADDRESS TYPENAME: a map header at a raw address, with its Go type."""

    def __init__(self):
        super().__init__("-mapscope-map-at")

    def invoke(self, argv):
        if len(argv) != 2:
            raise gdb.GdbError("usage: -mapscope-map-at ADDRESS TYPE")
        return _describe_map_value(_lookup_go_type(argv[1]), _parse_int(argv[0]))


def _is_map_type(t):
    """A Go map type: `map[K]V`, or a named type whose underlying type is one (a typedef of a
    pointer to the runtime header `hash<K,V>` / `map<K,V>`)."""
    name = t.name or ""
    if name.startswith("map["):
        return True
    target = t.strip_typedefs()
    if target.code != gdb.TYPE_CODE_PTR:
        return False
    header = target.target().strip_typedefs()
    if header.code != gdb.TYPE_CODE_STRUCT:
        return False
    fields = {f.name for f in header.fields()}
    return {"buckets", "B"} <= fields or {"dirPtr", "dirLen"} <= fields


def _describe_map_value(map_type, header):
    name = map_type.name or str(map_type)
    if not _is_map_type(map_type):
        raise gdb.GdbError("not a Go map: the expression has type %s" % name)
    describer = _Describer()
    root = describer.describe(map_type)
    return {"header": str(header), "typeName": name, "root": str(root), "types": describer.types}


class _Describe(gdb.MICommand):
    """-mapscope-describe NAME...: DWARF descriptions of types by Go name ("" root when absent)."""

    def __init__(self):
        super().__init__("-mapscope-describe")

    def invoke(self, argv):
        describer = _Describer()
        roots = []
        for name in argv:
            try:
                roots.append(str(describer.describe(_lookup_go_type(name))))
            except gdb.GdbError:
                roots.append("")
        return {"roots": roots, "types": describer.types}


class _Read(gdb.MICommand):
    """-mapscope-read ADDRESS LENGTH [ADDRESS LENGTH ...]: bytes as hex, one block per range.
    A range that cannot be read whole yields an error for that block only."""

    def __init__(self):
        super().__init__("-mapscope-read")

    def invoke(self, argv):
        if len(argv) % 2 != 0:
            raise gdb.GdbError("usage: -mapscope-read ADDRESS LENGTH ...")
        inferior = gdb.selected_inferior()
        blocks = []
        for i in range(0, len(argv), 2):
            address = _parse_int(argv[i])
            length = _parse_int(argv[i + 1])
            try:
                data = inferior.read_memory(address, length) if length > 0 else b""
                blocks.append({"hex": bytes(data).hex()})
            except (gdb.MemoryError, gdb.error, OverflowError) as e:
                blocks.append({"error": str(e) or "cannot read memory"})
        return {"blocks": blocks}


# The memory channel: a file TypeScript created (0600, in a 0700 directory) and unlinked at once;
# this side opens it through TypeScript's /proc/PID/fd/N. The ranges to read come in it and their bytes go back in it, raw; MI carries
# only counts and errors. That spares the hex encoding, MI escaping and parsing that dominate
# bulk reads over MI. (fd, "dev:ino") of the file, or None.
_channel = None


class _Channel(gdb.MICommand):
    """-mapscope-channel PATH: opens the channel file (/proc/PID/fd/N of mapscope's own fd; it is
    never created here) and answers its id, "dev:ino", and its first 16 bytes (a token mapscope
    wrote), by which TypeScript knows both sides hold the same file. Every -mapscope-read-to
    names the id."""

    def __init__(self):
        super().__init__("-mapscope-channel")

    def invoke(self, argv):
        global _channel
        if len(argv) != 1:
            raise gdb.GdbError("usage: -mapscope-channel PATH")
        try:
            fd = os.open(argv[0], os.O_RDWR | os.O_CLOEXEC)
        except OSError as e:
            raise gdb.GdbError("cannot open the memory channel: %s" % e.strerror)
        st = os.fstat(fd)
        # Target memory goes only into a plain file no one else can read.
        if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o077:
            os.close(fd)
            raise gdb.GdbError("the memory channel is not a private regular file")
        try:
            head = os.pread(fd, 16, 0)
        except OSError as e:
            os.close(fd)
            raise gdb.GdbError("cannot read the memory channel: %s" % e.strerror)
        if _channel is not None:
            os.close(_channel[0])
        _channel = (fd, "%d:%d" % (st.st_dev, st.st_ino))
        return {"id": _channel[1], "head": head.hex()}


# One range of a -mapscope-read-to request: address and length, unsigned 64-bit little-endian.
_RANGE = struct.Struct("<QQ")


class _ReadTo(gdb.MICommand):
    """-mapscope-read-to CHANNEL COUNT BYTES: reads the COUNT ranges listed at the start of the
    channel file (BYTES in all), then writes each readable range's bytes into the file, back to
    back from offset 0 in the order asked. The answer has the bytes written and, by index, the
    ranges that could not be read, with why; the others are where their order puts them.

    CHANNEL is the id -mapscope-channel answered: a request meant for another file (a channel
    since replaced) is refused rather than answered from the wrong one. The ranges come through
    the file, not the command line, because gdb takes MI input at about half a microsecond a
    character: 2000 ranges spelled out cost it 30 ms before any read. A range that cannot be read
    fails alone; a failing write fails the command (the channel is broken, not the memory)."""

    def __init__(self):
        super().__init__("-mapscope-read-to")

    def invoke(self, argv):
        if len(argv) != 3:
            raise gdb.GdbError("usage: -mapscope-read-to CHANNEL COUNT BYTES")
        if _channel is None or _channel[1] != argv[0]:
            raise gdb.GdbError("no memory channel %s (-mapscope-channel first)" % argv[0])
        count = _parse_int(argv[1])
        table = _channel_io(os.pread, _RANGE.size * count, 0)
        if len(table) != _RANGE.size * count:
            raise gdb.GdbError("the memory channel holds %d of %d ranges" % (len(table) // _RANGE.size, count))
        ranges = list(_RANGE.iter_unpack(table))
        if sum(length for _, length in ranges) != _parse_int(argv[2]):
            raise gdb.GdbError("the ranges in the memory channel do not add up to %s bytes" % argv[2])
        inferior = gdb.selected_inferior()
        errors = []
        offset = 0
        for index, (address, length) in enumerate(ranges):
            if length == 0:
                continue
            try:
                data = inferior.read_memory(address, length)
            except (gdb.MemoryError, gdb.error, OverflowError) as e:
                errors.append({"index": str(index), "error": str(e) or "cannot read memory"})
                continue
            view = memoryview(data)
            while len(view) > 0:
                n = _channel_io(os.pwrite, view, offset)
                view = view[n:]
                offset += n
        return {"bytes": str(offset), "errors": errors}


def _channel_io(op, what, offset):
    try:
        return op(_channel[0], what, offset)
    except OSError as e:
        raise gdb.GdbError("memory channel: %s" % e.strerror)


class _Symbol(gdb.MICommand):
    """-mapscope-symbol NAME...: the address of each global (or "" when there is none)."""

    def __init__(self):
        super().__init__("-mapscope-symbol")

    def invoke(self, argv):
        return {"addresses": [_symbol_address(name) for name in argv]}



# ---------------------------------------------------------------- values for the debug adapter

# Bounds for what one answer may carry: a frame's variables, and gdb's own text for a value that
# does not live in memory (a register, a computed result).
MAX_FRAME_VARS = 256
MAX_TEXT = 4096


def _value_record(value, describer):
    """Where a value lives and what type it has. A value in memory is rendered by mapscope from
    its address; one that is not (a register variable, `len(x)`) only has gdb's own text."""
    record = {"typeName": str(value.type)}
    try:
        record["root"] = str(describer.describe(value.type))
    except gdb.GdbError as e:
        record["error"] = str(e)
    except gdb.error as e:
        record["error"] = str(e)
    address = None
    try:
        if value.address is not None:
            address = int(value.address.cast(gdb.lookup_type("void").pointer()))
    except gdb.error:
        address = None
    if address is not None:
        record["address"] = str(address)
    else:
        try:
            text = value.format_string(max_elements=32, max_depth=2, repeat_threshold=0)
        except (gdb.error, TypeError, ValueError) as e:
            text = "<%s>" % e
        record["text"] = text[:MAX_TEXT]
    return record


class _Values(gdb.MICommand):
    """-mapscope-values EXPR...: each expression's address (or gdb's text when it is not in
    memory) and DWARF type, evaluated in the selected frame (--thread/--frame select it).
    One expression that fails gets an error; the others are still answered."""

    def __init__(self):
        super().__init__("-mapscope-values")

    def invoke(self, argv):
        describer = _Describer()
        values = []
        for expr in argv:
            try:
                value = gdb.parse_and_eval(expr)
            except gdb.error as e:
                values.append({"error": str(e) or "cannot evaluate %s" % expr})
                continue
            values.append(_value_record(value, describer))
        return {"values": values, "types": describer.types}


class _FrameVars(gdb.MICommand):
    """-mapscope-frame-vars: the arguments and locals visible in the selected frame (choose it
    with --thread/--frame), innermost block first, a shadowed name only once."""

    def __init__(self):
        super().__init__("-mapscope-frame-vars")

    def invoke(self, argv):
        describer = _Describer()
        out = []
        try:
            frame = gdb.selected_frame()
            block = frame.block()
        except (gdb.error, RuntimeError):
            # Assembly and runtime frames without DWARF scope information have no variables.
            return {"vars": [], "types": []}
        seen = set()
        while block is not None and len(out) < MAX_FRAME_VARS:
            for sym in block:
                if not (sym.is_variable or sym.is_argument) or sym.name in seen:
                    continue
                seen.add(sym.name)
                try:
                    record = _value_record(sym.value(frame), describer)
                except (gdb.error, RuntimeError) as e:
                    record = {"error": str(e) or "cannot read %s" % sym.name}
                record["name"] = sym.name
                record["arg"] = "1" if sym.is_argument else "0"
                out.append(record)
                if len(out) >= MAX_FRAME_VARS:
                    break
            if block.function is not None:
                break
            block = block.superblock
        return {"vars": out, "types": describer.types}


_Target()
_Eval()
_MapAt()
_Describe()
_Read()
_Channel()
_ReadTo()
_Symbol()
_Values()
_FrameVars()


# Goroutines and the locals of their frames live in their own files (mapscope_*.py), beside this one.
import mapscope_goroutines  # noqa: E402

mapscope_goroutines.register(_describe_map_value, _is_map_type)
