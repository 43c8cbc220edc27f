"""The openai SDK against the loopback emulator: streamed and plain Responses and chat."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from workersai.emulator import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN, Emulator, EmulatorServer

from .conftest import GPT_OSS, LLAMA

openai = pytest.importorskip("openai")
pytestmark = pytest.mark.emulator

TOOL = {"type": "function", "name": "get_weather", "description": "Get the weather for a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                       "required": ["city"]}}


@pytest.fixture(scope="module")
def client() -> Iterator[openai.OpenAI]:
    """One loopback server and SDK client for the module: no test here reads the
    emulator's state, and each reply depends on its request alone."""
    with EmulatorServer(Emulator(), host="127.0.0.1", port=0) as server:
        base = f"{server.base_url}/accounts/{DEFAULT_ACCOUNT_ID}/ai/v1"
        with openai.OpenAI(api_key=DEFAULT_TOKEN, base_url=base, max_retries=0) as sdk:
            yield sdk


def test_responses_stream_yields_the_documented_events(client: openai.OpenAI) -> None:
    events = list(client.responses.create(model=GPT_OSS, input="Tell me about rivers",
                                          stream=True))
    kinds = [e.type for e in events]
    assert kinds[:2] == ["response.created", "response.in_progress"]
    assert kinds[-1] == "response.completed"
    assert "response.reasoning_text.delta" in kinds
    assert [e.sequence_number for e in events] == list(range(len(events)))
    text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    final = events[-1].response
    assert text == final.output_text == "Here is a short answer about rivers."
    assert final.usage is not None and final.usage.output_tokens > 0
    assert events[0].response.id == final.id and events[0].response.status == "in_progress"


def test_responses_stream_helper_accumulates_a_function_call(client: openai.OpenAI) -> None:
    with client.responses.stream(model=GPT_OSS, input="What is the weather in Lisbon?",
                                 tools=[TOOL]) as stream:
        deltas = [e.delta for e in stream if e.type == "response.function_call_arguments.delta"]
        final = stream.get_final_response()
    call = next(item for item in final.output if item.type == "function_call")
    assert call.name == "get_weather" and json.loads(call.arguments) == {"city": "Lisbon"}
    assert "".join(deltas) == call.arguments and len(deltas) > 1


def test_responses_stream_reports_a_length_cut(client: openai.OpenAI) -> None:
    events = list(client.responses.create(model=GPT_OSS, input="Write 500 words about rivers",
                                          max_output_tokens=30, stream=True))
    assert events[-1].type == "response.incomplete"
    assert events[-1].response.incomplete_details.reason == "max_output_tokens"


def test_responses_plain_call_is_unchanged(client: openai.OpenAI) -> None:
    reply = client.responses.create(model=GPT_OSS, input="Hello")
    assert reply.output_text == "Hello! How can I help you today?"


def test_chat_stream_and_tool_call(client: openai.OpenAI) -> None:
    chunks = list(client.chat.completions.create(
        model=LLAMA, messages=[{"role": "user", "content": "Tell me about rivers"}],
        stream=True, stream_options={"include_usage": True}))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Here is a short answer about rivers."
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0
    tool = {"type": "function", "function": {k: TOOL[k] for k in
                                             ("name", "description", "parameters")}}
    reply = client.chat.completions.create(
        model=LLAMA, messages=[{"role": "user", "content": "Weather in Lisbon?"}],
        tools=[tool])
    call = reply.choices[0].message.tool_calls[0]
    assert json.loads(call.function.arguments) == {"city": "Lisbon"}
