"""WorkersAICostHandler against the in-process emulator, and on hand-made results."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, LLMResult
from langchain_core.runnables import RunnableLambda

from langchain_workersai import ChatWorkersAI, WorkersAICostHandler
from workersai.cost import AllowanceEvent, CostTracker, estimate_neurons, rough_tokens

pytestmark = pytest.mark.emulator

MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
CHAT_MODEL = "@cf/qwen/qwen3-30b-a3b-fp8"


def _check_one_call(handler: WorkersAICostHandler, message: Any, model: str = MODEL) -> None:
    total = handler.total
    assert total.calls == 1 and total.estimated_calls == 0
    assert message.response_metadata["neurons"] > 0
    assert total.neurons == pytest.approx(message.response_metadata["neurons"])
    assert total.input_tokens == message.usage_metadata["input_tokens"]
    assert total.output_tokens == message.usage_metadata["output_tokens"]
    assert total.usd == pytest.approx(total.neurons * 0.011 / 1000)
    assert set(handler.by_model) == {model}


def test_invoke_is_counted(make_chat: Callable[..., ChatWorkersAI]) -> None:
    handler = WorkersAICostHandler(warn=False)
    run_id = uuid.uuid4()
    message = make_chat(model=MODEL).invoke(
        "Say hi", config={"callbacks": [handler], "run_id": run_id})
    _check_one_call(handler, message)
    assert set(handler.by_run) == {str(run_id)}


@pytest.mark.parametrize("model", [MODEL, CHAT_MODEL])
def test_stream_is_counted_once(make_chat: Callable[..., ChatWorkersAI], model: str) -> None:
    handler = WorkersAICostHandler(warn=False)
    chunks = list(make_chat(model=model).stream("Say hi", config={"callbacks": [handler]}))
    full = chunks[0]
    for c in chunks[1:]:
        full = full + c
    _check_one_call(handler, full, model)


async def test_async_invoke_and_stream(make_chat: Callable[..., ChatWorkersAI]) -> None:
    handler = WorkersAICostHandler(warn=False)
    chat = make_chat(model=MODEL)
    first = await chat.ainvoke("Say hi", config={"callbacks": [handler]})
    async for _ in chat.astream("Say hi again", config={"callbacks": [handler]}):
        pass
    assert handler.total.calls == 2
    assert handler.total.neurons > first.response_metadata["neurons"]
    assert len(handler.by_run) == 2


def test_a_chain_with_two_calls_is_one_run(make_chat: Callable[..., ChatWorkersAI]) -> None:
    chat = make_chat(model=MODEL)
    chain = RunnableLambda(lambda q: chat.invoke(q).content) | RunnableLambda(
        lambda text: chat.invoke(f"Shorten: {text}"))
    handler = WorkersAICostHandler(warn=False)
    run_id = uuid.uuid4()
    chain.invoke("Say hi", config={"callbacks": [handler], "run_id": run_id})
    assert handler.by_run == {str(run_id): handler.total}
    assert handler.total.calls == 2
    assert not handler._parents  # every run that ended was forgotten


def test_stream_usage_off_still_counts_neurons(make_chat: Callable[..., ChatWorkersAI]) -> None:
    handler = WorkersAICostHandler(warn=False)
    list(make_chat(model=MODEL, stream_usage=False).stream(
        "Say hi", config={"callbacks": [handler]}))
    assert handler.total.calls == 1 and handler.total.neurons > 0
    assert handler.total.input_tokens == 0


def _result(message: AIMessage, llm_output: dict[str, Any] | None = None) -> LLMResult:
    return LLMResult(generations=[[ChatGeneration(message=message)]], llm_output=llm_output)


def test_missing_neurons_are_estimated_from_catalog_prices() -> None:
    handler = WorkersAICostHandler(warn=False)
    message = AIMessage("hi", response_metadata={"model_provider": "workersai"},
                        usage_metadata={"input_tokens": 1000, "output_tokens": 100,
                                        "total_tokens": 1100})
    handler.on_llm_end(_result(message, {"model_name": MODEL}), run_id=uuid.uuid4())
    assert handler.total.estimated_calls == 1
    assert handler.total.neurons == pytest.approx(estimate_neurons(MODEL, 1000, 100))
    assert set(handler.by_model) == {MODEL}


def test_other_providers_are_skipped() -> None:
    handler = WorkersAICostHandler(warn=False)
    other = AIMessage("hi", response_metadata={"model_provider": "openai",
                                               "model_name": "gpt-x", "neurons": 5.0})
    handler.on_llm_end(_result(other), run_id=uuid.uuid4())
    assert handler.total.calls == 0


def test_warns_before_a_call_would_cross_the_free_allocation(
    make_chat: Callable[..., ChatWorkersAI],
) -> None:
    events: list[AllowanceEvent] = []
    tracker = CostTracker(daily_limit=0.5, warn=False, on_allowance=events.append)
    handler = WorkersAICostHandler(tracker)
    make_chat(model=MODEL, max_tokens=64).invoke("Say hi", config={"callbacks": [handler]})
    assert [e.kind for e in events] == ["would_exceed", "exceeded"]
    assert events[0].used == 0 and events[0].model == MODEL
    # worst case: the prompt's rough tokens plus max_tokens=64
    prompt_tokens = rough_tokens("Human: Say hi")
    assert events[0].projected == pytest.approx(estimate_neurons(MODEL, prompt_tokens, 64))
    assert handler.tracker is tracker


def test_free_allocation_warning_is_emitted(make_chat: Callable[..., ChatWorkersAI]) -> None:
    from workersai.cost import FreeAllocationWarning

    handler = WorkersAICostHandler(daily_limit=0.5)
    with pytest.warns(FreeAllocationWarning):
        make_chat(model=MODEL).invoke("Say hi", config={"callbacks": [handler]})


def test_tracker_and_settings_are_exclusive() -> None:
    with pytest.raises(ValueError):
        WorkersAICostHandler(CostTracker(), warn=False)
