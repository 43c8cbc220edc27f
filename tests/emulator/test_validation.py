"""Input validation: HTTP 400, code 5006, ``AiError: Bad input: Error: ...``."""

from __future__ import annotations

from typing import Any

import pytest

from workersai.emulator._app import Emulator

from .helpers import (
    BGE_M3,
    BGE_SMALL,
    CLASSIC,
    GEMMA4,
    GPT_OSS,
    LLAMA4,
    QWEN3_EMB,
    RERANKER,
    WEATHER,
    run,
    user,
)

PREFIX = "AiError: Bad input: Error: "
MSG = user("hi")
IMG_HTTP = {"messages": [{"role": "user", "content": [
    {"type": "text", "text": "what is this?"},
    {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]}]}
IMG_DATA = {"messages": [{"role": "user", "content": [
    {"type": "text", "text": "what is this?"},
    {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]}]}

BAD: list[tuple[str, dict[str, Any], str]] = [
    (CLASSIC, {}, "oneOf at '/' not met, 0 matches"),
    (CLASSIC, {"prompt": "a", **MSG}, "oneOf at '/' not met, 2 matches: 'Prompt', 'Messages'"),
    (CLASSIC, {"prompt": ""}, "shorter than the minimum length 1"),
    (CLASSIC, {"prompt": 3}, "Type mismatch of '/prompt'"),
    (CLASSIC, {"messages": [{"content": "x"}]}, "required properties at '/messages/0'"),
    (CLASSIC, {"messages": [{"role": "assistant", "content": None}]},
     "Type mismatch of '/messages/0/content', 'null' not in 'string'"),
    (CLASSIC, {"messages": [{"role": "user"}]}, "'content'"),
    (CLASSIC, {"messages": [{"role": "user", "content": [{"type": "text", "text": "x"}]}]},
     "Type mismatch of '/messages/0/content', 'array' not in 'string'"),
    (CLASSIC, {**MSG, "temperature": 5.5}, "greater than the maximum 5"),
    (CLASSIC, {**MSG, "temperature": -0.1}, "less than the minimum 0"),
    (CLASSIC, {**MSG, "top_k": 0}, "'/top_k'"),
    (CLASSIC, {**MSG, "top_k": 51}, "'/top_k'"),
    (CLASSIC, {**MSG, "top_k": 2.5}, "Type mismatch of '/top_k'"),
    (CLASSIC, {**MSG, "top_p": 2.5}, "'/top_p'"),
    (CLASSIC, {**MSG, "seed": 0}, "'/seed'"),
    (CLASSIC, {**MSG, "seed": 10_000_000_000}, "'/seed'"),
    (CLASSIC, {**MSG, "repetition_penalty": 3}, "'/repetition_penalty'"),
    (CLASSIC, {**MSG, "frequency_penalty": -3}, "'/frequency_penalty'"),
    (CLASSIC, {**MSG, "presence_penalty": 2.5}, "'/presence_penalty'"),
    (CLASSIC, {**MSG, "max_tokens": 2.5}, "Type mismatch of '/max_tokens'"),
    (CLASSIC, {**MSG, "stream": "yes"}, "'/stream'"),
    (CLASSIC, {**MSG, "tools": [{"name": "x", "description": "d", "parameters": "nope"}]},
     "Type mismatch of '/tools/0/parameters', 'string' not in 'object'"),
    (CLASSIC, {**MSG, "tools": [{"type": "function", "function": {"description": "d"}}]},
     "'/tools/0/function'"),
    (GEMMA4, {**MSG, "response_format": {"type": "xml"}}, "'/response_format/type'"),
    (GEMMA4, {**MSG, "top_p": 1.5}, "'/top_p'"),
    (GEMMA4, {**MSG, "n": 0}, "'/n'"),
    (GEMMA4, {"messages": [{"role": "user", "content": None}]}, "'/messages/0/content'"),
    (LLAMA4, IMG_HTTP, "does not match pattern '^data:*'"),
    (GPT_OSS, {"instructions": "be brief"}, "oneOf at '/' not met, 0 matches"),
    (BGE_SMALL, {}, "required properties at '/' are 'text'"),
    (BGE_SMALL, {"text": ""}, "shorter than the minimum length 1"),
    (BGE_SMALL, {"text": ["ok", ""]}, "'/text/1'"),
    (BGE_SMALL, {"text": ["x"] * 101}, "more items than the maximum 100"),
    (BGE_SMALL, {"text": "x", "pooling": "max"}, "'/pooling'"),
    (QWEN3_EMB, {"documents": ["x"] * 33}, "more items than the maximum 32"),
    (QWEN3_EMB, {}, "anyOf at '/' not met: required properties at '/' are 'text'"),
    (BGE_M3, {"contexts": [{"text": ""}]}, "'/contexts/0/text'"),
    (RERANKER, {"query": "q"}, "'contexts'"),
    (RERANKER, {"query": "", "contexts": [{"text": "a"}]}, "'/query'"),
    (RERANKER, {"query": "q", "contexts": [{"text": "a"}], "top_k": 0}, "'/top_k'"),
]


@pytest.mark.parametrize(("model", "body", "fragment"), BAD)
def test_bad_input(emu: Emulator, model: str, body: dict[str, Any], fragment: str) -> None:
    reply = run(emu, model, body)
    assert reply.status == 400, reply.raw
    error = reply.error()
    assert error["code"] == 5006
    assert error["message"].startswith(PREFIX)
    assert fragment in error["message"]
    assert reply.json["result"] == {}
    assert "cf-ai-req-id" in reply.headers


GOOD: list[tuple[str, dict[str, Any]]] = [
    (CLASSIC, {"prompt": "x", "temperature": 5, "top_k": 50, "seed": 9999999999,
               "top_p": 1, "max_tokens": 1}),
    # the published schemas set no minimum on these (the service is the judge; the
    # emulator holds requests to the published schema, nothing stricter)
    (CLASSIC, {"messages": [], "max_tokens": 0}),
    (GEMMA4, {**MSG, "tools": [WEATHER], "tool_choice": {
        "type": "function", "function": {"name": "other"}}}),
    (GPT_OSS, {"prompt": "hi"}),  # gpt-oss's Prompt branch
    (CLASSIC, {"messages": [{"role": "assistant", "content": ""}, {"role": "user",
                                                                   "content": "x"}]}),
    (GEMMA4, {"messages": [{"role": "assistant", "content": None, "tool_calls": [
        {"id": "a", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "a", "content": "1"}], "max_tokens": None}),
    (LLAMA4, IMG_DATA),
    (BGE_SMALL, {"text": ["x"] * 100}),
    (QWEN3_EMB, {"queries": ["x"] * 32}),
]


@pytest.mark.parametrize(("model", "body"), GOOD)
def test_good_input(emu: Emulator, model: str, body: dict[str, Any]) -> None:
    reply = run(emu, model, body)
    assert reply.status == 200, reply.raw
