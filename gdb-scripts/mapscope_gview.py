# The frames of one goroutine, found without touching the target.
#
# gdb only unwinds from a thread's registers, and a parked goroutine has no thread: the runtime
# saved its pc, sp and frame pointer in g.sched when it parked. mapscope may not write registers
# (may-write-registers is off), and `frame view SP PC` keeps the thread's real sp, so the DWARF
# CFA of the viewed frame would be wrong. Instead a Python unwinder claims the innermost frame of
# the selected thread and tells gdb that its caller's pc, sp and frame pointer are the
# goroutine's saved ones. gdb's frame 1 is then the goroutine's innermost frame, and from there
# gdb unwinds with the binary's DWARF CFI and reads locals at the right CFA, as for any frame.
# The view lives only in gdb's frame cache, only while one MI command runs.
#
# A goroutine that is running (or in a system call) is on an OS thread: its frames are that
# thread's, from the real registers, keeping only those on the goroutine's own stack. The thread
# of a goroutine that crashed is deep in the signal handler, on the signal stack; where gdb does
# not unwind from there back into the goroutine (Go 1.19 on amd64, every Go on arm64), the view
# hands gdb the registers the signal interrupted instead (mapscope_gsignal.py).

import gdb
import gdb.unwinder

from mapscope_allgs import uintptr
from mapscope_gsignal import interrupted_registers

# Frames unwound per goroutine at most, thread frames below the goroutine's stack included.
MAX_UNWIND = 512

# The registers a gobuf saves, by gdb architecture: pc, sp, frame pointer, link register.
_REGISTERS = {
    "i386:x86-64": ("rip", "rsp", "rbp", None),
    "aarch64": ("pc", "sp", "x29", "x30"),
    "i386": ("eip", "esp", "ebp", None),
    "riscv:rv64": ("pc", "sp", "s0", "ra"),
    "powerpc:common64": ("pc", "r1", None, "lr"),
    "s390:64-bit": ("pswa", "r15", None, "r14"),
}


def _registers():
    arch = gdb.selected_inferior().architecture().name()
    return _REGISTERS.get(arch, ("pc", "sp", None, None))


class _View:
    """The registers of the goroutine being looked at, by gdb name, for one thread (None: no
    view); sp names the stack pointer among them."""

    regs = None
    sp = None
    ptid = None
    # The level of the thread's innermost real frame: inline frames at its pc come first, and
    # gdb never asks an unwinder about those.
    level = 0


class _FrameId:
    def __init__(self, sp, pc):
        self.sp = sp
        self.pc = pc


class _GoroutineUnwinder(gdb.unwinder.Unwinder):
    """While a view is set: the selected thread's innermost frame returns into the goroutine."""

    def __init__(self):
        super().__init__("mapscope-goroutine-view")

    def __call__(self, pending_frame):
        regs = _View.regs
        if regs is None or pending_frame.level() != _View.level or gdb.selected_thread().ptid != _View.ptid:
            return None
        # The fake frame's id lies just below the goroutine's sp, so gdb's check that callers are
        # outer (higher on a downward stack) holds whichever stack the thread happens to be on.
        frame_id = _FrameId(gdb.Value(regs[_View.sp] - 1).cast(uintptr()), pending_frame.read_register(_registers()[0]))
        info = pending_frame.create_unwind_info(frame_id)
        for name, value in regs.items():
            info.add_saved_register(name, gdb.Value(value).cast(uintptr()))
        return info


gdb.unwinder.register_unwinder(None, _GoroutineUnwinder(), replace=True)


def _thread(lwp):
    for t in gdb.selected_inferior().threads():
        if t.ptid[1] == lwp:
            return t
    return None


def _inline_depth(frame):
    """How many inline frames come before the first real one, from `frame` out."""
    depth = 0
    while frame is not None and frame.type() == gdb.INLINE_FRAME and depth < MAX_UNWIND:
        frame = frame.older()
        depth += 1
    return depth


def frame_sp(frame):
    try:
        return int(frame.read_register("sp"))
    except (gdb.error, ValueError):
        return None


def _unwind(first, keep, limit):
    """Frames from `first` outwards that `keep` accepts, at most `limit`; stops where gdb does."""
    out = []
    frame = first
    steps = 0
    while frame is not None and len(out) < limit and steps < MAX_UNWIND:
        # Past runtime.goexit (or mstart) gdb shows one frame at pc 0: the end of the stack.
        if frame.pc() == 0:
            break
        if keep(frame):
            out.append(frame)
        try:
            frame = frame.older()
        except gdb.error:
            break
        steps += 1
    return out


def _is_entry(pc):
    """Whether pc is the first instruction of a function: a goroutine that has not run yet."""
    try:
        block = gdb.block_for_pc(pc)
    except RuntimeError:
        return False
    while block is not None and block.function is None:
        block = block.superblock
    return block is not None and block.start == pc


