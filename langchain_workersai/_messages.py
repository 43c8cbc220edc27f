"""LangChain messages -> neutral ``workersai.types.Message`` (the request direction).

Pure functions. Content blocks are read in LangChain's own formats (standard v1 blocks,
the legacy v0 ``source_type`` blocks and OpenAI-style ``image_url`` parts); nothing here
knows the Workers AI wire format.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)

from workersai.types import ImagePart, Message, Part, Role, TextPart, ToolCall

from ._errors import WorkersAIInvalidInputError

__all__ = ["to_neutral_messages", "to_neutral_message", "content_parts"]

_CHAT_ROLES: dict[str, Role] = {
    "system": "system",
    "developer": "system",
    "user": "user",
    "human": "user",
    "assistant": "assistant",
    "ai": "assistant",
    "tool": "tool",
}
# Block types an assistant turn may carry that have no place in a request
# (provider-specific tool_use blocks, reasoning, citations...). Tool calls are rebuilt
# from ``AIMessage.tool_calls``.
_TEXT_TYPES = ("text", "text-plain")


def to_neutral_messages(messages: Sequence[BaseMessage]) -> list[Message]:
    """Convert a LangChain conversation to neutral messages, in order."""
    return [to_neutral_message(m) for m in messages]


def to_neutral_message(message: BaseMessage) -> Message:
    """Convert one LangChain message; unsupported message types raise a clear error."""
    if isinstance(message, SystemMessage):
        return Message("system", _text_only(message.content, "system"))
    if isinstance(message, HumanMessage):
        return Message("user", content_parts(message.content))
    if isinstance(message, AIMessage):
        return _assistant(message)
    if isinstance(message, ToolMessage):
        return Message(
            "tool",
            _tool_result_text(message.content),
            tool_call_id=message.tool_call_id,
            name=message.name,
        )
    if isinstance(message, FunctionMessage):
        return Message("tool", _tool_result_text(message.content), name=message.name)
    if isinstance(message, ChatMessage):
        role = _CHAT_ROLES.get(message.role)
        if role is None:
            raise WorkersAIInvalidInputError(
                f"ChatMessage role {message.role!r} is not one of {sorted(_CHAT_ROLES)}"
            )
        return Message(role, content_parts(message.content))
    raise WorkersAIInvalidInputError(
        f"Unsupported message type {type(message).__name__}; use System/Human/AI/Tool messages"
    )


def _assistant(message: AIMessage) -> Message:
    calls = [
        ToolCall(id=call.get("id") or f"call_{i}", name=call["name"], arguments=call["args"])
        for i, call in enumerate(message.tool_calls)
    ]
    return Message("assistant", _assistant_text(message.content), tool_calls=calls)


def _assistant_text(content: str | list[Any]) -> str:
    """The text of an assistant turn; other blocks (tool_use, reasoning...) are dropped."""
    return _joined_text(content, encode_other=False)


def _joined_text(content: str | list[Any], *, encode_other: bool) -> str:
    """Text blocks joined; other blocks JSON-encoded (``encode_other``) or dropped."""
    if isinstance(content, str):
        return content
    pieces = []
    for block in content:
        if isinstance(block, str):
            pieces.append(block)
        elif isinstance(block, dict) and block.get("type") in _TEXT_TYPES:
            pieces.append(str(block.get("text", "")))
        elif encode_other:
            pieces.append(json.dumps(block, ensure_ascii=False, default=str))
    return "".join(pieces)


def _text_only(content: str | list[Any], role: str) -> str:
    parts = content_parts(content)
    if isinstance(parts, str):
        return parts
    if any(isinstance(p, ImagePart) for p in parts):
        raise WorkersAIInvalidInputError(f"A {role} message cannot carry images")
    return "".join(p.text for p in parts if isinstance(p, TextPart))


def _tool_result_text(content: str | list[Any]) -> str:
    """Tool results travel as one string; non-text blocks are JSON-encoded."""
    return _joined_text(content, encode_other=True)


def content_parts(content: str | list[Any]) -> str | list[Part]:
    """User content as a string, or parts when it holds images.

    A list with text only collapses to one string (every model accepts that).
    """
    if isinstance(content, str):
        return content
    parts: list[Part] = [_part(block) for block in content]
    if all(isinstance(p, TextPart) for p in parts):
        return "".join(p.text for p in parts if isinstance(p, TextPart))
    return parts


def _part(block: Any) -> Part:
    if isinstance(block, str):
        return TextPart(block)
    if not isinstance(block, dict):
        raise WorkersAIInvalidInputError(f"Unsupported content block {block!r}")
    kind = block.get("type")
    if kind in _TEXT_TYPES:
        return TextPart(str(block.get("text", "")))
    if kind == "image_url":
        return _image_url_part(block)
    if kind == "image":
        return _image_block_part(block)
    raise WorkersAIInvalidInputError(
        f"Content blocks of type {kind!r} are not supported by Workers AI chat models; "
        "send text and images (base64 or data URLs)"
    )


def _image_url_part(block: dict[str, Any]) -> ImagePart:
    """OpenAI-style ``{"type": "image_url", "image_url": {"url": ..., "detail": ...}}``."""
    value = block.get("image_url")
    if isinstance(value, dict):
        return ImagePart(_require_data_url(str(value.get("url", ""))), value.get("detail"))
    return ImagePart(_require_data_url(str(value or "")))


def _image_block_part(block: dict[str, Any]) -> ImagePart:
    """Standard image blocks: v1 (``base64``/``url``) and v0 (``source_type``)."""
    mime = block.get("mime_type") or "image/png"
    data = block.get("base64")
    if data is None and block.get("source_type") == "base64":
        data = block.get("data")
    if data:
        return ImagePart(f"data:{mime};base64,{data}")
    url = block.get("url")
    if url is None and block.get("source_type") == "url":
        url = block.get("data") or block.get("url")
    if url:
        return ImagePart(_require_data_url(str(url)))
    raise WorkersAIInvalidInputError(
        "Image blocks need base64 data or a data: URL (file ids are not supported)"
    )


def _require_data_url(url: str) -> str:
    if url.startswith("data:"):
        return url
    if url.startswith(("http://", "https://")):
        raise WorkersAIInvalidInputError(
            "Workers AI does not fetch images from http(s) URLs; download the image and "
            "send it as base64 ({'type': 'image', 'base64': ..., 'mime_type': ...}) "
            "or as a data: URL"
        )
    raise WorkersAIInvalidInputError(f"Unsupported image URL {url[:40]!r}; use a data: URL")
