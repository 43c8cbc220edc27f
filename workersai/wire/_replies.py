"""One reader per reply shape (reference section 2.7): classic, chat completion, Responses.

Each reader turns the shape into a raw :class:`Reply` (text, reasoning field, tool calls,
usage, finish reason, id, model as sent). :func:`workersai.wire.chat.parse_chat_reply`
picks the reader by shape and applies the family-independent rules afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..errors import ResponseFormatError
from ..types import Reply
from ._tools import read_tool_calls
from ._usage import read_usage
from .families import ReplyShape

__all__ = ["READERS", "text_of", "finish_reason"]


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _bad(what: str, value: Any) -> ResponseFormatError:
    return ResponseFormatError(f"unexpected chat reply: {what}", body=repr(value))


def text_of(content: Any) -> str:
    """Text of a ``content`` that is a string, ``null`` or a list of text parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)
        )
    return ""


def _response_value(response: Any) -> tuple[str, Any]:
    """Classic ``response``: string, ``null``, or a JSON value (JSON mode) -> text, parsed."""
    if response is None:
        return "", None
    if isinstance(response, str):
        return response, None
    return json.dumps(response, ensure_ascii=False), response


def _reasoning_field(obj: dict[str, Any]) -> str | None:
    return _str(obj.get("reasoning_content")) or _str(obj.get("reasoning"))


def read_classic(result: dict[str, Any]) -> Reply:
    """``{"response", "tool_calls", "usage"}`` (classic and llama-4)."""
    text, parsed = _response_value(result.get("response"))
    calls, invalid = read_tool_calls(result.get("tool_calls"))
    return Reply(
        text=text,
        reasoning=_reasoning_field(result),
        tool_calls=calls,
        invalid_tool_calls=invalid,
        usage=read_usage(result.get("usage")),
        finish_reason=_str(result.get("finish_reason")),
        model=_str(result.get("model")),
        id=_str(result.get("id")),
        parsed=parsed,
    )


def read_chat(result: dict[str, Any]) -> Reply:
    """An OpenAI ``chat.completion`` (``choices[0].message``) or ``text_completion``."""
    choices = result.get("choices")
    if not isinstance(choices, list):
        raise _bad("'choices' is not a list", choices)
    reply = Reply(
        usage=read_usage(result.get("usage")),
        model=_str(result.get("model")),
        id=_str(result.get("id")),
    )
    if not choices:
        return reply
    choice = choices[0]
    if not isinstance(choice, dict):
        raise _bad("a choice is not an object", choice)
    reply.finish_reason = _str(choice.get("finish_reason"))
    message = choice.get("message")
    if not isinstance(message, dict):
        reply.text = text_of(choice.get("text"))
        return reply
    reply.text = text_of(message.get("content"))
    reply.reasoning = _reasoning_field(message)
    reply.tool_calls, reply.invalid_tool_calls = read_tool_calls(message.get("tool_calls"))
    return reply


def _join_texts(parts: Any) -> str:
    return text_of(parts) if isinstance(parts, list) else ""


_INCOMPLETE = {"max_output_tokens": "length", "content_filter": "content_filter"}


def read_responses(result: dict[str, Any]) -> Reply:
    """A Responses ``response`` object: reasoning, message and function_call items."""
    output = result.get("output") or []
    if not isinstance(output, list):
        raise _bad("'output' is not a list", output)
    texts: list[str] = []
    reasoning: list[str] = []
    items: list[Any] = []
    for item in output:
        if not isinstance(item, dict):
            continue
        kind = item.get("type")
        if kind == "message":
            texts.append(_join_texts(item.get("content")))
        elif kind == "reasoning":
            reasoning.append(_join_texts(item.get("content")) or _join_texts(item.get("summary")))
        elif kind == "function_call":
            items.append(item)
    calls, invalid = read_tool_calls(items)
    text = "".join(texts) or text_of(result.get("output_text"))
    finish = None
    if result.get("status") == "incomplete":
        details = result.get("incomplete_details")
        reason = details.get("reason") if isinstance(details, dict) else None
        finish = _INCOMPLETE.get(str(reason), "length")
    return Reply(
        text=text,
        reasoning="".join(reasoning) or None,
        tool_calls=calls,
        invalid_tool_calls=invalid,
        usage=read_usage(result.get("usage")),
        finish_reason=finish,
        model=_str(result.get("model")),
        id=_str(result.get("id")),
    )


READERS: dict[ReplyShape, Callable[[dict[str, Any]], Reply]] = {
    "classic": read_classic,
    "chat": read_chat,
    "responses": read_responses,
}
"""Reply shape -> reader."""

_FINISH = {
    "model_length": "length",
    "max_tokens": "length",
    "max_output_tokens": "length",
    "function_call": "tool_calls",
    "tool_call": "tool_calls",
    "eos": "stop",
    "end_turn": "stop",
}
"""Wire finish reasons -> neutral ``stop|length|tool_calls|content_filter``."""


def finish_reason(reported: str | None, *, has_calls: bool) -> str:
    """The neutral finish reason: as reported (normalised), else from the content."""
    reason = _FINISH.get(reported, reported) if reported else None
    if has_calls and reason in (None, "stop"):
        return "tool_calls"
    return reason or "stop"