class PreservedSelection:
    """`with PreservedSelection():` around an MI command that looks at goroutines: the thread and
    frame selected before (by the user, or the debug adapter) are selected again after. Frames
    are re-made by then, so the frame is found again by its level."""

    def __enter__(self):
        self.thread = gdb.selected_thread()
        try:
            self.level = gdb.selected_frame().level()
        except gdb.error:
            self.level = None
        return self

    def __exit__(self, *exc):
        if self.thread is None or not self.thread.is_valid():
            return False
        self.thread.switch()
        if self.level is None:
            return False
        try:
            frame = gdb.newest_frame()
            for _ in range(self.level):
                older = frame.older()
                if older is None:
                    break
                frame = older
            frame.select()
        except gdb.error:
            pass
        return False


class GoroutineFrames:
    """`with GoroutineFrames(g, limit) as frames:` frames.frames are g's innermost frames (gdb
    Frames, valid inside the block only); the selected thread is restored after, the selected
    frame is not (PreservedSelection, once per command, does that)."""

    def __init__(self, g, limit):
        self.g = g
        self.limit = limit
        self.frames = []
        self.origin = "none"
        self.first_pc = None
        self.saved_thread = None

    def __enter__(self):
        self.saved_thread = gdb.selected_thread()
        try:
            self._find()
        except BaseException:
            # Never leave a view behind: every later unwind of this thread would go astray.
            self.__exit__()
            raise
        return self

    def _find(self):
        g = self.g
        thread = _thread(g.lwp) if g.lwp is not None else None
        if thread is not None and (self._from_thread(thread) or self._from_signal(thread)):
            return
        pc, sp, bp, lr = g.sched
        if not pc or not sp:
            return
        names = _registers()
        regs = {name: value for name, value in zip(names, (pc, sp, bp, lr)) if name is not None and value}
        # gdb looks up a caller's pc as a return address (pc - 1); a goroutine that has not run
        # yet is at its function's first instruction, which pc - 1 would miss.
        self._view(regs, pc, _is_entry(pc), lambda f: True)
        self.origin = "sched"

    def _on_stack(self, frame):
        lo, hi = self.g.stack
        sp = frame_sp(frame)
        return sp is not None and lo <= sp < hi

    def _view(self, regs, pc, nudge, keep):
        """Shows gdb regs as the caller of the selected thread's innermost frame and keeps the
        frames from there out that `keep` accepts. pc is the goroutine's; with nudge, gdb is given
        pc + 1, so that its pc - 1 lookups land on the instruction at pc."""
        names = _registers()
        self.first_pc = pc
        # Where the thread stands in code gdb shows inlined (a spinning goroutine's loop), its
        # innermost frames are inline ones: the view replaces the caller of the real frame.
        level = _inline_depth(gdb.newest_frame())
        _View.regs = dict(regs)
        _View.regs[names[0]] = pc + 1 if nudge else pc
        _View.sp = names[1]
        _View.ptid = gdb.selected_thread().ptid
        _View.level = level
        gdb.invalidate_cached_frames()
        real = gdb.newest_frame()
        for _ in range(level):
            real = real.older() if real is not None else None
        older = real.older() if real is not None else None
        self.frames = _unwind(older, keep, self.limit) if older is not None else []

    def _from_thread(self, thread):
        thread.switch()
        self.frames = _unwind(gdb.newest_frame(), self._on_stack, self.limit)
        if self.frames:
            self.origin = "thread"
            return True
        # The thread is elsewhere (on the scheduler's stack): the saved registers tell more.
        self.saved_thread.switch()
        return False

    def _from_signal(self, thread):
        """The goroutine's frames from the registers a signal interrupted, when gdb stopped in
        the handler: the goroutine that crashed. The interrupted pc is where the goroutine was,
        not a return address, hence the nudge."""
        thread.switch()
        found = interrupted_registers(gdb.newest_frame())
        lo, hi = self.g.stack
        if found is not None and lo <= found[2] < hi:
            regs, pc, _ = found
            self._view(regs, pc, True, self._on_stack)
            if self.frames:
                self.origin = "signal"
                return True
            self._clear_view()
        self.first_pc = None
        self.saved_thread.switch()
        return False

    @staticmethod
    def _clear_view():
        if _View.regs is not None:
            _View.regs = None
            _View.sp = None
            _View.ptid = None
            _View.level = 0
            gdb.invalidate_cached_frames()

    def __exit__(self, *exc):
        self._clear_view()
        if self.saved_thread is not None and self.saved_thread.is_valid():
            self.saved_thread.switch()
        return False

    def pc(self, index):
        """A frame's pc as the goroutine has it (the view may have nudged the innermost one)."""
        if index == 0 and self.first_pc is not None:
            return self.first_pc
        return self.frames[index].pc()
