"""The batch queue pairs of ``workersai.wire.batch``: submit/poll bodies and their answers,
and per-item replies read with the envelope rules of ``wire.envelope``."""

from __future__ import annotations

from typing import Any

import pytest

from workersai.errors import APIError, BadRequestError, ResponseFormatError, WorkersAIError
from workersai.wire.batch import poll_body, read_responses, read_status, submit_body


def _typed(item: dict[str, Any]) -> WorkersAIError:
    return BadRequestError(f"item {item['id']} refused", code=5006)


def test_submit_and_poll_bodies_are_the_published_shapes() -> None:
    assert submit_body([{"prompt": "a"}, {"prompt": "b"}]) == {
        "requests": [{"prompt": "a"}, {"prompt": "b"}]}
    assert poll_body("rid-1") == {"request_id": "rid-1"}


def test_answers_read_as_queued_running_or_done() -> None:
    queued = read_status({"status": "queued", "request_id": "r", "model": "m"}, "")
    assert (queued.request_id, queued.status, queued.done) == ("r", "queued", False)
    assert read_status({"status": "Running"}, "r").status == "running"
    done = read_status({"responses": [{"id": 0, "result": {}}],
                        "usage": {"prompt_tokens": 3, "completion_tokens": 2}}, "r")
    assert done.done and done.responses and done.usage is not None
    assert done.usage.input_tokens == 3


@pytest.mark.parametrize("answer", [None, [], {"request_id": "r"}, {"status": 3}])
def test_an_answer_without_status_or_responses_is_a_format_error(answer: Any) -> None:
    with pytest.raises(ResponseFormatError):
        read_status(answer, "r")


def test_a_failed_job_raises() -> None:
    with pytest.raises(APIError, match="r cancelled"):
        read_status({"status": "cancelled"}, "r")


def test_items_by_envelope_rules() -> None:
    results, failed = read_responses([
        {"id": 1, "result": {"response": "one"}, "success": True},
        {"id": 0, "errors": [{"code": 5006, "message": "bad"}]},  # error envelope, no flag
        {"id": 2, "success": True},  # no result at all
        {"id": "3", "result": {"result": {"response": "three"}}, "success": True},
        {"id": 9, "result": {}},  # out of range: ignored
    ], 5, _typed)
    assert results == [None, {"response": "one"}, None, {"response": "three"}, None]
    assert isinstance(failed[0], BadRequestError) and "item 0" in str(failed[0])
    assert isinstance(failed[2], ResponseFormatError) and "no result" in str(failed[2])
    assert isinstance(failed[4], ResponseFormatError) and "no response" in str(failed[4])
    assert set(failed) == {0, 2, 4}
