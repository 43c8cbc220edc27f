"""What the standard suites miss, end to end through the emulator: per-call overrides on
the wire, streamed tool calls by index, truncated streams, retries, errors, images, secrets.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from langchain_core.exceptions import (
    ModelAPIError,
    ModelAuthenticationError,
    ModelError,
    ModelInvalidRequestError,
    ModelRateLimitError,
)
from langchain_core.load import dumps
from langchain_core.messages import HumanMessage
from pydantic import BaseModel, Field

from langchain_workersai import ChatWorkersAI
from workersai import errors as wa
from workersai.emulator import CutStream, ErrorEvent, NoDone, RateLimited, Unauthorized

from ._png import tiny_png
from .conftest import collect

pytestmark = pytest.mark.emulator

Factory = Callable[..., ChatWorkersAI]
CHAT = "@cf/google/gemma-4-26b-a4b-it"


class GetWeather(BaseModel):
    """Get the current weather for a city."""

    city: str = Field(description="The city")


class GetTime(BaseModel):
    """Get the local time in a city."""

    city: str = Field(description="The city")


def last_body(emulator: Any) -> dict[str, Any]:
    return json.loads(emulator.requests[-1].body)


def test_fields_and_per_call_overrides_reach_the_body(make_chat: Factory, emulator: Any) -> None:
    llm = make_chat(
        model=CHAT, temperature=0, max_tokens=50, model_kwargs={"skip_special_tokens": True}
    )
    llm.invoke("hi")
    body = last_body(emulator)
    assert body["temperature"] == 0 and body["max_tokens"] == 50
    assert body["skip_special_tokens"] is True
    llm.invoke(
        "hi",
        temperature=0.7,
        top_p=0.9,
        seed=42,
        stop=["END"],
        presence_penalty=0.5,
        frequency_penalty=0.25,
    )
    body = last_body(emulator)
    assert (body["temperature"], body["top_p"], body["seed"]) == (0.7, 0.9, 42)
    assert body["stop"] == ["END"]
    assert (body["presence_penalty"], body["frequency_penalty"]) == (0.5, 0.25)
    msg = llm.invoke("hi", model="@cf/qwen/qwen3-30b-a3b-fp8")
    assert emulator.requests[-1].path.endswith("/ai/run/@cf/qwen/qwen3-30b-a3b-fp8")
    assert "qwen3" in msg.response_metadata["model_name"]


def test_classic_sampling_fields_and_lora(make_chat: Factory, emulator: Any) -> None:
    llm = make_chat(model="@cf/meta/llama-3.2-11b-vision-instruct")  # lora in its schema
    llm.invoke("hi", top_k=7, repetition_penalty=1.2, lora="my-adapter")
    body = last_body(emulator)
    assert (body["top_k"], body["repetition_penalty"], body["lora"]) == (7, 1.2, "my-adapter")


def test_reasoning_effort(make_chat: Factory, emulator: Any) -> None:
    make_chat(model="@cf/openai/gpt-oss-120b", reasoning_effort="low").invoke("hi")
    assert "low" in json.dumps(last_body(emulator))


def test_openai_endpoint(make_chat: Factory, emulator: Any) -> None:
    llm = make_chat(model="@cf/meta/llama-3.3-70b-instruct-fp8-fast", endpoint="openai")
    msg = llm.invoke("Hello")
    assert emulator.requests[-1].path.endswith("/ai/v1/chat/completions")
    assert msg.text
    llm.invoke("Hello", endpoint="native")
    assert "/ai/run/" in emulator.requests[-1].path


def test_unknown_kwargs_never_reach_the_wire(make_chat: Factory, emulator: Any) -> None:
    with pytest.raises(TypeError, match="model_kwargs"):
        make_chat(model=CHAT).invoke("hi", not_a_field=1)
    assert emulator.requests == []


def test_gateway_and_headers_per_call(make_chat: Factory, emulator: Any) -> None:
    llm = make_chat(model=CHAT, default_headers={"x-team": "a"})
    llm.invoke(
        "hi",
        gateway="my-gw",
        gateway_options={"skip_cache": True, "cache_ttl": 60},
        extra_headers={"x-trace": "t1"},
    )
    headers = emulator.requests[-1].headers
    assert headers["cf-aig-gateway-id"] == "my-gw"
    assert headers["cf-aig-skip-cache"] == "true" and headers["cf-aig-cache-ttl"] == "60"
    assert headers["x-trace"] == "t1" and headers["x-team"] == "a"
    llm.invoke("hi")
    assert "cf-aig-gateway-id" not in emulator.requests[-1].headers


def test_gateway_metadata_reaches_response_metadata(make_chat: Factory) -> None:
    llm = make_chat(model=CHAT, gateway="gw-1")
    first = llm.invoke("same question")
    second = llm.invoke("same question")
    assert first.response_metadata.get("gateway_log_id")
    assert second.response_metadata.get("gateway_cache_status") == "HIT"
    assert isinstance(first.response_metadata.get("request_id"), str)


def test_parallel_tool_calls_stream_by_index(make_chat: Factory, emulator: Any) -> None:
    emulator.script.tool_calls([("GetWeather", {"city": "Paris"}), ("GetTime", {"city": "Oslo"})])
    llm = make_chat(model=CHAT).bind_tools([GetWeather, GetTime], parallel_tool_calls=True)
    items, full = collect(llm.stream("Weather in Paris and time in Oslo?"))
    assert last_body(emulator)["parallel_tool_calls"] is True
    assert [(c["name"], c["args"]) for c in full.tool_calls] == [
        ("GetWeather", {"city": "Paris"}),
        ("GetTime", {"city": "Oslo"}),
    ]
    fragments = [tc for c in items for tc in c.tool_call_chunks]
    assert {f["index"] for f in fragments} == {0, 1}
    for index in (0, 1):
        first = next(f for f in fragments if f["index"] == index)
        assert first["id"] and first["name"]
        assert all(f["id"] is None for f in fragments if f["index"] == index and f is not first)
    assert full.response_metadata["finish_reason"] == "tool_calls"


def test_tool_choice_none_and_auto(make_chat: Factory, emulator: Any) -> None:
    llm = make_chat(model=CHAT)
    msg = llm.bind_tools([GetWeather], tool_choice="none").invoke("Weather in Paris?")
    assert not msg.tool_calls and last_body(emulator)["tool_choice"] == "none"
    msg = llm.bind_tools([GetWeather], tool_choice="auto").invoke("Weather in Paris?")
    assert msg.tool_calls and last_body(emulator)["tool_choice"] == "auto"


CLASSIC = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"


def test_stream_without_done_or_finish_raises(make_chat: Factory, emulator: Any) -> None:
    emulator.faults.add(NoDone())
    with pytest.raises(wa.TruncatedStreamError) as info:
        list(make_chat(model=CLASSIC).stream("Write a long story about a cat."))
    assert isinstance(info.value, ModelAPIError)


async def test_truncated_async_stream_raises(make_chat: Factory, emulator: Any) -> None:
    emulator.faults.add(NoDone())
    with pytest.raises(wa.TruncatedStreamError):
        _ = [c async for c in make_chat(model=CLASSIC).astream("Write a story.")]


def test_connection_dropped_mid_stream_raises_a_model_error(
    make_chat: Factory, emulator: Any
) -> None:
    emulator.faults.add(CutStream(3))
    with pytest.raises(wa.WorkersAIError) as info:
        list(make_chat(model=CHAT).stream("Write a long story about a cat."))
    assert isinstance(info.value, ModelError)
    assert len(emulator.requests) == 1  # never retried once tokens reached the caller


def test_connection_dropped_mid_stream_is_a_truncated_stream(
    make_chat: Factory, emulator: Any
) -> None:
    emulator.faults.add(CutStream(3))
    with pytest.raises(wa.TruncatedStreamError):
        list(make_chat(model=CHAT).stream("Write a long story about a cat."))


def test_error_event_mid_stream(make_chat: Factory, emulator: Any) -> None:
    emulator.faults.add(ErrorEvent(after_events=2))
    with pytest.raises(ModelRateLimitError) as info:
        list(make_chat(model=CHAT).stream("Write a story."))
    assert isinstance(info.value, wa.RateLimitError) and info.value.code == 3040


def test_retry_after_429_then_success(make_chat: Factory, emulator: Any) -> None:
    emulator.faults.add(RateLimited(retry_after=0), times=1)
    msg = make_chat(model=CHAT, max_retries=2).invoke("Hello")
    assert msg.text and len(emulator.requests) == 2


async def test_async_retry(make_chat: Factory, emulator: Any) -> None:
    emulator.faults.add(RateLimited(retry_after=0), times=1)
    msg = await make_chat(model=CHAT).ainvoke("Hello")
    assert msg.text and len(emulator.requests) == 2


def test_no_retries_raises_dual_rate_limit(make_chat: Factory, emulator: Any) -> None:
    emulator.faults.add(RateLimited(retry_after=0))
    with pytest.raises(ModelRateLimitError) as info:
        make_chat(model=CHAT, max_retries=0).invoke("Hello")
    err = info.value
    assert isinstance(err, wa.RateLimitError)
    assert err.status_code == 429 and err.code == 3040 and err.is_retryable
    assert len(emulator.requests) == 1
    emulator.faults.clear()
    emulator.faults.add(RateLimited(retry_after=0), times=1)
    with pytest.raises(ModelRateLimitError):  # per-call max_retries overrides the field
        make_chat(model=CHAT, max_retries=3).invoke("Hello", max_retries=0)


def test_unauthorized_is_a_dual_auth_error(make_chat: Factory, emulator: Any) -> None:
    emulator.faults.add(Unauthorized())
    with pytest.raises(ModelAuthenticationError) as info:
        make_chat(model=CHAT).invoke("Hello")
    assert isinstance(info.value, wa.AuthenticationError) and info.value.status_code == 401
    assert len(emulator.requests) == 1  # not retried


def test_wrong_token_and_secrets_never_leak(
    emu_kwargs: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    from workersai.emulator import (
        DEFAULT_TOKEN,
        Emulator,
        emulator_async_http_client,
        emulator_http_client,
    )

    emulator = Emulator(token=DEFAULT_TOKEN)  # this one checks the token
    secret = "sk-wrong-token-0123456789"
    llm = ChatWorkersAI(
        **{
            **emu_kwargs,
            "http_client": emulator_http_client(emulator),
            "http_async_client": emulator_async_http_client(emulator),
            "api_token": secret,
        },
        model=CHAT,
    )
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ModelAuthenticationError) as info:
        llm.invoke("Hello")
    with pytest.raises(ModelAuthenticationError) as info2:
        list(llm.stream("Hello"))
    texts = [
        str(info.value),
        repr(info.value),
        str(info2.value),
        repr(llm),
        dumps(llm),
        caplog.text,
        json.dumps(info.value.__dict__, default=str),
        *(r.body.decode() for r in emulator.requests),
    ]
    assert all(secret not in t for t in texts)
    assert emulator.requests[0].headers["authorization"] == f"Bearer {secret}"  # sent, once
    assert len(emulator.requests) == 2  # 401 is not retried


def test_images_sent_as_data_urls(make_chat: Factory, emulator: Any) -> None:
    import base64

    data = base64.b64encode(tiny_png()).decode()
    llm = make_chat(model=CHAT)
    msg = llm.invoke(
        [
            HumanMessage(
                content=[
                    {"type": "text", "text": "Describe this image."},
                    {"type": "image", "base64": data, "mime_type": "image/png"},
                ]
            )
        ]
    )
    assert msg.text
    assert f"data:image/png;base64,{data}" in emulator.requests[-1].body.decode()
    with pytest.raises(ModelInvalidRequestError, match="http"):
        llm.invoke([HumanMessage(content=[{"type": "image", "url": "https://x.test/a.png"}])])
    assert len(emulator.requests) == 1


def test_stream_usage_off(make_chat: Factory) -> None:
    items, full = collect(make_chat(model=CHAT, stream_usage=False).stream("Hello"))
    assert all(c.usage_metadata is None for c in items)
    assert full.response_metadata["model_name"]
    _, on = collect(make_chat(model=CHAT).stream("Hello", stream_usage=True))
    assert on.usage_metadata is not None


def test_reasoning_stays_out_of_content(make_chat: Factory, emulator: Any) -> None:
    emulator.script.text("The answer is 391.", reasoning="17 times 23 is 391.")
    msg = make_chat(model="@cf/qwen/qwen3-30b-a3b-fp8").invoke("What is 17 * 23?")
    assert msg.text == "The answer is 391."
    assert msg.additional_kwargs["reasoning_content"] == "17 times 23 is 391."
    emulator.script.text("The answer is 391.", reasoning="17 times 23 is 391.")
    v1 = make_chat(model="@cf/qwen/qwen3-30b-a3b-fp8", output_version="v1")
    _, full = collect(v1.stream("What is 17 * 23?"))
    kinds = [b["type"] for b in full.content_blocks]
    assert kinds == ["reasoning", "text"]
    assert full.text == "The answer is 391."


@pytest.mark.filterwarnings("ignore::workersai.catalog.DeprecatedModelWarning")
def test_r1_think_split(make_chat: Factory) -> None:
    llm = make_chat(model="@cf/deepseek-ai/deepseek-r1-distill-qwen-32b")
    msg = llm.invoke("What is the capital of France?")
    assert msg.text and "</think>" not in msg.text
    assert msg.additional_kwargs["reasoning_content"]
    assert msg.additional_kwargs["reasoning_content"] not in msg.text
    _, full = collect(llm.stream("What is the capital of France?"))
    assert full.text == msg.text
    assert full.additional_kwargs["reasoning_content"] == msg.additional_kwargs["reasoning_content"]


def test_per_call_timeout(make_chat: Factory, emulator: Any) -> None:
    from langchain_core.exceptions import ModelTimeoutError

    from workersai.emulator import Stall

    emulator.faults.add(Stall(0.5))
    with pytest.raises(ModelTimeoutError) as info:
        make_chat(model=CHAT).invoke("Hello", timeout=0.05, max_retries=0)
    assert isinstance(info.value, wa.TimeoutError)


class Joke(BaseModel):
    """A joke."""

    setup: str
    punchline: str


@pytest.mark.parametrize("method", ["function_calling", "json_schema"])
def test_structured_output_non_compliance_raises(
    make_chat: Factory, emulator: Any, method: str
) -> None:
    from langchain_core.exceptions import OutputParserException

    llm = make_chat(model=CHAT).with_structured_output(Joke, method=method)  # type: ignore[arg-type]
    emulator.script.text("I would rather not.")
    with pytest.raises(OutputParserException):
        llm.invoke("Tell me a joke")
    emulator.script.text("I would rather not.")
    with pytest.raises(OutputParserException):
        list(llm.stream("Tell me a joke"))
    emulator.script.text("I would rather not.")
    raw = (
        make_chat(model=CHAT)
        .with_structured_output(
            Joke,
            method=method,
            include_raw=True,  # type: ignore[arg-type]
        )
        .invoke("Tell me a joke")
    )
    assert raw["parsed"] is None and isinstance(raw["parsing_error"], OutputParserException)
    assert raw["raw"].text == "I would rather not."
