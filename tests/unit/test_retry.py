"""The pure retry policy: decision table, Retry-After parsing table, backoff arithmetic."""

from __future__ import annotations

import email.utils
import math

import pytest

from workersai import errors
from workersai._deadline import Deadline
from workersai._retry import (
    BACKOFF_CAP,
    MAX_RETRY_AFTER,
    Attempts,
    backoff_delay,
    is_retryable,
    next_delay,
    parse_retry_after,
)

NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    ("status", "codes", "expected"),
    [
        (408, [], True),
        (409, [], True),
        (429, [], True),
        (500, [], True),
        (502, [], True),
        (503, [], True),
        (504, [], True),
        (429, [3040], True),
        (429, [3021], True),
        (503, [3050], True),
        (408, [3007], True),
        (400, [3040], True),  # a capacity code wins over a plain 4xx status
        (200, [3040], True),  # error event inside a 200 stream
        (429, [3036], False),  # daily allocation: never
        (429, [4006], False),
        (401, [10000], False),
        (403, [10000], False),
        (500, [10000], False),  # auth code wins over a 5xx status
        (400, [5006], False),
        (400, [5007], False),
        (400, [], False),
        (401, [], False),
        (403, [], False),
        (404, [], False),
        (413, [3006], False),
        (422, [], False),
        (302, [], False),
        (200, [], False),
        (None, [], False),
        (429, [3040, 4006], False),  # any never-code wins
    ],
)
def test_retry_decision_table(status: int | None, codes: list[int], expected: bool) -> None:
    assert is_retryable(status, codes) is expected


HTTP_DATE_IN_30S = email.utils.formatdate(NOW + 30, usegmt=True)
HTTP_DATE_PAST = email.utils.formatdate(NOW - 30, usegmt=True)
HTTP_DATE_FAR = email.utils.formatdate(NOW + 3600, usegmt=True)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after": " 2 "}, 2.0),
        ({"retry-after": "-1"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "inf"}, None),
        ({"retry-after": "soon"}, None),
        ({"retry-after": ""}, None),
        ({"retry-after": "3600"}, MAX_RETRY_AFTER),
        ({"retry-after": HTTP_DATE_IN_30S}, 30.0),
        ({"retry-after": HTTP_DATE_PAST}, 0.0),
        ({"retry-after": HTTP_DATE_FAR}, MAX_RETRY_AFTER),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),  # ms wins
        ({"retry-after-ms": "bad", "retry-after": "9"}, 9.0),  # unreadable ms falls back
        ({"retry-after-ms": "-5"}, None),
        ({"retry-after-ms": "999999999"}, MAX_RETRY_AFTER),
    ],
)
def test_retry_after_table(headers: dict[str, str], expected: float | None) -> None:
    got = parse_retry_after(headers, now=NOW)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, abs=1.0 if "GMT" in str(headers) else 1e-9)


def test_retry_after_reads_case_insensitive_httpx_headers() -> None:
    import httpx

    assert parse_retry_after(httpx.Headers({"Retry-After": "4"})) == 4.0


@pytest.mark.parametrize(
    ("attempt", "rand", "expected"),
    [
        (0, 0.0, 0.5),
        (1, 0.0, 1.0),
        (2, 0.0, 2.0),
        (3, 0.0, 4.0),
        (4, 0.0, 8.0),
        (5, 0.0, BACKOFF_CAP),
        (60, 0.0, BACKOFF_CAP),
        (0, 1.0, 0.375),  # jitter takes at most a quarter off
        (4, 0.5, 7.0),
    ],
)
def test_backoff_table(attempt: int, rand: float, expected: float) -> None:
    assert backoff_delay(attempt, rand) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("retryable", "attempt", "max_retries", "retry_after", "expected"),
    [
        (True, 0, 2, None, 0.5),
        (True, 1, 2, None, 1.0),
        (True, 2, 2, None, None),  # budget spent
        (True, 0, 0, None, None),  # retries disabled
        (False, 0, 2, None, None),
        (True, 0, 2, 3.0, 3.0),  # server delay wins over backoff
        (True, 0, 2, 0.0, 0.0),
        (True, 0, 2, 500.0, MAX_RETRY_AFTER),
        (False, 0, 2, 3.0, None),
    ],
)
def test_next_delay_table(
    retryable: bool, attempt: int, max_retries: int, retry_after: float | None,
    expected: float | None,
) -> None:
    assert next_delay(retryable, attempt, max_retries, retry_after, 0.0) == expected


# --- Attempts: one call's budget as it is spent ---------------------------------------------


def _attempts(budget: int, seconds: float = math.inf, now: list[float] | None = None
              ) -> Attempts:
    clock = now if now is not None else [0.0]
    return Attempts(budget, Deadline(seconds, lambda: clock[0]), lambda: 0.0)


def test_attempts_count_retries_until_the_budget_is_spent() -> None:
    tries = _attempts(2)
    busy = errors.RateLimitError("busy", status_code=429, is_retryable=True)
    assert (tries.made, tries.wait(busy), tries.made) == (1, 0.5, 2)
    assert (tries.wait(busy), tries.made) == (1.0, 3)
    assert tries.wait(busy) is None and tries.made == 3  # spent: no count for a refusal
    assert tries.refused is None


def test_attempts_never_retry_a_final_error_and_honour_retry_after() -> None:
    assert _attempts(5).wait(errors.BadRequestError("bad", status_code=400)) is None
    later = errors.RateLimitError("busy", status_code=429, retry_after=3.0, is_retryable=True)
    assert _attempts(1).wait(later) == 3.0


def test_attempts_refuse_a_wait_that_would_pass_the_deadline() -> None:
    now = [0.0]
    tries = _attempts(5, seconds=10.0, now=now)
    later = errors.RateLimitError("busy", status_code=429, retry_after=4.0, is_retryable=True)
    assert tries.wait(later) == 4.0
    now[0] = 6.5  # 3.5 s left: a 4 s wait would end after the deadline
    assert tries.wait(later) is None and tries.refused == 4.0 and tries.made == 2
