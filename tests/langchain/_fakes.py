"""A scripted stand-in for the core clients: records calls, returns neutral replies.

Used to unit-test the adapter alone (what it sends to the core and how it maps what
comes back); the emulator-backed tests cover the whole path.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

from workersai.types import Reply, StreamDelta


@dataclass
class Recorded:
    method: str
    model: str
    payload: Any
    params: Any
    kwargs: dict[str, Any]


@dataclass
class FakeCore:
    """Sync and async twin in one: each call pops the next scripted answer."""

    replies: list[Reply] = field(default_factory=list)
    streams: list[list[StreamDelta]] = field(default_factory=list)
    results: list[Any] = field(default_factory=list)
    calls: list[Recorded] = field(default_factory=list)
    closed_streams: int = 0

    def _record(self, method: str, model: str, payload: Any, params: Any, **kw: Any) -> None:
        self.calls.append(Recorded(method, model, payload, params, kw))

    def chat(self, model: str, messages: Any, params: Any = None, **kw: Any) -> Reply:
        self._record("chat", model, messages, params, **kw)
        return self.replies.pop(0)

    def stream_chat(
        self, model: str, messages: Any, params: Any = None, **kw: Any
    ) -> Iterator[StreamDelta]:
        self._record("stream_chat", model, messages, params, **kw)
        return iter(self.streams.pop(0))

    def embed(self, model: str, texts: Any, params: Any = None, **kw: Any) -> Any:
        self._record("embed", model, texts, params, **kw)
        return self.results.pop(0)

    def rerank(self, model: str, query: str, documents: Any, **kw: Any) -> Any:
        self._record("rerank", model, documents, query, **kw)
        return self.results.pop(0)


class AsyncFakeCore:
    """The async face of a :class:`FakeCore` (same script, same record)."""

    def __init__(self, core: FakeCore) -> None:
        self.core = core

    async def chat(self, *args: Any, **kw: Any) -> Reply:
        return self.core.chat(*args, **kw)

    async def stream_chat(self, *args: Any, **kw: Any) -> AsyncIterator[StreamDelta]:
        try:
            for delta in self.core.stream_chat(*args, **kw):
                yield delta
        finally:
            self.core.closed_streams += 1

    async def embed(self, *args: Any, **kw: Any) -> Any:
        return self.core.embed(*args, **kw)

    async def rerank(self, *args: Any, **kw: Any) -> Any:
        return self.core.rerank(*args, **kw)


def install(model: Any, core: FakeCore) -> FakeCore:
    """Put ``core`` behind ``model``'s lazily built clients."""
    model._client = core
    model._aclient = AsyncFakeCore(core)
    return core
