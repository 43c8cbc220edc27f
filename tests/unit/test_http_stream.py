"""Streaming through both twins: framing, [DONE], error events, retries before the first
event only, idle timeouts and closed connections."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from workersai import errors
from workersai._backend import StreamInfo, Target
from workersai._http import SyncHTTP
from workersai.config import RequestOptions, Timeouts

from .test_http_fakes import (
    MODEL,
    TWINS,
    Server,
    Twin,
    config,
    fail,
    json_reply,
    sse_bytes,
    sse_reply,
)

EVENTS = [
    {"response": "H\u00e9llo", "p": "abc"},
    {"response": " w\u00f6rld \U0001f600 \u0623\u0647\u0644\u0627"},
    {"response": "", "usage": {"prompt_tokens": 5, "completion_tokens": 2}},
]


def pieces(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@TWINS
@pytest.mark.parametrize("size", [1, 7, 97, 100_000])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_framing_through_the_twins(kind: str, size: int, newline: bytes) -> None:
    data = (b": hello\n\n" + sse_bytes(*EVENTS)).replace(b"\n", newline)
    server = Server(sse_reply(pieces(data, size), headers={"cf-ai-req-id": "r1"}))
    events, info, exc = Twin(kind, server).stream()
    assert exc is None
    assert events == EVENTS
    assert info.done is True
    assert info.meta.request_id == "r1" and info.meta.attempts == 1
    assert server.leaked == 0


@TWINS
def test_request_is_a_stream_post(kind: str) -> None:
    server = Server(sse_reply([sse_bytes(EVENTS[0])]))
    Twin(kind, server).stream(body={"prompt": "x", "stream": True})
    assert server.body() == {"prompt": "x", "stream": True}


@TWINS
def test_stream_stops_reading_at_done(kind: str) -> None:
    data = sse_bytes(EVENTS[0]) + b'data: {"after": "done"}\n\n'
    events, info, _ = Twin(kind, Server(sse_reply([data]))).stream()
    assert events == [EVENTS[0]] and info.done


@TWINS
def test_bare_done_line_ends_the_stream(kind: str) -> None:
    data = sse_bytes(EVENTS[0], done=False) + b"[DONE]\n"
    events, info, exc = Twin(kind, Server(sse_reply([data]))).stream()
    assert events == [EVENTS[0]] and info.done and exc is None


@TWINS
def test_close_without_done_is_reported_not_raised(kind: str) -> None:
    data = sse_bytes(EVENTS[0], done=False) + b'data: {"response": "par'
    events, info, exc = Twin(kind, Server(sse_reply([data]))).stream()
    assert exc is None and events == [EVENTS[0]] and info.done is False


@TWINS
def test_tail_event_without_blank_line_is_kept(kind: str) -> None:
    data = b'data: {"response": "a"}\n\ndata: {"response": "b"}'
    events, info, _ = Twin(kind, Server(sse_reply([data]))).stream()
    assert events == [{"response": "a"}, {"response": "b"}] and not info.done


@TWINS
@pytest.mark.parametrize("split", [True, False])
@pytest.mark.parametrize("closes", [True, False])
def test_error_event_after_start_raises_typed_error_without_retry(
    kind: str, split: bool, closes: bool
) -> None:
    first = sse_bytes(EVENTS[0], done=False)
    error = sse_bytes({"errors": [{"code": 3040, "message": "Capacity exceeded"}]}, done=False)
    chunks = [first, error] if split else [first + error]
    if not closes:
        chunks.append(sse_bytes(EVENTS[1]))
    server = Server(sse_reply(chunks))
    events, _, exc = Twin(kind, server).stream()
    assert events == [EVENTS[0]]
    assert isinstance(exc, errors.RateLimitError) and exc.code == 3040
    assert len(server.requests) == 1 and server.leaked == 0


@TWINS
def test_error_event_before_first_event_is_retried(kind: str) -> None:
    first = sse_bytes({"success": False, "errors": [{"code": 3040, "message": "busy"}]})
    server = Server(sse_reply([first]), sse_reply([sse_bytes(*EVENTS)]))
    events, info, exc = Twin(kind, server).stream()
    assert exc is None and events == EVENTS
    assert info.meta.attempts == 2 and len(server.requests) == 2


@TWINS
def test_permanent_error_event_is_not_retried(kind: str) -> None:
    server = Server(sse_reply([sse_bytes({"errors": [{"code": 5006, "message": "bad"}]})]))
    _, _, exc = Twin(kind, server).stream()
    assert isinstance(exc, errors.BadRequestError) and len(server.requests) == 1


@TWINS
def test_no_retry_once_an_event_reached_the_caller(kind: str) -> None:
    server = Server(
        sse_reply([sse_bytes(EVENTS[0], done=False)], error=httpx.ReadError("reset")),
        sse_reply([sse_bytes(*EVENTS)]),
    )
    twin = Twin(kind, server)
    events, _, exc = twin.stream()
    assert events == [EVENTS[0]]
    # a drop after events reached the caller is a truncation, never retried
    assert isinstance(exc, errors.TruncatedStreamError) and not exc.is_retryable
    assert "reset" in str(exc)
    assert len(server.requests) == 1 and twin.sleeps == []
    assert server.leaked == 0


@TWINS
def test_failure_before_first_event_is_retried(kind: str) -> None:
    server = Server(
        sse_reply([b": ping\n\n"], error=httpx.ReadError("reset")),
        fail(503, None),
        sse_reply([sse_bytes(*EVENTS)]),
    )
    twin = Twin(kind, server)
    events, info, exc = twin.stream()
    assert exc is None and events == EVENTS
    assert len(server.requests) == 3 and twin.sleeps == [0.5, 1.0]
    assert info.meta.attempts == 3 and server.leaked == 0


@TWINS
def test_error_status_on_stream_request_is_typed_and_closed(kind: str) -> None:
    server = Server(fail(401, 10000, "Authentication error"))
    _, _, exc = Twin(kind, server).stream()
    assert isinstance(exc, errors.AuthenticationError)
    assert len(server.requests) == 1 and server.leaked == 0


@TWINS
def test_json_answer_to_a_stream_request(kind: str) -> None:
    server = Server(json_reply({"success": False, "errors": [{"code": 5007, "message": "no"}]}))
    _, _, exc = Twin(kind, server).stream()
    assert isinstance(exc, errors.ModelNotFoundError)
    server = Server(json_reply({"result": {"response": "x"}, "success": True}))
    _, _, exc = Twin(kind, server).stream()
    assert isinstance(exc, errors.ResponseFormatError)


@TWINS
def test_malformed_event_is_a_response_format_error(kind: str) -> None:
    server = Server(sse_reply([b"data: {oops\n\n"]))
    _, _, exc = Twin(kind, server).stream()
    assert isinstance(exc, errors.ResponseFormatError) and len(server.requests) == 1


@TWINS
def test_stream_idle_timeout_between_events_explicit_check(kind: str) -> None:
    now = [0.0]

    def tick() -> None:
        now[0] += 10.0  # every keep-alive chunk arrives 10 s after the last

    keepalives = [sse_bytes(EVENTS[0], done=False)] + [b": ping\n\n"] * 50
    server = Server(sse_reply(keepalives, on_chunk=tick))
    twin = Twin(kind, server, config(timeout=Timeouts(stream_idle=25.0)))
    twin.http.clock = lambda: now[0]
    events, _, exc = twin.stream()
    assert events == [EVENTS[0]]
    assert isinstance(exc, errors.TimeoutError) and "stream_idle" in str(exc)
    assert now[0] <= 40.0  # gave up after the third silent chunk, not after 50
    assert server.leaked == 0


@TWINS
def test_stream_read_timeout_is_the_idle_timeout(kind: str) -> None:
    server = Server(sse_reply([sse_bytes(*EVENTS)]))
    twin = Twin(kind, server, config(timeout=Timeouts(read=100.0, stream_idle=5.0)))
    twin.stream()
    assert server.requests[0].extensions["timeout"]["read"] == 5.0
    twin.stream(options=RequestOptions(timeout=3.0))
    assert server.requests[1].extensions["timeout"]["read"] == 3.0


@TWINS
def test_read_timeout_mid_stream_is_a_timeout_error(kind: str) -> None:
    server = Server(sse_reply([sse_bytes(EVENTS[0], done=False)], error=httpx.ReadTimeout("t")))
    _, _, exc = Twin(kind, server).stream()
    assert isinstance(exc, errors.TimeoutError)


@TWINS
def test_events_of_one_read_arrive_together(kind: str) -> None:
    server = Server(sse_reply([sse_bytes(*EVENTS[:2], done=False), sse_bytes(EVENTS[2])]))
    http = Twin(kind, server).http
    info = StreamInfo()
    if isinstance(http, SyncHTTP):
        batches = list(http.stream(Target(MODEL), {"prompt": "hi", "stream": True}, None, info))
    else:
        async def collect() -> list[list[Any]]:
            return [b async for b in http.stream(
                Target(MODEL), {"prompt": "hi", "stream": True}, None, info)]
        batches = asyncio.run(collect())
    assert batches == [EVENTS[:2], [EVENTS[2]]]


@TWINS
def test_consumer_stopping_early_closes_the_response(kind: str) -> None:
    server = Server(sse_reply([sse_bytes(EVENTS[0], done=False), sse_bytes(*EVENTS[1:])]))
    events, _, exc = Twin(kind, server).stream(limit=1)
    assert events == [EVENTS[0]] and exc is None
    assert server.leaked == 0


@TWINS
def test_empty_data_events_are_skipped(kind: str) -> None:
    data = b"data: \n\ndata:\n\n" + sse_bytes(EVENTS[0])
    events, info, exc = Twin(kind, Server(sse_reply([data]))).stream()
    assert exc is None and events == [EVENTS[0]] and info.done
