"""SSE streams per family: framing, padding, usage accounting, tool-call deltas."""

from __future__ import annotations

import json
from typing import Any

import pytest

from workersai.emulator._app import Emulator

from .helpers import CLASSIC, GEMMA4, LLAMA4, QWEN3, WEATHER, call, run, user

STREAM = {"stream": True}


def _framing(raw: bytes) -> None:
    text = raw.decode()
    assert text.endswith("data: [DONE]\n\n")
    for block in text.split("\n\n")[:-1]:
        assert block.startswith("data: ") and "\n" not in block
    assert "event:" not in text


def test_classic_stream_shape(emu: Emulator) -> None:
    reply = run(emu, CLASSIC, {**user("Tell me about cats"), **STREAM})
    assert reply.headers["content-type"] == "text/event-stream"
    _framing(reply.raw)
    events = reply.events
    assert events[-1] == "[DONE]"
    first, *pieces, final, _ = events
    assert first["response"] == "" and first["tool_calls"] == [] and first["p"]
    assert all(set(e) == {"response", "tool_calls", "p"} for e in pieces)
    text = "".join(e["response"] for e in pieces)
    assert text == run(emu, CLASSIC, user("Tell me about cats")).result["response"]
    assert final["response"] == "" and "p" not in final
    usage = final["usage"]
    assert usage["completion_tokens"] == len(pieces)
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert usage["prompt_tokens_details"] == {"cached_tokens": 0}
    assert isinstance(usage["neurons"], float)


def test_classic_stream_tool_call_whole(emu: Emulator) -> None:
    events = run(emu, CLASSIC, {**user("weather in Oslo?"), "tools": [WEATHER],
                                **STREAM}).events
    calls = [e["tool_calls"] for e in events[:-1] if e.get("tool_calls")]
    assert calls == [[{"name": "get_weather", "arguments": {"location": "Oslo"}}]]


def test_llama4_stream_tool_call_has_id(emu: Emulator) -> None:
    events = run(emu, LLAMA4, {**user("weather in Oslo?"), "tools": [WEATHER],
                               **STREAM}).events
    (item,) = next(e["tool_calls"] for e in events[:-1] if e.get("tool_calls"))
    assert item["function"] == {"name": "get_weather", "arguments": {"location": "Oslo"}}
    assert item["id"] and item["type"] == "function"


def _chunks(events: list[Any]) -> list[dict[str, Any]]:
    return [e for e in events if isinstance(e, dict) and "choices" in e]


def test_chat_stream_shape_and_incremental_usage(emu: Emulator) -> None:
    reply = run(emu, GEMMA4, {**user("Explain the tides"), **STREAM})
    _framing(reply.raw)
    events = reply.events
    chunks = _chunks(events)
    first = chunks[0]
    assert first["choices"][0]["delta"] == {"content": "", "reasoning_content": None,
                                            "role": "assistant"}
    assert first["object"] == "chat.completion.chunk" and first["model"] == GEMMA4
    assert first["usage"]["completion_tokens"] == 0 and first["usage"]["prompt_tokens"] == 3
    finish = chunks[-1]
    assert finish["choices"][0]["finish_reason"] == "stop"
    native = events[-2]
    assert set(native) == {"response", "usage"} and native["response"] == ""
    summed = sum(c["usage"]["completion_tokens"] for c in chunks)
    assert summed == native["usage"]["completion_tokens"]
    assert sum(c["usage"]["prompt_tokens"] for c in chunks) == native["usage"]["prompt_tokens"]
    reasoning = "".join(c["choices"][0]["delta"].get("reasoning_content") or ""
                        for c in chunks)
    content = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks)
    message = run(emu, GEMMA4, user("Explain the tides")).result["choices"][0]["message"]
    assert (reasoning, content) == (message["reasoning_content"], message["content"])
    assert native["usage"]["completion_tokens_details"]["reasoning_tokens"] == len(
        reasoning.split())
    assert all(c["p"] for c in chunks)


