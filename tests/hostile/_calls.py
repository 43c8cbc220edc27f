"""Helpers shared by the hostile-server tests: canned handlers and one way to drive the
core twins (sync and async) so each test covers both."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from workersai import AsyncClient, Client
from workersai.types import Message

from .conftest import ACCOUNT, MODEL, TOKEN
from .server import Conn, Request

JSON = {"content-type": "application/json"}
SSE = {"content-type": "text/event-stream"}
OK_BODY = b'{"result":{"response":"hi","usage":{"prompt_tokens":1,"completion_tokens":1,' \
          b'"total_tokens":2}},"success":true,"errors":[],"messages":[]}'
EVENTS = [b'{"response":"Hel"}', b'{"response":"lo"}',
          b'{"response":"","usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}']


def wants_stream(request: Request) -> bool:
    try:
        return bool(json.loads(request.body or b"{}").get("stream"))
    except ValueError:
        return False


async def ok(request: Request, conn: Conn) -> None:
    """A prompt, well-behaved answer (JSON, or a stream ending in ``[DONE]``)."""
    if wants_stream(request):
        await conn.head(200, SSE, chunked=True)
        for event in EVENTS:
            await conn.body(b"data: " + event + b"\n\n")
        await conn.body(b"data: [DONE]\n\n")
        await conn.end()
    else:
        await conn.reply(200, OK_BODY, JSON)


def kwargs(url: str, **extra: Any) -> dict[str, Any]:
    return {"account_id": ACCOUNT, "api_token": TOKEN, "base_url": url, **extra}


def chat(url: str, *, is_async: bool, stream: bool = False, **settings: Any) -> Any:
    """One chat call through the core ``Client`` or ``AsyncClient``: the reply text (or
    the list of deltas of a stream)."""
    messages = [Message("user", "hi")]
    options = settings.pop("options", None)
    warm = settings.pop("warm", False)  # build the pooled client before the call
    if not is_async:
        with Client(**kwargs(url, **settings)) as client:
            if warm:
                client._backend.http()  # type: ignore[attr-defined]
            if stream:
                return list(client.stream_chat(MODEL, messages, options=options))
            return client.chat(MODEL, messages, options=options).text

    async def run() -> Any:
        async with AsyncClient(**kwargs(url, **settings)) as client:
            if warm:
                client._backend.http()  # type: ignore[attr-defined]
            if stream:
                return [d async for d in client.stream_chat(MODEL, messages, options=options)]
            return (await client.chat(MODEL, messages, options=options)).text

    return asyncio.run(run())


Call = Callable[..., Any]
