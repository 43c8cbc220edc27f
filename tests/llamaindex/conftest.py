"""Shared fixtures for the LlamaIndex front-end tests."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest


@dataclass
class Target:
    """Where a parity test runs: constructor kwargs, plus the emulator when offline."""

    name: str
    kwargs: dict[str, Any]
    emu: Any = None
    bodies: list[bytes] = field(default_factory=list)
    """Response bodies the emulator sent (emulator only), for checking reported usage."""

    def chat_requests(self) -> list[dict[str, Any]]:
        """JSON bodies of the recorded chat requests (emulator only)."""
        return [json.loads(r.body) for r in self.emu.requests if b"messages" in r.body]


LIVE = bool(os.environ.get("CLOUDFLARE_ACCOUNT_ID") and os.environ.get("CLOUDFLARE_API_TOKEN"))


def _emulator_target() -> Target:
    from workersai.emulator import Emulator, emulator_async_http_client, emulator_http_client
    from workersai.emulator._app import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN

    emu = Emulator()
    target = Target("emulator", {}, emu)

    def keep(response: httpx.Response) -> None:
        target.bodies.append(response.read())

    async def akeep(response: httpx.Response) -> None:
        target.bodies.append(await response.aread())

    target.kwargs = {
        "account_id": DEFAULT_ACCOUNT_ID,
        "api_token": DEFAULT_TOKEN,
        "http_client": emulator_http_client(emu, event_hooks={"response": [keep]}),
        "http_async_client": emulator_async_http_client(emu, event_hooks={"response": [akeep]}),
        "max_retries": 0,
    }
    return target


@pytest.fixture(
    params=[
        pytest.param("emulator", marks=pytest.mark.emulator),
        pytest.param(
            "live",
            marks=[
                pytest.mark.live,
                pytest.mark.enable_socket,
                pytest.mark.skipif(not LIVE, reason="needs CLOUDFLARE_ACCOUNT_ID/_API_TOKEN"),
            ],
        ),
    ]
)
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    """The parity suite's backend: the in-process emulator, or the real API (opt-in)."""
    if request.param == "live":
        yield Target("live", {"max_retries": 2})
        return
    t = _emulator_target()
    yield t
    t.kwargs["http_client"].close()


@pytest.fixture
def emu_target(clean_env: None) -> Iterator[Target]:
    """Emulator-only backend, for tests that read the recorded requests."""
    t = _emulator_target()
    yield t
    t.kwargs["http_client"].close()


@pytest.fixture
def restore_settings() -> Iterator[None]:
    """Put LlamaIndex's global Settings back after a test changes them."""
    from llama_index.core import Settings

    saved = dict(vars(Settings))
    yield
    vars(Settings).update(saved)
