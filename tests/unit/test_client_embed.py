"""Client.embed / AsyncClient.embed: batching, bounded concurrency, order, per-batch
retries and BatchError that keeps finished work."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from workersai import AsyncClient, Client, errors
from workersai.types import EmbeddingResult

from .test_http_fakes import TWINS, config

BGE = "@cf/baai/bge-base-en-v1.5"  # catalog batch limit 100
QWEN = "@cf/qwen/qwen3-embedding-0.6b"  # catalog batch limit 32
UNKNOWN = "@cf/acme/new-embedder"


def texts(n: int) -> list[str]:
    return [f"t-{i}" for i in range(n)]


def vector(text: str) -> list[float]:
    return [float(text.split("-")[1]), 0.5]


def batch_texts(request: httpx.Request) -> list[str]:
    body = json.loads(request.content)
    for key in ("text", "documents", "queries"):
        if key in body:
            value = body[key]
            return [value] if isinstance(value, str) else list(value)
    raise AssertionError(f"no texts in {body}")


def envelope(result: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=result)


def answer(request: httpx.Request, fail: Callable[[list[str], int], httpx.Response | None],
           calls: int) -> httpx.Response:
    batch = batch_texts(request)
    failure = fail(batch, calls)
    if failure is not None:
        return failure
    data = [vector(t) for t in batch]
    return envelope({"result": {"shape": [len(data), 2], "data": data}, "success": True,
                     "errors": [], "messages": []})


class EmbedServer:
    """Answers embedding batches (optionally slowly) and measures peak concurrency."""

    def __init__(self, fail: Callable[[list[str], int], httpx.Response | None] | None = None,
                 delay: float = 0.0) -> None:
        self.fail = fail or (lambda batch, calls: None)
        self.delay = delay
        self.requests: list[httpx.Request] = []
        self.in_flight = 0
        self.peak = 0
        self.lock = threading.Lock()

    def _enter(self, request: httpx.Request) -> int:
        with self.lock:
            self.requests.append(request)
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            return len(self.requests)

    def _leave(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def sync(self, request: httpx.Request) -> httpx.Response:
        calls = self._enter(request)
        time.sleep(self.delay)
        self._leave()
        return answer(request, self.fail, calls)

    async def aio(self, request: httpx.Request) -> httpx.Response:
        calls = self._enter(request)
        await asyncio.sleep(self.delay)
        self._leave()
        return answer(request, self.fail, calls)

    def sizes(self) -> list[int]:
        return sorted((len(batch_texts(r)) for r in self.requests), reverse=True)


def embed(kind: str, server: EmbedServer, model: str, items: list[str], **kw: Any
          ) -> EmbeddingResult:
    if kind == "sync":
        client = Client(config=config(),
                        http_client=httpx.Client(transport=httpx.MockTransport(server.sync)))
        client._backend.sleep = lambda s: None  # type: ignore[attr-defined]
        return client.embed(model, items, **kw)
    aclient = AsyncClient(
        config=config(), http_client=httpx.AsyncClient(transport=httpx.MockTransport(server.aio)))

    async def no_sleep(seconds: float) -> None:
        return None

    aclient._backend.sleep = no_sleep  # type: ignore[attr-defined]
    return asyncio.run(aclient.embed(model, items, **kw))


@TWINS
def test_vectors_in_input_order_across_batches(kind: str) -> None:
    server = EmbedServer(delay=0.001)
    out = embed(kind, server, BGE, texts(10), batch_size=3)
    assert out.vectors == [vector(t) for t in texts(10)]
    assert server.sizes() == [3, 3, 3, 1]
    assert len(out.meta) == 4


@TWINS
@pytest.mark.parametrize(
    ("model", "n", "batch_size", "sizes"),
    [
        (BGE, 150, None, [100, 50]),  # default = catalog batch limit
        (QWEN, 70, None, [32, 32, 6]),
        (QWEN, 70, 500, [32, 32, 6]),  # capped by the catalog limit
        (BGE, 5, 2, [2, 2, 1]),  # the knob
        (UNKNOWN, 150, None, [100, 50]),  # unknown model: 100
    ],
)
def test_batch_size_knob(kind: str, model: str, n: int, batch_size: int | None,
                         sizes: list[int]) -> None:
    server = EmbedServer()
    out = embed(kind, server, model, texts(n), batch_size=batch_size)
    assert server.sizes() == sizes and len(out.vectors) == n


@TWINS
@pytest.mark.parametrize(("max_concurrency", "peak"), [(1, 1), (2, 2), (None, 4)])
def test_max_concurrency_knob(kind: str, max_concurrency: int | None, peak: int) -> None:
    server = EmbedServer(delay=0.03)
    out = embed(kind, server, BGE, texts(8), batch_size=1, max_concurrency=max_concurrency)
    assert server.peak == peak
    assert out.vectors == [vector(t) for t in texts(8)]


@TWINS
def test_failed_batches_raise_batch_error_keeping_finished_work(kind: str) -> None:
    def fail(batch: list[str], calls: int) -> httpx.Response | None:
        if "t-3" in batch:
            return envelope({"success": False, "errors": [{"code": 5006, "message": "bad"}]},
                            400)
        return None

    server = EmbedServer(fail)
    with pytest.raises(errors.BatchError) as info:
        embed(kind, server, BGE, texts(6), batch_size=2)
    err = info.value
    assert err.failed_indices == [2, 3]
    assert all(isinstance(e, errors.BadRequestError) for e in err.failed.values())
    assert err.results == [vector("t-0"), vector("t-1"), None, None, vector("t-4"),
                           vector("t-5")]
    assert len(server.requests) == 3  # the permanent failure was not retried


@TWINS
def test_each_batch_is_retried_by_the_normal_policy(kind: str) -> None:
    seen: set[str] = set()

    def flaky(batch: list[str], calls: int) -> httpx.Response | None:
        if "t-2" in batch and "t-2" not in seen:
            seen.add("t-2")
            return envelope({"success": False, "errors": [{"code": 3040, "message": "busy"}]},
                            429)
        return None

    server = EmbedServer(flaky)
    out = embed(kind, server, BGE, texts(4), batch_size=2)
    assert out.vectors == [vector(t) for t in texts(4)]
    assert len(server.requests) == 3
    assert sorted(m.attempts for m in out.meta) == [1, 2]


@TWINS
def test_when_every_batch_fails_the_error_itself_is_raised(kind: str) -> None:
    def auth(batch: list[str], calls: int) -> httpx.Response:
        return envelope({"success": False, "errors": [{"code": 10000, "message": "Auth"}]},
                        401)

    with pytest.raises(errors.AuthenticationError):
        embed(kind, EmbedServer(auth), BGE, texts(3), batch_size=2)


@TWINS
def test_vector_count_mismatch_is_a_format_error(kind: str) -> None:
    def short(batch: list[str], calls: int) -> httpx.Response:
        return envelope({"result": {"shape": [1, 2], "data": [[0.0, 1.0]]}, "success": True})

    with pytest.raises(errors.ResponseFormatError):
        embed(kind, EmbedServer(short), BGE, texts(3))


@TWINS
@pytest.mark.parametrize("empty", [[], ()], ids=["list", "tuple"])
def test_empty_list_sends_nothing(kind: str, empty: Any) -> None:
    server = EmbedServer()
    out = embed(kind, server, BGE, empty)
    assert out.vectors == [] and server.requests == []


@TWINS
@pytest.mark.parametrize("bad", [["ok", ""], ["ok", "   "], ["ok", 3], "abc", None])
def test_invalid_texts_fail_before_any_request(kind: str, bad: list[Any]) -> None:
    server = EmbedServer()
    with pytest.raises(errors.InvalidInputError):
        embed(kind, server, BGE, bad)
    assert server.requests == []


@TWINS
@pytest.mark.parametrize("kw", [{"batch_size": 0}, {"max_concurrency": 0}])
def test_bad_knob_values_are_invalid_input(kind: str, kw: dict[str, int]) -> None:
    with pytest.raises(errors.InvalidInputError):
        embed(kind, EmbedServer(), BGE, texts(2), **kw)


@TWINS
def test_on_progress_reports_every_finished_batch_including_failures(kind: str) -> None:
    def fail(batch: list[str], calls: int) -> httpx.Response | None:
        if "t-4" in batch:
            return envelope({"success": False, "errors": [{"code": 5006, "message": "bad"}]},
                            400)
        return None

    seen: list[tuple[int, int]] = []
    server = EmbedServer(fail)
    with pytest.raises(errors.BatchError):
        embed(kind, server, BGE, texts(5), batch_size=2, max_concurrency=1,
              on_progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 5), (4, 5), (5, 5)]
