"""Keeping requests inside a model's published input schema, and the client-side halves.

* **Bounds**: a :class:`ChatParams` value outside the schema's ``minimum``/``maximum`` is
  refused before sending (:func:`check_bound`).
* **Forced tool use without ``tool_choice``** (classic models, qwen3, gpt-oss): the
  request carries an instruction (:func:`forcing_instruction`) in its system turn; a
  named tool is also the only tool sent; the reply is checked (:func:`check_forced`).
* **Stop sequences without ``stop``**: the text is cut before the first stop sequence
  (:func:`cut_at_stop`; in streams :class:`StopCutter` holds back ``len(stop) - 1``
  characters so a sequence split across tokens is still caught).

The strategy per case is written up in ``docs/conformance.md``.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import replace
from typing import Any

from ..errors import InvalidInputError, ToolCallMissingError
from ..types import ChatParams, ForcedTool, ImagePart, Message, ToolSpec

__all__ = [
    "check_bound",
    "forced",
    "forcing_instruction",
    "add_instruction",
    "check_forced",
    "cut_at_stop",
    "StopCutter",
    "lift_image",
]

FORCE_PREFIX = "Answer only by calling"
"""The instruction's opening words (the emulator's forced-tool rule keys on them)."""


def check_bound(model: str, name: str, value: Any, lo: float | None, hi: float | None) -> None:
    """Refuse ``value`` outside ``[lo, hi]`` (the schema's range for field ``name``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        low = "-inf" if lo is None else f"{lo:g}"
        high = "inf" if hi is None else f"{hi:g}"
        raise InvalidInputError(
            f"{name}={value!r} is outside {model}'s accepted range [{low}, {high}] "
            "(its published input schema)"
        )


def forced(params: ChatParams) -> bool:
    """Whether ``params`` force a tool call (``any``/``required`` or a named tool)."""
    choice = params.tool_choice
    return bool(params.tools) and (isinstance(choice, ForcedTool) or choice in ("any", "required"))


def forcing_instruction(tools: list[ToolSpec], choice: Any) -> str:
    """The system-turn sentence that asks for a tool call."""
    if isinstance(choice, ForcedTool):
        return f"{FORCE_PREFIX} the tool `{choice.name}`; do not reply in plain text."
    names = ", ".join(f"`{t.name}`" for t in tools)
    return f"{FORCE_PREFIX} one of the provided tools ({names}); do not reply in plain text."


def add_instruction(messages: list[dict[str, Any]], instruction: str) -> None:
    """Append ``instruction`` to the leading system turn (or insert one)."""
    first = messages[0] if messages else None
    if first is not None and first.get("role") == "system" and isinstance(first["content"], str):
        first["content"] = f"{first['content']}\n\n{instruction}" if first["content"] else (
            instruction
        )
        return
    messages.insert(0, {"role": "system", "content": instruction})


def check_forced(params: ChatParams, has_calls: bool, model: str, *, emulated: bool) -> None:
    """Raise when a tool call was forced by instruction (``emulated``: the model's schema
    has no ``tool_choice``) and the reply has none. Where the service takes
    ``tool_choice`` itself, a reply without the call is left to the caller's parser."""
    if has_calls or not emulated or not forced(params):
        return
    choice = params.tool_choice
    what = f"the {choice.name!r} tool" if isinstance(choice, ForcedTool) else "a tool"
    raise ToolCallMissingError(
        f"{model} answered without calling {what} although tool_choice={_shown(choice)} "
        "forced one"
    )


def _shown(choice: Any) -> str:
    return repr(choice.name) if isinstance(choice, ForcedTool) else repr(choice)


def cut_at_stop(text: str, stops: tuple[str, ...] | list[str]) -> tuple[str, bool]:
    """``text`` up to the earliest stop sequence, and whether one was found."""
    cut = min((i for i in (text.find(s) for s in stops if s) if i >= 0), default=-1)
    return (text, False) if cut < 0 else (text[:cut], True)


class StopCutter:
    """Streamed text -> text safe to emit, cut before the first stop sequence."""

    __slots__ = ("_held", "_hold", "_stops", "stopped")

    def __init__(self, stops: tuple[str, ...] | list[str]) -> None:
        self._stops = [s for s in stops if s]
        self._hold = max((len(s) for s in self._stops), default=1) - 1
        self._held = ""
        self.stopped = False

    def feed(self, piece: str) -> str:
        """The part of ``held + piece`` that cannot start a stop sequence."""
        if self.stopped:
            return ""
        text, found = cut_at_stop(self._held + piece, self._stops)
        if found:
            self.stopped, self._held = True, ""
            return text
        keep = len(text) - self._hold if self._hold else len(text)
        self._held = text[max(keep, 0) :]
        return text[: max(keep, 0)]

    def flush(self) -> str:
        """What is still held back (the stream ended without a stop sequence)."""
        held, self._held = self._held, ""
        return held


def lift_image(messages: list[Message], model: str) -> tuple[list[Message], list[int] | None]:
    """For schemas with a top-level ``image`` and text-only content (llama-3.2 vision):
    the one image's bytes as integers, and the messages without image parts.

    Raises:
        InvalidInputError: more than one image, or a ``data:`` URL that is not base64.
    """
    images = [p for m in messages if not isinstance(m.content, str) for p in m.content
              if isinstance(p, ImagePart)]
    if not images:
        return messages, None
    if len(images) > 1:
        raise InvalidInputError(f"{model} takes one image per request, not {len(images)}")
    head, _, data = images[0].data_url.partition(",")
    if not head.startswith("data:") or not head.endswith(";base64"):
        raise InvalidInputError("images must be base64 data: URLs")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInputError(f"the image data: URL is not valid base64: {exc}") from exc
    kept = [
        m if isinstance(m.content, str)
        else replace(m, content=[p for p in m.content if not isinstance(p, ImagePart)])
        for m in messages
    ]
    return kept, list(raw)
