"""Every bad value fails with the package's errors, before anything is sent.

A malformed ``base_url`` (``httpx.InvalidURL`` before), ``timeout=inf`` (an OverflowError
after sending) or ``nan``, ``temperature=nan`` (sent as ``null``), and ``run()`` inputs JSON
cannot carry (a set, bytes, a circular dict, a lone surrogate): each raises a
``ConfigurationError`` or ``InvalidInputError`` and the recording server sees nothing.
"""

from __future__ import annotations

import math
from typing import Any

import pydantic
import pytest

from langchain_workersai import ChatWorkersAI
from llamaindex_workersai import WorkersAI
from tests.reliability._surfaces import SURFACES, Surface, invoke
from tests.reliability.test_secrets import DRIVERS, Driver
from workersai import AsyncClient, Client, RequestOptions
from workersai import errors as wa
from workersai.types import ChatParams, Message

from .recorder import recorder
from .replies import ok

CFG: dict[str, Any] = {"account_id": "a" * 32, "api_token": "t" * 40, "max_retries": 0}
CHAT = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
BAD_URLS = ["http://exa mple.com", "htp://example.com", "http://[::1", "example.com/v4",
            "http://host:99999", "http:///nohost", "https://h/x?q=1"]


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("driver", DRIVERS, ids=lambda d: d.name)
def test_a_malformed_base_url_is_a_configuration_error(driver: Driver, url: str) -> None:
    with pytest.raises(wa.ConfigurationError, match="base_url"):
        driver.make(**CFG, base_url=url)


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, 0, -1, 1e12])
def test_core_refuses_a_bad_timeout_at_construction(value: float) -> None:
    for kind in (Client, AsyncClient):
        with pytest.raises(wa.InvalidInputError, match="timeout"):
            kind(**CFG, timeout=value)


@pytest.mark.parametrize("value", [math.inf, math.nan])
@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
async def test_front_ends_refuse_a_bad_timeout_before_sending(
    surface: Surface, value: float
) -> None:
    """Refused where it is set: at construction (a ValidationError naming the field)."""
    with recorder(ok) as server:
        with pytest.raises(ValueError, match="timeout"):
            obj = surface.build(**CFG, base_url=server.url, timeout=value)
            await invoke(surface, obj)
    assert server.requests == []


def test_a_bad_per_call_timeout_is_refused_before_sending() -> None:
    with recorder(ok) as server, Client(**CFG, base_url=server.url) as client:
        with pytest.raises(wa.InvalidInputError, match="timeout"):
            client.chat(CHAT, [Message("user", "hi")],
                        options=RequestOptions(timeout=math.inf))
    assert server.requests == []


@pytest.mark.parametrize("make", [ChatWorkersAI, WorkersAI], ids=["lc", "li"])
@pytest.mark.parametrize("stream", [False, True])
async def test_front_ends_refuse_nan_sampling_values(make: Any, stream: bool) -> None:
    """Refused at construction (a ValidationError naming the field) or before sending."""
    with recorder(ok) as server:
        try:
            llm = make(**CFG, base_url=server.url, model=CHAT, temperature=math.nan)
        except pydantic.ValidationError as err:
            assert "temperature" in str(err)
            return
        with pytest.raises(wa.InvalidInputError, match="temperature"):
            if isinstance(llm, ChatWorkersAI):
                _ = list(llm.stream("hi")) if stream else llm.invoke("hi")
            else:
                _ = list(llm.stream_complete("hi")) if stream else llm.complete("hi")
    assert server.requests == []


@pytest.mark.parametrize("is_async", [False, True])
async def test_core_refuses_nan_params(is_async: bool) -> None:
    with recorder(ok) as server:
        client = (AsyncClient if is_async else Client)(**CFG, base_url=server.url)
        with pytest.raises(wa.InvalidInputError, match="temperature"):
            out = client.chat(CHAT, [Message("user", "hi")], ChatParams(temperature=math.inf))
            if is_async:
                await out
    assert server.requests == []


def _circular() -> dict[str, Any]:
    d: dict[str, Any] = {"prompt": "x"}
    d["self"] = d
    return d


BAD_INPUTS = {
    "set": {"prompt": "x", "tags": {1, 2}},
    "bytes": {"prompt": b"x"},
    "circular": _circular(),
    "surrogate": {"prompt": "a \ud800 b"},
    "nan": {"prompt": "x", "temperature": math.nan},
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
@pytest.mark.parametrize("is_async", [False, True])
async def test_run_refuses_inputs_json_cannot_carry(name: str, is_async: bool) -> None:
    with recorder(ok) as server:
        client = (AsyncClient if is_async else Client)(**CFG, base_url=server.url)
        with pytest.raises(wa.InvalidInputError):
            out = client.run(CHAT, BAD_INPUTS[name])
            if is_async:
                await out
    assert server.requests == []
