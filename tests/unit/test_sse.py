"""SSE framing: the same bytes fed in pieces of 1, 7, 97 and 100,000 bytes give the same
events, whatever the line endings; sync and async transport twins agree."""

from __future__ import annotations

import pytest

from workersai._sse import DONE, SSEDecoder

SIZES = [1, 7, 97, 100_000]

STREAM = (
    ": keep-alive comment\n"
    "\n"
    'data: {"response":"H\u00e9llo","p":"abc"}\n'
    "\n"
    "event: ignored\n"
    "id: 7\n"
    "retry: 100\n"
    'data: {"response":" w\u00f6rld \U0001f600 \u0623"}\n'
    "\n"
    "data: line one\n"
    "data: line two\n"
    "\n"
    "data:no-space\n"
    "\n"
    "data\n"
    "data: x\n"
    "\n"
    'data: {"response":"","usage":{"prompt_tokens":5}}\n'
    "\n"
    "data: [DONE]\n"
    "\n"
).encode()

EXPECTED = [
    '{"response":"H\u00e9llo","p":"abc"}'.encode(),
    '{"response":" w\u00f6rld \U0001f600 \u0623"}'.encode(),
    b"line one\nline two",
    b"no-space",
    b"\nx",
    b'{"response":"","usage":{"prompt_tokens":5}}',
    DONE,
]


def decode_in_pieces(data: bytes, size: int) -> list[bytes]:
    decoder = SSEDecoder()
    events: list[bytes] = []
    for i in range(0, len(data), size):
        events.extend(decoder.feed(data[i : i + size]))
    events.extend(decoder.flush())
    return events


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_framing_is_independent_of_chunking_and_line_endings(size: int, newline: str) -> None:
    data = STREAM.replace(b"\n", newline.encode())
    assert decode_in_pieces(data, size) == EXPECTED


@pytest.mark.parametrize("size", SIZES)
def test_multibyte_characters_split_across_chunks_survive(size: int) -> None:
    text = "\u00e9\u4e2d\U0001f600" * 50
    data = f'data: {{"response":"{text}"}}\n\n'.encode()
    (event,) = decode_in_pieces(data, size)
    assert event.decode() == f'{{"response":"{text}"}}'


def test_crlf_split_between_chunks_is_one_line_break() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\r") == []
    assert decoder.feed(b"\ndata: b\r\n\r") == [b"a\nb"]
    assert decoder.feed(b"\n") == []
    assert decoder.feed(b"data: c\r\n\r\n") == [b"c"]


def test_bare_done_line_ends_like_data_done() -> None:
    decoder = SSEDecoder()
    events = decoder.feed(b'data: {"a":1}\n\n[DONE]\n')
    assert events == [b'{"a":1}', DONE]


def test_bare_done_right_after_data_line_dispatches_both() -> None:
    assert SSEDecoder().feed(b"data: x\n[DONE]\n") == [b"x", DONE]


def test_flush_returns_an_event_without_terminators() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: [DONE]") == []
    assert decoder.flush() == [DONE]


def test_flush_of_empty_stream_is_empty() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"") == []
    assert decoder.flush() == []


def test_comments_only_give_no_events() -> None:
    assert decode_in_pieces(b": ping\n\n: ping\n\n", 3) == []


def test_byte_order_mark_at_start_is_dropped() -> None:
    assert SSEDecoder().feed(b"\xef\xbb\xbfdata: x\n\n") == [b"x"]


def test_large_event_fed_byte_by_byte_is_linear() -> None:
    payload = b"x" * 200_000
    decoder = SSEDecoder()
    out: list[bytes] = []
    for i in range(len(payload)):
        out.extend(decoder.feed(payload[i : i + 1]) if i else decoder.feed(b"data: x"))
    out.extend(decoder.feed(b"\n\n"))
    assert out == [b"x" + payload[1:]]


def test_one_event_per_chunk_and_pending_state() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b'data: {"a":1}\n\n') == [b'{"a":1}']
    assert decoder.feed(b"data: first\n") == []  # an open event...
    assert decoder.feed(b"data: second\n\n") == [b"first\nsecond"]  # ...is joined, not lost
    assert decoder.feed(b"data: x") == []  # an open line...
    assert decoder.feed(b"data: y\n\n") == [b"xdata: y"]  # ...continues (framing is bytes)
    assert decoder.feed(b"data: [DONE]\n\n") == [DONE]
