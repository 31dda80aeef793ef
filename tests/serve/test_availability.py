"""Availability under hostile load (issue 15, items 2 and 3): slow and idle connections, and
queries queueing for a worker, against a real ``plangraph serve``."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from urllib.parse import urlparse

import httpx
import pytest

from tests.helpers import running_server, seeds_dataset

TIMEOUT = 2.0


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server(seeds_dataset(), "--timeout", str(TIMEOUT), "--workers", "2") as base:
        yield base


def test_slowloris_partial_headers_do_not_block_other_clients(server: str) -> None:
    """Issue 15 item 2: 63 connections that send part of a request header and go quiet made
    every other client get 503. Now other clients are served while they hang, and the server
    closes them once the header deadline (the request budget) has passed."""
    url = urlparse(server)
    slow = []
    for _ in range(63):
        sock = socket.create_connection((url.hostname, url.port))
        sock.sendall(b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: x\r\nAccept: ")
        slow.append(sock)
    idle = [socket.create_connection((url.hostname, url.port)) for _ in range(16)]
    try:
        with httpx.Client(timeout=30) as client:
            ask = {"query": "ASK {}"}
            answers = [client.get(server + "/sparql", params=ask) for _ in range(30)]
        assert [r.status_code for r in answers] == [200] * 30
        time.sleep(TIMEOUT + 1.5)
        for sock in slow + idle:
            sock.settimeout(5)
            with contextlib.suppress(ConnectionResetError):
                assert sock.recv(1024) == b"", "the server still holds a stalled connection"
    finally:
        for sock in slow + idle:
            sock.close()
