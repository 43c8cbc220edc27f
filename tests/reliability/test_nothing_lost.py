"""Nothing lost: bulk embeddings under transient and permanent faults keep every finished vector.

10,000 texts with about 10% of requests failing transiently (a seeded schedule rotating
429, 503, connection reset, 502 and a body cut) must come back as exactly 10,000 vectors
in input order, equal to a fault-free run. When some batches fail for good, the error says
which inputs failed and ``BatchError.results`` keeps the finished vectors.
"""

from __future__ import annotations

import functools
import hashlib
import json
import struct
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from langchain_workersai import WorkersAIEmbeddings
from llamaindex_workersai import WorkersAIEmbedding
from workersai import AsyncClient, Client
from workersai import errors as wa
from workersai.emulator import (
    DEFAULT_ACCOUNT_ID,
    BadInput,
    Emulator,
    ServerBusy,
    emulator_http_client,
)

from ._faults import Poison, Rotating
from ._surfaces import TOKEN, close, core_clients, record_sleeps

pytestmark = pytest.mark.emulator

MODEL = "@cf/baai/bge-small-en-v1.5"  # 384 dimensions, 100 texts per request
BATCH = 100
Connect = Callable[..., dict[str, Any]]
Embed = Callable[[Any, list[str]], Awaitable[list[list[float]]]]


def corpus(n: int, marks: dict[int, str] | None = None) -> list[str]:
    """``n`` distinct texts (so a vector in the wrong place is noticed); ``marks`` tags some."""
    marks = marks or {}
    return [
        f"passage {i} about w{i} and topic t{i % 89} {marks.get(i, '')}".strip() for i in range(n)
    ]


def fingerprint(vector: list[float] | None) -> bytes | None:
    if vector is None:
        return None
    return hashlib.blake2b(struct.pack(f"{len(vector)}d", *vector), digest_size=12).digest()


async def _lc(obj: Any, texts: list[str]) -> list[list[float]]:
    return obj.embed_documents(texts)


async def _lc_async(obj: Any, texts: list[str]) -> list[list[float]]:
    return await obj.aembed_documents(texts)


async def _li(obj: Any, texts: list[str]) -> list[list[float]]:
    return obj.get_text_embedding_batch(texts)


async def _li_async(obj: Any, texts: list[str]) -> list[list[float]]:
    return await obj.aget_text_embedding_batch(texts)


FRONTS: list[tuple[str, Callable[..., Any], Embed]] = [
    ("lc.embed_documents", lambda **kw: WorkersAIEmbeddings(model_name=MODEL, **kw), _lc),
    ("lc.aembed_documents", lambda **kw: WorkersAIEmbeddings(model_name=MODEL, **kw), _lc_async),
    ("li.get_text_embedding_batch", lambda **kw: WorkersAIEmbedding(model_name=MODEL, **kw), _li),
    (
        "li.aget_text_embedding_batch",
        lambda **kw: WorkersAIEmbedding(model_name=MODEL, **kw),
        _li_async,
    ),
]
FRONT_PARAMS = [pytest.param(*f, id=f[0]) for f in FRONTS]


@functools.cache
def fault_free(texts: tuple[str, ...]) -> list[bytes | None]:
    """Fingerprints of a fault-free run, served in process by a fresh emulator."""
    emu = Emulator(token=TOKEN)
    with (
        emulator_http_client(emu) as http,
        Client(
            account_id=DEFAULT_ACCOUNT_ID,
            api_token=TOKEN,
            base_url="http://emulator.local",
            http_client=http,
        ) as client,
    ):
        return [fingerprint(v) for v in client.embed(MODEL, list(texts)).vectors]


@pytest.mark.parametrize(("name", "make", "embed"), FRONTS, ids=[f[0] for f in FRONTS])
async def test_ten_thousand_texts_with_transient_faults(
    name: str, make: Callable[..., Any], embed: Embed, emulator: Emulator, connect: Connect
) -> None:
    texts = corpus(10_000)
    expected = fault_free(tuple(texts))
    assert len(set(expected)) == len(texts)  # distinct: order mistakes cannot hide
    emulator.requests.clear()
    rule = emulator.faults.add(Rotating(), rate=0.1, seed=11)
    obj = make(**connect(max_retries=6))
    delays = record_sleeps(*core_clients(obj))
    try:
        vectors = await embed(obj, texts)
    finally:
        await close(obj)
    assert len(vectors) == 10_000
    assert [fingerprint(v) for v in vectors] == expected
    assert rule.fired >= 5 and len(delays) == rule.fired  # faults happened, each retried
    assert len(emulator.requests) == 10_000 // BATCH + rule.fired
    sizes = [len(json.loads(r.body)["text"]) for r in emulator.requests]
    assert max(sizes) == BATCH  # batched at the model's limit, never above it


@pytest.mark.parametrize(("name", "make", "embed"), FRONT_PARAMS)
async def test_permanent_failures_name_the_inputs_and_keep_finished_work(
    name: str, make: Callable[..., Any], embed: Embed, emulator: Emulator, connect: Connect
) -> None:
    texts = corpus(1_000, {250: "POISONBUSY", 730: "POISONBAD"})
    expected = fault_free(tuple(texts))
    emulator.faults.add(Poison(b"POISONBUSY", ServerBusy()))  # retried, then given up
    emulator.faults.add(Poison(b"POISONBAD", BadInput()))  # final at once
    obj = make(**connect())
    record_sleeps(*core_clients(obj))
    try:
        with pytest.raises(wa.BatchError) as info:
            await embed(obj, texts)
    finally:
        await close(obj)
    err = info.value
    busy, bad = range(200, 300), range(700, 800)
    assert err.failed_indices == [*busy, *bad]
    assert all(isinstance(err.failed[i], wa.ServerError) for i in busy)
    assert all(isinstance(err.failed[i], wa.BadRequestError) for i in bad)
    assert "200 of 1000" in str(err)
    assert len(err.results) == 1_000
    got = [fingerprint(v) for v in err.results]
    assert got == [None if i in busy or i in bad else e for i, e in enumerate(expected)]


async def test_core_clients_keep_finished_work_too(emulator: Emulator, connect: Connect) -> None:
    texts = corpus(500, {120: "POISONBUSY"})
    emulator.faults.add(Poison(b"POISONBUSY", ServerBusy()))
    with Client(**connect(max_retries=0)) as client, pytest.raises(wa.BatchError) as sync:
        client.embed(MODEL, texts, batch_size=50)
    async with AsyncClient(**connect(max_retries=0)) as aclient:
        with pytest.raises(wa.BatchError) as asyn:
            await aclient.embed(MODEL, texts, batch_size=50)
    for err in (sync.value, asyn.value):
        assert err.failed_indices == list(range(100, 150))
        assert sum(v is not None for v in err.results) == 450


async def test_every_batch_failing_raises_the_batch_error_itself(
    emulator: Emulator, connect: Connect
) -> None:
    """Nothing finished, nothing to keep: the typed error of the first batch, not BatchError."""
    emulator.faults.add(ServerBusy())
    obj = WorkersAIEmbeddings(model_name=MODEL, **connect(max_retries=0))
    try:
        with pytest.raises(wa.ServerError) as info:
            await obj.aembed_documents(corpus(300))
    finally:
        await close(obj)
    assert info.value.code == 3050 and len(emulator.requests) == 3
