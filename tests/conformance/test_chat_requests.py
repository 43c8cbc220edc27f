"""Every chat request we build validates against the model's published input schema.

For each text-generation model in the snapshot, a matrix of scenarios goes through the
public ``Client`` (with a capturing transport) and each request body is checked with
``jsonschema`` against the fixed published schema, and for top-level fields the schema
lacks. A failure names model and scenario.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest

from workersai import catalog
from workersai.errors import InvalidInputError, ModelRetiredError, ToolCallMissingError
from workersai.types import (
    ChatParams,
    ForcedTool,
    ImagePart,
    Message,
    ResponseFormat,
    TextPart,
    ToolCall,
    ToolSpec,
)
from workersai.wire import chat_rules

from ._capture import capture_client
from ._schema import assert_conforms, chat_models

MODELS = chat_models()
WEATHER = ToolSpec(
    "get_weather",
    "Current weather for a city.",
    {"type": "object", "properties": {"city": {"type": "string", "description": "City"}},
     "required": ["city"]},
)
BARE = ToolSpec(  # no descriptions anywhere
    "lookup", "", {"type": "object", "properties": {"term": {"type": "string"}}},
)
HI = [Message("user", "hello there")]
MULTI = [
    Message("system", "You are terse."),
    Message("user", "hi"),
    Message("assistant", "Hello."),
    Message("user", "What is 2+2?"),
]
ROUND_TRIP = [
    Message("user", "Weather in Paris?"),
    Message("assistant", "", tool_calls=[ToolCall("call_1", "get_weather", {"city": "Paris"})]),
    Message("tool", "18C and sunny", tool_call_id="call_1", name="get_weather"),
]
PNG = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 16).decode()
PERSON = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
_SAMPLING = ("temperature", "top_p", "top_k", "max_tokens", "seed", "repetition_penalty",
             "frequency_penalty", "presence_penalty")

Scenario = Callable[[str], tuple[list[Message], ChatParams, bool]]


def _sampling(model: str, end: int) -> ChatParams:
    rules = chat_rules(model)
    bounds = {name: (lo, hi) for name, lo, hi in rules.bounds}
    values: dict[str, Any] = {}
    for name in _SAMPLING:
        if not rules.takes(name):
            continue
        lo, hi = bounds.get(name, (1, None))
        values[name] = (lo if lo is not None else 1) if end == 0 else (
            hi if hi is not None else 4096)
    return ChatParams(**values)


SCENARIOS: dict[str, Scenario] = {
    "plain": lambda m: (HI, ChatParams(), False),
    "system_multi_turn": lambda m: (MULTI, ChatParams(), False),
    "stream": lambda m: (MULTI, ChatParams(max_tokens=64), True),
    "stop": lambda m: (HI, ChatParams(stop=["\n\n", "END"]), False),
    "tools_described": lambda m: (HI, ChatParams(tools=[WEATHER]), False),
    "tools_undescribed": lambda m: (HI, ChatParams(tools=[BARE, WEATHER]), False),
    "tool_round_trip": lambda m: (ROUND_TRIP, ChatParams(tools=[WEATHER]), False),
    "tool_choice_auto": lambda m: (HI, ChatParams(tools=[WEATHER], tool_choice="auto"), False),
    "tool_choice_none": lambda m: (HI, ChatParams(tools=[WEATHER], tool_choice="none"), False),
    "tool_choice_required": lambda m: (
        HI, ChatParams(tools=[WEATHER, BARE], tool_choice="required"), False),
    "tool_choice_named": lambda m: (
        HI, ChatParams(tools=[WEATHER, BARE], tool_choice=ForcedTool("lookup")), False),
    "tools_stream": lambda m: (
        HI, ChatParams(tools=[WEATHER], tool_choice="required", parallel_tool_calls=False),
        True),
    "sampling_min": lambda m: (HI, _sampling(m, 0), False),
    "sampling_max": lambda m: (HI, _sampling(m, 1), False),
}
JSON_SCENARIOS: dict[str, ResponseFormat] = {
    "json_schema": ResponseFormat("json_schema", schema=PERSON, name="Person"),
    "json_mode": ResponseFormat("json_object"),
}


def _send(model: str, messages: list[Message], params: ChatParams, stream: bool) -> Any:
    client, cap = capture_client()
    try:
        if stream:
            list(client.stream_chat(model, messages, params))
        else:
            client.chat(model, messages, params)
    except ToolCallMissingError:
        pass  # the canned reply may not call the forced tool: the request is what counts
    return cap.last


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("model", MODELS)
def test_chat_request_conforms(model: str, scenario: str) -> None:
    messages, params, stream = SCENARIOS[scenario](model)
    rules = chat_rules(model)
    sends_tools = bool(params.tools) and params.tool_choice != "none"
    lacking = [f for f, used in (("stream", stream), ("tools", sends_tools))
               if used and not rules.takes(f)]
    if lacking:  # a feature the schema lacks is refused loudly, never dropped
        with pytest.raises(InvalidInputError, match=rf"{model} (does not stream|takes no tools)"):
            _send(model, messages, params, stream)
        return
    assert_conforms(model, _send(model, messages, params, stream), scenario)


@pytest.mark.parametrize("scenario", sorted(JSON_SCENARIOS))
@pytest.mark.parametrize("model", MODELS)
def test_json_mode_conforms_or_is_refused(model: str, scenario: str) -> None:
    params = ChatParams(response_format=JSON_SCENARIOS[scenario])
    if chat_rules(model).json_mode is None:
        with pytest.raises(InvalidInputError, match="no JSON mode"):
            _send(model, HI, params, False)
        return
    assert_conforms(model, _send(model, HI, params, False), scenario)


@pytest.mark.parametrize("model", [m for m in MODELS if chat_rules(m).lora])
def test_lora_conforms(model: str) -> None:
    assert_conforms(model, _send(model, HI, ChatParams(lora="my-adapter"), False), "lora")


@pytest.mark.parametrize(
    "model", [m for m in MODELS if (info := catalog.lookup(m)) is not None and info.vision])
def test_image_conforms(model: str) -> None:
    messages = [Message("user", [TextPart("What is this?"), ImagePart(PNG)])]
    assert_conforms(model, _send(model, messages, ChatParams(), False), "image")


@pytest.mark.parametrize("model", MODELS)
def test_out_of_range_is_refused_naming_field_and_range(model: str) -> None:
    rules = chat_rules(model)
    bounded = [(n, lo, hi) for n, lo, hi in rules.bounds if n in _SAMPLING and hi is not None]
    if not bounded:
        pytest.skip(f"{model}: no bounded sampling field")
    name, _lo, hi = bounded[0]
    client, cap = capture_client()
    with pytest.raises(InvalidInputError, match=rf"{name}=.*range \[.*{hi:g}\]"):
        client.chat(model, HI, ChatParams(**{name: hi + 1}))
    assert cap.bodies == []


@pytest.mark.parametrize("model", MODELS)
def test_field_the_schema_lacks_is_refused_unless_passed_through(model: str) -> None:
    rules = chat_rules(model)
    lacking = [n for n in _SAMPLING if not rules.takes(n)]
    if not lacking:
        pytest.skip(f"{model} takes every sampling field")
    name = lacking[0]
    with pytest.raises(InvalidInputError, match=name):
        _send(model, HI, ChatParams(**{name: 1}), False)
    body = _send(model, HI, ChatParams(**{name: 1}, extra={name: 1}), False)
    assert body[name] == 1  # explicit pass-through wins


@pytest.mark.parametrize("model", chat_models(retired=True))
def test_retired_model_is_refused_before_sending(model: str) -> None:
    client, cap = capture_client()
    with pytest.raises(ModelRetiredError, match=r"\d{4}-\d\d-\d\d"):
        client.chat(model, HI, ChatParams())
    assert cap.bodies == []
