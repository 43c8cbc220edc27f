"""Chat request bodies per family: every knob changes the body, refusals happen before I/O."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from workersai.errors import InvalidInputError
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
from workersai.wire import build_chat_request

LLAMA33 = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
LLAMA4 = "@cf/meta/llama-4-scout-17b-16e-instruct"
MISTRAL = "@cf/mistralai/mistral-small-3.1-24b-instruct"
VISION = "@cf/meta/llama-3.2-11b-vision-instruct"
GEMMA4 = "@cf/google/gemma-4-26b-a4b-it"
GLM = "@cf/zai-org/glm-4.7-flash"
GPT_OSS = "@cf/openai/gpt-oss-120b"
UNKNOWN = "@cf/acme/brand-new"
HI = [Message("user", "Hi")]
PNG = "data:image/png;base64,iVBORw0KGgo="
SCHEMA = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
WEATHER = ToolSpec(
    "getWeather",
    "",
    {"type": "object", "properties": {"latitude": {"type": "string"}}, "required": ["latitude"]},
)
TIME = ToolSpec("getTime", "Current time", {"type": "object", "properties": {}})


def build(
    model: str, params: ChatParams | None = None, messages: list[Message] | None = None, **kw: Any
) -> dict[str, Any]:
    kw.setdefault("stream", False)
    kw.setdefault("endpoint", "native")
    return build_chat_request(model, messages or HI, params or ChatParams(), **kw)


def test_plain_native_body_has_only_messages() -> None:
    assert build(LLAMA33) == {"messages": [{"role": "user", "content": "Hi"}]}


def test_openai_endpoint_adds_model() -> None:
    assert build(LLAMA33, endpoint="openai")["model"] == LLAMA33
    assert "model" not in build(LLAMA33)


@pytest.mark.parametrize("model", [LLAMA33, GPT_OSS, UNKNOWN])
def test_sampling_only_when_set_and_zero_is_sent(model: str) -> None:
    params = ChatParams(
        temperature=0,
        max_tokens=64,
        top_p=0.5,
        top_k=5,
        seed=7,
        repetition_penalty=1.1,
        frequency_penalty=0.2,
        presence_penalty=0.0,
    )
    body = build(model, params)
    assert body["temperature"] == 0 and body["presence_penalty"] == 0.0
    assert {k: body[k] for k in ("max_tokens", "top_p", "top_k", "seed")} == {
        "max_tokens": 64,
        "top_p": 0.5,
        "top_k": 5,
        "seed": 7,
    }
    assert body["repetition_penalty"] == 1.1 and body["frequency_penalty"] == 0.2
    assert set(build(model)) == {"messages"}


def test_stop_sent_only_where_the_schema_has_it() -> None:
    stop = ChatParams(stop=["\n\n", "END"])
    assert build(GEMMA4, stop)["stop"] == ["\n\n", "END"]
    assert build(UNKNOWN, stop)["stop"] == ["\n\n", "END"]
    assert "stop" not in build(LLAMA33, stop) and "stop" not in build(GPT_OSS, stop)


def test_sampling_field_the_schema_lacks_is_refused_or_passed_through() -> None:
    with pytest.raises(InvalidInputError, match="top_k"):
        build(GEMMA4, ChatParams(top_k=5))
    assert build(GEMMA4, ChatParams(top_k=5, extra={"top_k": 5}))["top_k"] == 5


def test_value_outside_the_schema_range_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"temperature=7 .*range \[0, 5\]"):
        build(LLAMA33, ChatParams(temperature=7))
    with pytest.raises(InvalidInputError, match=r"top_p=1.5 .*\[0, 1\]"):
        build(GEMMA4, ChatParams(top_p=1.5))


def test_stream_flag_and_usage_option_per_family() -> None:
    assert build(LLAMA33, stream=True)["stream"] is True
    assert "stream_options" not in build(LLAMA33, stream=True)
    assert build(GEMMA4, stream=True)["stream_options"] == {"include_usage": True}
    assert build(LLAMA33, stream=True, endpoint="openai")["stream_options"] == {
        "include_usage": True
    }
    assert "stream" not in build(GEMMA4)


def test_extra_is_merged_last() -> None:
    params = ChatParams(temperature=0.3, extra={"temperature": 0.9, "raw": True})
    body = build(LLAMA33, params)
    assert body["temperature"] == 0.9 and body["raw"] is True


def test_tool_round_trip_matches_the_reference_shape() -> None:
    """Reference section 2.5, built from neutral messages."""
    call = ToolCall("chatcmpl-tool-8a89c35582d60474", "getWeather", {"city": "London"})
    messages = [
        Message("user", "Weather in London?"),
        Message("assistant", "", tool_calls=[call]),
        Message("tool", '{"temp_c":14}', tool_call_id=call.id),
    ]
    assert build(GEMMA4, messages=messages)["messages"] == [
        {"role": "user", "content": "Weather in London?"},
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [
                {
                    "id": "chatcmpl-tool-8a89c35582d60474",
                    "type": "function",
                    "function": {"name": "getWeather", "arguments": '{"city":"London"}'},
                }
            ],
        },
        {
            "role": "tool",
            "tool_call_id": "chatcmpl-tool-8a89c35582d60474",
            "name": "getWeather",
            "content": '{"temp_c":14}',
        },
    ]


def test_classic_call_ids_get_nine_alphanumerics_consistently() -> None:
    call = ToolCall("c_1", "getWeather", {})
    messages = [
        Message("user", "q"),
        Message("assistant", tool_calls=[call]),
        Message("tool", "r", tool_call_id="c_1", name="getWeather"),
    ]
    sent = build(MISTRAL, messages=messages)["messages"]
    wire_id = sent[1]["tool_calls"][0]["id"]
    assert len(wire_id) == 9 and wire_id.isalnum() and sent[2]["tool_call_id"] == wire_id
    assert build(GEMMA4, messages=messages)["messages"][2]["tool_call_id"] == "c_1"


def test_tool_result_without_id_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="tool_call_id"):
        build(GEMMA4, messages=[Message("user", "q"), Message("tool", "r")])


def test_classic_tools_get_descriptions_filled() -> None:
    body = build(LLAMA33, ChatParams(tools=[WEATHER]))
    fn = body["tools"][0]["function"]
    assert body["tools"][0]["type"] == "function"
    assert fn["description"] == "getWeather"
    assert fn["parameters"]["properties"]["latitude"] == {
        "type": "string",
        "description": "latitude",
    }
    bare = build(LLAMA33, ChatParams(tools=[ToolSpec("ping")]))["tools"][0]["function"]
    assert bare["parameters"] == {"type": "object", "properties": {}}


def test_classic_property_without_type_gets_one() -> None:
    spec = ToolSpec(
        "f",
        "d",
        {
            "type": "object",
            "properties": {
                "x": {"anyOf": [{"type": "null"}, {"type": "integer"}], "title": "X value"}
            },
        },
    )
    prop = build(LLAMA33, ChatParams(tools=[spec]))["tools"][0]["function"]["parameters"][
        "properties"
    ]["x"]
    assert prop["type"] == "integer" and prop["description"] == "X value"


def test_chat_tools_kept_as_given_with_strict() -> None:
    spec = ToolSpec("f", "", {"type": "object", "properties": {"a": {"type": "string"}}}, True)
    fn = build(GEMMA4, ChatParams(tools=[spec]))["tools"][0]["function"]
    assert fn == {"name": "f", "parameters": spec.parameters, "strict": True}


@pytest.mark.parametrize(
    ("choice", "wire"),
    [
        ("auto", "auto"),
        ("none", "none"),
        ("required", "required"),
        (ForcedTool("getTime"), {"type": "function", "function": {"name": "getTime"}}),
    ],
)
def test_tool_choice_on_chat_models(choice: Any, wire: Any) -> None:
    body = build(GLM, ChatParams(tools=[WEATHER, TIME], tool_choice=choice))
    assert body["tool_choice"] == wire and len(body["tools"]) == 2


def test_tool_choice_emulated_on_classic_models() -> None:
    forced = build(LLAMA33, ChatParams(tools=[WEATHER, TIME], tool_choice=ForcedTool("getTime")))
    assert [t["function"]["name"] for t in forced["tools"]] == ["getTime"]
    assert "tool_choice" not in forced
    assert "tools" not in build(LLAMA33, ChatParams(tools=[WEATHER], tool_choice="none"))
    assert (
        len(build(LLAMA33, ChatParams(tools=[WEATHER, TIME], tool_choice="required"))["tools"]) == 2
    )


def test_forced_tool_must_be_offered() -> None:
    with pytest.raises(InvalidInputError, match="not offered"):
        build(GLM, ChatParams(tools=[WEATHER], tool_choice=ForcedTool("nope")))


@pytest.mark.parametrize("model", [LLAMA33, GLM])
@pytest.mark.parametrize("parameters", ["x", ["a", "b"], 3])
def test_tool_parameters_must_be_an_object(model: str, parameters: Any) -> None:
    with pytest.raises(InvalidInputError, match="tool 'f': parameters must be a JSON Schema"):
        build(model, ChatParams(tools=[ToolSpec("f", "", parameters)]))


@pytest.mark.parametrize("model", [LLAMA33, GLM])
@pytest.mark.parametrize("name", ["", "has space", "dotted.name", "x" * 65, None])
def test_tool_name_must_be_valid(model: str, name: Any) -> None:
    with pytest.raises(InvalidInputError, match="tool 1 has an invalid name"):
        build(model, ChatParams(tools=[TIME, ToolSpec(name, "d")]))


def test_tool_names_at_the_limits_are_sent() -> None:
    names = ["a", "get_weather-2", "x" * 64]
    body = build(GLM, ChatParams(tools=[ToolSpec(n, "d") for n in names]))
    assert [t["function"]["name"] for t in body["tools"]] == names


def test_parallel_tool_calls_where_accepted() -> None:
    params = ChatParams(tools=[WEATHER], parallel_tool_calls=False)
    assert build(GLM, params)["parallel_tool_calls"] is False
    assert "parallel_tool_calls" not in build(LLAMA33, params)
    assert "parallel_tool_calls" not in build(GLM, ChatParams(parallel_tool_calls=False))


def test_json_mode_forms() -> None:
    schema = ResponseFormat("json_schema", SCHEMA, name="country", strict=True)
    assert build(LLAMA33, ChatParams(response_format=schema))["response_format"] == {
        "type": "json_schema",
        "json_schema": SCHEMA,
    }
    assert build(GEMMA4, ChatParams(response_format=schema))["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "country", "schema": SCHEMA, "strict": True},
    }
    guided = build(MISTRAL, ChatParams(response_format=schema))
    assert guided["guided_json"] == SCHEMA and "response_format" not in guided
    assert build(LLAMA4, ChatParams(response_format=schema))["guided_json"] == SCHEMA
    obj = ChatParams(response_format=ResponseFormat("json_object"))
    assert build(GEMMA4, obj)["response_format"] == {"type": "json_object"}
    assert build(MISTRAL, obj)["guided_json"] == {"type": "object"}


def test_json_mode_reference_request_for_classic() -> None:
    """Reference section 2.3's request, built from neutral input."""
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "capital": {"type": "string"}},
        "required": ["name", "capital"],
    }
    messages = [
        Message("system", "Extract data about a country."),
        Message("user", "Tell me about India."),
    ]
    params = ChatParams(response_format=ResponseFormat("json_schema", schema))
    assert build(LLAMA33, params, messages) == {
        "messages": [
            {"role": "system", "content": "Extract data about a country."},
            {"role": "user", "content": "Tell me about India."},
        ],
        "response_format": {"type": "json_schema", "json_schema": schema},
    }


