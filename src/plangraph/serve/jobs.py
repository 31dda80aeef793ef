"""What crosses the process boundary: a :class:`Job` for a worker and the :class:`Reply` it
sends back, as length-prefixed pickles on a socket (:func:`frame`, :func:`read_frame`). Both
sides are this program: nothing a client sends is ever unpickled."""

from __future__ import annotations

import asyncio
import pickle
import socket
import struct
from dataclasses import dataclass
from typing import Any

from plangraph.analysis.catalogue import NamedQuery


@dataclass(frozen=True)
class Job:
    """A unit of work for a worker process."""

    kind: str
    """"sparql" (a protocol request), "named" (a query of the library) or "graphs"."""
    query: str = ""
    """The text to evaluate (:attr:`plangraph.rdf.sparql.QueryInfo.text`)."""
    source: str = ""
    """The query as the client wrote it (syntax errors are placed in it)."""
    fmt: str = "json"
    result_kind: str = "results"
    union: bool = True
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    named: NamedQuery | None = None
    base: str | None = None
    """The base IRI of relative IRIs in the query: the endpoint's URL."""
    bindings: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Reply:
    """A worker's answer: an HTTP status, a Content-Type and the body."""

    status: int
    media_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


# --- frames on the worker sockets: an 8-byte length, then a pickle ---------------------------

_HEADER = struct.Struct("!Q")


def frame(obj: Any) -> bytes:
    """``obj`` pickled, behind its length."""
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(payload)) + payload


def read_frame(sock: socket.socket) -> Any:
    """The next object on a blocking socket; EOFError when the other side has closed."""
    (size,) = _HEADER.unpack(_read_exactly(sock, _HEADER.size))
    return pickle.loads(_read_exactly(sock, size))


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise EOFError("the other side closed the connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


async def read_frame_async(reader: asyncio.StreamReader) -> Any:
    """The next object on an asyncio stream (asyncio.IncompleteReadError at EOF)."""
    (size,) = _HEADER.unpack(await reader.readexactly(_HEADER.size))
    return pickle.loads(await reader.readexactly(size))
