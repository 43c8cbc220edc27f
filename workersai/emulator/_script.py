"""Scripted replies: queue exact answers for the next chat requests.

Each text-generation request (native ``/ai/run``, ``/ai/v1/chat/completions``,
``/ai/v1/responses``; not batch items) takes the oldest queued reply, if any, instead of
the answering rules, and it is rendered in the requested model's family shape, streamed
or not. Scripted replies are exact: ``max_tokens`` and ``stop`` do not cut them; usage
counts their word pieces.

Example:
    >>> from workersai.emulator import Emulator
    >>> emu = Emulator()
    >>> _ = emu.script.text("Paris.")                      # queued
    >>> _ = emu.script.tool_call("get_weather", {"city": "Paris"})
    >>> _ = emu.script.error(429, 3040, "Capacity temporarily exceeded, please try again.")
    >>> len(emu.script)
    3
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from ._answer import NO_JSON, Call, Conversation, Plan, finish_plan
from ._errors import EmuError
from ._words import count_tokens

__all__ = ["Scripted", "Script", "scripted_plan"]


@dataclass(frozen=True, slots=True, eq=False)
class Scripted:
    """One queued reply (build it with :class:`Script`'s methods)."""

    kind: str  # text | tool_calls | json | error
    text: str = ""
    reasoning: str = ""
    calls: tuple[tuple[str, dict[str, Any]], ...] = ()
    value: Any = None
    status: int = 0
    code: int = 0
    message: str = ""
    finish: str = "stop"


class Script:
    """The queue of scripted replies (thread-safe). The builder methods queue the reply
    and return it; :meth:`push` queues replies built elsewhere (one already queued is not
    queued twice)."""

    def __init__(self) -> None:
        self._queue: deque[Scripted] = deque()
        self._lock = threading.Lock()

    def push(self, *replies: Scripted) -> None:
        """Queue ``replies`` in order."""
        with self._lock:
            for reply in replies:
                if not any(reply is queued for queued in self._queue):
                    self._queue.append(reply)

    def _add(self, reply: Scripted) -> Scripted:
        with self._lock:
            self._queue.append(reply)
        return reply

    def text(self, text: str, *, reasoning: str = "", finish_reason: str = "stop") -> Scripted:
        """Answer ``text`` (with ``reasoning`` on reasoning-capable shapes)."""
        return self._add(Scripted("text", text=text, reasoning=reasoning, finish=finish_reason))

    def tool_call(self, name: str, arguments: dict[str, Any] | None = None) -> Scripted:
        """Call one tool with ``arguments``."""
        return self.tool_calls([(name, arguments or {})])

    def tool_calls(self, calls: list[tuple[str, dict[str, Any]]]) -> Scripted:
        """Call several tools at once."""
        return self._add(Scripted("tool_calls", calls=tuple(calls), finish="tool_calls"))

    def json(self, value: Any) -> Scripted:
        """Answer with a JSON value (classic ``response`` object; chat: JSON text)."""
        return self._add(Scripted("json", value=value))

    def error(self, status: int, code: int, message: str) -> Scripted:
        """Fail with HTTP ``status`` and a Cloudflare error ``code`` / ``message``."""
        return self._add(Scripted("error", status=status, code=code, message=message))

    def pop(self) -> Scripted | None:
        """The oldest queued reply, removed; ``None`` when the queue is empty."""
        with self._lock:
            return self._queue.popleft() if self._queue else None

    def clear(self) -> None:
        """Drop every queued reply."""
        with self._lock:
            self._queue.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._queue)


def scripted_plan(reply: Scripted, conv: Conversation) -> Plan:
    """The :class:`Plan` for a scripted reply; raises :class:`EmuError` for an error."""
    if reply.kind == "error":
        raise EmuError(reply.status, reply.code, reply.message)
    exact = Conversation(max_tokens=None, texts=conv.texts)
    plan = Plan(prompt_tokens=sum(count_tokens(t) for t in conv.texts), finish=reply.finish)
    if reply.kind == "tool_calls":
        plan.calls = [Call(name, dict(args)) for name, args in reply.calls]
    elif reply.kind == "json":
        plan.json_value = reply.value
    plan = finish_plan(plan, exact, reply.reasoning, reply.text)
    if plan.json_value is NO_JSON and not plan.calls:
        plan.finish = reply.finish
    return plan
