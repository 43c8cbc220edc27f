"""The core client takes the short model ids the front ends take (one resolver: the
catalog's), on every operation and both twins, against the emulator."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from workersai import AsyncClient, Client
from workersai.emulator import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN
from workersai.errors import InvalidInputError
from workersai.integration import DEFAULT_EMBED_MODEL, DEFAULT_RERANK_MODEL
from workersai.types import Message

pytestmark = pytest.mark.emulator

LLAMA = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
HI = [Message("user", "hi")]


def _short(full: str) -> str:
    return full.rsplit("/", 1)[1]


def _twin(kind: str, sync: httpx.Client, aio: httpx.AsyncClient) -> Client | AsyncClient:
    settings: dict[str, Any] = {"account_id": DEFAULT_ACCOUNT_ID, "api_token": DEFAULT_TOKEN}
    if kind == "sync":
        return Client(http_client=sync, **settings)
    return AsyncClient(http_client=aio, **settings)


def _call(client: Client | AsyncClient, method: str, *args: Any, **kw: Any) -> Any:
    if isinstance(client, Client):
        out = getattr(client, method)(*args, **kw)
        return list(out) if method == "stream_chat" else out

    async def main() -> Any:
        if method == "stream_chat":
            return [d async for d in client.stream_chat(*args, **kw)]
        return await getattr(client, method)(*args, **kw)

    return asyncio.run(main())


@pytest.fixture(params=["sync", "async"])
def client(request: pytest.FixtureRequest, emulator_http_client: httpx.Client,
           emulator_async_http_client: httpx.AsyncClient) -> Client | AsyncClient:
    return _twin(request.param, emulator_http_client, emulator_async_http_client)


def test_chat_and_stream_take_a_short_id(client: Client | AsyncClient) -> None:
    reply = _call(client, "chat", _short(LLAMA), HI)
    assert reply.text and reply.model == LLAMA
    deltas = _call(client, "stream_chat", _short(LLAMA), HI)
    assert deltas[-1].final and "".join(d.text or "" for d in deltas)


def test_embed_rerank_and_run_take_a_short_id(client: Client | AsyncClient) -> None:
    assert len(_call(client, "embed", _short(DEFAULT_EMBED_MODEL), ["a", "b"]).vectors) == 2
    ranked = _call(client, "rerank", _short(DEFAULT_RERANK_MODEL), "q", ["x", "y"])
    assert sorted(r.index for r in ranked) == [0, 1]
    assert _call(client, "run", _short(LLAMA), {"prompt": "hi"}).result


@pytest.mark.parametrize("method", ["chat", "stream_chat", "embed", "rerank"])
def test_a_mistyped_short_id_is_refused_before_sending_with_a_suggestion(
    client: Client | AsyncClient, method: str
) -> None:
    args: dict[str, tuple[Any, ...]] = {
        "chat": (HI,), "stream_chat": (HI,), "embed": (["a"],), "rerank": ("q", ["x"])}
    with pytest.raises(InvalidInputError, match="did you mean") as info:
        _call(client, method, _short(LLAMA)[:-2] + "ts", *args[method])
    assert LLAMA in str(info.value)
