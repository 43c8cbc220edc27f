"""``workersai.batch`` against the in-process emulator, through both client twins."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from workersai import AsyncClient, Client, RequestOptions, errors
from workersai import batch as wb
from workersai.emulator import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN, BadInput, Emulator, ServerBusy
from workersai.types import Message, Reply

pytestmark = pytest.mark.emulator

LLM = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
EMB = "@cf/baai/bge-base-en-v1.5"
FAST = {"poll_interval": 0.0}
NO_RETRY = RequestOptions(max_retries=0)


@dataclass
class Twin:
    """Calls ``workersai.batch.<name>`` (sync) or ``a<name>`` (async) the same way."""

    kind: str
    client: Client
    aclient: AsyncClient

    def __call__(self, name: str, *args: Any, **kw: Any) -> Any:
        verb = VERBS[name]  # client.batch.<verb>: the same name on both twins
        if self.kind == "sync":
            return getattr(self.client.batch, verb)(*args, **kw)
        return asyncio.run(getattr(self.aclient.batch, verb)(*args, **kw))


VERBS = {"run_batch": "run", "chat_batch": "chat", "embed_batch": "embed",
         "submit_batch": "submit", "poll": "poll"}


@pytest.fixture(params=["sync", "async"])
def twin(request: pytest.FixtureRequest, emulator_http_client: httpx.Client,
         emulator_async_http_client: httpx.AsyncClient) -> Twin:
    creds = {"account_id": DEFAULT_ACCOUNT_ID, "api_token": DEFAULT_TOKEN}
    return Twin(request.param, Client(**creds, http_client=emulator_http_client),
                AsyncClient(**creds, http_client=emulator_async_http_client))


def user(text: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}]}


def test_run_batch_in_order_with_item_failure_and_progress(twin: Twin) -> None:
    seen: list[wb.BatchProgress] = []
    # the middle item fails the model's input schema (both prompt and messages)
    inputs = [user("Tell me about cats"), {"prompt": "a", **user("b")}, {"prompt": "Hello"}]
    out = twin("run_batch", LLM, inputs, on_progress=seen.append, **FAST)
    assert isinstance(out.results[0]["response"], str) and out.results[1] is None
    assert isinstance(out.results[2]["response"], str)
    assert list(out.failed) == [1] and isinstance(out.failed[1], errors.BadRequestError)
    assert out.failed[1].code == 5006
    assert out.usage is not None and out.usage.input_tokens > 0 and len(out.request_ids) == 1
    assert [p.status for p in seen] == ["queued", "queued", "running", "done"]
    assert [p.polls for p in seen] == [0, 1, 2, 3]
    assert (seen[-1].finished, seen[-1].failed, seen[-1].total) == (3, 1, 3)


def test_failures_on_demand_and_any_response_order_end_to_end(
    twin: Twin, emulator: Emulator
) -> None:
    emulator.batches.fail_items(0, 2, code=3040)
    emulator.batches.shuffle = True  # responses come back in reverse id order
    animals = ["cats", "dogs", "owls", "bees"]
    inputs = [{"prompt": f"Tell me about {a}"} for a in animals]
    out = twin("run_batch", LLM, inputs, **FAST)
    assert sorted(out.failed) == [0, 2]
    assert all(isinstance(e, errors.RateLimitError) and e.code == 3040
               for e in out.failed.values())
    assert out.results[0] is None and out.results[2] is None
    assert "dogs" in out.results[1]["response"] and "bees" in out.results[3]["response"]


def test_raise_on_failure_carries_results_and_failures(twin: Twin) -> None:
    with pytest.raises(errors.BatchError) as info:
        twin("run_batch", LLM, [{"prompt": "Hi"}, {"prompt": "a", **user("b")}],
             raise_on_failure=True, **FAST)
    assert info.value.results[0] is not None and info.value.results[1] is None
    assert info.value.failed_indices == [1]


def test_split_into_several_jobs_keeps_input_order(twin: Twin, emulator: Emulator) -> None:
    inputs = [{"prompt": f"Say the number {i}"} for i in range(5)]
    out = twin("run_batch", LLM, inputs, max_payload_bytes=65, **FAST)  # two per job
    assert len(out.request_ids) == 3 and len(set(out.request_ids)) == 3 and out.ok
    assert all(isinstance(r["response"], str) for r in out.results)
    submits = [json.loads(r.body) for r in emulator.requests if b'"requests"' in r.body]
    assert [item for body in submits for item in body["requests"]] == inputs
    assert all(r.query.get("queueRequest") == "true" for r in emulator.requests)


def test_embed_batch_equals_direct_embed(twin: Twin) -> None:
    texts = [f"text number {i}" for i in range(5)]
    queued = twin("embed_batch", EMB, texts, batch_size=2, **FAST)
    direct = twin.client.embed(EMB, texts)
    assert queued.vectors == direct.vectors and len(queued.vectors) == 5
    assert twin("embed_batch", EMB, [], **FAST).vectors == []


def test_chat_batch_returns_replies(twin: Twin) -> None:
    convs = [[Message("user", "Hello there")], [Message("user", "What is 2+2?")]]
    out = twin("chat_batch", LLM, convs, **FAST)
    assert out.ok and all(isinstance(r, Reply) and r.text for r in out.results)
    assert out.results[0].meta.request_id == out.request_ids[0]


def test_primitives_submit_and_poll(twin: Twin) -> None:
    job = twin("submit_batch", LLM, [{"prompt": "Hi"}])
    assert job.request_id and job.model == LLM and job.size == 1 and job.status == "queued"
    statuses = [twin("poll", job) for _ in range(3)]
    assert [s.status for s in statuses] == ["queued", "running", "done"]
    assert statuses[-1].responses[0]["id"] == 0 and statuses[-1].done


def test_timeout_leaves_jobs_to_resume(twin: Twin) -> None:
    with pytest.raises(wb.BatchTimeoutError) as info:
        twin("run_batch", LLM, [{"prompt": "Hi"}], max_wait=1e-9)
    [job] = info.value.jobs
    statuses = [twin("poll", job).status for _ in range(3)]
    assert statuses == ["queued", "running", "done"]


def test_model_without_queue_raises_the_job_error(twin: Twin) -> None:
    with pytest.raises(errors.BadRequestError, match="queueRequest"):
        twin("run_batch", "@cf/meta/llama-3.2-1b-instruct", [{"prompt": "Hi"}], **FAST)


def test_empty_and_bad_inputs_send_nothing(twin: Twin, emulator: Emulator) -> None:
    assert twin("run_batch", LLM, [], **FAST).results == []
    with pytest.raises(errors.InvalidInputError):
        twin("run_batch", LLM, ["not a dict"], **FAST)
    assert emulator.requests == []


def test_retryable_poll_error_keeps_polling(twin: Twin, emulator: Emulator) -> None:
    emulator.faults.add(ServerBusy(), on=2)  # the first poll answers 503
    out = twin("run_batch", LLM, [{"prompt": "Hi"}], options=NO_RETRY, **FAST)
    assert out.ok and len(emulator.requests) == 5


def test_final_poll_error_is_raised(twin: Twin, emulator: Emulator) -> None:
    emulator.faults.add(BadInput(), on=2)
    with pytest.raises(errors.BadRequestError):
        twin("run_batch", LLM, [{"prompt": "Hi"}], options=NO_RETRY, **FAST)


def test_backoff_schedule_drives_the_sleeps(monkeypatch: pytest.MonkeyPatch,
                                            emulator_http_client: httpx.Client) -> None:
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    client = Client(account_id=DEFAULT_ACCOUNT_ID, api_token=DEFAULT_TOKEN,
                    http_client=emulator_http_client)
    wb.run_batch(client, LLM, [{"prompt": "Hi"}], poll_interval=1.0, backoff=2.0)
    assert slept == [1.0, 2.0, 4.0]
    slept.clear()
    wb.run_batch(client, LLM, [{"prompt": "Hi"}], poll_interval=0.5, backoff=3.0,
                 max_interval=1.0)
    assert slept == [0.5, 1.0, 1.0]
