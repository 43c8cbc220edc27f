"""A scripted stand-in for ``Client``/``AsyncClient`` and a fixture running both twins."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from workersai.types import ResponseMeta


@dataclass
class Run:
    result: Any
    meta: ResponseMeta = field(default_factory=lambda: ResponseMeta(request_id="req-1"))


@dataclass
class Raw:
    content: bytes = b""
    content_type: str = "application/json"
    result: Any = None
    meta: ResponseMeta = field(default_factory=lambda: ResponseMeta(request_id="req-1"))


def json_raw(result: Any) -> Raw:
    """A ``run_raw`` answer whose body was a JSON envelope."""
    return Raw(result=result)


class FakeClient:
    """Records each call; answers from ``replies`` in order (an exception is raised)."""

    def __init__(self, replies: list[Any]) -> None:
        self.replies = list(replies)
        self.calls: list[dict[str, Any]] = []

    def _next(self, kind: str, expected: type) -> Any:
        reply = self.replies.pop(0)
        if isinstance(reply, BaseException):
            raise reply
        assert isinstance(reply, expected), f"{kind} got a {type(reply).__name__} reply"
        return reply

    def run(self, model: str, inputs: dict[str, Any], *, options: Any = None) -> Run:
        self.calls.append({"kind": "run", "model": model, "inputs": inputs, "options": options})
        return self._next("run", Run)

    def run_raw(
        self, model: str, body: bytes, *, content_type: str,
        query: dict[str, str] | None = None, options: Any = None,
    ) -> Raw:
        self.calls.append({"kind": "raw", "model": model, "body": body,
                           "content_type": content_type, "query": query, "options": options})
        return self._next("run_raw", Raw)


class AsyncFakeClient(FakeClient):
    async def run(self, model: str, inputs: dict[str, Any], *, options: Any = None) -> Run:  # type: ignore[override]
        await asyncio.sleep(0)
        return FakeClient.run(self, model, inputs, options=options)

    async def run_raw(  # type: ignore[override]
        self, model: str, body: bytes, *, content_type: str,
        query: dict[str, str] | None = None, options: Any = None,
    ) -> Raw:
        await asyncio.sleep(0)
        return FakeClient.run_raw(
            self, model, body, content_type=content_type, query=query, options=options
        )


@dataclass
class Twin:
    """Runs the sync or the async function of a task with a fake client."""

    mode: str
    calls: list[dict[str, Any]] = field(default_factory=list)

    def __call__(
        self, pair: tuple[Callable[..., Any], Callable[..., Any]], replies: list[Any],
        *args: Any, **kw: Any,
    ) -> Any:
        sync_fn, async_fn = pair
        if self.mode == "sync":
            client: FakeClient = FakeClient(replies)
            try:
                return sync_fn(client, *args, **kw)
            finally:
                self.calls = client.calls
        aclient = AsyncFakeClient(replies)
        try:
            return asyncio.run(async_fn(aclient, *args, **kw))
        finally:
            self.calls = aclient.calls


@pytest.fixture(params=["sync", "async"])
def twin(request: pytest.FixtureRequest) -> Twin:
    return Twin(request.param)
