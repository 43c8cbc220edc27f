"""Render a :class:`~._conv.Plan` as a streamed OpenAI Responses reply (``/ai/v1/responses``
with ``"stream": true``).

What Cloudflare documents: the OpenAI-compatible endpoints page
(``src/content/docs/workers-ai/configuration/open-ai-compatibility.mdx``) lists
``/ai/v1/responses`` for the openai SDK, and the gpt-oss launch note
(``src/content/changelog/workers-ai/2025-08-05-openai-open-models.mdx``) says the
``/responses`` endpoint "will accept/return Responses API". The published model
definitions (``src/content/workers-ai-models/gpt-oss-120b.json``) give the output as
``oneOf`` JSON or ``text/event-stream``. No Cloudflare page documents a refusal of
``stream`` there, so the emulator streams the Responses API's own events, as the openai
SDK expects them.

Events, each ``event: <type>`` plus ``data: <json>`` with a rising ``sequence_number``:
``response.created`` and ``response.in_progress`` (the response ``in_progress``, no
output), then per output item ``response.output_item.added``, its content events and
``response.output_item.done``:

* reasoning: ``response.reasoning_text.delta`` per word piece, ``response.reasoning_text.done``;
* message: ``response.content_part.added``, ``response.output_text.delta`` per piece,
  ``response.output_text.done``, ``response.content_part.done``;
* function call: ``response.function_call_arguments.delta`` fragments (one when
  ``split_tool_calls`` is off), ``response.function_call_arguments.done``;

and last ``response.completed`` (``response.incomplete`` when ``max_output_tokens`` cut the
text) carrying the same object the non-streamed reply would be. No ``[DONE]`` line follows,
as in OpenAI's Responses streams.

*On the native route* (``/ai/run/@cf/openai/gpt-oss-*`` with the Responses ``input`` form
and ``"stream": true``) the same events come in the native framing Cloudflare documents
for ``/ai/run`` streams (reference section 3): only ``data:`` lines (each event's ``type``
is in its JSON), a blank line after each, and a final ``data: [DONE]``. The published
definition (``gpt-oss-120b.json``) gives the output as ``oneOf`` JSON or
``text/event-stream``; a Responses request streams Responses events.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._conv import Plan
from ._jsonenc import dumps
from ._render_llm import RenderCtx, render_json

__all__ = ["responses_stream"]


class _Events:
    def __init__(self, native: bool) -> None:
        self.seq = 0
        self.native = native

    def __call__(self, kind: str, **fields: Any) -> bytes:
        body = {"type": kind, "sequence_number": self.seq, **fields}
        self.seq += 1
        if self.native:
            return b"data: " + dumps(body) + b"\n\n"
        return b"event: " + kind.encode() + b"\ndata: " + dumps(body) + b"\n\n"


def _fragments(text: str, split: bool) -> list[str]:
    if not split or not text:
        return [text]
    size = max(1, -(-len(text) // 4))
    return [text[i:i + size] for i in range(0, len(text), size)]


def _item_events(ev: _Events, index: int, item: dict[str, Any], plan: Plan,
                 split: bool) -> Iterator[bytes]:
    kind, ref = item["type"], {"item_id": item["id"], "output_index": index}
    if kind == "reasoning":
        yield ev("response.output_item.added", output_index=index, item={**item, "content": []})
        for piece in plan.reasoning_pieces:
            yield ev("response.reasoning_text.delta", **ref, content_index=0, delta=piece)
        yield ev("response.reasoning_text.done", **ref, content_index=0, text=plan.reasoning)
    elif kind == "message":
        part = item["content"][0]
        yield ev("response.output_item.added", output_index=index,
                 item={**item, "status": "in_progress", "content": []})
        yield ev("response.content_part.added", **ref, content_index=0,
                 part={**part, "text": ""})
        for piece in plan.text_pieces:
            yield ev("response.output_text.delta", **ref, content_index=0, delta=piece,
                     logprobs=[])
        yield ev("response.output_text.done", **ref, content_index=0, text=part["text"],
                 logprobs=[])
        yield ev("response.content_part.done", **ref, content_index=0, part=part)
    else:
        yield ev("response.output_item.added", output_index=index,
                 item={**item, "arguments": "", "status": "in_progress"})
        for fragment in _fragments(item["arguments"], split):
            yield ev("response.function_call_arguments.delta", **ref, delta=fragment)
        yield ev("response.function_call_arguments.done", **ref, name=item["name"],
                 arguments=item["arguments"])
    yield ev("response.output_item.done", output_index=index, item=item)


def responses_stream(plan: Plan, ctx: RenderCtx, *, native: bool = False) -> Iterator[bytes]:
    """The event-stream body for ``plan`` (see the module docstring); ``native`` frames it
    as ``/ai/run`` streams are framed."""
    final = render_json(plan, ctx)
    ev = _Events(native)
    start = {**final, "status": "in_progress", "incomplete_details": None, "output": [],
             "output_text": "", "usage": None}
    yield ev("response.created", response=start)
    yield ev("response.in_progress", response=start)
    for index, item in enumerate(final["output"]):
        yield b"".join(_item_events(ev, index, item, plan, ctx.split_tool_calls))
    done = "response.incomplete" if final["status"] == "incomplete" else "response.completed"
    yield ev(done, response=final)
    if native:
        yield b"data: [DONE]\n\n"
