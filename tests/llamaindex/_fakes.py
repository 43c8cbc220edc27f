"""A recording stand-in for the core clients, for tests of the pure adapter logic."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

from workersai.types import EmbeddingResult, Reply, RerankResult, StreamDelta


@dataclass
class FakeClient:
    """Answers with canned values and records every call as ``(method, args, kwargs)``."""

    reply: Reply = field(default_factory=lambda: Reply(text="ok"))
    deltas: list[StreamDelta] = field(default_factory=list)
    scores: list[RerankResult] = field(default_factory=list)
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = field(default_factory=list)

    def chat(self, *args: Any, **kwargs: Any) -> Reply:
        self.calls.append(("chat", args, kwargs))
        return self.reply

    def stream_chat(self, *args: Any, **kwargs: Any) -> Iterator[StreamDelta]:
        self.calls.append(("stream_chat", args, kwargs))
        yield from self.deltas

    def embed(self, model: str, texts: list[str], *args: Any, **kwargs: Any) -> EmbeddingResult:
        self.calls.append(("embed", (model, texts, *args), kwargs))
        return EmbeddingResult([[float(len(t)), 1.0] for t in texts])

    def rerank(self, *args: Any, **kwargs: Any) -> list[RerankResult]:
        self.calls.append(("rerank", args, kwargs))
        return list(self.scores)


@dataclass
class FakeAsyncClient(FakeClient):
    """The async twin of :class:`FakeClient`."""

    async def chat(self, *args: Any, **kwargs: Any) -> Reply:  # type: ignore[override]
        return FakeClient.chat(self, *args, **kwargs)

    async def stream_chat(  # type: ignore[override]
        self, *args: Any, **kwargs: Any
    ) -> AsyncIterator[StreamDelta]:
        for delta in FakeClient.stream_chat(self, *args, **kwargs):
            yield delta

    async def embed(self, *args: Any, **kwargs: Any) -> EmbeddingResult:  # type: ignore[override]
        return FakeClient.embed(self, *args, **kwargs)

    async def rerank(self, *args: Any, **kwargs: Any) -> list[RerankResult]:  # type: ignore[override]
        return FakeClient.rerank(self, *args, **kwargs)
