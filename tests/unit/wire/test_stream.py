"""StreamAssembler: every stream in the reference, in pieces of 1, 7, 97 and 100,000 bytes."""

from __future__ import annotations

import pytest

from workersai.errors import ResponseFormatError, TruncatedStreamError
from workersai.types import ChatParams, StreamDelta, ToolSpec, Usage
from workersai.wire import StreamAssembler, parse_chat_reply
from workersai.wire._tools import mint_call_id

from ._fixtures import body, reasoning, run_stream, stream_bytes, texts

LLAMA33 = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
GEMMA4 = "@cf/google/gemma-4-26b-a4b-it"
QWEN3 = "@cf/qwen/qwen3-30b-a3b-fp8"
GLM = "@cf/zai-org/glm-4.7-flash"
KIMI = "@cf/moonshotai/kimi-k2.6"
R1 = "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b"
GPT_OSS = "@cf/openai/gpt-oss-120b"
WEATHER = ToolSpec("get_weather", "weather")
CHUNKS = [1, 7, 97, 100_000]


def fragments(deltas: list[StreamDelta]) -> list[tuple[int, str | None, str | None, str]]:
    return [
        (d.tool_call.index, d.tool_call.id, d.tool_call.name, d.tool_call.arguments)
        for d in deltas
        if d.tool_call is not None
    ]


@pytest.mark.parametrize("chunk", CHUNKS)
def test_classic_text_stream(chunk: int) -> None:
    deltas, final, _ = run_stream(LLAMA33, None, stream_bytes("classic_text.sse"), chunk=chunk)
    assert [d.text for d in deltas] == ["You", "'re looking"]
    assert not any(d.final for d in deltas)
    assert final.final and final.finish_reason == "stop" and final.model == LLAMA33
    assert final.usage == Usage(52, 16, 68)


def test_classic_whole_tool_call_matches_the_non_stream_id() -> None:
    deltas, final, asm = run_stream(LLAMA33, None, stream_bytes("classic_whole_tool_call.sse"))
    assert fragments(deltas) == [
        (0, mint_call_id(0, "add", {"a": 1, "b": 2}), "add", '{"a":1,"b":2}')
    ]
    assert final.finish_reason == "tool_calls"
    assert final.usage == Usage(30, 9, 39, cached_input_tokens=0, neurons=0.25)
    whole = parse_chat_reply(
        {"response": None, "tool_calls": [{"name": "add", "arguments": {"a": 1, "b": 2}}]},
        model=LLAMA33,
        params=ChatParams(),
    )
    assert asm.reply().tool_calls == whole.tool_calls


@pytest.mark.parametrize("chunk", CHUNKS)
def test_classic_index_deltas_with_null_finalisation(chunk: int) -> None:
    deltas, final, asm = run_stream(
        LLAMA33, None, stream_bytes("classic_index_deltas.sse"), chunk=chunk
    )
    assert fragments(deltas) == [
        (0, "chatcmpl-tool-48e2…", "get_weather", ""),
        (0, None, None, '{"location": "'),
        (0, None, None, 'London"}'),
        (1, "chatcmpl-tool-77f1", "get_time", ""),
        (1, None, None, '{"tz": "UTC"}'),
    ]
    assert final.finish_reason == "tool_calls" and final.usage is None
    calls = asm.reply().tool_calls
    assert [(c.name, c.arguments) for c in calls] == [
        ("get_weather", {"location": "London"}),
        ("get_time", {"tz": "UTC"}),
    ]


@pytest.mark.parametrize("chunk", CHUNKS)
def test_chat_gemma4_stream_counts_usage_once(chunk: int) -> None:
    deltas, final, _ = run_stream(GEMMA4, None, stream_bytes("chat_gemma4.sse"), chunk=chunk)
    assert texts(deltas) == "أ" and [d.text for d in deltas] == ["أ"]
    assert final.finish_reason == "stop"
    assert final.model == "@cf/google/gemma-4-26b-a4b-it-external"
    assert final.id == "f962…"
    assert final.usage == Usage(147, 16, 163, cached_input_tokens=0, neurons=1.7727271914482117)


def test_incremental_chunk_usage_is_summed_without_a_trailer() -> None:
    _, final, _ = run_stream(GEMMA4, None, stream_bytes("chat_incremental_no_trailer.sse"))
    assert final.usage == Usage(147, 2, 149, cached_input_tokens=3, neurons=1.5)


