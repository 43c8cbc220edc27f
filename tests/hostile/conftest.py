"""Fixtures for the hostile-server tests: a server factory and clients pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from .server import Handler, HostileServer

ACCOUNT = "0123456789abcdef0123456789abcdef"
TOKEN = "hostile-test-token-5eCr3t"
MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"


@pytest.fixture
def hostile() -> Iterator[Callable[[Handler], HostileServer]]:
    """``hostile(handler)`` starts a server; all are stopped at the end of the test."""
    servers: list[HostileServer] = []

    def start(handler: Handler) -> HostileServer:
        server = HostileServer(handler).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)
