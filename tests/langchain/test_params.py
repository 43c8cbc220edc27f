"""Tool conversion, tool_choice forms and per-call keyword resolution (pure)."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.tools import tool
from pydantic import BaseModel, Field

from langchain_workersai._params import CALL_KEYS, SAMPLING_FIELDS, resolve_call
from langchain_workersai._tools import format_tool, to_tool_choice, to_tool_spec
from workersai.config import GatewayOptions, RequestOptions
from workersai.types import ChatParams, ForcedTool, ResponseFormat, ToolSpec


class Weather(BaseModel):
    """Get the weather for a city."""

    city: str = Field(description="City name")


@tool
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


def test_tool_specs_from_every_form() -> None:
    def mul(x: int) -> int:
        """Multiply by two."""
        return 2 * x

    specs = [to_tool_spec(t) for t in (Weather, add, mul, format_tool(Weather))]
    assert [s.name for s in specs] == ["Weather", "add", "mul", "Weather"]
    assert specs[0] == ToolSpec(
        name="Weather",
        description="Get the weather for a city.",
        parameters={
            "type": "object",
            "properties": {"city": {"description": "City name", "type": "string"}},
            "required": ["city"],
        },
    )
    strict = to_tool_spec(Weather, strict=True)
    assert strict.strict is True
    assert strict.parameters.get("additionalProperties") is False


def test_tool_without_parameters_gets_an_empty_object_schema() -> None:
    spec = to_tool_spec({"name": "ping", "description": "Ping.", "parameters": {}})
    assert spec.parameters == {"type": "object", "properties": {}}


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (None, None),
        (False, None),
        ("auto", "auto"),
        ("none", "none"),
        ("any", "required"),
        ("required", "required"),
        (True, "required"),
        ("add", ForcedTool("add")),
        ({"type": "function", "function": {"name": "add"}}, ForcedTool("add")),
        ({"type": "tool", "name": "add"}, ForcedTool("add")),
        ({"type": "any"}, "required"),
        ({"type": "auto"}, "auto"),
    ],
)
def test_tool_choice_forms(choice: Any, expected: Any) -> None:
    assert to_tool_choice(choice, ["add", "Weather"]) == expected


@pytest.mark.parametrize("choice", [3, {"type": "weird"}, ["add"]])
def test_bad_tool_choice(choice: Any) -> None:
    with pytest.raises(ValueError, match="tool_choice"):
        to_tool_choice(choice, ["add"])


def test_forcing_an_unbound_tool_is_an_error() -> None:
    with pytest.raises(ValueError, match="not among the bound tools"):
        to_tool_choice("sub", ["add"])


DEFAULTS: dict[str, Any] = {
    **dict.fromkeys(SAMPLING_FIELDS),
    "model": "@cf/a",
    "endpoint": "native",
    "stream_usage": True,
    "model_kwargs": {},
    "stop": None,
}


def test_defaults_only() -> None:
    call = resolve_call({**DEFAULTS, "temperature": 0.0}, {}, None)
    assert call.model == "@cf/a"
    assert call.endpoint == "native"
    assert call.params == ChatParams(temperature=0.0)  # 0 is kept, not dropped
    assert call.options is None
    assert call.stream_usage is True


def test_every_sampling_field_overrides_per_call() -> None:
    values = {
        "temperature": 0.2,
        "max_tokens": 7,
        "top_p": 0.5,
        "top_k": 3,
        "seed": 11,
        "repetition_penalty": 1.1,
        "frequency_penalty": 0.3,
        "presence_penalty": 0.4,
        "lora": "my-adapter",
        "reasoning_effort": "low",
        "stop": ["END"],
    }
    assert set(values) == set(SAMPLING_FIELDS)  # the core's one table (stop included)
    call = resolve_call({**DEFAULTS, "temperature": 0.9}, values, None)
    for name, value in values.items():
        assert getattr(call.params, name) == value


def test_model_endpoint_stop_and_usage_override() -> None:
    call = resolve_call(
        {**DEFAULTS, "stop": ["a"]},
        {"model": "@cf/b", "endpoint": "openai", "stream_usage": False, "stop": ["x"]},
        None,
    )
    assert (call.model, call.endpoint, call.stream_usage) == ("@cf/b", "openai", False)
    assert call.params.stop == ["x"]
    assert resolve_call(DEFAULTS, {}, ["y"]).params.stop == ["y"]
    assert resolve_call({**DEFAULTS, "stop": []}, {}, None).params.stop is None


def test_model_kwargs_are_the_only_way_to_extra_body_fields() -> None:
    call = resolve_call(
        {**DEFAULTS, "model_kwargs": {"raw": True}}, {"model_kwargs": {"raw": False}}, None
    )
    assert call.params.extra == {"raw": False}
    with pytest.raises(TypeError, match=r"\['bogus'\].*model_kwargs"):
        resolve_call(DEFAULTS, {"bogus": 1}, None)


def test_transport_options_per_call() -> None:
    call = resolve_call(
        DEFAULTS,
        {
            "timeout": 5.0,
            "max_retries": 0,
            "gateway": "gw",
            "gateway_options": {"skip_cache": True},
            "extra_headers": {"x-a": "1"},
            "session_affinity": "s1",
        },
        None,
    )
    assert call.options == RequestOptions(
        timeout=5.0,
        max_retries=0,
        gateway="gw",
        gateway_options=GatewayOptions(skip_cache=True),
        extra_headers={"x-a": "1"},
        session_affinity="s1",
    )


def test_tools_and_choice_resolve() -> None:
    call = resolve_call(
        DEFAULTS,
        {"tools": [format_tool(add)], "tool_choice": "add", "parallel_tool_calls": False},
        None,
    )
    assert [t.name for t in call.params.tools] == ["add"]
    assert call.params.tool_choice == ForcedTool("add")
    assert call.params.parallel_tool_calls is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"type": "json_object"}, ResponseFormat("json_object")),
        (
            {
                "type": "json_schema",
                "json_schema": {"name": "J", "schema": {"type": "object"}, "strict": True},
            },
            ResponseFormat("json_schema", schema={"type": "object"}, name="J", strict=True),
        ),
        (ResponseFormat("json_object"), ResponseFormat("json_object")),
    ],
)
def test_response_format_forms(value: Any, expected: ResponseFormat) -> None:
    assert resolve_call(DEFAULTS, {"response_format": value}, None).params.response_format == (
        expected
    )


def test_bad_response_format() -> None:
    with pytest.raises(ValueError, match="response_format"):
        resolve_call(DEFAULTS, {"response_format": "json"}, None)


def test_ignored_keys_never_reach_the_body() -> None:
    call = resolve_call(DEFAULTS, {"stream": True, "ls_structured_output_format": {}}, None)
    assert call.params == ChatParams()
    assert "stream" in CALL_KEYS
