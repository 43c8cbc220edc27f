"""The Workers AI batch queue for the LangChain classes: type translation around
``workersai.batch`` (which does the submitting, polling and reassembling)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import AIMessage

from workersai.errors import BatchError, InvalidInputError
from workersai.integration import queue_progress

from ._errors import reraise, to_langchain_error
from ._messages import to_neutral_messages
from ._output import reply_to_message

if TYPE_CHECKING:
    from langchain_core.prompt_values import PromptValue

    from workersai import AsyncClient, Client
    from workersai import batch as wb

    from ._params import ChatCall


class ChatWorkersAI(Protocol):
    """What the queued calls use of ``ChatWorkersAI`` (typed here, so that this module
    and ``chat_models``, which calls it, do not import each other)."""

    def _call(self, stop: list[str] | None, kwargs: dict[str, Any]) -> ChatCall: ...

    def _convert_input(self, item: LanguageModelInput) -> PromptValue: ...

    def _sync_client(self) -> Client: ...

    def _async_client(self) -> AsyncClient: ...

__all__ = [
    "BATCH_KEYS", "achat_queued", "chat_queued", "queue_knobs", "split_batch_kwargs",
]

BATCH_KEYS = frozenset({"poll_interval", "backoff", "max_interval", "max_wait", "on_progress",
                        "max_payload_bytes", "show_progress"})
"""Keyword arguments of ``batch_queued`` that steer the queue (the rest go to the model)."""


def split_batch_kwargs(kwargs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(queue knobs, model call kwargs)."""
    knobs = {k: v for k, v in kwargs.items() if k in BATCH_KEYS}
    return knobs, {k: v for k, v in kwargs.items() if k not in BATCH_KEYS}


def queue_knobs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The queue knobs, or an ``InvalidInputError`` naming any other keyword."""
    unknown = sorted(set(kwargs) - BATCH_KEYS)
    if unknown:
        raise to_langchain_error(InvalidInputError(
            f"unexpected keyword argument(s) {', '.join(unknown)}; "
            f"the queue takes {', '.join(sorted(BATCH_KEYS))}"
        ))
    return kwargs


def _plan(
    llm: ChatWorkersAI, inputs: Sequence[LanguageModelInput], kwargs: dict[str, Any]
) -> tuple[Any, list[Any], dict[str, Any]]:
    knobs, model_kwargs = split_batch_kwargs(kwargs)
    call = llm._call(None, model_kwargs)
    with reraise():
        conversations = [
            to_neutral_messages(llm._convert_input(item).to_messages()) for item in inputs
        ]
    return call, conversations, {**knobs, "options": call.options}


def _messages(
    result: wb.BatchResult, model: str, return_exceptions: bool
) -> list[AIMessage | Exception]:
    """AIMessages in input order; failures raised together, or in place when asked."""
    failed = {i: to_langchain_error(err) for i, err in result.failed.items()}
    messages: list[AIMessage | None] = [
        None if i in failed else reply_to_message(reply, requested_model=model)
        for i, reply in enumerate(result.results)
    ]
    if failed and not return_exceptions:
        raise BatchError(
            f"{len(failed)} of {len(messages)} queued chat requests failed",
            results=list(messages), failed=failed,
        )
    return [failed[i] if m is None else m for i, m in enumerate(messages)]


def chat_queued(
    llm: ChatWorkersAI, inputs: Sequence[LanguageModelInput], return_exceptions: bool,
    kwargs: dict[str, Any],
) -> list[AIMessage | Exception]:
    """``ChatWorkersAI.batch_queued``."""
    call, conversations, knobs = _plan(llm, inputs, kwargs)
    with reraise(), queue_progress(knobs, "Queued chat") as knobs:
        result = llm._sync_client().batch.chat(call.model, conversations, call.params, **knobs)
    return _messages(result, call.model, return_exceptions)


async def achat_queued(
    llm: ChatWorkersAI, inputs: Sequence[LanguageModelInput], return_exceptions: bool,
    kwargs: dict[str, Any],
) -> list[AIMessage | Exception]:
    """``ChatWorkersAI.abatch_queued``."""
    call, conversations, knobs = _plan(llm, inputs, kwargs)
    with reraise(), queue_progress(knobs, "Queued chat") as knobs:
        result = await llm._async_client().batch.chat(call.model, conversations, call.params,
                                                     **knobs)
    return _messages(result, call.model, return_exceptions)
