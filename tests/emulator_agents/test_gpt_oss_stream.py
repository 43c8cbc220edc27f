"""gpt-oss streamed on the native ``/ai/run`` route, read by the package's own clients."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import workersai
from workersai.emulator import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN, Emulator, emulator_http_client
from workersai.types import ChatParams, Message, ToolSpec
from workersai.wire import StreamAssembler, parse_chat_reply

from .conftest import GPT_OSS

pytestmark = pytest.mark.emulator

GPT_OSS_20B = "@cf/openai/gpt-oss-20b"
CITY = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
WEATHER = ToolSpec("get_weather", "Get the current weather for a city.", CITY)
RUN = f"https://api.cloudflare.com/client/v4/accounts/{DEFAULT_ACCOUNT_ID}/ai/run/"


@pytest.fixture
def http(emu: Emulator) -> Iterator[tuple[httpx.Client, list[httpx.Response]]]:
    """An httpx client on ``emu`` and the responses it received (headers only)."""
    seen: list[httpx.Response] = []
    with emulator_http_client(emu, event_hooks={"response": [seen.append]}) as client:
        yield client, seen


@pytest.fixture
def sdk(http: tuple[httpx.Client, list[httpx.Response]]) -> workersai.Client:
    return workersai.Client(account_id=DEFAULT_ACCOUNT_ID, api_token=DEFAULT_TOKEN,
                            http_client=http[0], max_retries=0)


def _streamed(seen: list[httpx.Response]) -> None:
    """The last request asked for a stream on the native route and got an event stream."""
    response = seen[-1]
    assert "/ai/run/@cf/openai/gpt-oss-" in response.request.url.path
    assert json.loads(response.request.content)["stream"] is True
    assert response.headers["content-type"] == "text/event-stream"


@pytest.mark.parametrize("model", [GPT_OSS, GPT_OSS_20B])
def test_client_stream_chat_reads_text_and_reasoning(
        sdk: workersai.Client, http: tuple[httpx.Client, list[httpx.Response]],
        model: str) -> None:
    ask = [Message("user", "Tell me about rivers")]
    deltas = list(sdk.stream_chat(model, ask))
    _streamed(http[1])
    plain = sdk.chat(model, ask)
    final = deltas[-1]
    assert final.final and final.finish_reason == "stop" and final.usage is not None
    assert len(deltas) > 3  # token by token, not one JSON body
    assert "".join(d.text for d in deltas) == plain.text == "Here is a short answer about rivers."
    assert "".join(d.reasoning for d in deltas) == plain.reasoning
    assert final.usage.output_tokens == plain.usage.output_tokens > 0


def test_client_stream_chat_reads_a_tool_call(
        sdk: workersai.Client, http: tuple[httpx.Client, list[httpx.Response]]) -> None:
    ask = [Message("user", "What is the weather in Lisbon?")]
    params = ChatParams(tools=[WEATHER])
    deltas = list(sdk.stream_chat(GPT_OSS, ask, params))
    _streamed(http[1])
    fragments = [d.tool_call for d in deltas if d.tool_call is not None]
    assert fragments and fragments[0].name == "get_weather"
    assert deltas[-1].finish_reason == "tool_calls"
    plain = sdk.chat(GPT_OSS, ask, params)
    assert [(c.name, c.arguments) for c in plain.tool_calls] == [("get_weather",
                                                                   {"city": "Lisbon"})]
    assert json.loads("".join(f.arguments for f in fragments)) == {"city": "Lisbon"}


def test_chat_workersai_stream_matches_invoke(
        emu: Emulator, http: tuple[httpx.Client, list[httpx.Response]]) -> None:
    chat_models = pytest.importorskip("langchain_workersai")
    llm = chat_models.ChatWorkersAI(model=GPT_OSS, account_id=DEFAULT_ACCOUNT_ID,
                                    api_token=DEFAULT_TOKEN, http_client=http[0], max_retries=0)
    chunks = list(llm.stream("Tell me about rivers"))
    _streamed(http[1])
    full = chunks[0]
    for chunk in chunks[1:]:
        full += chunk
    assert len(chunks) > 2 and full.content == llm.invoke("Tell me about rivers").content
    assert full.usage_metadata is not None and full.usage_metadata["output_tokens"] > 0
    bound = llm.bind_tools([{"type": "function", "function": {
        "name": WEATHER.name, "description": WEATHER.description, "parameters": CITY}}])
    called = None
    for chunk in bound.stream("What is the weather in Lisbon?"):
        called = chunk if called is None else called + chunk
    assert called is not None and called.tool_calls[0]["args"] == {"city": "Lisbon"}
    _streamed(http[1])


def _events(raw: bytes) -> list[Any]:
    """The native framing: ``data:`` lines only, each event then a blank line, ``[DONE]``."""
    blocks = raw.decode().split("\n\n")
    assert blocks[-1] == "" and blocks[-2] == "data: [DONE]"
    assert all(b.startswith("data: ") and "\n" not in b for b in blocks[:-1])
    return [json.loads(b[len("data: "):]) for b in blocks[:-2]]


@pytest.mark.parametrize("text", ["Tell me about rivers", "What is the weather in Lisbon?"])
def test_native_responses_input_streams_responses_events(
        http: tuple[httpx.Client, list[httpx.Response]], text: str) -> None:
    client = http[0]
    body = {"input": text, "tools": [{"type": "function", "name": WEATHER.name,
                                      "description": WEATHER.description, "parameters": CITY}]}
    auth = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
    streamed = client.post(RUN + GPT_OSS, json={**body, "stream": True}, headers=auth)
    assert streamed.headers["content-type"] == "text/event-stream"
    events = _events(streamed.content)
    assert [e["sequence_number"] for e in events] == list(range(len(events)))
    assert events[0]["type"] == "response.created"
    assert events[-1]["type"] == "response.completed"
    assembler = StreamAssembler(GPT_OSS, ChatParams(tools=[WEATHER]))
    for event in events:
        assembler.feed(event)
    assembler.done()
    got = assembler.reply()
    plain = client.post(RUN + GPT_OSS, json=body, headers=auth).json()["result"]
    want = parse_chat_reply(plain, model=GPT_OSS, params=ChatParams(tools=[WEATHER]))
    assert (got.text, got.reasoning, got.finish_reason) == (
        want.text, want.reasoning, want.finish_reason)
    assert [(c.name, c.arguments) for c in got.tool_calls] == [
        (c.name, c.arguments) for c in want.tool_calls]
    assert got.usage == want.usage and got.reasoning
    assert bool(got.tool_calls) == ("weather" in text)