def test_running_cumulative_usage_takes_the_last_figure() -> None:
    deltas, final, asm = run_stream(QWEN3, None, stream_bytes("chat_qwen3_cumulative.sse"))
    assert reasoning(deltas) == "Let me think." and texts(deltas) == "Paris."
    assert final.usage == Usage(13, 6, 19)
    assert final.id == "chatcmpl-r1"  # the id changed mid-stream; the first is kept
    assert asm.reply().reasoning == "Let me think."


@pytest.mark.parametrize("chunk", CHUNKS)
def test_glm_whole_call_in_one_delta_after_text(chunk: int) -> None:
    deltas, final, _ = run_stream(
        GLM, ChatParams(tools=[WEATHER]), stream_bytes("chat_glm_whole_tool.sse"), chunk=chunk
    )
    assert texts(deltas) == "Checking the weather."
    assert fragments(deltas) == [(0, "call_glm_1", "get_weather", '{"city": "Berlin"}')]
    assert final.finish_reason == "tool_calls" and final.usage == Usage(50, 20, 70)


def test_split_tool_calls_by_index_and_invalid_arguments() -> None:
    deltas, final, asm = run_stream(KIMI, None, stream_bytes("chat_split_tools.sse"))
    assert reasoning(deltas) == "Two cities."
    assert fragments(deltas) == [
        (0, "call_a", "get_weather", ""),
        (0, None, None, '{"city": '),
        (1, "call_b", "get_weather", '{"city": "Rome"}'),
        (0, None, None, '"Oslo"}'),
        (2, "call_c", "get_weather", '{"city": "Lon'),
    ]
    reply = asm.reply()
    assert [(c.id, c.arguments) for c in reply.tool_calls] == [
        ("call_a", {"city": "Oslo"}),
        ("call_b", {"city": "Rome"}),
    ]
    [bad] = reply.invalid_tool_calls
    assert (bad.id, bad.raw_arguments) == ("call_c", '{"city": "Lon')
    assert final.finish_reason == "tool_calls"


def test_legacy_streamed_data() -> None:
    deltas, final, _ = run_stream(LLAMA33, None, stream_bytes("legacy_streamed_data.sse"))
    assert texts(deltas) == "Hello world" and final.usage == Usage(5, 2, 7)


def test_neurons_only_usage() -> None:
    _, final, _ = run_stream(LLAMA33, None, stream_bytes("classic_neurons_only.sse"))
    assert final.usage == Usage(neurons=40.0)


@pytest.mark.parametrize("chunk", CHUNKS)
def test_r1_think_split_across_tokens(chunk: int) -> None:
    deltas, _final, asm = run_stream(R1, None, stream_bytes("r1_think.sse"), chunk=chunk)
    assert reasoning(deltas) == "Okay, 2+2 is 4."
    assert texts(deltas) == "The answer is 4."
    assert all("<" not in d.text and "<" not in d.reasoning for d in deltas)
    whole = parse_chat_reply(body("r1_think.json"), model=R1, params=ChatParams())
    assert whole.text == "The answer is 4."
    assert asm.reply().text == "The answer is 4."


@pytest.mark.parametrize("chunk", CHUNKS)
def test_responses_stream_events(chunk: int) -> None:
    deltas, final, asm = run_stream(
        GPT_OSS, None, stream_bytes("responses_gpt_oss.sse"), chunk=chunk
    )
    assert reasoning(deltas) == "Need weather." and texts(deltas) == "Checking"
    assert fragments(deltas) == [
        (0, "call_r1", "get_weather", ""),
        (0, None, None, '{"city":'),
        (0, None, None, '"Oslo"}'),
    ]
    assert final.finish_reason == "tool_calls" and final.id == "resp_s1"
    assert final.usage == Usage(31, 12, 43)
    assert asm.reply().tool_calls[0].arguments == {"city": "Oslo"}


def test_json_text_tool_call_is_converted_when_it_names_an_offered_tool() -> None:
    raw = stream_bytes("classic_json_text_call.sse")
    deltas, final, asm = run_stream(LLAMA33, ChatParams(tools=[WEATHER]), raw)
    assert texts(deltas) == "" and final.text == ""
    [(index, call_id, name, args)] = fragments(deltas)
    assert (index, name, args) == (0, "get_weather", '{"city":"London"}')
    assert call_id == mint_call_id(0, "get_weather", {"city": "London"})
    assert final.finish_reason == "tool_calls"
    assert asm.reply().tool_calls[0].arguments == {"city": "London"}


