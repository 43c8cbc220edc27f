"""Where the examples send their requests: Cloudflare when credentials are set, otherwise
the embedded emulator, started in-process (no sockets, no network).

With credentials set, the first reply decides the banner: an emulator marks every reply
with ``x-workersai-emulator: 1`` (a loopback one reached through ``WORKERSAI_BASE_URL``
included), so the run says EMULATOR whenever it talks to one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import httpx

__all__ = ["Connection", "connect", "estimated_cost_usd"]

USD_PER_NEURON = 0.011 / 1000


@dataclass
class Connection:
    """How to build every class: pass ``**conn.kwargs`` to each constructor."""

    live: bool
    banner: str
    kwargs: dict[str, Any] = field(default_factory=dict)


def connect() -> Connection:
    """Live with ``CLOUDFLARE_ACCOUNT_ID`` and ``CLOUDFLARE_API_TOKEN``, else the emulator."""
    if os.environ.get("CLOUDFLARE_ACCOUNT_ID") and os.environ.get("CLOUDFLARE_API_TOKEN"):
        return _from_environment()
    from workersai.emulator import (
        DEFAULT_ACCOUNT_ID,
        DEFAULT_TOKEN,
        Emulator,
        emulator_async_http_client,
        emulator_http_client,
    )

    emu = Emulator()
    kwargs = {
        "account_id": DEFAULT_ACCOUNT_ID,
        "api_token": DEFAULT_TOKEN,
        "base_url": "http://emulator.invalid/client/v4",
        "http_client": emulator_http_client(emu),
        "http_async_client": emulator_async_http_client(emu),
    }
    return Connection(live=False, kwargs=kwargs, banner=(
        "Mode: EMULATOR - the embedded Workers AI emulator, in-process and offline "
        "(set CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN to run live)"))


def _from_environment() -> Connection:
    """The service the environment points at, named after its first reply."""
    from workersai.config import Config
    from workersai.emulator import EMULATOR_HEADER

    config = Config.resolve()
    account_id, token = config.require_credentials()
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{config.base_url}/accounts/{account_id}/ai/models/search"
    try:
        reply = httpx.get(url, params={"per_page": 1}, headers=headers, timeout=30)
    except httpx.HTTPError as err:
        return Connection(live=True, banner=f"Mode: LIVE? - {config.base_url} did not answer "
                          f"the first request ({type(err).__name__})")
    if reply.headers.get(EMULATOR_HEADER):
        return Connection(live=False, banner=(
            f"Mode: EMULATOR - a Workers AI emulator at {config.base_url} "
            "(its replies say so; unset WORKERSAI_BASE_URL to run live)"))
    return Connection(live=True, banner="Mode: LIVE - Cloudflare Workers AI "
                      f"(account {os.environ['CLOUDFLARE_ACCOUNT_ID'][:6]}...)")


def estimated_cost_usd(neurons: float) -> float:
    """Dollars for ``neurons`` at $0.011 per 1,000 neurons."""
    return neurons * USD_PER_NEURON
