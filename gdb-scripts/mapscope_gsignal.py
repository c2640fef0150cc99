# The registers a signal interrupted, read from the signal frame the kernel built, for the
# goroutine that crashed: its thread is deep in Go's signal handler, on the signal stack.
#
# gdb continues from a signal handler into the code it interrupted only where it recognises the
# handler's return trampoline. On amd64 it does so by name (amd64_linux_sigtramp_p in gdb's
# amd64-linux-tdep.c takes `__restore_rt` or a name containing "sigaction"): Go 1.19's restorer is
# `runtime.sigreturn`, which gdb passes over; Go 1.21 and later call it `runtime.sigreturn__sigaction`
# for gdb's sake. On arm64 gdb never gets there: Go's `runtime.sigtramp` is a TOPFRAME, whose CFI
# leaves the return address undefined, so the unwind ends in it, in every Go version (golang/go#58998).
#
# The interrupted registers are in the ucontext the kernel handed the handler. Its address is
# runtime.sigtrampgo's third argument, `ctx`; the compiler keeps ctx in the argument's spill slot
# for after its first call (its location list says DW_OP_fbreg 16 on amd64, 24 on arm64), and
# gdb, looking up a caller's location at pc - 1, reads the stale register instead. So the slot is
# read here: Go's ABI puts the spill area of register arguments, in argument order, at the
# caller's stack pointer plus the architecture's fixed frame size, that is at the callee's CFA
# plus that size. Delve reads the same `ctx` (pkg/proc/stack_sigtramp.go).

import gdb

from mapscope_allgs import uintptr

# Go's MinFrameSize (cmd/internal/sys/arch.go): the caller's word for its callee's return
# address on link-register architectures. Arguments and spill slots lie past it.
MIN_FRAME_SIZE = {"i386:x86-64": 0, "i386": 0, "aarch64": 8, "riscv:rv64": 8, "s390:64-bit": 8, "powerpc:common64": 32}

# Where the kernel puts the general registers inside a ucontext (uc_mcontext), and their order:
# struct sigcontext of arch/x86/include/uapi/asm/sigcontext.h (after uc_flags, uc_link and the
# 24-byte uc_stack) and of arch/arm64/include/uapi/asm/sigcontext.h (after uc_sigmask and its
# 1024-bit padding, 16-byte aligned; the first word is fault_address).
_AMD64_GREGS = ("r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rdi", "rsi", "rbp", "rbx", "rdx", "rax", "rcx", "rsp", "rip")
_MCONTEXT = {
    "i386:x86-64": (40, [(name, 8 * i) for i, name in enumerate(_AMD64_GREGS)], "rip", "rsp"),
    "aarch64": (176, [("x%d" % i, 8 + 8 * i) for i in range(31)] + [("sp", 256), ("pc", 264)], "pc", "sp"),
}

# Frames searched for the signal handler, innermost first.
_MAX_HANDLER_DEPTH = 32


def _word(address):
    return int(gdb.Value(address).cast(uintptr().pointer()).dereference())


def caller_sp(frame):
    """The stack pointer of frame's caller as gdb unwinds it, which is frame's CFA; None when
    gdb cannot unwind past frame."""
    try:
        older = frame.older()
        return int(older.read_register("sp")) if older is not None else None
    except (gdb.error, ValueError):
        return None


def _ucontext(frame, arch):
    cfa = caller_sp(frame)
    if cfa is None:
        return None
    ps = uintptr().sizeof
    # sigtrampgo(sig uint32, info *siginfo, ctx unsafe.Pointer): ctx is the third spill slot.
    return _word(cfa + MIN_FRAME_SIZE[arch] + 2 * ps)


def interrupted_registers(thread_frame):
    """The registers the innermost signal handler on this thread's stack interrupted, from
    thread_frame outwards: (registers by gdb name, pc, sp), or None when there is no Go signal
    handler in reach or no known layout for this architecture."""
    arch = gdb.selected_inferior().architecture().name()
    layout = _MCONTEXT.get(arch)
    if layout is None:
        return None
    offset, registers, pc_name, sp_name = layout
    frame = thread_frame
    for _ in range(_MAX_HANDLER_DEPTH):
        if frame is None:
            return None
        if frame.name() == "runtime.sigtrampgo":
            break
        try:
            frame = frame.older()
        except gdb.error:
            return None
    else:
        return None
    try:
        context = _ucontext(frame, arch)
        if not context:
            return None
        regs = {name: _word(context + offset + at) for name, at in registers}
    except (gdb.error, gdb.MemoryError):
        return None
    if not regs[pc_name] or not regs[sp_name]:
        return None
    return regs, regs[pc_name], regs[sp_name]
