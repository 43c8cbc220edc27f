"""``WorkersAICostEventHandler``: tokens, neurons and dollars of Workers AI LLM calls.

An event handler of LlamaIndex's instrumentation module (the module LlamaIndex 0.14
recommends; the ``callbacks``/``CallbackManager`` API is its legacy, kept during a
deprecation period). It feeds a :class:`workersai.cost.CostTracker` from
``LLMChatEndEvent`` and ``LLMCompletionEndEvent`` (streams included: their end event
carries the last response), reading ``ChatResponse.raw["usage"]`` (``prompt_tokens``,
``completion_tokens``, ``cached_tokens``) and ``raw["neurons"]`` when present; without
reported neurons they are estimated from the catalog's prices.

The matching start events name the model (``model_dict["model_name"]``), check whether
the call's worst case would cross the free daily allocation, and, with the span tracker
that :meth:`WorkersAICostEventHandler.attach` also installs, charge the call to its
outermost span (one query or agent run is one run).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping
from typing import Any

from llama_index.core.instrumentation import Dispatcher, get_dispatcher
from llama_index.core.instrumentation.event_handlers import BaseEventHandler
from llama_index.core.instrumentation.events import BaseEvent
from llama_index.core.instrumentation.events.exception import ExceptionEvent
from llama_index.core.instrumentation.events.llm import (
    LLMChatEndEvent,
    LLMChatStartEvent,
    LLMCompletionEndEvent,
    LLMCompletionStartEvent,
)
from llama_index.core.instrumentation.span_handlers import BaseSpanHandler
from pydantic import Field, PrivateAttr

from workersai.cost import CostTracker, CostViews, rough_tokens
from workersai.types import ResponseMeta, Usage

__all__ = ["WorkersAICostEventHandler"]

_PREFIXES = ("@cf/", "@hf/")


class _SpanTree(BaseSpanHandler[Any]):
    """Remembers each open span's parent so a call can be charged to its outermost span."""

    parents: dict[str, str | None] = Field(default_factory=dict)

    @classmethod
    def class_name(cls) -> str:
        return "WorkersAISpanTree"

    def span_enter(self, id_: str, bound_args: Any, instance: Any = None,
                   parent_id: str | None = None, tags: Any = None, **kwargs: Any) -> None:
        with self.lock:
            self.parents[id_] = parent_id

    def span_exit(self, id_: str, bound_args: Any, instance: Any = None,
                  result: Any = None, **kwargs: Any) -> None:
        with self.lock:
            self.parents.pop(id_, None)

    def span_drop(self, id_: str, bound_args: Any, instance: Any = None,
                  err: BaseException | None = None, **kwargs: Any) -> None:
        self.span_exit(id_, bound_args, instance)

    def root(self, span_id: str) -> str:
        with self.lock:
            node = span_id
            while (parent := self.parents.get(node)) is not None:
                node = parent
            return node

    def new_span(self, id_: str, bound_args: Any, instance: Any = None,
                 parent_span_id: str | None = None, tags: Any = None, **kwargs: Any) -> None:
        return None

    def prepare_to_exit_span(self, id_: str, bound_args: Any, instance: Any = None,
                             result: Any = None, **kwargs: Any) -> None:
        return None

    def prepare_to_drop_span(self, id_: str, bound_args: Any, instance: Any = None,
                             err: BaseException | None = None, **kwargs: Any) -> None:
        return None


def _usage(raw: Mapping[str, Any]) -> tuple[Usage | None, ResponseMeta]:
    usage = raw.get("usage")
    usage = usage if isinstance(usage, Mapping) else {}
    neurons = raw.get("neurons", usage.get("neurons"))
    meta = ResponseMeta(neurons=float(neurons) if isinstance(neurons, (int, float)) else None)
    if not usage:
        return None, meta
    return Usage(
        input_tokens=int(usage.get("prompt_tokens", 0)),
        output_tokens=int(usage.get("completion_tokens", 0)),
        total_tokens=int(usage.get("total_tokens", 0)),
        cached_input_tokens=usage.get("cached_tokens"),
    ), meta


