"""Fakes for transport tests: a scripted httpx.MockTransport server that records requests
and counts opened/closed response bodies, plus a twin runner so one test covers the sync
and the async shell. (The tests at the bottom check the fakes themselves.)"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from workersai._backend import Body as RequestBody
from workersai._backend import StreamInfo, Target
from workersai._http import AsyncHTTP, SyncHTTP
from workersai._retry import Pace
from workersai.config import Config, RequestOptions

ACCOUNT = "0123456789abcdef0123456789abcdef"
TOKEN = "test-token-5eCr3t-value"
BASE = "https://api.cloudflare.com/client/v4"
MODEL = "@cf/meta/llama-3.1-8b-instruct"


def config(**kw: Any) -> Config:
    kw.setdefault("account_id", ACCOUNT)
    kw.setdefault("api_token", TOKEN)
    kw.setdefault("base_url", BASE)
    return Config.resolve(**kw)


class Tracker:
    """Counts response bodies opened and closed (a leak leaves opened > closed)."""

    def __init__(self) -> None:
        self.opened = 0
        self.closed = 0


class Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body served in given chunks, optionally failing after them."""

    def __init__(
        self,
        chunks: list[bytes],
        tracker: Tracker,
        error: Exception | None = None,
        on_chunk: Callable[[], None] | None = None,
    ) -> None:
        self.chunks, self.tracker, self.error, self.on_chunk = chunks, tracker, error, on_chunk
        tracker.opened += 1
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            if self.on_chunk:
                self.on_chunk()
            yield chunk
        if self.error is not None:
            raise self.error

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.tracker.closed += 1

    async def aclose(self) -> None:
        self.close()


Reply = Callable[[httpx.Request, Tracker], httpx.Response] | Exception


def json_reply(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    def make(request: httpx.Request, tracker: Tracker) -> httpx.Response:
        body = Body([json.dumps(payload).encode()], tracker)
        h = {"content-type": "application/json", **(headers or {})}
        return httpx.Response(status, headers=h, stream=body)

    return make


def ok(result: Any, headers: dict[str, str] | None = None) -> Reply:
    return json_reply({"result": result, "success": True, "errors": [], "messages": []},
                      headers=headers)


def fail(status: int, code: int | None, message: str = "boom",
         headers: dict[str, str] | None = None) -> Reply:
    item: dict[str, Any] = {"message": message}
    if code is not None:
        item["code"] = code
    return json_reply({"success": False, "errors": [item], "result": None}, status, headers)


def raw_reply(status: int, body: bytes, content_type: str,
              headers: dict[str, str] | None = None) -> Reply:
    def make(request: httpx.Request, tracker: Tracker) -> httpx.Response:
        h = {"content-type": content_type, **(headers or {})}
        return httpx.Response(status, headers=h, stream=Body([body], tracker))

    return make


def sse_reply(chunks: list[bytes], error: Exception | None = None,
              headers: dict[str, str] | None = None,
              on_chunk: Callable[[], None] | None = None) -> Reply:
    def make(request: httpx.Request, tracker: Tracker) -> httpx.Response:
        h = {"content-type": "text/event-stream", **(headers or {})}
        return httpx.Response(200, headers=h, stream=Body(chunks, tracker, error, on_chunk))

    return make


def sse_bytes(*events: Any, done: bool = True) -> bytes:
    out = b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events)
    return out + (b"data: [DONE]\n\n" if done else b"")


class Server:
    """Serves scripted replies in order (the last one repeats) and records requests."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []
        self.tracker = Tracker()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        index = min(len(self.requests), len(self.replies)) - 1
        reply = self.replies[index]
        if isinstance(reply, Exception):
            raise reply
        return reply(request, self.tracker)

    @property
    def leaked(self) -> int:
        return self.tracker.opened - self.tracker.closed

    def body(self, i: int = -1) -> Any:
        return json.loads(self.requests[i].content)


class Twin:
    """Runs the same call through SyncHTTP or AsyncHTTP; records the sleeps it asked for."""

    def __init__(self, kind: str, server: Server, cfg: Config | None = None,
                 follow_redirects: bool = False) -> None:
        self.kind, self.server = kind, server
        self.sleeps: list[float] = []
        transport = httpx.MockTransport(server)
        cfg = cfg or config()
        self.http: SyncHTTP | AsyncHTTP
        if kind == "sync":
            self.http = SyncHTTP(cfg, httpx.Client(transport=transport,
                                                   follow_redirects=follow_redirects))
            self.http.sleep = self.sleeps.append
        else:
            self.http = AsyncHTTP(cfg, httpx.AsyncClient(transport=transport,
                                                         follow_redirects=follow_redirects))

            async def record(seconds: float) -> None:
                self.sleeps.append(seconds)

            self.http.sleep = record
        self.http.random = lambda: 0.0

    def send(self, target: Target | None = None, body: RequestBody | None = None,
             options: RequestOptions | None = None, pace: Pace | None = None,
             ) -> tuple[Any, Any]:
        target = target or Target(MODEL)
        body = body if body is not None else {"prompt": "hi"}
        if isinstance(self.http, SyncHTTP):
            return self.http.send(target, body, options, pace=pace)
        return asyncio.run(self.http.send(target, body, options, pace=pace))

    def stream(self, target: Target | None = None, body: dict[str, Any] | None = None,
               options: RequestOptions | None = None, limit: int | None = None,
               pace: Pace | None = None,
               ) -> tuple[list[Any], StreamInfo, BaseException | None]:
        """All events (or those of the reads that reached ``limit``), the info, and the
        error that ended it (``pace``: the call's pacing hook)."""
        target = target or Target(MODEL)
        body = body if body is not None else {"prompt": "hi", "stream": True}
        info = StreamInfo()
        events: list[Any] = []
        http = self.http
        if isinstance(http, SyncHTTP):
            gen = http.stream(target, body, options, info, pace=pace)
            try:
                for batch in gen:  # the events of one network read
                    events.extend(batch)
                    if limit is not None and len(events) >= limit:
                        break
            except Exception as exc:
                return events, info, exc
            finally:
                gen.close()
            return events, info, None

        async def main() -> BaseException | None:
            agen = http.stream(target, body, options, info, pace=pace)
            try:
                async for batch in agen:  # the events of one network read
                    events.extend(batch)
                    if limit is not None and len(events) >= limit:
                        break
            except Exception as exc:
                return exc
            finally:
                await agen.aclose()
            return None

        return events, info, asyncio.run(main())


TWINS = pytest.mark.parametrize("kind", ["sync", "async"])
"""Run a test once per twin: ``@TWINS`` and a ``kind`` argument."""


@TWINS
def test_server_repeats_last_reply_and_tracks_bodies(kind: str) -> None:
    server = Server(fail(500, None), ok({"x": 1}))
    twin = Twin(kind, server)
    assert twin.send()[0] == {"x": 1}
    assert twin.send()[0] == {"x": 1}
    assert len(server.requests) == 3
    assert server.tracker.opened == 3 and server.leaked == 0