def test_json_mode_refusals() -> None:
    with pytest.raises(InvalidInputError, match="no JSON mode"):
        build(
            "@cf/meta/llama-3.2-3b-instruct",
            ChatParams(response_format=ResponseFormat("json_object")),
        )
    with pytest.raises(InvalidInputError, match="needs a schema"):
        build(GEMMA4, ChatParams(response_format=ResponseFormat("json_schema")))


def test_lora_sent_or_refused() -> None:
    assert build(VISION, ChatParams(lora="my-adapter"))["lora"] == "my-adapter"
    with pytest.raises(InvalidInputError, match="model_kwargs"):  # catalog lora, schema none
        build(MISTRAL, ChatParams(lora="my-adapter"))
    assert build(UNKNOWN, ChatParams(lora="x"))["lora"] == "x"
    with pytest.raises(InvalidInputError, match="LoRA"):
        build(LLAMA33, ChatParams(lora="my-adapter"))


def test_reasoning_effort() -> None:
    # gpt-oss's messages form has no reasoning_effort: its schema's own ``reasoning``
    assert build(GPT_OSS, ChatParams(reasoning_effort="high"))["reasoning"] == {"effort": "high"}
    assert build(GLM, ChatParams(reasoning_effort="low"))["reasoning_effort"] == "low"
    with pytest.raises(InvalidInputError, match="low, medium, high"):
        build(GPT_OSS, ChatParams(reasoning_effort="max"))
    with pytest.raises(InvalidInputError, match="reasoning_effort"):
        build(LLAMA33, ChatParams(reasoning_effort="low"))


