"""One state machine for every Workers AI stream: decoded SSE events -> neutral deltas.

Event forms read (reference section 3): classic ``{"response": "tok", "tool_calls": [],
"p": ...}`` chunks (``p`` padding ignored), classic tool calls (whole, or OpenAI-style
index deltas at the top level); ``chat.completion.chunk`` events with ``delta.content``,
``delta.reasoning_content``/``delta.reasoning``, ``delta.tool_calls`` and
``finish_reason``, including usage-only ``choices: []`` chunks; the trailing native
``{"response": "", "usage": {...}}`` event; the legacy ``{"streamed_data": [...]}`` form;
and Responses events (``response.output_text.delta`` ... ``response.completed``).

Usage is reported once, on the final delta: the last native cumulative usage event if
one came; else a usage-only ``choices: []`` chunk that counts the prompt (OpenAI's
``include_usage`` total); else, from per-chunk usage, the running cumulative figure when
chunks repeat the prompt count (cumulative style) or the sum of the chunks (incremental
style, section 3.2; gemma-4's usage-only chunk counts no prompt and is summed).

``</think>`` reasoning is split as in ``_reasoning`` (tag split across tokens included).
When tools were offered, answer text that opens with ``{``/``[`` is held back until it
either parses as tool calls naming offered tools (then emitted as tool-call fragments and
the finish reason is ``tool_calls``) or proves to be text (then released unchanged); at
the end of the stream anything still held is released as text.
"""

from __future__ import annotations

from typing import Any

from ..errors import ResponseFormatError, TruncatedStreamError, WorkersAIError
from ..types import ChatParams, Reply, StreamDelta, Usage
from ._conform import StopCutter, check_forced
from ._reasoning import ThinkSplitter
from ._replies import finish_reason, text_of
from ._stream_calls import CallTracker, TextCallBuffer
from ._tools import arguments_text, offered_tools
from ._usage import add_usage, read_usage
from .chat import forcing_emulated
from .families import think_in_text

__all__ = ["StreamAssembler", "coalesce"]

_RESPONSES_FINISH = {"response.completed", "response.incomplete", "response.failed"}
SHAPE_ERRORS = (TypeError, KeyError, IndexError, AttributeError, ValueError)
"""What reading an event of an unexpected shape raises (made a ``ResponseFormatError``)."""


