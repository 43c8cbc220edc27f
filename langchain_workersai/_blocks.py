"""Standard content blocks (``output_version="v1"``) for Workers AI messages.

Registered with LangChain as the translator for ``model_provider="workersai"``. It exists
for streams: core numbers the blocks of each chunk by type changes, and a tool-call chunk
block carries its call's index, so a reasoning block and the first tool call would both
get index 0 and merge into one block. Tool-call blocks here get their own ``lc_``-prefixed
index namespace, which chunk merging keys on but never confuses with core's numbers.
"""

from __future__ import annotations

from typing import Any, cast

from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.messages import content as types
from langchain_core.messages.block_translators import register_translator

from ._output import PROVIDER, REASONING_KEY

__all__ = ["translate_content", "translate_content_chunk", "register"]


def _leading_blocks(message: AIMessage) -> list[types.ContentBlock]:
    """Reasoning, then text (content is a string in this package's messages)."""
    blocks: list[types.ContentBlock] = []
    reasoning = message.additional_kwargs.get(REASONING_KEY)
    if isinstance(reasoning, str) and reasoning:
        blocks.append(types.ReasoningContentBlock(type="reasoning", reasoning=reasoning))
    if isinstance(message.content, str):
        if message.content:
            blocks.append(types.TextContentBlock(type="text", text=message.content))
    else:
        blocks.extend(cast("list[types.ContentBlock]", message.content))
    return blocks


def translate_content(message: AIMessage) -> list[types.ContentBlock]:
    """Blocks for a complete message: reasoning, text, tool calls, invalid tool calls."""
    blocks = _leading_blocks(message)
    for call in message.tool_calls:
        blocks.append(
            types.ToolCall(type="tool_call", name=call["name"], args=call["args"], id=call["id"])
        )
    for bad in message.invalid_tool_calls:
        blocks.append(cast("types.ContentBlock", dict(bad)))
    return blocks


def translate_content_chunk(message: AIMessageChunk) -> list[types.ContentBlock]:
    """Blocks for one streamed chunk; tool-call fragments keyed ``lc_tool_call_<n>``.

    An aggregate (``chunk_position="last"``) has parsed tool calls: it is translated as a
    complete message.
    """
    if message.chunk_position == "last":
        return translate_content(message)
    blocks = _leading_blocks(message)
    for chunk in message.tool_call_chunks:
        block: dict[str, Any] = {
            "type": "tool_call_chunk",
            "id": chunk.get("id"),
            "name": chunk.get("name"),
            "args": chunk.get("args"),
            "index": f"lc_tool_call_{chunk.get('index') or 0}",
        }
        blocks.append(cast("types.ContentBlock", block))
    return blocks


def register() -> None:
    """Make LangChain use these translators for ``model_provider="workersai"``."""
    register_translator(PROVIDER, translate_content, translate_content_chunk)
