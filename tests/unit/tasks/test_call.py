from __future__ import annotations

import asyncio
import inspect

import pytest

import workersai.tasks as tasks
from workersai.errors import BatchError, ServerError
from workersai.tasks import TaskReply, TaskRequest
from workersai.tasks._call import asend_all, send, send_all

from .conftest import AsyncFakeClient, FakeClient, Raw, Run


def test_json_request_without_binary_reply_uses_run() -> None:
    client = FakeClient([Run({"ok": 1})])
    reply = send(client, TaskRequest("m", inputs={"a": 1}), None)
    assert reply.result == {"ok": 1} and reply.data is None
    assert client.calls[0]["kind"] == "run"


@pytest.mark.parametrize(
    "req",
    [
        TaskRequest("m", inputs={"a": 1}, binary_reply=True),
        TaskRequest("m", data=b"x", content_type="audio/wav"),
        TaskRequest("m", data=b"x", content_type="audio/wav", query={"q": "1"}),
    ],
)
def test_binary_cases_use_run_raw(req: TaskRequest) -> None:
    client = FakeClient([Raw(b"\x89PNG", "image/png; charset=binary")])
    reply = send(client, req, None)
    assert reply.data == b"\x89PNG" and reply.content_type == "image/png"
    assert client.calls[0]["kind"] == "raw" and client.calls[0]["query"] == req.query


def test_json_reply_of_run_raw_keeps_result_not_bytes() -> None:
    client = FakeClient([Raw(result={"x": 1}, content_type="Application/JSON; charset=utf-8")])
    reply = send(client, TaskRequest("m", data=b"x", content_type="image/png"), None)
    assert reply.result == {"x": 1} and reply.data is None


def test_missing_meta_reads_as_empty() -> None:
    assert TaskReply().response_meta.request_id is None


def test_send_all_collects_failures() -> None:
    client = FakeClient([ServerError("boom"), Run(2)])
    reqs = [TaskRequest("m", inputs={}), TaskRequest("m", inputs={})]
    with pytest.raises(BatchError) as info:
        send_all(client, reqs, lambda r: r.result, None)
    assert info.value.results == [None, 2] and list(info.value.failed) == [0]


def test_asend_all_bounds_concurrency() -> None:
    in_flight = peak = 0

    class Slow(AsyncFakeClient):
        async def run(  # type: ignore[override]
            self, model: str, inputs: dict[str, object], *, options: object = None
        ) -> Run:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.001)
            in_flight -= 1
            return Run(inputs["i"])

    reqs = [TaskRequest("m", inputs={"i": i}) for i in range(9)]
    out = asyncio.run(asend_all(Slow([]), reqs, lambda r: r.result, None, max_concurrency=2))
    assert out == list(range(9)) and peak == 2


def test_public_names_exist() -> None:
    for name in tasks.__all__:
        assert hasattr(tasks, name), name
    assert len(set(tasks.__all__)) == len(tasks.__all__)


def test_twins_from_one_plan_keep_the_calls_shape() -> None:
    from workersai.config import RequestOptions
    from workersai.tasks._call import Planned, twins

    def plan(model: str, text: str, *, options: RequestOptions | None = None
             ) -> Planned[object]:
        """Echo the result."""
        return Planned(TaskRequest(model, inputs={"text": text}), lambda r: r.result, options)

    call, acall = twins("echo", plan)
    assert (call.__name__, acall.__name__) == ("echo", "aecho")
    assert call.__doc__ == "Echo the result." and acall.__doc__ == "Async :func:`echo`."
    assert list(inspect.signature(call).parameters) == ["client", "model", "text", "options"]
    assert not inspect.iscoroutinefunction(call) and inspect.iscoroutinefunction(acall)
    opts = RequestOptions(timeout=3)
    client = FakeClient([Run("one")])
    assert call(client=client, model="m", text="hi", options=opts) == "one"
    assert client.calls[0]["inputs"] == {"text": "hi"} and client.calls[0]["options"] is opts
    aclient = AsyncFakeClient([Run("two")])
    assert asyncio.run(acall(aclient, "m", "hi")) == "two"
