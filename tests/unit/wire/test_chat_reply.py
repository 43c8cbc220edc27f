"""Every reply body in the reference, read into a neutral Reply."""

from __future__ import annotations

import pytest

from workersai.errors import ResponseFormatError
from workersai.types import ChatParams, ResponseFormat, ToolSpec, Usage
from workersai.wire import parse_chat_reply
from workersai.wire._tools import mint_call_id

from ._fixtures import body

LLAMA33 = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
LLAMA4 = "@cf/meta/llama-4-scout-17b-16e-instruct"
QWEN3 = "@cf/qwen/qwen3-30b-a3b-fp8"
GEMMA4 = "@cf/google/gemma-4-26b-a4b-it"
GPT_OSS = "@cf/openai/gpt-oss-120b"
R1 = "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b"
WEATHER = ToolSpec("get_weather", "weather", {"type": "object", "properties": {}})


def parse(name: str, model: str, params: ChatParams | None = None):  # type: ignore[no-untyped-def]
    return parse_chat_reply(body(name), model=model, params=params or ChatParams())


def test_classic_text() -> None:
    reply = parse("classic_text.json", LLAMA33)
    assert reply.text == "The weather is..."
    assert reply.tool_calls == [] and reply.invalid_tool_calls == []
    assert reply.usage == Usage(52, 12, 64)
    assert reply.finish_reason == "stop"
    assert reply.model == LLAMA33  # not echoed: the requested id
    assert reply.raw == body("classic_text.json")


def test_classic_hello_envelope_without_usage() -> None:
    reply = parse("classic_hello_envelope.json", "@cf/meta/llama-3.1-8b-instruct-fast")
    assert reply.text.startswith("Hello, World first appeared in 1974")
    assert reply.usage is None


def test_classic_tool_call_gets_a_stable_minted_id() -> None:
    reply = parse("classic_tool_call.json", LLAMA33)
    assert reply.text == ""
    [call] = reply.tool_calls
    assert call.name == "get_vn_details" and call.arguments == {"id": "1054"}
    assert call.id.startswith("call_") and len(call.id) == 29
    assert call.id == parse("classic_tool_call.json", LLAMA33).tool_calls[0].id
    assert call.id == mint_call_id(0, "get_vn_details", {"id": "1054"})
    assert call.id != mint_call_id(1, "get_vn_details", {"id": "1054"})
    assert reply.finish_reason == "tool_calls"
    assert reply.usage == Usage(623, 20, 643, cached_input_tokens=0)


def test_classic_json_mode_object_response() -> None:
    reply = parse("classic_json_mode.json", LLAMA33)
    assert reply.parsed == {
        "name": "India",
        "capital": "New Delhi",
        "languages": ["Hindi", "English"],
    }
    assert (
        reply.text == '{"name": "India", "capital": "New Delhi", "languages": ["Hindi", "English"]}'
    )


@pytest.mark.parametrize(("response", "text", "parsed"), [(42, "42", 42), (None, "", None)])
def test_classic_number_and_null_response(response: object, text: str, parsed: object) -> None:
    reply = parse_chat_reply({"response": response}, model=LLAMA33, params=ChatParams())
    assert (reply.text, reply.parsed, reply.finish_reason) == (text, parsed, "stop")


def test_json_mode_text_is_parsed() -> None:
    params = ChatParams(response_format=ResponseFormat("json_object"))
    reply = parse_chat_reply({"response": '{"a": 1}'}, model=LLAMA33, params=params)
    assert reply.parsed == {"a": 1}
    assert (
        parse_chat_reply({"response": '{"a": 1}'}, model=LLAMA33, params=ChatParams()).parsed
        is None
    )


def test_classic_reported_length() -> None:
    result = {"response": "cut", "finish_reason": "length"}
    assert parse_chat_reply(result, model=LLAMA33, params=ChatParams()).finish_reason == "length"