def test_gpt_oss_is_sent_the_messages_form() -> None:
    body = build(
        GPT_OSS,
        ChatParams(max_tokens=100, tools=[TIME], tool_choice="auto"),
        [Message("system", "Be brief"), Message("user", "Hi")],
        stream=True,
    )
    assert body["messages"][0] == {"role": "system", "content": "Be brief"}
    assert body["tools"][0]["function"]["name"] == "getTime"
    assert "tool_choice" not in body and "stream_options" not in body  # not in its schema
    assert body["max_tokens"] == 100
    assert "input" not in body


def test_images_as_data_url_parts_for_vision_models() -> None:
    msg = Message("user", [TextPart("What is this?"), ImagePart(PNG, detail="low")])
    assert build("@cf/google/gemma-3-12b-it", messages=[msg])["messages"][0]["content"] == [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": PNG}},
    ]
    lifted = build(VISION, messages=[msg])  # its schema: text content + top-level image
    assert lifted["messages"][0]["content"] == "What is this?"
    assert bytes(lifted["image"]) == base64.b64decode(PNG.split(",")[1])
    chat_parts = build("@cf/moonshotai/kimi-k2.6", messages=[msg])["messages"][0]["content"]
    assert chat_parts[1] == {"type": "image_url", "image_url": {"url": PNG, "detail": "low"}}


