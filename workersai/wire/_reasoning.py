"""Reasoning written into the text, ended by ``</think>`` (DeepSeek-R1 distill, QwQ).

The rule, the same for whole replies and streams: for a model the catalog marks
``reasoning="think"`` everything before ``</think>`` is reasoning (R1 omits the opening
``<think>``; one is stripped if present), everything after it (leading whitespace
dropped) is the answer, and a reply that never closes the tag is all reasoning (the model
stopped while thinking). For any other model the split happens only when the text opens
with ``<think>``. A reply that already carries a reasoning field is not split.
"""

from __future__ import annotations

__all__ = ["THINK_OPEN", "THINK_CLOSE", "split_think", "ThinkSplitter"]

THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"


def _strip_open(text: str) -> tuple[bool, str]:
    stripped = text.lstrip()
    if stripped.startswith(THINK_OPEN):
        return True, stripped[len(THINK_OPEN) :]
    return False, text


def split_think(text: str, *, think_model: bool) -> tuple[str | None, str]:
    """``(reasoning, answer)``; reasoning is ``None`` when the text has none."""
    opened, body = _strip_open(text)
    if not (opened or think_model):
        return None, text
    close = body.find(THINK_CLOSE)
    if close < 0:
        return (body, "") if body else (None, "")
    return body[:close], body[close + len(THINK_CLOSE) :].lstrip()


def _partial_close(buf: str) -> int:
    """Length of the longest tail of ``buf`` that could begin a ``</think>`` tag."""
    tail = buf[-(len(THINK_CLOSE) - 1) :]
    start = tail.find("<")
    while start >= 0:
        if THINK_CLOSE.startswith(tail[start:]):
            return len(tail) - start
        start = tail.find("<", start + 1)
    return 0


class ThinkSplitter:
    """Streaming :func:`split_think`: tokens in, ``(reasoning, text)`` pieces out.

    Holds back at most seven characters (a tag split across tokens) and nothing once the
    tag has passed.
    """

    __slots__ = ("_lead", "_pending", "_probing", "_thinking")

    def __init__(self, *, think_model: bool) -> None:
        self._thinking = think_model
        self._probing = True  # nothing decided yet: a leading <think> may still arrive
        self._pending = ""
        self._lead = False  # drop whitespace that opens the answer

    @property
    def settled(self) -> bool:
        """Nothing held or to strip, and no thinking: every later token is plain text."""
        return not (self._probing or self._thinking or self._lead or self._pending)

    def feed(self, token: str) -> tuple[str, str]:
        """The reasoning and answer text ``token`` completes (either may be empty)."""
        if self._probing:
            buf = self._pending + token
            stripped = buf.lstrip()
            if len(stripped) < len(THINK_OPEN) and THINK_OPEN.startswith(stripped):
                self._pending = buf
                return "", ""
            self._probing, self._pending = False, ""
            opened, token = _strip_open(buf)
            self._thinking = self._thinking or opened
        if not self._thinking:
            return "", self._answer(token)
        buf = self._pending + token
        close = buf.find(THINK_CLOSE)
        if close >= 0:
            self._thinking, self._pending, self._lead = False, "", True
            return buf[:close], self._answer(buf[close + len(THINK_CLOSE) :])
        keep = _partial_close(buf)
        self._pending = buf[len(buf) - keep :] if keep else ""
        return buf[: len(buf) - keep], ""

    def _answer(self, text: str) -> str:
        if self._lead:
            text = text.lstrip()
            self._lead = not text
        return text

    def flush(self) -> tuple[str, str]:
        """What is still held back at the end of the stream."""
        pending, self._pending = self._pending, ""
        if self._probing:
            self._probing = False
            return ("", pending) if not self._thinking else (pending, "")
        return (pending, "") if self._thinking else ("", pending)
