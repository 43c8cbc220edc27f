"""Each family's JSON reply against the reference's documented examples (keys and types)."""

from __future__ import annotations

import json

from workersai.emulator._app import Emulator

from .helpers import (
    CLASSIC,
    GEMMA4,
    GPT_OSS,
    LLAMA4,
    NEMOTRON,
    QWEN3,
    R1,
    WEATHER,
    call,
    run,
    user,
)

ASK_WEATHER = {**user("What is the weather in London?"), "tools": [WEATHER]}


def _same_shape(got: object, want: object, path: str = "$") -> None:
    """``got`` has every key of ``want`` with a value of the same JSON type."""
    if isinstance(want, dict):
        assert isinstance(got, dict), path
        for key, value in want.items():
            assert key in got, f"{path}.{key} missing"
            if value is not None:
                _same_shape(got[key], value, f"{path}.{key}")
    elif isinstance(want, list):
        assert isinstance(got, list), path
        if want and got:
            _same_shape(got[0], want[0], f"{path}[0]")
    elif isinstance(want, bool):
        assert isinstance(got, bool), path
    elif isinstance(want, int | float):
        assert isinstance(got, int | float) and not isinstance(got, bool), path
    else:
        assert isinstance(got, type(want)), path


def test_classic_text(emu: Emulator) -> None:
    want = {"response": "The weather is...", "tool_calls": [],
            "usage": {"prompt_tokens": 52, "completion_tokens": 12, "total_tokens": 64,
                      "prompt_tokens_details": {"cached_tokens": 0}}}
    result = run(emu, CLASSIC, user("Tell me about the weather")).result
    _same_shape(result, want)
    assert result["tool_calls"] == []


def test_classic_tool_call_has_null_response_and_no_id(emu: Emulator) -> None:
    want = {"response": None, "tool_calls": [{"name": "x", "arguments": {}}],
            "usage": {"prompt_tokens": 623, "completion_tokens": 20, "total_tokens": 643,
                      "prompt_tokens_details": {"cached_tokens": 0}}}
    result = run(emu, CLASSIC, ASK_WEATHER).result
    _same_shape(result, want)
    assert result["response"] is None
    assert result["tool_calls"] == [{"name": "get_weather", "arguments": {"location": "London"}}]


def test_llama4_tool_calls_have_ids_and_object_arguments(emu: Emulator) -> None:
    result = run(emu, LLAMA4, ASK_WEATHER).result
    (call_,) = result["tool_calls"]
    assert set(call_) == {"id", "type", "function"} and call_["type"] == "function"
    assert call_["function"] == {"name": "get_weather", "arguments": {"location": "London"}}
    assert call_["id"].isalnum() and len(call_["id"]) == 9
    assert isinstance(result["response"], str)


def test_chat_completion_with_tools(emu: Emulator) -> None:
    want = {"id": "chatcmpl-x", "object": "chat.completion", "created": 1751570976,
            "model": QWEN3, "choices": [{"index": 0, "message": {
                "role": "assistant", "content": "", "reasoning_content": "I need to check",
                "tool_calls": [{"id": "chatcmpl-tool-abc", "type": "function", "function": {
                    "name": "get_weather", "arguments": "{}"}}]},
                "finish_reason": "tool_calls", "stop_reason": None, "logprobs": None}],
            "usage": {"prompt_tokens": 13, "completion_tokens": 42, "total_tokens": 55,
                      "prompt_tokens_details": {"cached_tokens": 0}, "neurons": 1.5},
            "prompt_logprobs": None}
    result = run(emu, QWEN3, ASK_WEATHER).result
    _same_shape(result, want)
    (tc,) = result["choices"][0]["message"]["tool_calls"]
    assert tc["id"].startswith("chatcmpl-tool-")
    assert json.loads(tc["function"]["arguments"]) == {"location": "London"}
    assert result["choices"][0]["finish_reason"] == "tool_calls"
    assert result["model"] == QWEN3


def test_chat_text_and_reasoning_fields(emu: Emulator) -> None:
    msg = run(emu, GEMMA4, user("Think: what is 17 * 23?")).result["choices"][0]["message"]
    assert msg["content"] and msg["reasoning_content"]
    off = run(emu, GEMMA4, {**user("hello there"),
                            "chat_template_kwargs": {"enable_thinking": False}}).result
    assert "reasoning_content" not in off["choices"][0]["message"]
    nemo = run(emu, NEMOTRON, user("What is 2 + 2?")).result["choices"][0]["message"]
    assert "reasoning" in nemo and "reasoning_content" not in nemo


