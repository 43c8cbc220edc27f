"""Neutral stream deltas -> accumulated LlamaIndex ChatResponses (pure)."""

from __future__ import annotations

from llama_index.core.base.llms.types import ChatResponse, ThinkingBlock, ToolCallBlock

from llamaindex_workersai._stream import StreamState
from workersai.types import StreamDelta, ToolCallFragment, Usage


def run(deltas: list[StreamDelta]) -> list[ChatResponse]:
    state = StreamState()
    return [r for r in (state.feed(d) for d in deltas) if r is not None]


def test_text_accumulates_with_deltas_and_usage_on_last_only() -> None:
    items = run([
        StreamDelta(text="Hel"),
        StreamDelta(text="lo"),
        StreamDelta(),  # empty, not final: skipped
        StreamDelta(final=True, finish_reason="stop", model="m", id="x",
                    usage=Usage(input_tokens=7, output_tokens=2, total_tokens=9)),
    ])
    assert [i.delta for i in items] == ["Hel", "lo", ""]
    assert [i.message.content for i in items] == ["Hel", "Hello", "Hello"]
    assert items[0].raw is None and items[1].raw is None
    last = items[-1]
    assert last.raw["usage"] == {"prompt_tokens": 7, "completion_tokens": 2, "total_tokens": 9}
    assert last.raw["finish_reason"] == "stop"
    assert last.additional_kwargs["completion_tokens"] == 2


def test_reasoning_goes_to_thinking_delta_never_text() -> None:
    items = run([
        StreamDelta(reasoning="think "),
        StreamDelta(reasoning="more"),
        StreamDelta(text="answer"),
        StreamDelta(final=True),
    ])
    assert [i.additional_kwargs.get("thinking_delta") for i in items] == [
        "think ", "more", None, None
    ]
    assert [i.delta for i in items] == ["", "", "answer", ""]
    assert items[-1].message.content == "answer"
    thinking = items[-1].message.blocks[0]
    assert isinstance(thinking, ThinkingBlock) and thinking.content == "think more"


def test_tool_fragments_join_by_index_in_both_forms() -> None:
    items = run([
        StreamDelta(tool_call=ToolCallFragment(index=0, id="a", name="add", arguments='{"a": ')),
        StreamDelta(tool_call=ToolCallFragment(index=1, id="b", name="mul", arguments='{"x": 2}')),
        StreamDelta(tool_call=ToolCallFragment(index=0, arguments="1}")),
        StreamDelta(final=True, finish_reason="tool_calls"),
    ])
    first = [b for b in items[0].message.blocks if isinstance(b, ToolCallBlock)]
    assert first[0].tool_kwargs == {"a": None}  # partial JSON, parsed as far as it goes
    final = items[-1].message
    blocks = [b for b in final.blocks if isinstance(b, ToolCallBlock)]
    assert [(b.tool_call_id, b.tool_name, b.tool_kwargs) for b in blocks] == [
        ("a", "add", {"a": 1}), ("b", "mul", {"x": 2})
    ]
    legacy = final.additional_kwargs["tool_calls"]
    assert [c["id"] for c in legacy] == ["a", "b"]
    assert "invalid_tool_calls" not in final.additional_kwargs


def test_missing_id_is_minted_once_and_kept() -> None:
    items = run([
        StreamDelta(tool_call=ToolCallFragment(index=0, name="f", arguments="{}")),
        StreamDelta(final=True),
    ])
    ids = [
        b.tool_call_id for i in items for b in i.message.blocks if isinstance(b, ToolCallBlock)
    ]
    assert len(set(ids)) == 1 and ids[0].startswith("call_")


def test_unparseable_final_arguments_are_reported_not_dropped() -> None:
    items = run([
        StreamDelta(tool_call=ToolCallFragment(index=0, id="a", name="f", arguments="{oops")),
        StreamDelta(final=True),
    ])
    msg = items[-1].message
    block = next(b for b in msg.blocks if isinstance(b, ToolCallBlock))
    assert block.tool_kwargs == "{oops"
    (bad,) = msg.additional_kwargs["invalid_tool_calls"]
    assert bad["id"] == "a" and bad["arguments"] == "{oops" and bad["error"]


def test_final_only_stream_still_yields_one_item() -> None:
    items = run([StreamDelta(text="all at once", final=True)])
    assert len(items) == 1 and items[0].message.content == "all at once"
    assert items[0].delta == "all at once"