def test_text_tool_call_only_when_it_names_an_offered_tool() -> None:
    offered = ChatParams(tools=[WEATHER])
    reply = parse("classic_text_tool_call.json", LLAMA33, offered)
    assert reply.text == ""
    assert [(c.name, c.arguments) for c in reply.tool_calls] == [
        ("get_weather", {"city": "London"})
    ]
    assert reply.finish_reason == "tool_calls"
    other = ChatParams(tools=[ToolSpec("get_time")])
    assert parse("classic_text_tool_call.json", LLAMA33, other).tool_calls == []
    assert parse("classic_text_tool_call.json", LLAMA33).text.startswith('{"name"')
    refused = ChatParams(tools=[WEATHER], tool_choice="none")
    assert parse("classic_text_tool_call.json", LLAMA33, refused).tool_calls == []


def test_text_tool_call_with_extra_keys_or_object_response() -> None:
    params = ChatParams(tools=[WEATHER])
    extra = {"response": '{"name": "get_weather", "arguments": {}, "note": "x"}'}
    assert parse_chat_reply(extra, model=LLAMA33, params=params).tool_calls == []
    as_object = {"response": {"name": "get_weather", "arguments": '{"city": "Rome"}'}}
    reply = parse_chat_reply(as_object, model=LLAMA33, params=params)
    assert reply.tool_calls[0].arguments == {"city": "Rome"} and reply.parsed is None
    several = {
        "response": '[{"name":"get_weather","parameters":{"city":"A"}},'
        '{"name":"get_weather","parameters":{"city":"B"}}]'
    }
    calls = parse_chat_reply(several, model=LLAMA33, params=params).tool_calls
    assert [c.arguments["city"] for c in calls] == ["A", "B"] and calls[0].id != calls[1].id


@pytest.mark.parametrize(
    ("name", "args", "call_id"),
    [
        ("llama4_tool_call_object.json", {"city": "London"}, "chatcmpl-tool-5a1b"),
        ("llama4_tool_call_string.json", {"city": "Paris"}, "chatcmpl-tool-5a1c"),
    ],
)
def test_llama4_calls_with_object_or_string_arguments(name: str, args: dict, call_id: str) -> None:
    reply = parse(name, LLAMA4)
    [call] = reply.tool_calls
    assert (call.id, call.name, call.arguments) == (call_id, "get_weather", args)
    assert reply.finish_reason == "tool_calls"


def test_chat_completion_gemma4() -> None:
    reply = parse("chat_gemma4.json", GEMMA4)
    assert reply.text == "..."
    assert reply.model == "@cf/google/gemma-4-26b-a4b-it-external"
    assert reply.id == "4bb245b612b04449b9efe83d17ce90e0"
    assert reply.usage == Usage(147, 16, 163, cached_input_tokens=0, neurons=1.7727272510528564)
    assert reply.finish_reason == "stop"


def test_chat_completion_qwen3_tools_and_reasoning() -> None:
    reply = parse("chat_qwen3_tools.json", QWEN3)
    assert reply.reasoning == "I need to check the weather…"
    [call] = reply.tool_calls
    assert (call.id, call.arguments) == ("chatcmpl-tool-abc", {"location": "London"})
    assert reply.finish_reason == "tool_calls"
    assert reply.usage == Usage(13, 42, 55)


def test_chat_reasoning_field_and_reasoning_tokens() -> None:
    reply = parse("chat_nemotron_reasoning.json", "@cf/nvidia/nemotron-3-120b-a12b")
    assert (reply.text, reply.reasoning) == ("42.", "The user wants the answer.")
    assert reply.usage is not None and reply.usage.reasoning_tokens == 24
    assert reply.usage.neurons == 0.5