def test_json_text_is_released_as_text_when_no_offered_tool_matches() -> None:
    raw = stream_bytes("classic_json_text_call.sse")
    deltas, final, _ = run_stream(LLAMA33, ChatParams(tools=[ToolSpec("other")]), raw)
    assert texts(deltas) + final.text == '{"name": "get_weather", "parameters": {"city": "London"}}'
    assert fragments(deltas) == [] and final.finish_reason == "stop"
    plain, _, _ = run_stream(LLAMA33, None, raw)
    assert len(plain) == 3  # no tools offered: nothing held back


def test_unfinished_json_text_is_flushed_as_text_on_the_final_delta() -> None:
    asm = StreamAssembler(LLAMA33, ChatParams(tools=[WEATHER]))
    assert asm.feed({"response": ' {"name": "get_weather"'}) == []
    asm.done()
    assert asm.finish().text == ' {"name": "get_weather"'


def test_truncated_stream_raises_with_partial_text() -> None:
    asm = StreamAssembler(LLAMA33, ChatParams())
    asm.feed({"response": "Half an ans"})
    with pytest.raises(TruncatedStreamError) as info:
        asm.finish()
    assert info.value.partial_text == "Half an ans"


def test_finish_reason_without_done_is_not_truncation() -> None:
    asm = StreamAssembler(GEMMA4, ChatParams())
    asm.feed({"choices": [{"index": 0, "delta": {"content": "x"}, "finish_reason": "length"}]})
    final = asm.finish()
    assert final.finish_reason == "length" and asm.finish() is final


def test_padding_only_and_empty_events_yield_nothing() -> None:
    asm = StreamAssembler(LLAMA33, ChatParams())
    assert asm.feed({"tool_calls": [], "p": "abc"}) == []
    assert asm.feed({"response": "", "tool_calls": []}) == []
    assert asm.feed({"choices": [{"index": 1, "delta": {"content": "other choice"}}]}) == []


def test_text_completion_chunks() -> None:
    asm = StreamAssembler(QWEN3, ChatParams())
    out = asm.feed({"object": "text_completion", "choices": [{"index": 0, "text": "Once"}]})
    assert [d.text for d in out] == ["Once"]


def test_a_reused_wire_index_with_a_new_id_starts_a_new_call() -> None:
    asm = StreamAssembler(LLAMA33, ChatParams())
    first = {"index": 0, "id": "call_one1", "function": {"name": "a", "arguments": "{}"}}
    second = {"index": 0, "id": "call_two2", "function": {"name": "b", "arguments": "{}"}}
    out = asm.feed({"tool_calls": [first]}) + asm.feed({"tool_calls": [second]})
    assert fragments(out) == [(0, "call_one1", "a", "{}"), (1, "call_two2", "b", "{}")]


def test_assembler_sums_usage_over_many_tokens() -> None:
    asm = StreamAssembler(GEMMA4, ChatParams(tools=[WEATHER]))
    event = {
        "choices": [{"index": 0, "delta": {"content": "tok"}, "finish_reason": None}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 1, "total_tokens": 1},
    }
    for _ in range(20_000):
        asm.feed(event)
    asm.done()
    assert asm.finish().usage == Usage(0, 20_000, 20_000)


def test_openai_usage_only_tail_chunk_is_the_whole_figure() -> None:
    asm = StreamAssembler(GEMMA4, ChatParams())
    incremental = {"prompt_tokens": 9, "completion_tokens": 0, "total_tokens": 9}
    asm.feed({"choices": [{"index": 0, "delta": {"content": "a"}}], "usage": incremental})
    one = {"prompt_tokens": 0, "completion_tokens": 1, "total_tokens": 1}
    asm.feed({"choices": [{"index": 0, "delta": {"content": "b"}}], "usage": one})
    asm.feed({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    tail = {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12}
    asm.feed({"choices": [], "usage": tail})
    asm.done()
    assert asm.finish().usage == Usage(9, 3, 12)


def test_non_dict_events_are_ignored() -> None:
    asm = StreamAssembler(GEMMA4, ChatParams())
    assert asm.feed(["x"]) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("event", [
    {"choices": 5},
    {"response": "x", "tool_calls": 5},
    {"streamed_data": [{"choices": 5}]},
])
def test_an_event_of_an_impossible_shape_is_a_response_format_error(event: dict) -> None:
    asm = StreamAssembler(GEMMA4, ChatParams())
    with pytest.raises(ResponseFormatError, match=r"^Unexpected Workers AI answer") as info:
        asm.feed(event)
    assert "Unexpected Workers AI answer" not in str(info.value.__cause__)  # wrapped once