def test_chat_usage_counts_reasoning(emu: Emulator) -> None:
    result = run(emu, GEMMA4, user("Explain photosynthesis")).result
    usage = result["usage"]
    reasoning = result["choices"][0]["message"]["reasoning_content"]
    content = result["choices"][0]["message"]["content"]
    assert usage["completion_tokens_details"]["reasoning_tokens"] == len(reasoning.split())
    assert usage["completion_tokens"] == len(reasoning.split()) + len(content.split())
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert usage["prompt_tokens"] == 2


def test_qwen3_prompt_is_a_text_completion(emu: Emulator) -> None:
    result = run(emu, QWEN3, {"prompt": "Talk about open source"}).result
    assert result["object"] == "text_completion"
    assert isinstance(result["choices"][0]["text"], str) and result["choices"][0]["text"]


def test_gpt_oss_responses_input(emu: Emulator) -> None:
    body = {"input": "Talk to me about open source", "instructions": "Be brief",
            "reasoning": {"effort": "medium"}}
    result = run(emu, GPT_OSS, body).result
    assert result["object"] == "response" and result["status"] == "completed"
    kinds = [item["type"] for item in result["output"]]
    assert kinds == ["reasoning", "message"]
    message = result["output"][1]
    assert message["content"][0]["type"] == "output_text"
    assert result["output_text"] == message["content"][0]["text"]
    assert set(result["usage"]) >= {"input_tokens", "output_tokens", "total_tokens"}


def test_gpt_oss_responses_function_call(emu: Emulator) -> None:
    body = {"input": "What is the weather in Paris?",
            "tools": [{"type": "function", "name": "get_weather", "description": "weather",
                       "parameters": {"type": "object", "properties": {
                           "city": {"type": "string"}}, "required": ["city"]}}]}
    result = run(emu, GPT_OSS, body).result
    call_ = next(i for i in result["output"] if i["type"] == "function_call")
    assert call_["name"] == "get_weather" and json.loads(call_["arguments"]) == {"city": "Paris"}
    assert call_["call_id"] and call_["status"] == "completed"


def test_gpt_oss_messages_is_a_chat_completion(emu: Emulator) -> None:
    result = run(emu, GPT_OSS, user("hello")).result
    assert result["object"] == "chat.completion"


def test_deepseek_r1_think_without_opening_tag(emu: Emulator) -> None:
    text = run(emu, R1, user("Why is the sky blue?")).result["response"]
    assert "</think>" in text and "<think>" not in text
    reasoning, answer = text.split("</think>")
    assert reasoning.strip() and answer.strip()


def test_json_mode_classic_returns_an_object(emu: Emulator) -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string"},
                                               "capital": {"type": "string"}},
              "required": ["name", "capital"]}
    body = {"messages": [{"role": "system", "content": "Extract data about a country."},
                         {"role": "user", "content": "Tell me about India."}],
            "response_format": {"type": "json_schema", "json_schema": schema}}
    response = run(emu, CLASSIC, body).result["response"]
    assert isinstance(response, dict) and set(response) == {"name", "capital"}
    assert response["name"] == "India"


def test_json_mode_chat_returns_json_text(emu: Emulator) -> None:
    envelope = {"name": "joke", "strict": True, "schema": {
        "type": "object", "properties": {"setup": {"type": "string"}}, "required": ["setup"]}}
    body = {**user("Tell me a joke"), "response_format": {"type": "json_schema",
                                                          "json_schema": envelope}}
    content = run(emu, GEMMA4, body).result["choices"][0]["message"]["content"]
    assert set(json.loads(content)) == {"setup"}


def test_openai_chat_endpoint_bare_object_for_classic_model(emu: Emulator) -> None:
    body = {"model": CLASSIC, **ASK_WEATHER}
    reply = call(emu, "/v1/chat/completions", body)
    obj = reply.json
    assert "result" not in obj and obj["object"] == "chat.completion"
    assert obj["model"] == CLASSIC
    (tc,) = obj["choices"][0]["message"]["tool_calls"]
    assert isinstance(tc["function"]["arguments"], str)


def test_openai_endpoint_errors_keep_the_envelope(emu: Emulator) -> None:
    reply = call(emu, "/v1/chat/completions", {"model": CLASSIC, "messages": []})
    assert reply.status == 400 and reply.json["success"] is False
    assert reply.error()["code"] == 5006


def test_openai_responses_endpoint(emu: Emulator) -> None:
    obj = call(emu, "/v1/responses", {"model": GPT_OSS, "input": "Hello there"}).json
    assert obj["object"] == "response" and obj["output_text"]
    assert call(emu, "/v1/responses", {"model": CLASSIC, "input": "x"}).status == 400
