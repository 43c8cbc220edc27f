"""The pure half of the batch queue: bodies, status, reassembly, chunking, backoff, run state."""

from __future__ import annotations

from typing import Any

import pytest

from workersai import errors
from workersai._batch_plan import (
    BatchProgress,
    BatchRun,
    BatchTimeoutError,
    Settings,
    collect_responses,
    plan_chunks,
    poll_delay,
)
from workersai.wire.batch import poll_body, read_status, submit_body, unwrap


def test_bodies() -> None:
    assert submit_body([{"text": "a"}]) == {"requests": [{"text": "a"}]}
    assert poll_body("r1") == {"request_id": "r1"}


def test_read_status_pending_done_and_bad() -> None:
    pending = read_status({"status": "Running", "request_id": "r"}, "x")
    assert (pending.status, pending.done, pending.request_id) == ("running", False, "r")
    done = read_status({"responses": [{"id": 0}], "usage": {"prompt_tokens": 3,
                                                             "total_tokens": 3}}, "r")
    assert done.done and done.request_id == "r" and done.usage is not None
    assert done.usage.input_tokens == 3
    with pytest.raises(errors.APIError, match="failed"):
        read_status({"status": "failed", "request_id": "r"}, "r")
    with pytest.raises(errors.ResponseFormatError):
        read_status([1, 2], "r")
    with pytest.raises(errors.ResponseFormatError):
        read_status({"something": 1}, "r")


def test_unwrap_nested_and_plain() -> None:
    assert unwrap({"result": {"response": "hi"}}) == {"response": "hi"}
    assert unwrap({"response": "hi"}) == {"response": "hi"}
    assert unwrap({"response": "hi", "result": 1}) == {"response": "hi", "result": 1}
    assert unwrap([1]) == [1]


def test_collect_reorders_unwraps_and_keeps_failures() -> None:
    responses: list[Any] = [
        {"id": 2, "result": {"response": "two"}, "success": True},
        {"id": "0", "result": {"result": {"response": "zero"}}, "success": True},
        {"id": 1, "result": None, "success": False,
         "errors": [{"code": 5006, "message": "AiError: Bad input: nope"}]},
        {"id": 2, "result": {"response": "duplicate"}, "success": True},
        {"id": 9, "result": {}, "success": True},
        "junk",
    ]
    results, failed = collect_responses(responses, 4)
    assert results == [{"response": "zero"}, None, {"response": "two"}, None]
    assert sorted(failed) == [1, 3]
    assert isinstance(failed[1], errors.BadRequestError) and failed[1].code == 5006
    assert failed[1].message == "Bad input: nope"
    assert isinstance(failed[3], errors.ResponseFormatError)


def test_collect_failure_without_errors_list() -> None:
    _, failed = collect_responses([{"id": 0, "success": False}], 1)
    assert isinstance(failed[0], errors.APIError)


def test_plan_chunks_by_payload_size() -> None:
    items = [{"text": "x" * 10} for _ in range(5)]  # 21 bytes each + 1 separator
    assert plan_chunks(items, 10_000) == [range(0, 5)]
    assert plan_chunks(items, 50) == [range(0, 2), range(2, 4), range(4, 5)]
    assert plan_chunks(items, 1) == [range(i, i + 1) for i in range(5)]  # never empty
    assert plan_chunks([], 10) == []


def test_poll_delay_schedule() -> None:
    s = Settings(poll_interval=1.0, backoff=2.0, max_interval=5.0)
    assert [poll_delay(n, s) for n in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    constant = Settings(poll_interval=0.5, backoff=1.0)
    assert {poll_delay(n, constant) for n in range(10)} == {0.5}
    assert poll_delay(10_000, s) == 5.0


@pytest.mark.parametrize("kw", [{"backoff": 0.5}, {"poll_interval": -1}, {"max_wait": 0},
                                {"max_payload_bytes": 0}])
def test_settings_are_checked(kw: dict[str, Any]) -> None:
    with pytest.raises(errors.InvalidInputError):
        Settings(**kw)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_run_reports_progress_and_times_out() -> None:
    seen: list[BatchProgress] = []
    clock = Clock()
    run = BatchRun("m", [{"a": 1}, {"a": 2}], Settings(max_wait=10, on_progress=seen.append),
                   clock)
    [(chunk, body)] = run.submits()
    assert body == {"requests": [{"a": 1}, {"a": 2}]}
    run.submitted(chunk, {"status": "queued", "request_id": "r1"})
    run.report()
    assert run.next_delay() == 1.0
    run.polled(chunk, {"status": "running", "request_id": "r1"})
    run.round_done()
    assert [p.status for p in seen] == ["queued", "running"] and seen[-1].polls == 1
    clock.now += 9.5
    assert run.next_delay() == pytest.approx(0.5)  # never past max_wait
    clock.now += 1
    with pytest.raises(BatchTimeoutError) as info:
        run.next_delay()
    assert [(j.request_id, j.size) for j in info.value.jobs] == [("r1", 2)]
    assert isinstance(info.value, errors.TimeoutError)


def test_run_keeps_finished_chunks_when_another_fails() -> None:
    run = BatchRun("m", [{"a": 1}, {"a": 2}, {"a": 3}], Settings(max_payload_bytes=8),
                   Clock())
    (c1, _), (c2, _), (c3, _) = run.submits()
    run.submitted(c1, {"status": "queued", "request_id": "r1"})
    run.submitted(c2, errors.RateLimitError("busy", code=3040))
    run.submitted(c3, {"status": "queued", "request_id": "r3"})
    run.polled(c1, errors.ServerError("blip"))  # retryable: still pending
    assert run.pending() == [c1, c3]
    run.polled(c1, {"responses": [{"id": 0, "result": {"ok": 1}, "success": True}]})
    run.polled(c3, errors.AuthenticationError("no", code=10000))  # final for that job
    result = run.finish()
    assert result.results == [{"ok": 1}, None, None]
    assert isinstance(result.failed[1], errors.RateLimitError)
    assert isinstance(result.failed[2], errors.AuthenticationError)
    assert result.request_ids == ["r1", "r3"] and not result.ok
    with pytest.raises(errors.BatchError) as info:
        result.raise_for_failures()
    assert info.value.results == result.results and set(info.value.failed) == {1, 2}


def test_run_raises_the_job_error_when_nothing_got_anywhere() -> None:
    run = BatchRun("m", [{"a": 1}], Settings(), Clock())
    [(chunk, _)] = run.submits()
    run.submitted(chunk, errors.BadRequestError("no queue for this model", code=5006))
    assert run.pending() == []
    with pytest.raises(errors.BadRequestError, match="no queue"):
        run.finish()


def test_submit_answer_without_request_id_is_a_format_error() -> None:
    run = BatchRun("m", [{"a": 1}], Settings(), Clock())
    [(chunk, _)] = run.submits()
    run.submitted(chunk, {"status": "queued"})
    with pytest.raises(errors.ResponseFormatError, match="request_id"):
        run.finish()


def test_submit_answered_at_once_is_done() -> None:
    run = BatchRun("m", [{"a": 1}], Settings(raise_on_failure=True), Clock())
    [(chunk, _)] = run.submits()
    run.submitted(chunk, {"responses": [{"id": 0, "result": {"x": 1}, "success": True}]})
    assert run.pending() == [] and run.finish().results == [{"x": 1}]
