"""Load the reference's example bodies and streams (copied into ``fixtures/``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workersai._json import loads
from workersai._sse import DONE, SSEDecoder
from workersai.types import ChatParams, StreamDelta
from workersai.wire import StreamAssembler

FIXTURES = Path(__file__).parent / "fixtures"


def body(name: str) -> Any:
    """A fixture's model output: the envelope's ``result``, or the bare object."""
    data = json.loads((FIXTURES / name).read_text())
    if isinstance(data, dict) and "success" in data and "result" in data:
        return data["result"]
    return data


def stream_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def run_stream(
    model: str,
    params: ChatParams | None,
    raw: bytes,
    *,
    chunk: int = 100_000,
) -> tuple[list[StreamDelta], StreamDelta, StreamAssembler]:
    """Feed ``raw`` SSE bytes in ``chunk``-byte pieces, as the transport does."""
    asm = StreamAssembler(model, params or ChatParams())
    decoder = SSEDecoder()
    deltas: list[StreamDelta] = []
    payloads: list[bytes] = []
    for start in range(0, len(raw), chunk):
        payloads.extend(decoder.feed(raw[start : start + chunk]))
    payloads.extend(decoder.flush())
    for payload in payloads:
        if payload == DONE:
            asm.done()
            break
        deltas.extend(asm.feed(loads(payload)))
    return deltas, asm.finish(), asm


def texts(deltas: list[StreamDelta]) -> str:
    return "".join(d.text for d in deltas)


def reasoning(deltas: list[StreamDelta]) -> str:
    return "".join(d.reasoning for d in deltas)