def test_unparseable_arguments_are_kept_as_invalid() -> None:
    reply = parse("chat_bad_arguments.json", "@cf/zai-org/glm-4.7-flash")
    assert [c.arguments for c in reply.tool_calls] == [{"location": "Rome"}]
    [bad] = reply.invalid_tool_calls
    assert (bad.id, bad.name, bad.raw_arguments) == (
        "chatcmpl-tool-bad",
        "get_weather",
        '{"location": "Lon',
    )
    assert "not valid JSON" in bad.error


def test_non_object_arguments_and_nameless_calls_are_invalid() -> None:
    result = {
        "response": None,
        "tool_calls": [{"name": "f", "arguments": "[1]"}, {"arguments": {}}],
    }
    reply = parse_chat_reply(result, model=LLAMA33, params=ChatParams())
    assert reply.tool_calls == []
    assert [i.error for i in reply.invalid_tool_calls] == [
        "arguments are a JSON list, not an object",
        "tool call without a name",
    ]


def test_text_completion() -> None:
    reply = parse("chat_text_completion.json", QWEN3)
    assert (reply.text, reply.finish_reason, reply.id) == ("Once upon a time", "length", "cmpl-77")


def test_openai_endpoint_bare_object_for_a_classic_model() -> None:
    reply = parse("openai_chat_completion.json", "@cf/meta/llama-3.1-8b-instruct")
    assert reply.text == "Hello! How can I help?" and reply.usage == Usage(12, 7, 19)


def test_responses_output_items() -> None:
    reply = parse("responses_gpt_oss.json", GPT_OSS)
    assert reply.reasoning == "The user wants weather and a greeting."
    assert reply.text == "Let me check."
    [call] = reply.tool_calls
    assert (call.id, call.name, call.arguments) == ("call_9x", "get_weather", {"city": "Oslo"})
    assert reply.finish_reason == "tool_calls"
    assert reply.usage == Usage(31, 40, 71)
    assert reply.id == "resp_0a1b"


def test_responses_incomplete_with_summary_and_details() -> None:
    reply = parse("responses_incomplete.json", "@cf/openai/gpt-oss-20b")
    assert reply.finish_reason == "length"
    assert reply.reasoning == "Thinking about it" and reply.text == ""
    assert reply.usage == Usage(10, 256, 266, cached_input_tokens=4, reasoning_tokens=256)


def test_responses_output_text_only() -> None:
    reply = parse_chat_reply({"output_text": "hi"}, model=GPT_OSS, params=ChatParams())
    assert reply.text == "hi"


def test_r1_think_split_without_opening_tag() -> None:
    reply = parse("r1_think.json", R1)
    assert reply.reasoning == "Okay, the user asks for 2+2. That is 4.\n"
    assert reply.text == "The answer is 4."


def test_think_rules_for_known_and_unknown_models() -> None:
    no_tag = {"response": "still thinking"}
    assert parse_chat_reply(no_tag, model=R1, params=ChatParams()).reasoning == "still thinking"
    plain = parse_chat_reply({"response": "a </think> b"}, model=LLAMA33, params=ChatParams())
    assert (plain.reasoning, plain.text) == (None, "a </think> b")
    opened = {"response": "<think>hm</think>ok"}
    unknown = parse_chat_reply(opened, model="@cf/acme/new-model", params=ChatParams())
    assert (unknown.reasoning, unknown.text) == ("hm", "ok")


def test_unknown_model_read_by_shape() -> None:
    reply = parse("chat_qwen3_tools.json", "@cf/acme/brand-new")
    assert reply.tool_calls[0].name == "get_weather"


@pytest.mark.parametrize("bad", [[], "text", {"choices": "x"}, {"choices": ["x"]}])
def test_malformed_replies_raise_response_format_error(bad: object) -> None:
    with pytest.raises(ResponseFormatError):
        parse_chat_reply(bad, model=GEMMA4, params=ChatParams())


def test_empty_choices_is_an_empty_reply() -> None:
    reply = parse_chat_reply({"choices": []}, model=GEMMA4, params=ChatParams())
    assert (reply.text, reply.finish_reason) == ("", "stop")
