"""ChatWorkersAI end to end against the in-process emulator (every model family)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from pydantic import BaseModel, Field

from langchain_workersai import ChatWorkersAI

from .conftest import collect

pytestmark = [
    pytest.mark.emulator,
    pytest.mark.filterwarnings("ignore::workersai.catalog.DeprecatedModelWarning"),
]

Factory = Callable[..., ChatWorkersAI]

FAMILIES = [
    "@cf/meta/llama-3.3-70b-instruct-fp8-fast",  # classic
    "@cf/meta/llama-4-scout-17b-16e-instruct",  # llama-4
    "@cf/qwen/qwen3-30b-a3b-fp8",  # chat completions, reasoning_content
    "@cf/google/gemma-4-26b-a4b-it",  # chat completions
    "@cf/openai/gpt-oss-120b",  # gpt-oss
    "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b",  # </think> reasoning in text
]
TOOL_FAMILIES = [m for m in FAMILIES if "deepseek" not in m]


class GetWeather(BaseModel):
    """Get the current weather for a city."""

    city: str = Field(description="The city, e.g. Paris")


class Joke(BaseModel):
    """A joke with a setup and a punchline."""

    setup: str = Field(description="The setup")
    punchline: str = Field(description="The punchline")


def bodies(emulator: Any) -> list[dict[str, Any]]:
    """The JSON bodies the emulator received, in order."""
    return [json.loads(r.body) for r in emulator.requests if r.body]


def assert_stream_contract(items: list[AIMessageChunk], full: AIMessageChunk) -> None:
    assert [c.chunk_position for c in items].count("last") == 1
    assert items[-1].chunk_position == "last"
    assert sum(c.usage_metadata is not None for c in items) == 1
    for key in ("model_name", "finish_reason"):
        assert sum(key in c.response_metadata for c in items) == 1, key
    assert full.usage_metadata is not None and full.usage_metadata["total_tokens"] > 0


@pytest.mark.parametrize("model_id", FAMILIES)
def test_every_family_invoke_and_stream(make_chat: Factory, model_id: str) -> None:
    llm = make_chat(model=model_id)
    msg = llm.invoke("Hello, who are you?")
    assert isinstance(msg, AIMessage) and msg.text
    assert model_id in msg.response_metadata["model_name"]
    assert msg.response_metadata["model_provider"] == "workersai"
    assert msg.usage_metadata is not None and msg.usage_metadata["input_tokens"] > 0
    reasoning = msg.additional_kwargs.get("reasoning_content")
    if reasoning:
        assert reasoning not in msg.text and "</think>" not in msg.text
    items, full = collect(llm.stream("Hello, who are you?"))
    assert_stream_contract(items, full)
    assert full.text == msg.text
    assert full.usage_metadata == msg.usage_metadata  # usage counted once, not summed twice


@pytest.mark.parametrize("model_id", FAMILIES)
async def test_every_family_async(make_chat: Factory, model_id: str) -> None:
    llm = make_chat(model=model_id)
    msg = await llm.ainvoke("Hello there")
    items = [c async for c in llm.astream("Hello there")]
    full = items[0]
    for c in items[1:]:
        full = full + c
    assert full.text == msg.text
    assert items[-1].chunk_position == "last"


@pytest.mark.parametrize("model_id", TOOL_FAMILIES)
def test_every_family_tool_calls(make_chat: Factory, model_id: str) -> None:
    llm = make_chat(model=model_id).bind_tools([GetWeather], tool_choice="GetWeather")
    msg = llm.invoke("What is the weather in Paris?")
    assert len(msg.tool_calls) == 1
    call = msg.tool_calls[0]
    assert call["name"] == "GetWeather" and call["args"] == {"city": "Paris"} and call["id"]
    items, full = collect(llm.stream("What is the weather in Paris?"))
    assert [c["name"] for c in full.tool_calls] == ["GetWeather"]
    assert full.tool_calls[0]["args"] == {"city": "Paris"}
    first = next(c for c in items if c.tool_call_chunks).tool_call_chunks[0]
    assert first["id"] and first["name"] == "GetWeather" and first["index"] == 0
    # the tool result goes back and the model answers in text
    follow = make_chat(model=model_id).invoke(
        [
            HumanMessage("What is the weather in Paris?"),
            msg,
            ToolMessage('{"temp_c": 21}', tool_call_id=call["id"], name="GetWeather"),
        ]
    )
    assert follow.text and not follow.tool_calls


@pytest.mark.parametrize("method", ["function_calling", "json_schema", "json_mode"])
@pytest.mark.parametrize("model_id", TOOL_FAMILIES)
def test_structured_output_every_family(make_chat: Factory, model_id: str, method: str) -> None:
    llm = make_chat(model=model_id)
    joke = llm.with_structured_output(Joke, method=method).invoke(  # type: ignore[arg-type]
        "Tell me a joke about cats. Answer in JSON with keys 'setup' and 'punchline'."
    )
    assert isinstance(joke, Joke) and joke.setup and joke.punchline
