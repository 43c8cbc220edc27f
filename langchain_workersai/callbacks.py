"""``WorkersAICostHandler``: tokens, neurons and dollars of Workers AI chat calls.

A LangChain callback handler over :class:`workersai.cost.CostTracker`. It reads each
finished generation's ``usage_metadata`` and ``response_metadata`` (``"neurons"``,
``"model_name"``) in ``on_llm_end``, which LangChain also calls with the aggregated
message of a stream. Calls are totalled overall, per model and per run: the run is the
outermost chain (or model call) the handler saw start, so one ``chain.invoke`` is one run.
Before each Workers AI chat call it checks whether the call's worst case would cross the
free daily allocation, and warns.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage, get_buffer_string
from langchain_core.outputs import ChatGeneration, LLMResult

from workersai.cost import CostTracker, CostViews, rough_tokens
from workersai.types import ResponseMeta, Usage

from ._output import PROVIDER

__all__ = ["WorkersAICostHandler"]

_CHAT_TYPE = "workersai-chat"


def _is_workers_ai(model: str | None, metadata: Mapping[str, Any]) -> bool:
    if metadata.get("model_provider") == PROVIDER:
        return True
    return bool(model) and str(model).startswith(("@cf/", "@hf/"))


def _usage(usage_metadata: Mapping[str, Any] | None) -> Usage | None:
    if not usage_metadata:
        return None
    details = usage_metadata.get("input_token_details") or {}
    return Usage(
        input_tokens=int(usage_metadata.get("input_tokens", 0)),
        output_tokens=int(usage_metadata.get("output_tokens", 0)),
        total_tokens=int(usage_metadata.get("total_tokens", 0)),
        cached_input_tokens=details.get("cache_read"),
    )


def _generation_call(
    generation: Any, llm_output: Mapping[str, Any]
) -> tuple[str, Usage | None, ResponseMeta] | None:
    """Model, usage and meta of one Workers AI chat generation (``None`` for others)."""
    if not isinstance(generation, ChatGeneration):
        return None
    message = generation.message
    metadata = message.response_metadata or {}
    model = metadata.get("model_name") or llm_output.get("model_name")
    if not _is_workers_ai(model, metadata):
        return None
    neurons = metadata.get("neurons")
    meta = ResponseMeta(neurons=float(neurons) if neurons is not None else None)
    return str(model or "unknown"), _usage(getattr(message, "usage_metadata", None)), meta


class WorkersAICostHandler(CostViews, BaseCallbackHandler):
    """Totals tokens, neurons and dollars of Workers AI calls; warns about the free tier.

    Args:
        tracker: the :class:`~workersai.cost.CostTracker` to feed (a new one by default).
        **tracker_kwargs: passed to a new tracker (``daily_limit``, ``warn_at``, ``warn``,
            ``on_allowance``, ``clock``).

    Example:
        .. code-block:: python

            from langchain_workersai import ChatWorkersAI, WorkersAICostHandler

            costs = WorkersAICostHandler()
            llm = ChatWorkersAI(model="@cf/meta/llama-3.3-70b-instruct-fp8-fast")
            llm.invoke("Hello", config={"callbacks": [costs]})
            print(costs.tracker.summary(), costs.by_model)
    """

    raise_error = False
    run_inline = True

    def __init__(self, tracker: CostTracker | None = None, **tracker_kwargs: Any) -> None:
        if tracker is not None and tracker_kwargs:
            raise ValueError("pass either tracker= or tracker settings, not both")
        self.tracker = tracker if tracker is not None else CostTracker(**tracker_kwargs)
        self._parents: dict[UUID, UUID | None] = {}
        self._lock = threading.Lock()

    # --- run tree ------------------------------------------------------------------------

    def _start(self, run_id: UUID, parent_run_id: UUID | None) -> None:
        with self._lock:
            self._parents[run_id] = parent_run_id

    def _end(self, run_id: UUID) -> None:
        with self._lock:
            self._parents.pop(run_id, None)

    def _root(self, run_id: UUID) -> UUID:
        with self._lock:
            node = run_id
            while (parent := self._parents.get(node)) is not None:
                node = parent
            return node

    def on_chain_start(self, serialized: Any, inputs: Any, *, run_id: UUID,
                       parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        self._start(run_id, parent_run_id)

    def on_tool_start(self, serialized: Any, input_str: str, *, run_id: UUID,
                      parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        self._start(run_id, parent_run_id)

    def on_retriever_start(self, serialized: Any, query: str, *, run_id: UUID,
                           parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        self._start(run_id, parent_run_id)

    def on_llm_start(self, serialized: Any, prompts: list[str], *, run_id: UUID,
                     parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        self._start(run_id, parent_run_id)

    def on_chain_end(self, outputs: Any, *, run_id: UUID, **kwargs: Any) -> None:
        self._end(run_id)

    def on_chain_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        self._end(run_id)

    def on_tool_end(self, output: Any, *, run_id: UUID, **kwargs: Any) -> None:
        self._end(run_id)

    def on_tool_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        self._end(run_id)

    def on_retriever_end(self, documents: Any, *, run_id: UUID, **kwargs: Any) -> None:
        self._end(run_id)

    def on_retriever_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        self._end(run_id)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        self._end(run_id)

    # --- the model calls -----------------------------------------------------------------

    def on_chat_model_start(
        self, serialized: Any, messages: list[list[BaseMessage]], *, run_id: UUID,
        parent_run_id: UUID | None = None, **kwargs: Any,
    ) -> None:
        """Remember the run, and warn if this call could cross the free allocation."""
        self._start(run_id, parent_run_id)
        params = kwargs.get("invocation_params") or {}
        model = params.get("model")
        if params.get("_type") != _CHAT_TYPE or not isinstance(model, str):
            return
        tokens = sum(rough_tokens(get_buffer_string(batch)) for batch in messages)
        self.tracker.precheck(model, tokens, params.get("max_tokens"))

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        """Count each Workers AI generation of ``response`` (other providers are skipped)."""
        root = self._root(run_id)
        self._end(run_id)
        llm_output = response.llm_output or {}
        for generations in response.generations:
            for generation in generations:
                call = _generation_call(generation, llm_output)
                if call is not None:
                    self.tracker.record(*call, run_id=root)
