# The runtime's goroutines as mapscope reads them: runtime.allgs, each runtime.g's id, status,
# wait reason, saved registers (g.sched), stack bounds and OS thread, through the binary's DWARF.
# Field names are Go's own and have held since Go 1.0 (goid, atomicstatus, sched, stack, m);
# what changed is wrapped here (atomic.Uint32 status, parentGoid from Go 1.21).

import gdb

# runtime2.go: the status values, unchanged since Go 1.0 (1.26 adds _Gleaked). The names the
# target's own runtime.gStatusStrings holds are preferred.
STATUS_NAMES = ["idle", "runnable", "running", "syscall", "waiting", "moribund_unused", "dead",
                "enqueue_unused", "copystack", "preempted", "leaked"]
GSCAN = 0x1000
GIDLE, GRUNNING, GSYSCALL, GWAITING, GDEAD = 0, 2, 3, 4, 6

# Entries of runtime.allgs read at most: a bound on a corrupt length.
MAX_GOROUTINES = 100000

# The fields read, by struct: without one of REQUIRED no goroutine can be listed (an error says
# which); without one of OPTIONAL what it gives is left out, and the answer's gaps say so, for the
# target's warnings (src/target/runtime-gaps.ts): never a silently empty list or column.
REQUIRED = (("runtime.g", "goid"), ("runtime.g", "atomicstatus"), ("runtime.g", "sched"), ("runtime.g", "stack"),
            ("runtime.gobuf", "pc"), ("runtime.gobuf", "sp"), ("runtime.stack", "lo"), ("runtime.stack", "hi"))
OPTIONAL = (
    ("runtime.g", "waitreason", "waiting goroutines are listed without their wait reasons"),
    ("runtime.g", "startpc", "goroutines are listed without their start functions"),
    ("runtime.g", "gopc", "goroutines are listed without where they were created"),
    ("runtime.g", "m", "running goroutines are listed without their OS threads"),
    ("runtime.m", "procid", "running goroutines are listed without their OS threads"),
)


def uintptr():
    return gdb.lookup_type("uintptr")


def int_of(value):
    """An integer field, also when it is wrapped in an atomic type (atomic.Uint32{value})."""
    t = value.type.strip_typedefs()
    while t.code == gdb.TYPE_CODE_STRUCT:
        value = value["value"]
        t = value.type.strip_typedefs()
    return int(value)


def field(value, name):
    """A field that only some Go versions have (None when absent)."""
    try:
        return value[name]
    except gdb.error:
        return None


def go_string(value):
    n = int(value["len"])
    if n <= 0 or n > 256:
        return ""
    data = gdb.selected_inferior().read_memory(int(value["str"]), n)
    return bytes(data).decode("utf-8", "replace")


class RuntimeNames:
    """Names the runtime itself gives statuses and wait reasons (Go's tracebacks print them),
    read from the target: wait reasons are renumbered between Go versions."""

    def __init__(self):
        self.status_names = self._strings("'runtime.gStatusStrings'") or STATUS_NAMES
        self.wait_reasons = self._strings("'runtime.waitReasonStrings'") or []

    @staticmethod
    def _strings(expr):
        try:
            array = gdb.parse_and_eval(expr)
            lo, hi = array.type.strip_typedefs().range()
            return [go_string(array[i]) for i in range(lo, hi + 1)]
        except (gdb.error, gdb.MemoryError):
            return None


def _fields_of(struct):
    try:
        return {f.name for f in gdb.lookup_type(struct).strip_typedefs().fields()}
    except gdb.error:
        return None


def _release():
    """The Go release as the target's runtime.buildVersion says it (go1.28.0), for messages."""
    try:
        return go_string(gdb.parse_and_eval("'runtime.buildVersion'")).split(" ")[0] or "this Go release"
    except (gdb.error, gdb.MemoryError):
        return "this Go release"


class RuntimeFields:
    """Which of the fields mapscope reads this runtime's structs have, looked at once."""

    def __init__(self):
        structs = {s for s, _ in REQUIRED} | {s for s, _, _ in OPTIONAL}
        have = {s: _fields_of(s) for s in structs}
        self.missing_required = [(s, f) for s, f in REQUIRED if not have[s] or f not in have[s]]
        self.gaps = [(s, f, w) for s, f, w in OPTIONAL if not have[s] or f not in have[s]]
        self.absent = {(s, f) for s, f, _ in self.gaps}

    def has(self, struct, name):
        return (struct, name) not in self.absent

    def check(self):
        """Raises the one-line error of a runtime whose goroutines cannot be read."""
        if self.missing_required:
            raise gdb.GdbError("%s's %s: goroutines cannot be listed" % (_release(), "; ".join(
                "%s has no field %s" % (s, f) for s, f in self.missing_required)))


class G:
    """One runtime.g, read once."""

    def __init__(self, pointer, names, fields):
        g = pointer.dereference()
        g.fetch_lazy()
        self.address = int(pointer.cast(uintptr()))
        self.goid = int_of(g["goid"])
        raw = int_of(g["atomicstatus"])
        self.scan = bool(raw & GSCAN)
        self.code = raw & ~GSCAN
        statuses = names.status_names
        self.status = statuses[self.code] if self.code < len(statuses) else "status %d" % self.code
        self.wait_reason = ""
        if self.code == GWAITING and fields.has("runtime.g", "waitreason"):
            reason = int_of(g["waitreason"])
            if 0 < reason < len(names.wait_reasons):
                self.wait_reason = names.wait_reasons[reason]
        sched = g["sched"]
        # pc, sp, frame pointer, link register: what the runtime saved when the goroutine
        # stopped running (bp and lr only on architectures that have them).
        self.sched = tuple(int_of(sched[f]) if field(sched, f) is not None else None for f in ("pc", "sp", "bp", "lr"))
        self.stack = (int_of(g["stack"]["lo"]), int_of(g["stack"]["hi"]))
        self.startpc = int_of(g["startpc"]) if fields.has("runtime.g", "startpc") else 0
        self.gopc = int_of(g["gopc"]) if fields.has("runtime.g", "gopc") else 0
        parent = field(g, "parentGoid")
        self.parent = int_of(parent) if parent is not None else None
        # A running goroutine, or one in a system call, is on the OS thread m.procid.
        self.lwp = None
        if fields.has("runtime.g", "m") and fields.has("runtime.m", "procid"):
            m = g["m"]
            if int(m.cast(uintptr())) != 0 and self.code in (GRUNNING, GSYSCALL):
                self.lwp = int_of(m.dereference()["procid"])

    @property
    def dead(self):
        return self.code in (GDEAD, GIDLE)


def all_gs(names, fields=None):
    fields = fields or RuntimeFields()
    fields.check()
    try:
        allgs = gdb.parse_and_eval("'runtime.allgs'")
    except gdb.error as e:
        raise gdb.GdbError("cannot find the runtime's goroutines (runtime.allgs): %s" % e)
    n = min(int(allgs["len"]), MAX_GOROUTINES)
    array = allgs["array"]
    out = []
    for i in range(n):
        try:
            out.append(G(array[i], names, fields))
        except (gdb.error, gdb.MemoryError):
            continue  # a g being set up, or memory a core did not keep
    return out


def find_g(goid, names):
    for g in all_gs(names):
        if g.goid == goid and not g.dead:
            return g
    raise gdb.GdbError("no goroutine %d (it does not exist, or it has exited)" % goid)
