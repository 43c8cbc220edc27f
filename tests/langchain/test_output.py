"""Neutral replies and deltas -> LangChain messages (pure)."""

from __future__ import annotations

import json

from langchain_core.messages import AIMessageChunk

from langchain_workersai._output import (
    delta_to_chunk,
    reply_to_chunk,
    reply_to_result,
    usage_metadata,
)
from workersai.types import (
    InvalidToolCall,
    Reply,
    ResponseMeta,
    StreamDelta,
    ToolCall,
    ToolCallFragment,
    Usage,
)

MODEL = "@cf/qwen/qwen3-30b-a3b-fp8"
META = ResponseMeta(
    status_code=200,
    request_id="req-1",
    neurons=1.5,
    gateway_cache_status="HIT",
    gateway_log_id="log-9",
)


def full_usage() -> Usage:
    return Usage(10, 5, 15, cached_input_tokens=4, reasoning_tokens=3)


def test_usage_details() -> None:
    assert usage_metadata(full_usage()) == {
        "input_tokens": 10,
        "output_tokens": 5,
        "total_tokens": 15,
        "input_token_details": {"cache_read": 4},
        "output_token_details": {"reasoning": 3},
    }
    assert usage_metadata(Usage(2, 3, 0)) == {
        "input_tokens": 2,
        "output_tokens": 3,
        "total_tokens": 5,
    }
    assert usage_metadata(None) is None


def test_reply_to_result() -> None:
    reply = Reply(
        text="42",
        reasoning="thinking...",
        tool_calls=[ToolCall("c1", "add", {"a": 1})],
        invalid_tool_calls=[InvalidToolCall("c2", "mul", "{bad", "Expecting value")],
        usage=full_usage(),
        finish_reason="tool_calls",
        model=MODEL,
        id="resp-1",
        meta=META,
    )
    result = reply_to_result(reply, requested_model="other")
    msg = result.generations[0].message
    assert msg.content == "42"
    assert msg.additional_kwargs == {"reasoning_content": "thinking..."}
    assert msg.tool_calls == [{"name": "add", "args": {"a": 1}, "id": "c1", "type": "tool_call"}]
    assert msg.invalid_tool_calls == [
        {
            "name": "mul",
            "args": "{bad",
            "id": "c2",
            "error": "Expecting value",
            "type": "invalid_tool_call",
        }
    ]
    assert msg.id == "resp-1"
    assert msg.usage_metadata is not None and msg.usage_metadata["total_tokens"] == 15
    assert msg.response_metadata == {
        "model_name": MODEL,
        "model_provider": "workersai",
        "finish_reason": "tool_calls",
        "request_id": "req-1",
        "neurons": 1.5,
        "gateway_cache_status": "HIT",
        "gateway_log_id": "log-9",
    }
    assert result.llm_output == {"model_name": MODEL, "token_usage": dict(msg.usage_metadata)}
    assert result.generations[0].generation_info == {"finish_reason": "tool_calls"}


def test_requested_model_when_reply_has_none_and_json_reply_text() -> None:
    reply = Reply(parsed={"a": 1})
    msg = reply_to_result(reply, requested_model="@cf/x").generations[0].message
    assert msg.response_metadata["model_name"] == "@cf/x"
    assert json.loads(str(msg.content)) == {"a": 1}


def stream() -> list[StreamDelta]:
    return [
        StreamDelta(reasoning="hmm "),
        StreamDelta(reasoning="ok"),
        StreamDelta(text="Hel"),
        StreamDelta(text="lo"),
        StreamDelta(tool_call=ToolCallFragment(0, id="c1", name="add")),
        StreamDelta(tool_call=ToolCallFragment(0, arguments='{"a": ')),
        StreamDelta(tool_call=ToolCallFragment(1, id="c2", name="mul", arguments='{"x"')),
        StreamDelta(tool_call=ToolCallFragment(0, arguments="1}")),
        StreamDelta(tool_call=ToolCallFragment(1, arguments=": }")),
        StreamDelta(
            final=True,
            finish_reason="tool_calls",
            model=MODEL,
            id="r1",
            usage=full_usage(),
            meta=META,
        ),
    ]


