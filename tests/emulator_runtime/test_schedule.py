"""FaultSchedule: on / every / rate+seed / times / path, combination, validation."""

from __future__ import annotations

import threading

import pytest

from workersai.emulator._types import EmuRequest, EmuResponse
from workersai.emulator.faults import (
    Chunked,
    Combined,
    FaultSchedule,
    Latency,
    RateLimited,
    ServerBusy,
)


def req(path: str = "/client/v4/accounts/a/ai/run/@cf/m") -> EmuRequest:
    return EmuRequest("POST", path)


def hits(schedule: FaultSchedule, n: int, path: str = "/ai/run/m") -> list[int]:
    """1-based numbers of the requests (out of ``n``) that got a fault."""
    return [i for i in range(1, n + 1) if schedule.next_fault(req(path)) is not None]


def test_empty_schedule_serves_normally() -> None:
    assert FaultSchedule().next_fault(req()) is None


def test_plain_add_fires_on_every_request_until_cleared() -> None:
    schedule = FaultSchedule()
    fault = RateLimited()
    schedule.add(fault)
    assert [schedule.next_fault(req()) for _ in range(3)] == [fault] * 3
    schedule.clear()
    assert schedule.next_fault(req()) is None
    assert schedule.rules == ()


def test_on_nth_request() -> None:
    schedule = FaultSchedule()
    schedule.add(ServerBusy(), on=3)
    assert hits(schedule, 10) == [3]
    schedule.clear()
    schedule.add(ServerBusy(), on=[2, 5])
    assert hits(schedule, 10) == [2, 5]


def test_every_nth_request() -> None:
    schedule = FaultSchedule()
    schedule.add(ServerBusy(), every=10)
    assert hits(schedule, 35) == [10, 20, 30]


def test_rate_with_seed_is_repeatable() -> None:
    def pattern(seed: int) -> list[int]:
        schedule = FaultSchedule()
        schedule.add(ServerBusy(), rate=0.1, seed=seed)
        return hits(schedule, 1000)

    first = pattern(1)
    assert first == pattern(1)
    assert first != pattern(2)
    assert 60 <= len(first) <= 140  # about 10%


def test_rate_extremes() -> None:
    schedule = FaultSchedule()
    schedule.add(ServerBusy(), rate=0.0, seed=3)
    assert hits(schedule, 50) == []
    schedule.clear()
    schedule.add(ServerBusy(), rate=1.0)
    assert hits(schedule, 5) == [1, 2, 3, 4, 5]


def test_times_limits_firing() -> None:
    schedule = FaultSchedule()
    rule = schedule.add(ServerBusy(), times=2)
    assert hits(schedule, 5) == [1, 2]
    assert (rule.seen, rule.fired, rule.exhausted) == (5, 2, True)
    schedule.clear()
    schedule.add(ServerBusy(), every=2, times=1)
    assert hits(schedule, 10) == [2]


def test_path_filter_counts_only_matching_requests() -> None:
    schedule = FaultSchedule()
    fault = RateLimited()
    rule = schedule.add(fault, on=2, path="/ai/run")
    paths = ["/x/ai/models/search", "/x/ai/run/a", "/x/ai/v1/embeddings", "/x/ai/run/b"]
    got = [schedule.next_fault(req(p)) for p in paths]
    assert got == [None, None, None, fault]
    assert rule.seen == 2


def test_rules_firing_together_are_combined_first_outermost() -> None:
    schedule = FaultSchedule()
    chunked, limited = Chunked(5), RateLimited()
    schedule.add(chunked)
    schedule.add(limited, on=2)
    assert schedule.next_fault(req()) is chunked
    combined = schedule.next_fault(req())
    assert isinstance(combined, Combined)
    assert combined.faults == (chunked, limited)
    reply = combined.apply(req(), lambda: EmuResponse(200, [], b"normal"))
    assert reply.status == 429  # the inner fault made the reply...
    assert not isinstance(reply.body, bytes)
    pieces = list(reply.body)
    assert all(isinstance(p, bytes) and len(p) <= 5 for p in pieces)  # ...the outer re-cut it
    assert b"".join(pieces).startswith(b'{"success":false')  # type: ignore[arg-type]


def test_remove_one_rule() -> None:
    schedule = FaultSchedule()
    keep = schedule.add(Latency(0.1))
    drop = schedule.add(ServerBusy())
    schedule.remove(drop)
    assert schedule.rules == (keep,)
    assert schedule.next_fault(req()) is keep.fault


@pytest.mark.parametrize("kwargs", [
    {"on": 1, "every": 2},
    {"every": 2, "rate": 0.5},
    {"on": 0},
    {"on": []},
    {"every": 0},
    {"rate": 1.5},
    {"seed": 1},
    {"times": 0},
])
def test_invalid_schedules_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        FaultSchedule().add(ServerBusy(), **kwargs)  # type: ignore[arg-type]


def test_counters_are_thread_safe() -> None:
    schedule = FaultSchedule()
    rule = schedule.add(ServerBusy(), every=3)

    def work() -> None:
        for _ in range(300):
            schedule.next_fault(req())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (rule.seen, rule.fired) == (1200, 400)
