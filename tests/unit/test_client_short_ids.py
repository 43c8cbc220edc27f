"""The core client takes the short model ids the front ends take (one resolver: the
catalog's), on every operation and both twins, against the emulator."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from workersai import AsyncClient, Client
from workersai.emulator import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN
from workersai.emulator.transport import emulator_async_http_client, emulator_http_client
from workersai.errors import InvalidInputError
from workersai.integration import DEFAULT_EMBED_MODEL, DEFAULT_RERANK_MODEL
from workersai.types import Message

pytestmark = pytest.mark.emulator

LLAMA = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
HI = [Message("user", "hi")]


def _short(full: str) -> str:
    return full.rsplit("/", 1)[1]


def _twin(kind: str, sync: httpx.Client, aio: httpx.AsyncClient) -> Client | AsyncClient:
    settings: dict[str, Any] = {"account_id": DEFAULT_ACCOUNT_ID, "api_token": DEFAULT_TOKEN}
    if kind == "sync":
        return Client(http_client=sync, **settings)
    return AsyncClient(http_client=aio, **settings)


def _call(client: Client | AsyncClient, method: str, *args: Any, **kw: Any) -> Any:
    if isinstance(client, Client):
        out = getattr(client, method)(*args, **kw)
        return list(out) if method == "stream_chat" else out

    async def main() -> Any:
        if method == "stream_chat":
            return [d async for d in client.stream_chat(*args, **kw)]
        return await getattr(client, method)(*args, **kw)

    return asyncio.run(main())


@pytest.fixture(params=["sync", "async"])
def client(request: pytest.FixtureRequest, emulator_http_client: httpx.Client,
           emulator_async_http_client: httpx.AsyncClient) -> Client | AsyncClient:
    return _twin(request.param, emulator_http_client, emulator_async_http_client)


def test_chat_and_stream_take_a_short_id(client: Client | AsyncClient) -> None:
    reply = _call(client, "chat", _short(LLAMA), HI)
    assert reply.text and reply.model == LLAMA
    deltas = _call(client, "stream_chat", _short(LLAMA), HI)
    assert deltas[-1].final and "".join(d.text or "" for d in deltas)


def test_embed_rerank_and_run_take_a_short_id(client: Client | AsyncClient) -> None:
    assert len(_call(client, "embed", _short(DEFAULT_EMBED_MODEL), ["a", "b"]).vectors) == 2
    ranked = _call(client, "rerank", _short(DEFAULT_RERANK_MODEL), "q", ["x", "y"])
    assert sorted(r.index for r in ranked) == [0, 1]
    assert _call(client, "run", _short(LLAMA), {"prompt": "hi"}).result


@pytest.mark.parametrize("method", ["chat", "stream_chat", "embed", "rerank"])
def test_a_mistyped_short_id_is_refused_before_sending_with_a_suggestion(
    client: Client | AsyncClient, method: str
) -> None:
    args: dict[str, tuple[Any, ...]] = {
        "chat": (HI,), "stream_chat": (HI,), "embed": (["a"],), "rerank": ("q", ["x"])}
    with pytest.raises(InvalidInputError, match="did you mean") as info:
        _call(client, method, _short(LLAMA)[:-2] + "ts", *args[method])
    assert LLAMA in str(info.value)


# --- client.tasks and client.batch ---------------------------------------------------------

TASKS = "@cf/meta/m2m100-1.2b", "@cf/huggingface/distilbert-sst-2-int8"
FLUX = "@cf/black-forest-labs/flux-1-schnell"
FAST = {"poll_interval": 0.001, "max_interval": 0.001}


def _verb(client: Client | AsyncClient, space: str, verb: str, *args: Any, **kw: Any) -> Any:
    call = getattr(getattr(client, space), verb)
    if isinstance(client, Client):
        return call(*args, **kw)

    async def main() -> Any:
        return await call(*args, **kw)

    return asyncio.run(main())


def test_task_verbs_take_a_short_id(client: Client | AsyncClient) -> None:
    translate, classify = TASKS
    out = _verb(client, "tasks", "translate", _short(translate), ["hello"], "fr")
    assert out.model == translate and out.texts == ["[fr] hello"]
    labels = _verb(client, "tasks", "classify_text", model=_short(classify), text="good")
    assert labels.model == classify and labels.labels
    image = _verb(client, "tasks", "generate_image", _short(FLUX), "a red square")
    assert image.model == FLUX and image.data


def test_batch_verbs_take_a_short_id(client: Client | AsyncClient) -> None:
    job = _verb(client, "batch", "submit", _short(DEFAULT_EMBED_MODEL), [{"text": ["a"]}])
    assert job.model == DEFAULT_EMBED_MODEL
    assert _verb(client, "batch", "poll", job).request_id == job.request_id
    run = _verb(client, "batch", "run", _short(DEFAULT_EMBED_MODEL), [{"text": ["a"]}], **FAST)
    assert len(run.results) == 1 and not run.failed
    vectors = _verb(client, "batch", "embed", _short(DEFAULT_EMBED_MODEL), ["a", "b"], **FAST)
    assert len(vectors.vectors) == 2
    replies = _verb(client, "batch", "chat", _short(LLAMA), [HI], **FAST)
    assert replies.results[0].text and replies.results[0].model == LLAMA


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize(("space", "verb", "args"), [
    ("tasks", "translate", (["hello"], "fr")),
    ("tasks", "classify_text", ("good",)),
    ("batch", "submit", ([{"prompt": "hi"}],)),
    ("batch", "chat", ([HI],)),
])
def test_a_mistyped_short_id_in_a_task_or_batch_is_refused_before_sending(
    kind: str, space: str, verb: str, args: tuple[Any, ...]
) -> None:
    sent: list[httpx.Request] = []

    async def asent(request: httpx.Request) -> None:
        sent.append(request)

    sync = emulator_http_client(event_hooks={"request": [sent.append]})
    aio = emulator_async_http_client(event_hooks={"request": [asent]})
    client = _twin(kind, sync, aio)
    model = TASKS[1] if verb == "classify_text" else LLAMA
    with pytest.raises(InvalidInputError, match="did you mean") as info:
        _verb(client, space, verb, _short(model)[:-2] + "xy", *args)
    assert model in str(info.value) and sent == []
