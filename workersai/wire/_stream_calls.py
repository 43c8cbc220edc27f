"""Tool calls in streams: fragments by stable index, and calls written as JSON text.

:class:`CallTracker` maps every wire form onto neutral :class:`ToolCallFragment`s whose
``index`` is the call's position in the message (0, 1, ...), assigned on first sight:

- chat ``delta.tool_calls[{index, id, function: {name, arguments}}]``, split or whole;
- classic OpenAI-style deltas at the top level of the event, where the same wire index
  may be reused after a "null finalisation" item (``{"id": null, "function": {"name":
  null}}``) that closes the current call;
- classic whole calls ``{"name", "arguments": {...}}`` (no id: one is minted exactly as
  for a whole reply, so streamed and non-streamed ids agree);
- Responses ``output_item.added`` / ``function_call_arguments.delta`` keyed by output index.

``id`` and ``name`` ride on a call's first fragment only. :class:`TextCallBuffer` holds back
answer text that opens with ``{`` or ``[`` while tools are offered, and turns it into calls
as soon as it parses as calls naming offered tools (else releases it as text).
"""

from __future__ import annotations

from typing import Any

from .._json import loads
from ..types import InvalidToolCall, StreamDelta, ToolCall, ToolCallFragment
from ._tools import arguments_text, mint_call_id, parse_arguments, salvage_text_calls

__all__ = ["CallTracker", "TextCallBuffer"]


class _Call:
    __slots__ = ("args", "id", "name")

    def __init__(self) -> None:
        self.id: str | None = None
        self.name: str | None = None
        self.args: list[str] = []


class CallTracker:
    """Every tool call seen in one stream, in order."""

    __slots__ = ("_current", "_keys", "calls")

    def __init__(self) -> None:
        self.calls: list[_Call] = []
        self._keys: dict[Any, int] = {}  # open wire key -> local index
        self._current: int | None = None  # last call touched (for index-less pieces)

    def item(self, item: Any, out: list[StreamDelta]) -> None:
        """One element of a ``tool_calls`` list, in any stream form."""
        if not isinstance(item, dict):
            return
        fn = item.get("function")
        if not isinstance(fn, dict):
            if "name" in item and "index" not in item:
                self.whole(item.get("id"), item.get("name"), item.get("arguments"), out)
                return
            fn = {}
        wire_index, call_id = item.get("index"), item.get("id")
        name, args = fn.get("name"), fn.get("arguments")
        if wire_index is None and call_id is None and name is None and not args:
            self._close()
            return
        key: Any = None
        if wire_index is not None:
            key = ("i", wire_index)
        elif call_id is not None:
            key = ("id", call_id)
        self.piece(key, call_id, name, args, out)

    def piece(self, key: Any, call_id: Any, name: Any, args: Any, out: list[StreamDelta]) -> None:
        """A fragment of the call ``key`` names (``None``: the current call)."""
        local = self._local(key, call_id)
        call = self.calls[local]
        frag = ToolCallFragment(index=local)
        first = not call.args and call.id is None and call.name is None
        if isinstance(name, str) and name and call.name is None:
            call.name = frag.name = name
        if isinstance(call_id, str) and call_id and call.id is None:
            call.id = frag.id = call_id
        elif first:
            call.id = frag.id = mint_call_id(local, call.name or "", "")
        if args:
            text = arguments_text(args)
            call.args.append(text)
            frag.arguments = text
        if frag.id or frag.name or frag.arguments:
            out.append(StreamDelta(tool_call=frag))

    def whole(self, call_id: Any, name: Any, args: Any, out: list[StreamDelta]) -> None:
        """A complete call in one piece (classic streams, salvaged JSON text)."""
        local = self._new(None)
        if not (isinstance(call_id, str) and call_id):
            parsed, _ = parse_arguments(args)
            call_id = mint_call_id(local, str(name), parsed if parsed is not None else args)
        self.piece(None, call_id, name, args if args is not None else {}, out)
        self._close()

    def _new(self, key: Any) -> int:
        self.calls.append(_Call())
        local = len(self.calls) - 1
        if key is not None:
            self._keys[key] = local
        self._current = local
        return local

    def _local(self, key: Any, call_id: Any) -> int:
        if key is None:
            return self._current if self._current is not None else self._new(None)
        local = self._keys.get(key)
        if local is None:
            return self._new(key)
        known = self.calls[local].id
        if isinstance(call_id, str) and call_id and known is not None and known != call_id:
            return self._new(key)  # a new call reusing the wire index
        self._current = local
        return local

    def _close(self) -> None:
        if self._current is not None:
            self._keys = {k: v for k, v in self._keys.items() if v != self._current}
        self._current = None

    def result(self) -> tuple[list[ToolCall], list[InvalidToolCall]]:
        """The assembled calls, arguments parsed (unparseable ones kept as invalid)."""
        calls: list[ToolCall] = []
        invalid: list[InvalidToolCall] = []
        for local, call in enumerate(self.calls):
            raw = "".join(call.args)
            args, error = parse_arguments(raw)
            call_id = call.id or mint_call_id(local, call.name or "", raw)
            if error is None and args is not None and call.name:
                calls.append(ToolCall(call_id, call.name, args))
            else:
                invalid.append(InvalidToolCall(call_id, call.name, raw, error or "no name"))
        return calls, invalid


_HOLD_LIMIT = 65536
"""Text held back as a possible JSON tool call beyond this size is released as text."""


_NO_CALLS: list[tuple[str, dict[str, Any]]] = []
"""Shared, never mutated: most text carries no call."""


class TextCallBuffer:
    """Holds answer text that may be a tool call written as JSON (offered tools only)."""

    __slots__ = ("_buf", "_names", "_state")

    def __init__(self, names: frozenset[str]) -> None:
        self._names = names
        self._state = "probe" if names else "off"
        self._buf = ""

    @property
    def active(self) -> bool:
        """Whether text may still be held back as a tool call (tools were offered)."""
        return self._state != "off"

    def feed(self, text: str) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
        """``(text to emit now, calls recognised now)``."""
        if self._state == "off":
            return text, _NO_CALLS
        self._buf += text
        if self._state == "probe":
            head = self._buf.lstrip()
            if not head:
                return "", []
            if head[0] not in "{[":
                return self._release(), []
            self._state = "hold"
        tail = self._buf.rstrip()
        if len(self._buf) > _HOLD_LIMIT:
            return self._release(), []
        if not tail.endswith(("}", "]")):
            return "", []
        try:
            value = loads(tail)
        except ValueError:
            return "", []
        calls = salvage_text_calls(value, self._names)
        if calls:
            self._buf, self._state = "", "probe"
            return "", calls
        return self._release(), []

    def _release(self) -> str:
        text, self._buf, self._state = self._buf, "", "off"
        return text

    def flush(self) -> str:
        """Held text at the end of the stream (an incomplete JSON text stays text)."""
        return self._release()
