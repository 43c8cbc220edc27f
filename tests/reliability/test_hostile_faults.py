"""The emulator's hostile fault kinds, against every class: an echoed token never reaches
an error, a rerank reply missing scores and vectors of mixed dimensions are errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from workersai import Client
from workersai import errors as wa
from workersai.emulator import Emulator
from workersai.emulator.faults import EchoToken, MissingRerankResults, PaddedVectors

from . import _surfaces as s
from .test_secrets import DRIVERS, Driver, close_any, error_forms

pytestmark = pytest.mark.emulator
Connect = Callable[..., dict[str, Any]]


def _pieces(text: str, size: int = 12) -> set[str]:
    return {text[i : i + size] for i in range(len(text) - size + 1)}


@pytest.mark.parametrize("where", ["request-id", "location", "body"])
@pytest.mark.parametrize("driver", DRIVERS, ids=lambda d: d.name)
async def test_an_echoed_token_never_reaches_an_error(
    driver: Driver, where: str, emulator: Emulator, connect: Connect
) -> None:
    emulator.faults.add(EchoToken(where))
    obj = driver.make(**connect(max_retries=0))
    try:
        with pytest.raises(wa.WorkersAIError) as info:
            out = driver.calls[0](obj)
            if hasattr(out, "__await__"):
                await out
    finally:
        await close_any(obj)
    forms = error_forms(info.value)
    pieces = _pieces(s.TOKEN)
    assert [f for f in forms if any(p in f for p in pieces)] == []


@pytest.mark.parametrize(
    "surface", [x for x in s.SURFACES if x.kind == "rerank"], ids=lambda x: x.name
)
async def test_a_rerank_reply_missing_scores_is_an_error(
    surface: s.Surface, emulator: Emulator, connect: Connect
) -> None:
    emulator.faults.add(MissingRerankResults(drop=1))
    obj = surface.build(**connect(), top_n=3)
    try:
        with pytest.raises(wa.ResponseFormatError, match="scored 2 of 3"):
            await s.invoke(surface, obj)
    finally:
        await s.close(obj)


def test_one_batch_of_other_dimensions_fails_alone(emulator: Emulator, connect: Connect) -> None:
    emulator.faults.add(PaddedVectors(extra=2), on=2)
    with Client(**connect()) as client, pytest.raises(wa.BatchError) as info:
        client.embed("@cf/baai/bge-small-en-v1.5", s.TEXTS, batch_size=1, max_concurrency=1)
    err = info.value
    assert err.failed_indices == [1]
    assert isinstance(err.failed[1], wa.ResponseFormatError)
    assert [len(v) for v in err.results if v is not None] == [384, 384]