class StreamAssembler:
    """Feed decoded stream events; get neutral :class:`StreamDelta`s.

    Example:
        >>> asm = StreamAssembler("@cf/meta/llama-3.1-8b-instruct-fast", ChatParams())
        >>> [d.text for d in asm.feed({"response": "Hi", "p": "xyz"})]
        ['Hi']
        >>> asm.done()
        >>> asm.finish().finish_reason
        'stop'
    """

    __slots__ = (
        "_buffer",
        "_calls",
        "_chunk_usage",
        "_done",
        "_fast",
        "_final",
        "_final_usage",
        "_finish",
        "_id",
        "_model",
        "_params",
        "_reasoning",
        "_stop",
        "_tail_usage",
        "_text",
        "_think",
        "_wire_model",
    )

    def __init__(self, model: str, params: ChatParams) -> None:
        self._model = model
        self._params = params
        self._stop = StopCutter(params.stop) if params.stop else None
        self._think = ThinkSplitter(think_model=think_in_text(model))
        self._buffer = TextCallBuffer(offered_tools(params))
        self._fast = False  # plain text from here on: no think tag, no JSON tool call
        self._calls = CallTracker()
        self._text: list[str] = []
        self._reasoning: list[str] = []
        self._finish: str | None = None
        self._done = False
        self._id: str | None = None
        self._wire_model: str | None = None
        self._final_usage: Any = None
        self._chunk_usage: list[Any] = []
        self._tail_usage: Any = None
        self._final: StreamDelta | None = None

    def feed(self, event: dict[str, Any]) -> list[StreamDelta]:
        """The deltas one decoded event yields (often one, sometimes none).

        Raises:
            ResponseFormatError: the event has a shape no Workers AI stream sends.
        """
        out: list[StreamDelta] = []
        if not isinstance(event, dict):
            return out
        try:
            if "choices" in event:
                self._chat(event, out)
            elif "streamed_data" in event:
                for sub in event["streamed_data"] or ():
                    if isinstance(sub, dict):
                        out.extend(self.feed(sub))
            elif "type" in event and str(event["type"]).startswith("response."):
                self._responses(event, out)
            else:
                self._classic(event, out)
        except WorkersAIError:
            raise
        except SHAPE_ERRORS as exc:
            raise ResponseFormatError(f"Unexpected Workers AI answer: {exc}") from exc
        return out

    def done(self) -> None:
        """The stream sent ``[DONE]``."""
        self._done = True

    # -- event forms -------------------------------------------------------------------

    def _classic(self, event: dict[str, Any], out: list[StreamDelta]) -> None:
        token = event.get("response")
        if token:
            self._text_piece(token if type(token) is str else arguments_text(token), out)
        calls = event.get("tool_calls")
        if calls:
            for item in calls:
                self._calls.item(item, out)
        if event.get("usage"):
            self._final_usage = event["usage"]
        if event.get("finish_reason"):
            self._finish = event["finish_reason"]

    def _chat(self, event: dict[str, Any], out: list[StreamDelta]) -> None:
        self._note_ids(event)
        usage = event.get("usage")
        if usage:
            if not event["choices"] and isinstance(usage, dict) and usage.get("prompt_tokens"):
                self._tail_usage = usage  # OpenAI include_usage: the whole figure, at the end
            self._chunk_usage.append(usage)
        for choice in event["choices"] or ():
            if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                continue
            delta = choice.get("delta")
            if isinstance(delta, dict):
                self._delta(delta, out)
            elif choice.get("text"):
                self._text_piece(text_of(choice["text"]), out)
            if choice.get("finish_reason"):
                self._finish = choice["finish_reason"]

    def _delta(self, delta: dict[str, Any], out: list[StreamDelta]) -> None:
        reasoning = delta.get("reasoning_content") or delta.get("reasoning")
        if reasoning and isinstance(reasoning, str):
            self._reasoning_piece(reasoning, out)
        content = delta.get("content")
        if content:
            self._text_piece(content if type(content) is str else text_of(content), out)
        calls = delta.get("tool_calls")
        if calls:
            for item in calls:
                self._calls.item(item, out)

    def _responses(self, event: dict[str, Any], out: list[StreamDelta]) -> None:
        kind = event["type"]
        delta = event.get("delta")
        if kind == "response.output_text.delta" and isinstance(delta, str):
            self._text_piece(delta, out)
        elif kind.startswith("response.reasoning") and kind.endswith(".delta"):
            if isinstance(delta, str) and delta:
                self._reasoning_piece(delta, out)
        elif kind == "response.output_item.added":
            item = event.get("item")
            if isinstance(item, dict) and item.get("type") == "function_call":
                key = ("o", event.get("output_index"))
                self._calls.piece(key, item.get("call_id"), item.get("name"), None, out)
        elif kind == "response.function_call_arguments.delta" and delta:
            self._calls.piece(("o", event.get("output_index")), None, None, delta, out)
        elif isinstance(event.get("response"), dict):
            self._responses_state(kind, event["response"])

    def _responses_state(self, kind: str, response: dict[str, Any]) -> None:
        self._note_ids(response)
        if kind not in _RESPONSES_FINISH:
            return
        if response.get("usage"):
            self._final_usage = response["usage"]
        incomplete = response.get("status") == "incomplete" or kind == "response.incomplete"
        self._finish = "length" if incomplete else "stop"
        if kind == "response.failed":
            self._finish = "error"

    # -- pieces ------------------------------------------------------------------------

    def _note_ids(self, obj: dict[str, Any]) -> None:
        if self._id is None and isinstance(obj.get("id"), str):
            self._id = obj["id"]
        if self._wire_model is None and isinstance(obj.get("model"), str):
            self._wire_model = obj["model"]

    def _reasoning_piece(self, text: str, out: list[StreamDelta]) -> None:
        _keep(self._reasoning, text)
        out.append(StreamDelta(reasoning=text))

    def _text_piece(self, token: str, out: list[StreamDelta]) -> None:
        if self._fast:  # the per-token hot path once nothing can hold text back (_keep)
            pieces = self._text
            pieces.append(token)
            if len(pieces) >= _COMPACT_AT:
                pieces[:] = ["".join(pieces)]
            out.append(StreamDelta(text=token))
            return
        if self._stop is not None and self._think.settled and not self._buffer.active:
            self._stopped_piece(token, out)
            return
        self._fast = self._think.settled and not self._buffer.active and self._stop is None
        reasoning, text = self._think.feed(token)
        if reasoning:
            self._reasoning_piece(reasoning, out)
        if not text:
            return
        text, calls = self._buffer.feed(text)
        for name, args in calls:
            self._calls.whole(None, name, args, out)
        if text and self._stop is not None:
            self._stopped_piece(text, out)
        elif text:
            _keep(self._text, text)
            out.append(StreamDelta(text=text))

    def _stopped_piece(self, text: str, out: list[StreamDelta]) -> None:
        """Text through the client-side stop cutter (``stop`` given)."""
        assert self._stop is not None
        was_stopped = self._stop.stopped
        text = self._stop.feed(text)
        if self._stop.stopped and not was_stopped:
            self._finish = "stop"
        if text:
            _keep(self._text, text)
            out.append(StreamDelta(text=text))

    # -- the end -----------------------------------------------------------------------

    def finish(self) -> StreamDelta:
        """The final delta (``final=True``): finish reason, model, id, usage once.

        Raises:
            TruncatedStreamError: neither ``[DONE]`` nor a finish reason was seen.
        """
        if self._final is not None:
            return self._final
        if not self._done and self._finish is None:
            raise TruncatedStreamError(
                "the stream ended without [DONE] or a finish reason; the answer is incomplete",
                partial_text="".join(self._text),
            )
        reasoning, text = self._think.flush()  # at most one of these two holds text:
        text = self._buffer.flush() + text  # the buffer only sees text the splitter passed
        if self._stop is not None:
            text = self._stop.feed(text) + ("" if self._stop.stopped else self._stop.flush())
            if self._stop.stopped:
                self._finish = "stop"
        emulated = forcing_emulated(self._model)
        check_forced(self._params, bool(self._calls.calls), self._model, emulated=emulated)
        self._reasoning.append(reasoning)
        self._text.append(text)
        self._final = StreamDelta(
            text=text,
            reasoning=reasoning,
            final=True,
            finish_reason=finish_reason(self._finish, has_calls=bool(self._calls.calls)),
            model=self._wire_model or self._model,
            id=self._id,
            usage=self._usage(),
        )
        return self._final

    def _usage(self) -> Usage | None:
        if self._final_usage is not None or self._tail_usage is not None:
            return read_usage(self._final_usage or self._tail_usage)
        chunks = [u for u in map(read_usage, self._chunk_usage) if u is not None]
        if not chunks:
            return None
        totals = [u.total_tokens for u in chunks]
        repeated_prompt = sum(1 for u in chunks if u.input_tokens > 0) >= 2
        if repeated_prompt and totals == sorted(totals):
            return chunks[-1]  # running cumulative figures: the last is the whole
        total = chunks[0]
        for usage in chunks[1:]:
            total = add_usage(total, usage)
        return total

    def reply(self) -> Reply:
        """Everything streamed, assembled into one :class:`Reply` (after :meth:`finish`).

        Tool-call arguments are parsed here; unparseable ones are ``invalid_tool_calls``.
        """
        final = self.finish()
        calls, invalid = self._calls.result()
        return Reply(
            text="".join(self._text),
            reasoning="".join(self._reasoning) or None,
            tool_calls=calls,
            invalid_tool_calls=invalid,
            usage=final.usage,
            finish_reason=final.finish_reason,
            model=final.model,
            id=final.id,
        )