def test_images_refused_on_text_models_and_as_http() -> None:
    with pytest.raises(InvalidInputError, match="does not take images"):
        build(LLAMA33, messages=[Message("user", [ImagePart(PNG)])])
    with pytest.raises(InvalidInputError, match="data: URLs"):
        build(VISION, messages=[Message("user", [ImagePart("https://x/y.png")])])


def test_text_parts_flattened_to_a_string() -> None:
    msg = Message("user", [TextPart("a"), TextPart("b")])
    assert build(LLAMA33, messages=[msg])["messages"][0]["content"] == "a\nb"


def test_consecutive_same_role_merged_for_classic_only() -> None:
    messages = [
        Message("system", "s1"),
        Message("system", "s2"),
        Message("user", "u1"),
        Message("user", [TextPart("u2")]),
        Message("assistant", "a"),
    ]
    merged = build(LLAMA33, messages=messages)["messages"]
    assert merged == [
        {"role": "system", "content": "s1\n\ns2"},
        {"role": "user", "content": "u1\nu2"},
        {"role": "assistant", "content": "a"},
    ]
    assert len(build(GEMMA4, messages=messages)["messages"]) == 5


def test_tool_results_never_merged_and_names_looked_up() -> None:
    calls = [ToolCall("id000000a", "getTime", {}), ToolCall("id000000b", "getWeather", {})]
    messages = [
        Message("user", "q"),
        Message("assistant", tool_calls=calls),
        Message("tool", "1", tool_call_id="id000000a"),
        Message("tool", "2", tool_call_id="id000000b"),
    ]
    sent = build(LLAMA33, messages=messages)["messages"]
    assert [m.get("name") for m in sent[2:]] == ["getTime", "getWeather"]
    assert sent[1]["content"] == ""


@pytest.mark.parametrize("bad", [[], [Message("robot", "x")]])  # type: ignore[arg-type]
def test_bad_messages_refused(bad: list[Message]) -> None:
    with pytest.raises(InvalidInputError):
        build_chat_request(LLAMA33, bad, ChatParams(), stream=False, endpoint="native")


def test_non_chat_model_refused() -> None:
    with pytest.raises(InvalidInputError, match="not a chat model"):
        build("@cf/baai/bge-base-en-v1.5")


def test_unknown_model_uses_chat_completions_form() -> None:
    body = build(UNKNOWN, ChatParams(tools=[WEATHER], tool_choice="required"), stream=True)
    assert body["tool_choice"] == "required" and body["stream_options"]["include_usage"]
    assert "description" not in body["tools"][0]["function"]


def test_openai_endpoint_uses_openai_shapes_for_classic_models() -> None:
    params = ChatParams(
        tools=[WEATHER],
        tool_choice="required",
        response_format=ResponseFormat("json_schema", SCHEMA),
    )
    body = build(LLAMA33, params, endpoint="openai")
    assert body["tool_choice"] == "required"
    assert body["response_format"]["json_schema"]["schema"] == SCHEMA
