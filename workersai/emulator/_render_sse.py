"""Render a :class:`~._answer.Plan` as a Server-Sent-Events stream (reference 3).

Only ``data: <json>\\n\\n`` events, then ``data: [DONE]``. Events carry a random-length
``p`` padding string (deterministic: drawn from the emulator's seed).

* classic / llama4: a first empty ``{"response":"","tool_calls":[],"p"}`` event, one event
  per word piece, a tool call whole in one event (classic ``{name, arguments:{}}``,
  llama4 ``{id, type, function}``), then the cumulative ``{"response":"","usage":{...}}``
  and ``[DONE]``.
* chat (native): a role chunk carrying the prompt usage, one ``chat.completion.chunk``
  per piece (``delta.reasoning_content`` then ``delta.content``) each with *incremental*
  usage (``completion_tokens: 1`` and its neurons), tool calls by ``index`` (the id, type
  and name first, then the arguments in fragments when ``split_tool_calls``, else whole;
  the call's tokens are reported on its first chunk), a finish chunk, a ``choices: []``
  chunk (zero usage) when ``stream_options.include_usage``, then the cumulative native
  usage event and ``[DONE]``.
* chat on ``/ai/v1/chat/completions``: the same chunks without per-chunk usage or the
  native event; ``include_usage`` adds a final ``choices: []`` chunk with the totals.
* text_completion: ``choices[].text`` chunks, else like chat.

Events are yielded in groups of up to 16 (one network write each).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from ._answer import Plan
from ._jsonenc import dumps, jstr
from ._render_llm import (
    RenderCtx,
    args_text,
    reasoning_key,
    tool_call_id,
    usage_dict,
)

__all__ = ["Pads", "sse_stream", "DONE"]

DONE = b"data: [DONE]\n\n"
_GROUP = 16
_PAD_CHARS = "abdefghijklmnoprstuvxyz1234567890"


class Pads:
    """A cycle of padding strings (1-50 characters) drawn once from ``seed``."""

    def __init__(self, seed: int, count: int = 257) -> None:
        rng = random.Random(seed)
        self._pads = [
            "".join(rng.choice(_PAD_CHARS) for _ in range(rng.randint(1, 50))).encode()
            for _ in range(count)]

    def cycle(self, start: int) -> Iterator[bytes]:
        """Pads from position ``start`` onwards, forever."""
        n = len(self._pads)
        i = start % n
        while True:
            yield self._pads[i]
            i = i + 1 if i + 1 < n else 0


def _event(obj: Any) -> bytes:
    return b"data: " + dumps(obj) + b"\n\n"


def _grouped(events: Iterator[bytes]) -> Iterator[bytes]:
    batch: list[bytes] = []
    for event in events:
        batch.append(event)
        if len(batch) >= _GROUP:
            yield b"".join(batch)
            batch.clear()
    if batch:
        yield b"".join(batch)


def sse_stream(plan: Plan, ctx: RenderCtx, pads: Iterator[bytes], *, native: bool = True,
               include_usage: bool = False) -> Iterator[bytes]:
    """The SSE body for ``plan`` in ``ctx.shape``, grouped into writes."""
    if ctx.shape in ("classic", "llama4"):
        events = _classic(plan, ctx, pads)
    else:
        events = _chat(plan, ctx, pads, native=native, include_usage=include_usage)
    return _grouped(events)


def _final_usage(plan: Plan, ctx: RenderCtx) -> bytes:
    usage = usage_dict(ctx.info, plan.prompt_tokens, plan.completion_tokens,
                       reasoning=len(plan.reasoning_pieces))
    return _event({"response": "", "usage": usage})


def _classic(plan: Plan, ctx: RenderCtx, pads: Iterator[bytes]) -> Iterator[bytes]:
    head, tail = b'data: {"response":', b',"tool_calls":[],"p":"'
    yield head + b'""' + tail + next(pads) + b'"}\n\n'
    for piece in plan.text_pieces:  # in JSON mode: pieces of the JSON text
        yield head + jstr(piece) + tail + next(pads) + b'"}\n\n'
    for call in plan.calls:
        item: dict[str, Any] = {"name": call.name, "arguments": call.arguments}
        if ctx.shape == "llama4":
            item = {"id": tool_call_id(ctx), "type": "function", "function": item}
        yield _event({"response": "", "tool_calls": [item], "p": next(pads).decode()})
    yield _final_usage(plan, ctx)
    yield DONE


class _ChunkMaker:
    """Builds ``chat.completion.chunk`` (or text_completion) events from constant parts."""

    def __init__(self, plan: Plan, ctx: RenderCtx, pads: Iterator[bytes], native: bool) -> None:
        self.ctx, self.pads, self.native = ctx, pads, native
        self.text_mode = ctx.shape == "text_completion"
        obj = "text_completion" if self.text_mode else "chat.completion.chunk"
        prefix = "cmpl" if self.text_mode else "chatcmpl"
        self.tail_head = (f',"created":{ctx.created},"id":"{prefix}-{ctx.hex(32)}",'
                          f'"model":').encode() + jstr(ctx.model) + (
                              f',"object":"{obj}","p":"').encode()
        one = usage_dict(ctx.info, 0, 1)
        self.usage_one = b'","usage":' + dumps(one) + b"}\n\n" if native else b'"}\n\n'
        self.reasoning_key = reasoning_key(ctx.model).encode()

    def _wrap(self, choice: bytes, usage: bytes) -> bytes:
        return b'data: {"choices":[' + choice + b"]" + self.tail_head + next(self.pads) + usage

    def usage_bytes(self, usage: dict[str, Any] | None) -> bytes:
        if not self.native or usage is None:
            return b'"}\n\n'
        return b'","usage":' + dumps(usage) + b"}\n\n"

    def piece(self, text: str, reasoning: bool) -> bytes:
        if self.text_mode:
            choice = b'{"index":0,"text":' + jstr(text) + (
                b',"finish_reason":null,"logprobs":null}')
        elif reasoning:
            choice = (b'{"delta":{"content":null,"' + self.reasoning_key + b'":' + jstr(text)
                      + b'},"finish_reason":null,"index":0,"logprobs":null,"matched_stop":null}')
        else:
            choice = (b'{"delta":{"content":' + jstr(text) + b',"' + self.reasoning_key
                      + b'":null},"finish_reason":null,"index":0,"logprobs":null,'
                      b'"matched_stop":null}')
        return self._wrap(choice, self.usage_one)

    def delta(self, delta: dict[str, Any], finish: str | None,
              usage: dict[str, Any] | None) -> bytes:
        if self.text_mode:
            choice = {"index": 0, "text": delta.get("content", ""), "finish_reason": finish,
                      "logprobs": None}
        else:
            choice = {"delta": delta, "finish_reason": finish, "index": 0, "logprobs": None,
                      "matched_stop": None}
        return self._wrap(dumps(choice), self.usage_bytes(usage))


def _call_chunks(plan: Plan, ctx: RenderCtx, maker: _ChunkMaker) -> Iterator[bytes]:
    for index, call in enumerate(plan.calls):
        arguments = args_text(call)
        first_usage = usage_dict(ctx.info, 0, plan.call_tokens if index == 0 else 0)
        whole = not ctx.split_tool_calls
        head = {"index": index, "id": tool_call_id(ctx), "type": "function",
                "function": {"name": call.name, "arguments": arguments if whole else ""}}
        yield maker.delta({"tool_calls": [head]}, None, first_usage)
        if whole:
            continue
        size = max(1, -(-len(arguments) // 4))
        zero = usage_dict(ctx.info, 0, 0)
        for start in range(0, len(arguments), size):
            fragment = {"index": index, "function": {"arguments": arguments[start:start + size]}}
            yield maker.delta({"tool_calls": [fragment]}, None, zero)


def _chat(plan: Plan, ctx: RenderCtx, pads: Iterator[bytes], *, native: bool,
          include_usage: bool) -> Iterator[bytes]:
    maker = _ChunkMaker(plan, ctx, pads, native)
    key = reasoning_key(ctx.model)
    first_usage = usage_dict(ctx.info, plan.prompt_tokens, 0)
    yield maker.delta({"content": "", key: None, "role": "assistant"}, None, first_usage)
    for piece in plan.reasoning_pieces:
        yield maker.piece(piece, True)
    for piece in plan.text_pieces:
        yield maker.piece(piece, False)
    yield from _call_chunks(plan, ctx, maker)
    zero = usage_dict(ctx.info, 0, 0)
    yield maker.delta({key: None}, plan.finish, zero)
    total = usage_dict(ctx.info, plan.prompt_tokens, plan.completion_tokens,
                       reasoning=len(plan.reasoning_pieces))
    if include_usage:
        usage = zero if native else total
        yield (b'data: {"choices":[]' + maker.tail_head + next(pads) + b'","usage":'
               + dumps(usage) + b"}\n\n")
    if native:
        yield _final_usage(plan, ctx)
    yield DONE
