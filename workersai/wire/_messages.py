"""Neutral :class:`Message` lists -> the ``messages`` array a model accepts.

Rules (reference sections 2.1, 2.5, 2.6): content is a string unless the turn carries an
image and the model takes images (text-only classic models reject content arrays);
assistant tool-call turns have ``content: ""`` (never ``null``) and OpenAI-style
``tool_calls`` with JSON-string arguments; tool results carry ``tool_call_id`` and the
tool's ``name``; classic models get consecutive same-role turns merged, and call ids
with at least nine alphanumerics (their schemas' ``tool_call_id`` pattern).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from ..errors import InvalidInputError
from ..types import ImagePart, Message, Part, TextPart, ToolCall
from ._tools import arguments_text
from .families import ChatRules

__all__ = ["messages_body", "merge_same_role", "wire_call_id"]

_ROLES = frozenset({"system", "user", "assistant", "tool"})
_ALNUM9 = re.compile(r"[A-Za-z0-9]{9}")


def wire_call_id(call_id: str, rules: ChatRules) -> str:
    """``call_id`` as the model accepts it (a stable 9-hex stand-in where needed)."""
    if not rules.alnum_call_ids or _ALNUM9.search(call_id):
        return call_id
    return hashlib.sha256(call_id.encode()).hexdigest()[:9]


def _parts(content: str | list[Part]) -> list[Part]:
    return [TextPart(content)] if isinstance(content, str) else list(content)


def _joined(a: str | list[Part], b: str | list[Part]) -> str | list[Part]:
    if isinstance(a, str) and isinstance(b, str):
        return f"{a}\n\n{b}" if a and b else a or b
    return _parts(a) + _parts(b)


def merge_same_role(messages: list[Message]) -> list[Message]:
    """Consecutive turns of one role (tool results excepted) folded into one."""
    merged: list[Message] = []
    for msg in messages:
        last = merged[-1] if merged else None
        if last is not None and last.role == msg.role and msg.role != "tool":
            merged[-1] = Message(
                role=msg.role,
                content=_joined(last.content, msg.content),
                tool_calls=[*last.tool_calls, *msg.tool_calls],
            )
        else:
            merged.append(msg)
    return merged


def _text_only(parts: list[Part]) -> str:
    return "\n".join(p.text for p in parts if isinstance(p, TextPart))


def _part_body(part: Part, rules: ChatRules, where: str) -> dict[str, Any]:
    if isinstance(part, TextPart):
        return {"type": "text", "text": part.text}
    if not part.data_url.startswith("data:"):
        raise InvalidInputError(f"{where}: images must be data: URLs (Workers AI rejects http)")
    image: dict[str, Any] = {"url": part.data_url}
    if part.detail is not None and rules.image_detail:
        image["detail"] = part.detail
    return {"type": "image_url", "image_url": image}


def _content(content: str | list[Part], rules: ChatRules, where: str) -> Any:
    if isinstance(content, str):
        return content
    if not any(isinstance(p, ImagePart) for p in content):
        return _text_only(content)
    if not rules.vision:
        raise InvalidInputError(f"{where}: this model does not take images")
    return [_part_body(p, rules, where) for p in content]


def _call_body(call: ToolCall, rules: ChatRules) -> dict[str, Any]:
    return {
        "id": wire_call_id(call.id, rules),
        "type": "function",
        "function": {"name": call.name, "arguments": arguments_text(call.arguments)},
    }


def _tool_result(msg: Message, names: dict[str, str], rules: ChatRules, where: str) -> Any:
    if not msg.tool_call_id:
        raise InvalidInputError(f"{where}: a tool result needs the tool_call_id it answers")
    if not isinstance(msg.content, str) and any(isinstance(p, ImagePart) for p in msg.content):
        raise InvalidInputError(f"{where}: tool results must be text")
    body: dict[str, Any] = {
        "role": "tool",
        "tool_call_id": wire_call_id(msg.tool_call_id, rules),
        "content": msg.content if isinstance(msg.content, str) else _text_only(msg.content),
    }
    name = msg.name or names.get(msg.tool_call_id)
    if name:
        body["name"] = name
    return body


def messages_body(messages: list[Message], rules: ChatRules) -> list[dict[str, Any]]:
    """The wire ``messages`` for ``rules``' model.

    Raises:
        InvalidInputError: empty list, unknown role, tool result without id, image on a
            text-only model or as a non-``data:`` URL.
    """
    if not messages:
        raise InvalidInputError("messages must not be empty")
    if rules.merge_same_role:
        messages = merge_same_role(messages)
    names: dict[str, str] = {}
    out: list[dict[str, Any]] = []
    for i, msg in enumerate(messages):
        where = f"message {i}"
        if msg.role not in _ROLES:
            raise InvalidInputError(f"{where}: unknown role {msg.role!r}")
        if msg.role == "tool":
            out.append(_tool_result(msg, names, rules, where))
            continue
        body: dict[str, Any] = {"role": msg.role, "content": _content(msg.content, rules, where)}
        if msg.tool_calls:
            names.update((c.id, c.name) for c in msg.tool_calls)
            body["tool_calls"] = [_call_body(c, rules) for c in msg.tool_calls]
        out.append(body)
    return out
