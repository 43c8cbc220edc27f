"""Neutral stream deltas -> LlamaIndex ``ChatResponse``s (one state machine, sync and async).

LlamaIndex wants every streamed item to carry the *accumulated* message plus the new
``delta``. Reasoning goes to ``additional_kwargs["thinking_delta"]`` (and a
``ThinkingBlock``), never into the text. Tool-call fragments are joined by index; the
blocks carry the arguments parsed so far. The last item carries usage in ``raw["usage"]``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    MessageRole,
    TextBlock,
    ToolCallBlock,
)
from llama_index.core.llms.utils import parse_partial_json

from workersai.types import StreamDelta, ToolCallFragment

from ._messages import build_message, invalid_call_dict, response_raw, usage_dict

__all__: list[str] = []


@dataclass(slots=True)
class _ToolState:
    id: str
    name: str = ""
    arguments: str = ""


@dataclass(slots=True)
class StreamState:
    """Accumulates one stream; :meth:`feed` turns each delta into the item to yield."""

    text: str = ""
    reasoning: str = ""
    tools: dict[int, _ToolState] = field(default_factory=dict)

    def feed(self, delta: StreamDelta) -> ChatResponse | None:
        """The ``ChatResponse`` for this delta, or ``None`` for an empty non-final delta."""
        if delta.text and not (delta.final or delta.reasoning or delta.tool_call is not None
                               or self.reasoning or self.tools):  # the per-token hot path
            self.text += delta.text
            message = ChatMessage(role=MessageRole.ASSISTANT, blocks=[TextBlock(text=self.text)])
            return ChatResponse(message=message, delta=delta.text)
        self.text += delta.text
        self.reasoning += delta.reasoning
        if delta.tool_call is not None:
            self._add_fragment(delta.tool_call)
        if not delta.final and not (delta.text or delta.reasoning or delta.tool_call):
            return None
        final = delta.final
        blocks, invalid = self._tool_blocks(final)
        extra: dict[str, Any] = {}
        if invalid:
            extra["invalid_tool_calls"] = invalid
        message = build_message(self.text, self.reasoning or None, blocks, extra)
        response_kwargs: dict[str, Any] = {}
        if delta.reasoning:
            response_kwargs["thinking_delta"] = delta.reasoning
        raw: dict[str, Any] = {}
        if final:
            raw = response_raw(delta.usage, delta.finish_reason, delta.model, delta.id,
                               meta=delta.meta)
            response_kwargs.update(usage_dict(delta.usage))
        return ChatResponse(
            message=message, delta=delta.text, raw=raw or None, additional_kwargs=response_kwargs
        )

    def _add_fragment(self, frag: ToolCallFragment) -> None:
        state = self.tools.get(frag.index)
        if state is None:
            state = self.tools[frag.index] = _ToolState(id=frag.id or _new_id())
        if frag.name:
            state.name = frag.name
        state.arguments += frag.arguments

    def _tool_blocks(self, final: bool) -> tuple[list[ToolCallBlock], list[dict[str, Any]]]:
        blocks: list[ToolCallBlock] = []
        invalid: list[dict[str, Any]] = []
        for index in sorted(self.tools):
            state = self.tools[index]
            kwargs, error = _parse_args(state.arguments, strict=final)
            blocks.append(
                ToolCallBlock(tool_call_id=state.id, tool_name=state.name, tool_kwargs=kwargs)
            )
            if error is not None:
                invalid.append(invalid_call_dict(state.id, state.name, state.arguments, error))
        return blocks, invalid


def _new_id() -> str:
    return f"call_{uuid.uuid4().hex[:24]}"


def _parse_args(text: str, *, strict: bool) -> tuple[dict[str, Any] | str, str | None]:
    """Arguments so far. Mid-stream: best-effort partial JSON. At the end: exact JSON, or the
    raw string plus an error (an invalid tool call is kept, never dropped)."""
    if not text.strip():
        return {}, None
    try:
        value = json.loads(text) if strict else parse_partial_json(text)
    except (ValueError, TypeError) as exc:
        return text, (str(exc) if strict else None)
    if isinstance(value, dict):
        return value, None
    return text, "tool arguments are not a JSON object" if strict else None
