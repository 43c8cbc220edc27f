"""Fixtures: an emulator that checks a distinctive token, served on loopback (real sockets)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from workersai.emulator import DEFAULT_ACCOUNT_ID, Emulator, EmulatorServer

from ._surfaces import TOKEN


@pytest.fixture
def emulator() -> Emulator:
    """Overrides the plugin's fixture: this emulator only accepts :data:`TOKEN`."""
    return Emulator(token=TOKEN, seed=3)


@pytest.fixture
def connect(emulator_server: EmulatorServer) -> Callable[..., dict[str, Any]]:
    """Constructor keyword arguments pointing any class at the loopback server."""

    def kwargs(**overrides: Any) -> dict[str, Any]:
        base: dict[str, Any] = {
            "account_id": DEFAULT_ACCOUNT_ID,
            "api_token": TOKEN,
            "base_url": emulator_server.base_url,
            "timeout": 10.0,
            "max_retries": 2,
        }
        return {**base, **overrides}

    return kwargs


@pytest.fixture(autouse=True)
def _no_gateway_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """A gateway id in the developer's environment would reroute every request."""
    from workersai.config import GATEWAY_ENV

    monkeypatch.delenv(GATEWAY_ENV, raising=False)
