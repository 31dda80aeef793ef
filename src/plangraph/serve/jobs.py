"""What crosses the process boundary: a :class:`Job` for a worker and the :class:`Reply` it
sends back, as length-prefixed pickles on a socket (:func:`frame`, :func:`read_frame`). Both
sides are this program: nothing a client sends is ever unpickled."""

from __future__ import annotations

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
    deterministic: bool = True
    """The same job gives the same answer every time (the dataset does not change while it is
    served): its answer may be remembered and validated (ETag)."""

    def key(self) -> tuple[Any, ...]:
        """What determines the answer, as plain values."""
        named = (self.named.name, self.named.text) if self.named else None
        return (
            self.kind, self.query, self.fmt, self.result_kind, self.union, self.default_graphs,
            self.named_graphs, named, self.bindings, self.base,
        )  # fmt: skip

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


def read_frame(sock: socket.socket, buffer: bytearray) -> Any:
    """The next object on a blocking socket (``buffer`` keeps what arrived beyond it);
    EOFError when the other side has closed."""
    while True:
        obj = take_frame(buffer)
        if obj is not None:
            return obj
        chunk = sock.recv(1 << 16)
        if not chunk:
            raise EOFError("the other side closed the connection")
        buffer += chunk


def take_frame(buffer: bytearray) -> Any | None:
    """The first whole frame of ``buffer``, removed from it, or None if it is not all
    there yet."""
    if len(buffer) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack_from(buffer)
    end = _HEADER.size + size
    if len(buffer) < end:
        return None
    obj = pickle.loads(buffer[_HEADER.size : end])
    del buffer[:end]
    return obj
