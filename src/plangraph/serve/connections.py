"""Connections are cheap, requests are not: every connection must send its request headers
within a deadline, and open connections do not count against the number of queries evaluated
at once (that limit lives in the pool).

uvicorn closes idle keep-alive connections (``timeout_keep_alive``) but waits forever for the
rest of a request whose first bytes arrived, and its ``limit_concurrency`` counts open
connections: 63 connections sending half a header made every other client get 503 (issue 15,
item 2). :func:`protocol_class` wraps uvicorn's HTTP protocol with a header deadline and a cap
on open connections, and the server runs without ``limit_concurrency``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger("plangraph.serve.connections")

MAX_CONNECTIONS = 1024
"""Open connections beyond this are closed at once (each costs a file descriptor)."""


def _base_protocol() -> type[Any]:
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # httptools not installed: uvicorn's pure-Python h11 protocol
        from uvicorn.protocols.http.h11_impl import H11Protocol

        return H11Protocol
    return HttpToolsProtocol


def protocol_class(header_timeout: float, max_connections: int = MAX_CONNECTIONS) -> type[Any]:
    """uvicorn's HTTP protocol (httptools if installed, else h11), closing a connection that
    has not sent complete request headers within ``header_timeout`` seconds of opening or of
    its previous response, and any connection over ``max_connections``."""
    base = _base_protocol()

    class HeaderDeadline(base):  # type: ignore[valid-type,misc]
        _deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            if len(self.connections) > max_connections:
                log.warning("over %d open connections: closing a new one", max_connections)
                transport.close()
                return
            self._arm()

        def _arm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            self._deadline = self.loop.call_later(header_timeout, self._expire)

        def _expire(self) -> None:
            self._deadline = None
            idle = self.cycle is None or self.cycle.response_complete
            if idle and not self.transport.is_closing():
                log.info("no complete request within %g s: closing a connection", header_timeout)
                self.transport.close()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None
            super().connection_lost(exc)

    return HeaderDeadline