_COMPACT_AT = 512


def _keep(pieces: list[str], piece: str) -> None:
    """Append ``piece``, joining the list into one string every few hundred pieces: the
    text is kept (for truncation errors and :meth:`StreamAssembler.reply`) at the size of
    the text itself, not of one object per token."""
    pieces.append(piece)
    if len(pieces) >= _COMPACT_AT:
        pieces[:] = ["".join(pieces)]


def _plain(delta: StreamDelta) -> str | None:
    """``"text"`` or ``"reasoning"`` for a delta carrying only that, else None."""
    if delta.tool_call is not None or delta.final or delta.usage is not None:
        return None
    if delta.finish_reason is not None or delta.model is not None or delta.id is not None:
        return None
    if delta.text and not delta.reasoning:
        return "text"
    if delta.reasoning and not delta.text:
        return "reasoning"
    return None


def coalesce(deltas: list[StreamDelta]) -> list[StreamDelta]:
    """Merge neighbouring text-only (or reasoning-only) deltas.

    Used on the deltas of events that arrived in one network read: the caller gets the
    same text at the same moment in fewer pieces, so a framework's per-chunk cost is paid
    once per read instead of once per token. Tool-call fragments, usage and the final
    delta are never merged, and order is kept.
    """
    if len(deltas) < 2:
        return deltas
    out: list[StreamDelta] = []
    run: list[str] = []
    kind: str | None = None
    for delta in deltas:
        this = _plain(delta)
        if this is not None and this == kind:
            run.append(delta.text or delta.reasoning)
            continue
        if kind is not None:
            out.append(_joined(kind, run))
        if this is None:
            out.append(delta)
            kind, run = None, []
        else:
            kind, run = this, [delta.text or delta.reasoning]
    if kind is not None:
        out.append(_joined(kind, run))
    return out


def _joined(kind: str, pieces: list[str]) -> StreamDelta:
    text = "".join(pieces)
    return StreamDelta(text=text) if kind == "text" else StreamDelta(reasoning=text)
