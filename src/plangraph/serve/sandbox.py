"""A second wall behind the query check: worker processes cannot open network sockets.

:func:`plangraph.rdf.sparql.analyse` refuses SERVICE before a query reaches a worker; this
makes the kernel refuse it too, should a query ever slip through. Each worker, right after
the fork, installs a seccomp filter (Linux, x86-64 and AArch64) under which ``socket()``
fails with EACCES: Oxigraph's HTTP client (SERVICE, LOAD) cannot connect anywhere, nor can
anything look a host name up over the network. The worker needs no new socket: the one it
talks to the server on was made before the fork. Elsewhere (another system or architecture,
or a kernel that refuses filters) the worker runs without it and says so in the log.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import platform
import struct
import sys

log = logging.getLogger("plangraph.serve.sandbox")

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_ARCHES = {  # machine: (AUDIT_ARCH_*, __NR_socket)
    "x86_64": (0xC000003E, 41),
    "aarch64": (0xC00000B7, 198),
}
_X32_SYSCALL_BIT = 0x40000000


def _program(arch: int, nr_socket: int) -> bytes:
    """The BPF program: deny socket() (and any x32 system call) with EACCES, allow the rest;
    on another architecture than ``arch``, allow everything."""

    def op(code: int, jt: int, jf: int, k: int) -> bytes:
        return struct.pack("=HBBI", code, jt, jf, k)

    deny = _RET_ERRNO | errno.EACCES
    return b"".join(
        [
            op(_LD_W_ABS, 0, 0, 4),  # 0: the architecture
            op(_JEQ_K, 0, 4, arch),  # 1: another one → 6 (allow)
            op(_LD_W_ABS, 0, 0, 0),  # 2: the system call number
            op(_JGE_K, 3, 0, _X32_SYSCALL_BIT),  # 3: x32 → 7 (deny)
            op(_JEQ_K, 2, 1, nr_socket),  # 4: socket → 7 (deny), else → 6
            op(_RET_K, 0, 0, _RET_ALLOW),  # 5: (unreached)
            op(_RET_K, 0, 0, _RET_ALLOW),  # 6: allow
            op(_RET_K, 0, 0, deny),  # 7: deny
        ]
    )


def forbid_sockets() -> bool:
    """Install the filter in this process (irreversible); False if it cannot be done here."""
    found = _ARCHES.get(platform.machine())
    if not sys.platform.startswith("linux") or found is None:
        log.warning("no socket sandbox for workers on %s %s", sys.platform, platform.machine())
        return False
    program = _program(*found)

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]

    fprog = SockFprog(len(program) // 8, program)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or (
        libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0
    ):
        log.warning("no socket sandbox for workers: %s", errno.errorcode.get(ctypes.get_errno()))
        return False
    return True
