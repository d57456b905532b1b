"""The sandbox's seccomp filter: a classic BPF program, built here, handed to ``bwrap --seccomp``.

Written out rather than compiled with libseccomp: the program is a few dozen instructions, the
Python bindings of libseccomp are tied to the system interpreter, and every instruction below
can be read. The filter runs on every system call of the sandboxed program:

1. a call made under another architecture's calling convention (``int 0x80`` on x86-64 reaches
   the i386 table, where the numbers differ) kills the process; so does the x32 ABI;
2. the calls that reach kernel surfaces a program under test never needs fail with ``EPERM``:
   namespaces (``unshare``, ``setns``), mounts old and new, ``ptrace`` and cross-process memory
   access, the kernel keyring, ``bpf``, ``perf_event_open``, ``userfaultfd``, modules, kexec,
   ``reboot``, swap, file handles (``open_by_handle_at`` escapes a bind mount), ``chroot``,
   ``acct``;
3. ``clone`` with any namespace flag fails with ``EPERM`` (threads and ``fork`` go on);
   ``clone3`` passes its flags in memory a filter cannot read, so it fails with ``ENOSYS`` and
   the C library falls back to ``clone``, which is checked;
4. everything else is allowed.

Nested user namespaces are also switched off by ``bwrap --disable-userns`` (bubblewrap 0.8);
the filter holds on its own where bubblewrap is older.
"""

from __future__ import annotations

import errno
import platform
import struct

# struct sock_filter {u16 code; u8 jt; u8 jf; u32 k}
_INSN = struct.Struct("<HBBI")
LD_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS: A <- u32 at offset k of struct seccomp_data
JEQ = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
JGE = 0x35  # BPF_JMP | BPF_JGE | BPF_K
JSET = 0x45  # BPF_JMP | BPF_JSET | BPF_K: jump if A & k
RET = 0x06  # BPF_RET | BPF_K

RET_KILL_PROCESS = 0x80000000
RET_ERRNO = 0x00050000
RET_ALLOW = 0x7FFF0000

# struct seccomp_data {int nr; u32 arch; u64 instruction_pointer; u64 args[6]}
OFF_NR, OFF_ARCH, OFF_ARG0 = 0, 4, 16  # args[0]'s low half (little-endian): clone's flags

# CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWTIME
CLONE_NAMESPACES = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 \
    | 0x20000000 | 0x40000000 | 0x00000080
X32_BIT = 0x40000000

BLOCKED = (
    "unshare", "setns", "mount", "umount2", "pivot_root", "fsopen", "fsconfig", "fsmount",
    "fspick", "move_mount", "open_tree", "mount_setattr", "chroot", "ptrace",
    "process_vm_readv", "process_vm_writev", "keyctl", "add_key", "request_key", "bpf",
    "perf_event_open", "userfaultfd", "kexec_load", "kexec_file_load", "init_module",
    "finit_module", "delete_module", "reboot", "swapon", "swapoff", "open_by_handle_at",
    "name_to_handle_at", "acct",
)

# System call numbers (asm/unistd_64.h; asm-generic/unistd.h for arm64).
_X86_64 = {
    "unshare": 272, "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155,
    "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "keyctl": 250,
    "add_key": 248, "request_key": 249, "bpf": 321, "perf_event_open": 298, "userfaultfd": 323,
    "kexec_load": 246, "kexec_file_load": 320, "init_module": 175, "finit_module": 313,
    "delete_module": 176, "reboot": 169, "swapon": 167, "swapoff": 168,
    "open_by_handle_at": 304, "name_to_handle_at": 303, "clone": 56, "clone3": 435,
    "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "move_mount": 429,
    "open_tree": 428, "mount_setattr": 442, "chroot": 161, "acct": 163,
}
_AARCH64 = {
    "unshare": 97, "setns": 268, "mount": 40, "umount2": 39, "pivot_root": 41, "ptrace": 117,
    "process_vm_readv": 270, "process_vm_writev": 271, "keyctl": 219, "add_key": 217,
    "request_key": 218, "bpf": 280, "perf_event_open": 241, "userfaultfd": 282,
    "kexec_load": 104, "kexec_file_load": 294, "init_module": 105, "finit_module": 273,
    "delete_module": 106, "reboot": 142, "swapon": 224, "swapoff": 225,
    "open_by_handle_at": 265, "name_to_handle_at": 264, "clone": 220, "clone3": 435,
    "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "move_mount": 429,
    "open_tree": 428, "mount_setattr": 442, "chroot": 51, "acct": 89,
}
# machine -> (AUDIT_ARCH_*, numbers, whether the x32 ABI shares the architecture)
ARCHES = {"x86_64": (0xC000003E, _X86_64, True), "aarch64": (0xC00000B7, _AARCH64, False)}


def _op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return _INSN.pack(code, jt, jf, k)


def program(machine: str | None = None) -> bytes:
    """The filter for ``machine`` (default: this one) as ``struct sock_filter[]`` bytes.
    Raises ``KeyError`` on an architecture it has no numbers for."""
    arch, nr, x32 = ARCHES[machine or platform.machine()]
    eperm = RET_ERRNO | errno.EPERM
    out = [
        _op(LD_ABS, OFF_ARCH),
        _op(JEQ, arch, 1, 0),  # our architecture: skip the kill
        _op(RET, RET_KILL_PROCESS),
        _op(LD_ABS, OFF_NR),
    ]
    if x32:
        out += [_op(JGE, X32_BIT, 0, 1), _op(RET, RET_KILL_PROCESS)]
    for name in BLOCKED:  # each: not this call -> skip the return
        out += [_op(JEQ, nr[name], 0, 1), _op(RET, eperm)]
    out += [_op(JEQ, nr["clone3"], 0, 1), _op(RET, RET_ERRNO | errno.ENOSYS)]
    out += [
        _op(JEQ, nr["clone"], 0, 4),  # not clone: on to allow
        _op(LD_ABS, OFF_ARG0),
        _op(JSET, CLONE_NAMESPACES, 0, 1),
        _op(RET, eperm),
        _op(RET, RET_ALLOW),
        _op(RET, RET_ALLOW),
    ]
    return b"".join(out)


def available() -> bool:
    return platform.machine() in ARCHES
