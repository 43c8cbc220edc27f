"""``coalesce``: neighbouring text (or reasoning) deltas of one network read merge."""

from __future__ import annotations

from workersai.types import StreamDelta, ToolCallFragment, Usage
from workersai.wire.stream import coalesce


def test_text_runs_merge_and_everything_else_stays_in_order() -> None:
    call = StreamDelta(tool_call=ToolCallFragment(index=0, id="c", name="f"))
    final = StreamDelta(final=True, finish_reason="stop", usage=Usage(1, 2, 3))
    deltas = [StreamDelta(reasoning="a"), StreamDelta(reasoning="b"), StreamDelta(text="H"),
              StreamDelta(text="el"), StreamDelta(text="lo"), call, StreamDelta(text="!"),
              final]
    out = coalesce(deltas)
    assert out == [StreamDelta(reasoning="ab"), StreamDelta(text="Hello"), call,
                   StreamDelta(text="!"), final]


def test_single_and_mixed_deltas_are_left_alone() -> None:
    one = [StreamDelta(text="x")]
    assert coalesce(one) is one
    both = StreamDelta(text="x", reasoning="y")  # carries two kinds: never merged
    assert coalesce([both, StreamDelta(text="z")]) == [both, StreamDelta(text="z")]
    assert coalesce([]) == []


def test_long_streams_keep_their_text_compact() -> None:
    from workersai.types import ChatParams
    from workersai.wire.stream import StreamAssembler

    asm = StreamAssembler("@cf/meta/llama-3.3-70b-instruct-fp8-fast", ChatParams())
    for i in range(5000):
        asm.feed({"response": f" w{i}"})
    assert len(asm._text) < 512  # one joined string plus the latest pieces
    asm.done()
    assert asm.reply().text == "".join(f" w{i}" for i in range(5000))