def _prompt_tokens(event: LLMChatStartEvent | LLMCompletionStartEvent) -> int:
    if isinstance(event, LLMCompletionStartEvent):
        return rough_tokens(event.prompt)
    return sum(rough_tokens(str(m.content or "")) for m in event.messages)


class WorkersAICostEventHandler(CostViews, BaseEventHandler):
    """Totals tokens, neurons and dollars of Workers AI LLM calls; warns about the free tier.

    Example:
        .. code-block:: python

            from llamaindex_workersai import WorkersAI, WorkersAICostEventHandler

            costs = WorkersAICostEventHandler().attach()  # the root dispatcher
            WorkersAI(model="@cf/meta/llama-3.3-70b-instruct-fp8-fast").complete("Hello")
            print(costs.tracker.summary(), costs.by_model)
            costs.detach()
    """

    tracker: CostTracker = Field(default_factory=CostTracker)
    _spans: _SpanTree = PrivateAttr(default_factory=_SpanTree)
    _calls: dict[str, tuple[str, str]] = PrivateAttr(default_factory=dict)
    _seen: deque[Any] = PrivateAttr(default_factory=lambda: deque(maxlen=64))
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @classmethod
    def class_name(cls) -> str:
        return "WorkersAICostEventHandler"

    def attach(self, dispatcher: Dispatcher | None = None) -> WorkersAICostEventHandler:
        """Listen on ``dispatcher`` (the root one by default), with the span tracker."""
        d = dispatcher or get_dispatcher()
        d.add_event_handler(self)
        d.add_span_handler(self._spans)
        return self

    def detach(self, dispatcher: Dispatcher | None = None) -> None:
        """Stop listening on ``dispatcher`` (the root one by default)."""
        d = dispatcher or get_dispatcher()
        d.event_handlers = [h for h in d.event_handlers if h is not self]
        d.span_handlers = [h for h in d.span_handlers if h is not self._spans]

    def handle(self, event: BaseEvent, **kwargs: Any) -> None:
        """Route the LLM start and end events; every other event is ignored."""
        if isinstance(event, (LLMChatStartEvent, LLMCompletionStartEvent)):
            self._start(event)
        elif isinstance(event, (LLMChatEndEvent, LLMCompletionEndEvent)):
            self._end(event.span_id, event.response)
        elif isinstance(event, ExceptionEvent) and event.span_id:
            with self._lock:
                self._calls.pop(event.span_id, None)  # a failed stream has no end event

    def _start(self, event: LLMChatStartEvent | LLMCompletionStartEvent) -> None:
        info = event.model_dict
        model = info.get("model_name")
        if not str(info.get("class_name", "")).startswith("WorkersAI") or not model:
            return
        if event.span_id:
            with self._lock:
                self._calls[event.span_id] = (str(model), self._spans.root(event.span_id))
        self.tracker.precheck(str(model), _prompt_tokens(event), info.get("num_output"))

    def _end(self, span_id: str | None, response: Any) -> None:
        with self._lock:
            call = self._calls.pop(span_id, None) if span_id else None
        raw = getattr(response, "raw", None)
        if not isinstance(raw, Mapping) or self._already_counted(raw):
            return
        model, run = call or (raw.get("model"), None)
        if call is None and not str(model or "").startswith(_PREFIXES):
            return  # another provider's model
        usage, meta = _usage(raw)
        self.tracker.record(str(model), usage, meta, run_id=run)

    def _already_counted(self, raw: Mapping[str, Any]) -> bool:
        """A completion made from a chat response shares its ``raw``: count it once."""
        with self._lock:
            if any(seen is raw for seen in self._seen):
                return True
            self._seen.append(raw)
            return False
