"""WorkersAICostEventHandler on the instrumentation dispatcher, against the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from llama_index.core.instrumentation import get_dispatcher
from llama_index.core.instrumentation.events.llm import (
    LLMChatEndEvent,
    LLMChatStartEvent,
    LLMCompletionEndEvent,
)
from llama_index.core.llms import ChatMessage, ChatResponse, CompletionResponse

from llamaindex_workersai import WorkersAI
from llamaindex_workersai.callbacks import WorkersAICostEventHandler
from workersai.cost import AllowanceEvent, CostTracker, estimate_neurons

from .conftest import Target

pytestmark = pytest.mark.emulator

MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"


@pytest.fixture
def handler() -> Iterator[WorkersAICostEventHandler]:
    h = WorkersAICostEventHandler(tracker=CostTracker(warn=False)).attach()
    yield h
    h.detach()


def _llm(target: Target, **kw: Any) -> WorkersAI:
    return WorkersAI(model=MODEL, **{**target.kwargs, **kw})


def test_chat_complete_and_stream_are_counted(
    emu_target: Target, handler: WorkersAICostEventHandler
) -> None:
    llm = _llm(emu_target)
    reply = llm.chat([ChatMessage(role="user", content="Say hi")])
    llm.complete("Say hi")
    for _ in llm.stream_chat([ChatMessage(role="user", content="Say hi")]):
        pass
    for _ in llm.stream_complete("Say hi"):
        pass
    total = handler.total
    assert total.calls == 4 and set(handler.by_model) == {MODEL}
    usage = reply.raw["usage"]
    assert handler.by_model[MODEL].input_tokens >= usage["prompt_tokens"] * 4 > 0
    # the front end puts the API's reported neurons in raw: nothing is estimated
    assert total.estimated_calls == 0
    assert total.neurons == pytest.approx(reply.raw["neurons"] * 4)
    assert len(handler.by_run) == 4


async def test_async_chat_and_stream(
    emu_target: Target, handler: WorkersAICostEventHandler
) -> None:
    llm = _llm(emu_target)
    await llm.achat([ChatMessage(role="user", content="Say hi")])
    stream = await llm.astream_chat([ChatMessage(role="user", content="Say hi")])
    async for _ in stream:
        pass
    assert handler.total.calls == 2 and handler.total.output_tokens > 0


def test_calls_in_one_outer_span_are_one_run(
    emu_target: Target, handler: WorkersAICostEventHandler
) -> None:
    llm = _llm(emu_target)
    dispatcher = get_dispatcher(__name__)

    @dispatcher.span
    def two_questions() -> None:
        llm.complete("one")
        llm.complete("two")

    two_questions()
    two_questions()
    assert sorted(t.calls for t in handler.by_run.values()) == [2, 2]
    assert all("two_questions" in run for run in handler.by_run)


def test_warns_before_crossing_the_free_allocation(emu_target: Target) -> None:
    events: list[AllowanceEvent] = []
    h = WorkersAICostEventHandler(
        tracker=CostTracker(daily_limit=0.5, warn=False, on_allowance=events.append)).attach()
    try:
        _llm(emu_target, max_tokens=64).complete("Say hi")
    finally:
        h.detach()
    assert [e.kind for e in events] == ["would_exceed", "exceeded"]
    assert events[0].projected == pytest.approx(estimate_neurons(MODEL, 2, 64))


def test_detach_stops_counting(emu_target: Target) -> None:
    h = WorkersAICostEventHandler(tracker=CostTracker(warn=False)).attach()
    h.detach()
    _llm(emu_target).complete("Say hi")
    assert h.total.calls == 0
    assert h not in get_dispatcher().event_handlers


def _start(span: str, class_name: str = "WorkersAI_llm") -> LLMChatStartEvent:
    return LLMChatStartEvent(messages=[], additional_kwargs={}, span_id=span,
                             model_dict={"class_name": class_name, "model_name": MODEL})


def test_reported_neurons_win_over_estimates() -> None:
    h = WorkersAICostEventHandler(tracker=CostTracker(warn=False))
    raw = {"model": MODEL, "neurons": 7.5,
           "usage": {"prompt_tokens": 10, "completion_tokens": 2, "total_tokens": 12}}
    h.handle(_start("s1"))
    h.handle(LLMChatEndEvent(messages=[], span_id="s1",
                             response=ChatResponse(message=ChatMessage(content="x"), raw=raw)))
    assert h.total.neurons == 7.5 and h.total.estimated_calls == 0
    assert h.by_run == {"s1": h.total}


def test_shared_raw_is_counted_once_and_other_providers_skipped() -> None:
    h = WorkersAICostEventHandler(tracker=CostTracker(warn=False))
    raw = {"model": MODEL, "usage": {"prompt_tokens": 10, "completion_tokens": 2}}
    chat = ChatResponse(message=ChatMessage(content="x"), raw=raw)
    h.handle(LLMChatEndEvent(messages=[], response=chat))
    h.handle(LLMCompletionEndEvent(prompt="p", response=CompletionResponse(text="x", raw=raw)))
    assert h.total.calls == 1
    h.handle(_start("s2", class_name="OpenAI_llm"))
    other = {"model": "gpt-x", "usage": {"prompt_tokens": 10, "completion_tokens": 2}}
    h.handle(LLMChatEndEvent(messages=[], span_id="s2",
                             response=ChatResponse(message=ChatMessage(content="x"), raw=other)))
    h.handle(LLMChatEndEvent(messages=[], span_id="s3", response=None))
    assert h.total.calls == 1
