"""pytest fixtures for testing against the emulator (``pytest_plugins = [...]``).

Enable in a ``conftest.py``::

    pytest_plugins = ["workersai.emulator.plugin"]

Fixtures:

* ``emulator``: a fresh in-process ``Emulator`` (schedule faults on ``emulator.faults``).
* ``emulator_http_client`` / ``emulator_async_http_client``: httpx clients answered by
  that emulator in process (no sockets; any host works, the path routes).
* ``emulator_server``: an :class:`~workersai.emulator.server.EmulatorServer` for that
  emulator on a free loopback port.
* ``emulator_env``: like ``emulator_server``, and points ``CLOUDFLARE_ACCOUNT_ID``,
  ``CLOUDFLARE_API_TOKEN`` and ``WORKERSAI_BASE_URL`` at it (gateway variables unset).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest

from .server import EmulatorServer
from .transport import emulator_async_http_client as _async_client
from .transport import emulator_http_client as _client

if TYPE_CHECKING:
    from ._app import Emulator

__all__ = [
    "emulator",
    "emulator_http_client",
    "emulator_async_http_client",
    "emulator_server",
    "emulator_env",
]

_CLEARED_ENV = ("CF_ACCOUNT_ID", "CF_AI_API_TOKEN", "CLOUDFLARE_AI_GATEWAY_ID")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "emulator: runs against the Workers AI emulator (in-process or loopback)"
    )


@pytest.fixture
def emulator() -> Emulator:
    """A fresh in-process emulator."""
    from ._app import Emulator

    return Emulator()


@pytest.fixture
def emulator_http_client(emulator: Emulator) -> Iterator[httpx.Client]:
    """A sync httpx client answered in process by ``emulator``."""
    with _client(emulator) as client:
        yield client


@pytest.fixture
def emulator_async_http_client(emulator: Emulator) -> httpx.AsyncClient:
    """An async httpx client answered in process by ``emulator`` (holds no resources)."""
    return _async_client(emulator)


@pytest.fixture
def emulator_server(emulator: Emulator) -> Iterator[EmulatorServer]:
    """``emulator`` served on a free loopback port for the test's duration."""
    with EmulatorServer(emulator, host="127.0.0.1", port=0) as server:
        yield server


@pytest.fixture
def emulator_env(emulator_server: EmulatorServer,
                 monkeypatch: pytest.MonkeyPatch) -> EmulatorServer:
    """Environment variables pointing the client at ``emulator_server``."""
    from ._app import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN

    for name in _CLEARED_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", DEFAULT_ACCOUNT_ID)
    token = getattr(emulator_server.handler, "token", None) or DEFAULT_TOKEN
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", token)
    monkeypatch.setenv("WORKERSAI_BASE_URL", emulator_server.base_url)
    return emulator_server
