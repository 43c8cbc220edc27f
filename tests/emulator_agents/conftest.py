"""Fixtures: the real frameworks' classes wired to an in-process emulator (no scripting)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from workersai.emulator import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_TOKEN,
    Emulator,
    emulator_async_http_client,
    emulator_http_client,
)

LLAMA = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
QWEN3 = "@cf/qwen/qwen3-30b-a3b-fp8"
GPT_OSS = "@cf/openai/gpt-oss-120b"
R1 = "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b"


def weather(city: str) -> str:
    """Get the current weather for a city."""
    return f"Sunny, 21C in {city}"


def flights(destination: str) -> str:
    """Search flights to a destination."""
    return f"Flight TP123 to {destination}"


@pytest.fixture
def emu() -> Emulator:
    return Emulator()


@pytest.fixture
def emu_kwargs(emu: Emulator) -> Iterator[dict[str, Any]]:
    """Constructor arguments pointing either front end at ``emu``."""
    client = emulator_http_client(emu)
    aclient = emulator_async_http_client(emu)
    yield {"account_id": DEFAULT_ACCOUNT_ID, "api_token": DEFAULT_TOKEN,
           "http_client": client, "http_async_client": aclient, "max_retries": 0}
    client.close()


def unscripted(emu: Emulator) -> None:
    """Nothing was scripted: every reply came from the answering rules."""
    assert len(emu.script) == 0
