"""The one place where failures become answers: every error of the endpoint is a JSON body
``{"status", "error", "message", …}``, and no stack trace or server detail reaches a client.

Handlers and the request readers raise :class:`HttpError` (or let a
:class:`~plangraph.rdf.sparql.SparqlRequestError`, a
:class:`~plangraph.serve.negotiation.NotAcceptable` or any other exception through);
:func:`reply_for` turns each into its :class:`~plangraph.serve.jobs.Reply`. Workers use
:func:`error_reply` for the errors they find themselves.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException

from plangraph.rdf.sparql import QuerySyntaxError, SparqlRequestError
from plangraph.serve.jobs import Reply
from plangraph.serve.negotiation import NotAcceptable

TITLES = {
    400: "bad request",
    403: "forbidden",
    404: "not found",
    405: "method not allowed",
    406: "not acceptable",
    408: "request timeout",
    413: "too large",
    415: "unsupported media type",
    500: "internal error",
    503: "unavailable",
}
INTERNAL_ERROR = "internal error; the details are in the server log"


class HttpError(Exception):
    """A request answered with an error status before (or instead of) evaluation."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


def error_reply(status: int, message: str, **extra: Any) -> Reply:
    """A JSON error body: ``{"status", "error", "message", …}``.

    >>> error_reply(404, "no such query").body
    b'{"status": 404, "error": "not found", "message": "no such query"}'
    """
    body = {"status": status, "error": TITLES.get(status, "error"), "message": message, **extra}
    return Reply(status, "application/json", json.dumps(body, ensure_ascii=False).encode())


def reply_for(exc: BaseException) -> Reply:
    """The answer to a failure: its own status for the errors a client caused, a generic 500
    (details in the server log, never in the answer) for everything else."""
    if isinstance(exc, HttpError):
        return error_reply(exc.status, exc.message, **exc.extra)
    if isinstance(exc, QuerySyntaxError):
        return error_reply(400, exc.message, line=exc.line, column=exc.column)
    if isinstance(exc, SparqlRequestError):
        return error_reply(exc.status, exc.message)
    if isinstance(exc, NotAcceptable):
        return error_reply(406, str(exc))
    if isinstance(exc, HTTPException):
        return error_reply(exc.status_code, exc.detail or TITLES.get(exc.status_code, "error"))
    return error_reply(500, INTERNAL_ERROR)
