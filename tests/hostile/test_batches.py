"""Batches never lose paid work; results are checked whole.

A text no request can carry (a lone surrogate) is refused before anything is sent, naming
its index; a batch that fails in any way (even with an exception that is not ours) is
that batch's failure in ``BatchError``, which keeps the finished vectors; vectors of mixed
dimensions and rerank replies that leave documents unscored are errors.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.reliability._surfaces import SURFACES, Surface, invoke
from workersai import AsyncClient, Client
from workersai import errors as wa

from .recorder import Recorded, Reply, json_reply, recorder
from .replies import ok

EMBED = "@cf/baai/bge-small-en-v1.5"
RERANK = "@cf/baai/bge-reranker-base"
TEXTS = [f"text {i}" for i in range(500)]
TEXTS[437] = "bad \ud800 text"
CFG: dict[str, Any] = {"account_id": "a" * 32, "api_token": "t" * 40, "max_retries": 0}


def _embed_surfaces() -> list[Surface]:
    return [s for s in SURFACES if s.kind == "embed"]


@pytest.mark.parametrize("surface", _embed_surfaces(), ids=lambda s: s.name)
async def test_a_lone_surrogate_is_refused_before_anything_is_sent(
    surface: Surface, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.reliability import _surfaces

    monkeypatch.setattr(_surfaces, "TEXTS", TEXTS)
    with recorder(ok) as server:
        obj = surface.build(**CFG, base_url=server.url)
        with pytest.raises(wa.InvalidInputError, match="text 437"):
            await invoke(surface, obj)
    assert server.requests == []


@pytest.mark.parametrize("is_async", [False, True])
async def test_core_refuses_a_lone_surrogate_before_sending(is_async: bool) -> None:
    with recorder(ok) as server:
        kind = AsyncClient if is_async else Client
        client = kind(**CFG, base_url=server.url)
        with pytest.raises(wa.InvalidInputError, match="text 437"):
            out = client.embed(EMBED, TEXTS, batch_size=100)
            if is_async:
                await out
    assert server.requests == []


class _Boom(Exception):
    pass


@pytest.mark.parametrize("is_async", [False, True])
async def test_any_exception_in_a_batch_is_that_batch_failure(
    is_async: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parser bug (not one of our errors) in batch 3 of 5: the other four are kept."""
    from workersai import _ops as core  # where embed batches are parsed

    real = core.parse_embed_result

    def flaky(result: Any, *, expected: int) -> Any:
        if result["data"][0][0] == 300.0:  # the batch starting at text 300
            raise _Boom("parser bug")
        return real(result, expected=expected)

    monkeypatch.setattr(core, "parse_embed_result", flaky)
    texts = [f"text {i}" for i in range(500)]
    with recorder(_numbered) as server:
        kind = AsyncClient if is_async else Client
        client = kind(**CFG, base_url=server.url)
        with pytest.raises(wa.BatchError) as info:
            out = client.embed(EMBED, texts, batch_size=100, max_concurrency=1)
            if is_async:
                await out
    err = info.value
    assert err.failed_indices == list(range(300, 400))
    assert isinstance(err.failed[300].__cause__, _Boom)
    assert [v[0] for v in err.results[:300]] == list(range(300))
    assert [v[0] for v in err.results[400:]] == list(range(400, 500))
    assert len(server.requests) == 5


def _numbered(request: Recorded) -> Reply:
    """Vector i starts with the number in "text i" (so order is checkable)."""
    texts = request.json()["text"]
    data = [[float(t.split()[1]), 1.0, 0.0] for t in texts]
    return json_reply({"result": {"shape": [len(data), 3], "data": data}, "success": True})


def _mixed(request: Recorded) -> Reply:
    texts = request.json()["text"]
    dim = 5 if texts[0] == "text 2" else 3
    data = [[0.5] * dim for _ in texts]
    return json_reply({"result": {"shape": [len(data), dim], "data": data}, "success": True})


@pytest.mark.parametrize("is_async", [False, True])
async def test_mixed_dimensions_are_an_error_that_keeps_the_usual_ones(is_async: bool) -> None:
    texts = [f"text {i}" for i in range(6)]
    with recorder(_mixed) as server:
        client = (AsyncClient if is_async else Client)(**CFG, base_url=server.url)
        with pytest.raises(wa.BatchError) as info:
            out = client.embed(EMBED, texts, batch_size=2)
            if is_async:
                await out
    err = info.value
    assert err.failed_indices == [2, 3]
    assert isinstance(err.failed[2], wa.ResponseFormatError)
    assert "different dimensions" in str(err.failed[2])
    assert [len(v) for v in err.results if v is not None] == [3, 3, 3, 3]


@pytest.mark.parametrize("surface", _embed_surfaces(), ids=lambda s: s.name)
async def test_front_ends_report_mixed_dimensions(surface: Surface) -> None:
    def reply(request: Recorded) -> Reply:
        texts = request.json()["text"]
        dim = 5 if "Berlin" in texts[0] else 3
        data = [[0.5] * dim for _ in texts]
        return json_reply({"result": {"shape": [len(data), dim], "data": data},
                           "success": True})

    with recorder(reply) as server:
        obj = surface.build(**CFG, base_url=server.url, **_batch_of_one(surface))
        with pytest.raises(wa.BatchError):
            await invoke(surface, obj)


def _batch_of_one(surface: Surface) -> dict[str, Any]:
    return {"embed_batch_size": 1} if surface.front == "li" else {"batch_size": 1}


def _short_rerank(request: Recorded) -> Reply:
    n = len(request.json()["contexts"])
    ranked = [{"id": i, "score": 0.9 - i / 10} for i in range(n - 1)]  # the last one dropped
    return json_reply({"result": {"response": ranked}, "success": True})


@pytest.mark.parametrize(
    "surface", [s for s in SURFACES if s.kind == "rerank"], ids=lambda s: s.name
)
async def test_a_rerank_reply_missing_documents_is_an_error(surface: Surface) -> None:
    with recorder(_short_rerank) as server:
        obj = surface.build(**CFG, base_url=server.url, top_n=3)  # all three asked for
        with pytest.raises(wa.ResponseFormatError, match=r"scored 2 of 3 documents"):
            await invoke(surface, obj)


def test_core_rerank_checks_the_count_against_top_k() -> None:
    docs = ["a", "b", "c", "d"]
    with recorder(_short_rerank) as server, Client(**CFG, base_url=server.url) as client:
        assert len(client.rerank(RERANK, "q", docs, top_k=2)) == 2  # 3 scores >= 2 asked
        with pytest.raises(wa.ResponseFormatError, match="unscored: 3"):
            client.rerank(RERANK, "q", docs)
