"""The fault matrix: every fault through every front-end surface, on real loopback sockets.

For each fault the outcome is either success after exactly the retries the policy allows
(counted in the requests the emulator recorded, with the delays the server asked for), or
the right typed error with its status, code and message; never a ``TypeError``/``KeyError``
and never partial text returned as if the answer were complete. Retry sleeps are recorded,
not slept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from workersai import errors as wa
from workersai.emulator import Emulator

from ._faults import CASES, CUT_MID_STREAM, STREAM_CASES, Case
from ._surfaces import (
    STREAMS,
    SURFACES,
    Surface,
    close,
    core_class,
    core_clients,
    invoke,
    record_sleeps,
)

pytestmark = pytest.mark.emulator

Connect = Callable[..., dict[str, Any]]


def check_delays(delays: list[float], case: Case, retries: int) -> None:
    """One sleep per retry: the server-named delay, else exponential backoff with jitter."""
    assert len(delays) == retries, delays
    for attempt, delay in enumerate(delays):
        if case.retry_after is not None:
            assert delay == pytest.approx(case.retry_after)
        else:
            full = 0.5 * 2**attempt
            assert 0.75 * full <= delay <= full


def check_error(err: BaseException, case: Case, surface: Surface) -> None:
    assert core_class(err) is case.error, repr(err)
    if surface.front == "lc":
        assert isinstance(err, case.lc_error)  # the dual langchain_core.exceptions class
    else:
        assert type(err) is case.error  # LlamaIndex callers get the core classes
    assert getattr(err, "status_code", None) == case.status
    assert getattr(err, "code", None) == case.code
    text = str(err)
    assert case.message in text
    assert "<html" not in text.lower() and "<body" not in text.lower()
    if case.retry_after is not None:
        assert err.retry_after == pytest.approx(case.retry_after)  # type: ignore[attr-defined]


async def run_case(surface: Surface, case: Case, emulator: Emulator, connect: Connect) -> None:
    obj = surface.build(**connect(timeout=case.timeout, max_retries=case.max_retries))
    delays = record_sleeps(*core_clients(obj))
    try:
        baseline = await invoke(surface, obj)
        assert baseline
        if case.retryable:  # transient: success after exactly `times` retries
            emulator.requests.clear()
            emulator.faults.add(case.fault(), times=case.transient_times)
            assert await invoke(surface, obj) == baseline
            assert len(emulator.requests) == case.transient_times + 1
            check_delays(delays, case, case.transient_times)
            emulator.faults.clear()
            delays.clear()
        emulator.requests.clear()
        emulator.faults.add(case.fault())  # persistent: the typed error, after the retries
        with pytest.raises(wa.WorkersAIError) as info:
            await invoke(surface, obj)
        check_error(info.value, case, surface)
        retries = case.max_retries if case.retryable else 0
        assert len(emulator.requests) == retries + 1
        check_delays(delays, case, retries)
    finally:
        emulator.faults.clear()
        await close(obj)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
async def test_fault(surface: Surface, case: Case, emulator: Emulator, connect: Connect) -> None:
    await run_case(surface, case, emulator, connect)


@pytest.mark.parametrize("case", STREAM_CASES, ids=lambda c: c.id)
@pytest.mark.parametrize("surface", STREAMS, ids=lambda s: s.name)
async def test_stream_fault(
    surface: Surface, case: Case, emulator: Emulator, connect: Connect
) -> None:
    await run_case(surface, case, emulator, connect)


@pytest.mark.parametrize("surface", STREAMS, ids=lambda s: s.name)
async def test_cut_mid_stream_is_a_truncated_stream(
    surface: Surface, emulator: Emulator, connect: Connect
) -> None:
    """Events reached the caller: a typed, non-retryable error, never a retry or success."""
    obj = surface.build(**connect())
    delays = record_sleeps(*core_clients(obj))
    emulator.faults.add(CUT_MID_STREAM.fault())
    try:
        with pytest.raises(wa.WorkersAIError) as info:
            await invoke(surface, obj)
    finally:
        await close(obj)
    err = info.value
    assert isinstance(err, wa.TruncatedStreamError) and not err.is_retryable
    assert "incomplete" in str(err)
    if surface.front == "lc":
        assert isinstance(err, CUT_MID_STREAM.lc_error)
    assert len(emulator.requests) == 1 and delays == []
