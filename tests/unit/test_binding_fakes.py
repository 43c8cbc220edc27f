"""A fake ``env.AI`` binding that behaves as the reference's section 12 describes.

``run`` is an ``async def`` (a promise), scripted replies are served in order: a dict is
the parsed JSON result, a :class:`FakeStream` is a JS ``ReadableStream`` (``getReader()``,
``await reader.read()`` -> ``{done, value}`` with a ``Uint8Array``-like value), an
exception instance is thrown. After each call ``lastRequestId`` is set like the real
binding does from ``cf-ai-req-id``.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

LLM = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"


class InferenceUpstreamError(Exception):
    """What the binding throws for a non-OK upstream answer."""


class JsException(Exception):
    """How Pyodide surfaces a thrown JS error: ``name`` and ``message`` attributes."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


class Uint8Array:
    """A ``Uint8Array`` proxy: bytes come out through ``to_bytes()``."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def to_bytes(self) -> bytes:
        return self._data


class FakeReader:
    def __init__(self, stream: FakeStream) -> None:
        self.stream = stream

    async def read(self) -> Any:
        s = self.stream
        if s.fail_after is not None and s.reads >= s.fail_after:
            raise InferenceUpstreamError("3040: Capacity temporarily exceeded, please try again.")
        s.reads += 1
        if not s.chunks:
            return {"done": True, "value": None}
        return {"done": False, "value": Uint8Array(s.chunks.pop(0))}

    async def cancel(self) -> None:
        self.stream.cancelled = True


class FakeStream:
    """A ``ReadableStream<Uint8Array>`` over fixed chunks."""

    def __init__(self, chunks: list[bytes], fail_after: int | None = None) -> None:
        self.chunks = list(chunks)
        self.reads = 0
        self.cancelled = False
        self.fail_after = fail_after

    def getReader(self) -> FakeReader:
        return FakeReader(self)


class FakeBinding:
    """``env.AI``: scripted replies in order (the last repeats); records every call."""

    def __init__(self, *replies: Any, delay: float = 0.0) -> None:
        self.replies = list(replies)
        self.calls: list[tuple[str, Any, Any]] = []
        self.delay = delay
        self.lastRequestId: str | None = None
        self.aiGatewayLogId: str | None = None

    async def run(self, model: str, inputs: Any, options: Any = None) -> Any:
        self.calls.append((model, inputs, options))
        reply = self.replies[min(len(self.calls), len(self.replies)) - 1]
        if self.delay:
            await asyncio.sleep(self.delay)
        self.lastRequestId = f"req-{len(self.calls)}"
        if isinstance(reply, BaseException):
            raise reply
        if callable(reply):
            return reply(model, inputs, options)
        return reply

    @property
    def inputs(self) -> Any:
        return self.calls[-1][1]

    @property
    def options(self) -> Any:
        return self.calls[-1][2]


def sse(*events: Any, done: bool = True) -> bytes:
    out = b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events)
    return out + (b"data: [DONE]\n\n" if done else b"")


def pieces(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


CLASSIC_STREAM = [
    {"response": "Hel", "tool_calls": [], "p": "abc"},
    {"response": "lo ✓", "tool_calls": []},
    {"response": "", "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}},
]


def classic_stream(size: int) -> FakeStream:
    """:data:`CLASSIC_STREAM` as a binding stream read in ``size``-byte pieces."""
    return FakeStream(pieces(sse(*CLASSIC_STREAM), size))
