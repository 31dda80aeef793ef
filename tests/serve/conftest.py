"""Fixtures of the endpoint tests: a loopback canary that counts who connects to it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest


class Canary:
    """A listening socket on loopback that accepts and at once closes every connection, in a
    thread, counting them: a SERVICE clause that got through fails fast instead of hanging,
    and shows in :meth:`connections`."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port: int = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self._count = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self._lock:
                self._count += 1
            conn.close()

    def connections(self, settle: float = 0.05) -> int:
        """How many connections arrived so far (after letting late ones land)."""
        time.sleep(settle)
        with self._lock:
            return self._count

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def canary() -> Iterator[Canary]:
    c = Canary()
    yield c
    c.close()
