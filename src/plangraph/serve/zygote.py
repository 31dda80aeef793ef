"""The zygote: one process that loads the dataset once and forks a worker whenever the pool
asks for one. Each worker starts with the loaded store (shared copy-on-write with the zygote
and its siblings, never written: queries only read), so a worker costs a fork, not a reload,
and killing one that overran its deadline costs nothing to replace.

The server process cannot fork itself safely (it runs threads and an event loop); the zygote
is single-threaded and does nothing but load and fork. The pool hands it one end of a fresh
socket pair over the control connection (``SCM_RIGHTS``); the zygote forks, the child serves
jobs on that socket (:func:`plangraph.serve.worker.serve_jobs`), and the zygote answers with
the child's pid.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle
from pathlib import Path

from plangraph.serve.sandbox import forbid_sockets
from plangraph.serve.worker import serve_jobs

log = logging.getLogger("plangraph.serve.zygote")

WORKER_NICENESS = 10
"""Workers run at a lower priority than the server and the zygote, so that answering HTTP
and forking stay prompt while queries keep the CPUs busy."""


def zygote_main(control: Connection, data_file: str, max_results: int) -> None:
    """Load the store, say so, then fork one worker per request until the control connection
    closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its processes itself
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(process)d %(message)s")
    from plangraph.rdf.store import load_store

    try:
        store = load_store(Path(data_file))
    except Exception as exc:
        log.exception("could not load %s", data_file)
        control.send(("failed", str(exc)))
        return
    control.send(("ready", len(store)))
    while True:
        try:
            control.recv()  # "fork"
            fd = recv_handle(control)
        except (EOFError, OSError):
            return
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                control.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                os.nice(WORKER_NICENESS)
                forbid_sockets()  # a second wall behind the SERVICE check
                serve_jobs(socket.socket(fileno=fd), store, max_results)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(fd)
        control.send(pid)