def aggregate(
    deltas: list[StreamDelta], **kw: object
) -> tuple[list[AIMessageChunk], AIMessageChunk]:
    chunks = [delta_to_chunk(d, requested_model="req", **kw).message for d in deltas]
    full = chunks[0]
    for c in chunks[1:]:
        full = full + c
    assert isinstance(full, AIMessageChunk)
    return chunks, full  # type: ignore[return-value]


def test_stream_aggregate() -> None:
    chunks, full = aggregate(stream())
    assert full.content == "Hello"
    assert full.additional_kwargs == {"reasoning_content": "hmm ok"}
    assert full.tool_calls == [{"name": "add", "args": {"a": 1}, "id": "c1", "type": "tool_call"}]
    assert [c["name"] for c in full.invalid_tool_calls] == ["mul"]
    assert full.response_metadata["model_name"] == MODEL
    assert full.response_metadata["finish_reason"] == "tool_calls"
    assert full.response_metadata["model_provider"] == "workersai"
    assert full.usage_metadata == usage_metadata(full_usage())
    assert full.id == "r1"
    assert full.chunk_position == "last"
    # per-response values and usage sit on exactly one chunk
    assert [c.usage_metadata is not None for c in chunks].count(True) == 1
    for key in ("model_name", "finish_reason", "request_id", "gateway_log_id", "neurons"):
        assert sum(key in c.response_metadata for c in chunks) == 1, key
    assert [c.chunk_position for c in chunks].count("last") == 1


def test_first_tool_fragment_carries_id_and_name() -> None:
    chunks, _ = aggregate(stream())
    first = chunks[4].tool_call_chunks[0]
    assert (first["id"], first["name"], first["index"]) == ("c1", "add", 0)
    later = chunks[5].tool_call_chunks[0]
    assert (later["id"], later["name"], later["index"]) == (None, None, 0)


def test_stream_usage_off() -> None:
    _chunks, full = aggregate(stream(), stream_usage=False)
    assert full.usage_metadata is None
    assert full.response_metadata["model_name"] == MODEL


def test_v1_content_blocks_keep_reasoning_out_of_text() -> None:
    _, full = aggregate(stream())
    blocks = full.content_blocks
    kinds = [b["type"] for b in blocks]
    assert kinds.count("reasoning") == 1 and kinds.count("text") == 1
    reasoning = next(b for b in blocks if b["type"] == "reasoning")
    assert reasoning.get("reasoning") == "hmm ok"
    assert "hmm" not in full.text


def test_reply_as_one_chunk_round_trips_tool_calls() -> None:
    reply = Reply(
        text="",
        tool_calls=[ToolCall("c1", "Joke", {"setup": "s"})],
        usage=Usage(1, 2, 3),
        finish_reason="tool_calls",
        model=MODEL,
    )
    chunk = reply_to_chunk(reply, requested_model="req").message
    assert isinstance(chunk, AIMessageChunk)
    assert chunk.chunk_position == "last"
    assert chunk.tool_calls == [
        {"name": "Joke", "args": {"setup": "s"}, "id": "c1", "type": "tool_call"}
    ]
    assert chunk.usage_metadata is not None and chunk.usage_metadata["total_tokens"] == 3
    no_usage = reply_to_chunk(reply, requested_model="req", stream_usage=False).message
    assert no_usage.usage_metadata is None  # type: ignore[attr-defined]


def test_text_chunks_carry_only_text_and_the_merge_names_the_provider_once() -> None:
    """Per-token chunks hold no metadata (the hot path); the final chunk names the
    provider, so the merged message has ``model_provider`` once, and a text chunk's
    standard blocks are what the provider's translator would give."""
    deltas = [StreamDelta(text="Hel"), StreamDelta(text="lo"),
              StreamDelta(final=True, finish_reason="stop", model=MODEL)]
    chunks, full = aggregate(deltas)
    assert [c.response_metadata for c in chunks[:2]] == [{}, {}]
    assert full.response_metadata["model_provider"] == "workersai"
    named = AIMessageChunk(content="Hel", response_metadata={"model_provider": "workersai"})
    assert chunks[0].content_blocks == named.content_blocks == [{"type": "text", "text": "Hel"}]
    assert full.content_blocks == [{"type": "text", "text": "Hello"}]