def test_include_usage_adds_an_empty_choices_chunk(emu: Emulator) -> None:
    without = _chunks(run(emu, GEMMA4, {**user("hi there"), **STREAM}).events)
    assert all(c["choices"] for c in without)
    events = run(emu, GEMMA4, {**user("hi there"), **STREAM,
                               "stream_options": {"include_usage": True}}).events
    assert _chunks(events)[-1]["choices"] == []


def _tool_deltas(chunks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [tc for c in chunks if c["choices"]
            for tc in c["choices"][0]["delta"].get("tool_calls", [])]


def _assemble(deltas: list[dict[str, Any]]) -> dict[int, dict[str, str]]:
    calls: dict[int, dict[str, str]] = {}
    for d in deltas:
        slot = calls.setdefault(d["index"], {"name": "", "arguments": "", "id": ""})
        slot["id"] += d.get("id", "")
        slot["name"] += d.get("function", {}).get("name", "")
        slot["arguments"] += d.get("function", {}).get("arguments", "")
    return calls


@pytest.mark.parametrize("split", [True, False])
def test_chat_stream_tool_calls_by_index(split: bool) -> None:
    emu = Emulator(split_tool_calls=split)
    events = run(emu, GEMMA4, {**user("What is the weather in San Francisco, CA?"),
                               "tools": [WEATHER], **STREAM}).events
    deltas = _tool_deltas(_chunks(events))
    assert len(deltas) > 2 if split else len(deltas) == 1
    (assembled,) = _assemble(deltas).values()
    assert assembled["name"] == "get_weather" and assembled["id"].startswith("chatcmpl-tool-")
    assert json.loads(assembled["arguments"]) == {"location": "San Francisco, CA"}
    assert _chunks(events)[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_openai_endpoint_stream_has_no_native_event(emu: Emulator) -> None:
    body = {"model": CLASSIC, **user("hello friend"), **STREAM,
            "stream_options": {"include_usage": True}}
    events = call(emu, "/v1/chat/completions", body).events
    assert all("choices" in e for e in events[:-1])
    last = events[-2]
    assert last["choices"] == [] and last["usage"]["total_tokens"] > 0
    assert all("usage" not in e for e in events[:-2])


def test_text_completion_stream(emu: Emulator) -> None:
    events = run(emu, QWEN3, {"prompt": "Say something", **STREAM}).events
    texts = [e["choices"][0]["text"] for e in events if isinstance(e, dict)
             and e.get("choices")]
    assert "".join(texts) == run(emu, QWEN3, {"prompt": "Say something"}).result[
        "choices"][0]["text"]


def test_padding_is_seeded() -> None:
    def pads(seed: int) -> list[str]:
        events = run(Emulator(seed=seed), CLASSIC, {**user("a b c d e"), **STREAM}).events
        return [e["p"] for e in events if isinstance(e, dict) and "p" in e]

    assert pads(1) == pads(1)
    assert pads(1) != pads(2)
    assert len({len(p) for p in pads(1)}) > 1


def test_json_mode_stream_rejected_by_default_and_allowed_by_knob() -> None:
    body = {**user("Give me JSON"), "response_format": {"type": "json_object"}, **STREAM}
    reply = run(Emulator(), CLASSIC, body)
    assert reply.status == 400 and reply.error()["code"] == 5006
    allowed = run(Emulator(json_stream="allow"), CLASSIC, body)
    text = "".join(e["response"] for e in allowed.events[:-1] if "tool_calls" in e)
    assert isinstance(json.loads(text), dict)


def test_large_stream_is_whole() -> None:
    emu = Emulator()
    emu.script.text(" ".join(f"w{i}" for i in range(100_000)))
    reply = run(emu, GEMMA4, {**user("go"), **STREAM})
    assert reply.raw.count(b"\n\n") > 100_000
