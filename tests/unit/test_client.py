"""The public Client/AsyncClient glue: chat, stream_chat, run, rerank, construction and
lifecycle, through both twins over ``httpx.MockTransport``."""

from __future__ import annotations

import asyncio
import contextlib
import warnings
from typing import Any

import httpx
import pytest

from workersai import AsyncClient, Client, RunResult, catalog, errors
from workersai import client as client_module
from workersai.config import Config, RequestOptions
from workersai.types import ChatParams, Message, Reply, ResponseMeta, StreamDelta

from .test_http_fakes import (
    ACCOUNT,
    BASE,
    TOKEN,
    TWINS,
    Server,
    config,
    fail,
    json_reply,
    ok,
    raw_reply,
    sse_bytes,
    sse_reply,
)

LLM = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
HI = [Message("user", "Say hi")]


def make(kind: str, server: Server, **kw: Any) -> Client | AsyncClient:
    kw.setdefault("config", config())
    if kind == "sync":
        client: Client | AsyncClient = Client(
            http_client=httpx.Client(transport=httpx.MockTransport(server)), **kw)
        client._backend.sleep = lambda s: None  # type: ignore[attr-defined]
    else:
        client = AsyncClient(
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)), **kw)

        async def no_sleep(seconds: float) -> None:
            return None

        client._backend.sleep = no_sleep  # type: ignore[attr-defined]
    return client


def call(client: Client | AsyncClient, method: str, *args: Any, **kw: Any) -> Any:
    out = getattr(client, method)(*args, **kw)
    return asyncio.run(out) if isinstance(client, AsyncClient) else out


def stream(client: Client | AsyncClient, *args: Any, **kw: Any) -> list[StreamDelta]:
    if isinstance(client, Client):
        return list(client.stream_chat(*args, **kw))

    async def main() -> list[StreamDelta]:
        return [d async for d in client.stream_chat(*args, **kw)]

    return asyncio.run(main())


CLASSIC_STREAM = [
    {"response": "Hel", "tool_calls": [], "p": "abc"},
    {"response": "lo", "tool_calls": []},
    {"response": "", "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}},
]


# --- chat -----------------------------------------------------------------------------------


@TWINS
def test_chat_native(kind: str) -> None:
    server = Server(ok({"response": "Hello!"}, {"cf-ai-req-id": "req-7", "cf-ai-neurons": "2.5"}))
    reply = call(make(kind, server), "chat", LLM, HI, ChatParams(max_tokens=9))
    assert isinstance(reply, Reply) and reply.text == "Hello!"
    assert reply.meta.request_id == "req-7" and reply.meta.neurons == 2.5
    req = server.requests[0]
    assert str(req.url) == f"{BASE}/accounts/{ACCOUNT}/ai/run/{LLM}"
    body = server.body()
    assert body["messages"][0]["content"] == "Say hi" and body["max_tokens"] == 9
    assert "stream" not in body or body["stream"] is False


@TWINS
def test_chat_openai_endpoint(kind: str) -> None:
    bare = {"id": "chatcmpl-1", "object": "chat.completion", "model": LLM, "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "Hi there"},
         "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}}
    server = Server(json_reply(bare))
    reply = call(make(kind, server), "chat", LLM, HI, endpoint="openai")
    assert reply.text == "Hi there" and reply.finish_reason == "stop"
    assert str(server.requests[0].url) == f"{BASE}/accounts/{ACCOUNT}/ai/v1/chat/completions"
    assert server.body()["model"] == LLM


@TWINS
def test_chat_errors_are_typed(kind: str) -> None:
    server = Server(fail(400, 5006, "AiError: Bad input: Type mismatch"))
    with pytest.raises(errors.BadRequestError, match="Bad input"):
        call(make(kind, server), "chat", LLM, HI)


@TWINS
def test_chat_with_odd_results_never_leaks_type_or_key_errors(kind: str) -> None:
    for result in (None, 42, [1, 2], "text", {"choices": "nope"}, {"choices": [None]}):
        with contextlib.suppress(errors.WorkersAIError):  # typed or parsed is fine
            call(make(kind, Server(ok(result))), "chat", LLM, HI)


def test_parser_and_builder_guards() -> None:
    def broken(*_: Any) -> Any:
        return {}["missing"]

    with pytest.raises(errors.ResponseFormatError, match="missing"):
        client_module._parse(broken, 1)
    with pytest.raises(errors.InvalidInputError, match="missing"):
        client_module._build(broken, 1)
    for plain in (ValueError("bad value"), TypeError("bad type")):
        with pytest.raises(errors.InvalidInputError, match="bad") as info:
            client_module._build(lambda e=plain: (_ for _ in ()).throw(e))
        assert info.value.__cause__ is plain
    own = errors.InvalidInputError("ours")  # our own ValueError subclass passes untouched
    with pytest.raises(errors.InvalidInputError) as info:
        client_module._build(lambda: (_ for _ in ()).throw(own))
    assert info.value is own
    with pytest.raises(errors.QuotaExceededError):  # our own errors pass through untouched
        client_module._parse(lambda: (_ for _ in ()).throw(errors.QuotaExceededError("q")))


@TWINS
def test_bad_endpoint_is_invalid_input(kind: str) -> None:
    server = Server(ok({}))
    with pytest.raises(errors.InvalidInputError):
        call(make(kind, server), "chat", LLM, HI, endpoint="bogus")
    assert server.requests == []


# --- stream_chat ------------------------------------------------------------------------------


@TWINS
def test_stream_chat_deltas_and_single_final(kind: str) -> None:
    server = Server(sse_reply([sse_bytes(*CLASSIC_STREAM)], headers={"cf-ai-req-id": "r9"}))
    deltas = stream(make(kind, server), LLM, HI)
    assert "".join(d.text for d in deltas) == "Hello"
    finals = [d for d in deltas if d.final]
    assert finals == [deltas[-1]]
    final = deltas[-1]
    assert final.usage is not None and final.usage.total_tokens == 7
    assert [d for d in deltas if d.usage is not None] == [final]
    assert isinstance(final.meta, ResponseMeta) and final.meta.request_id == "r9"
    assert server.body()["stream"] is True


@TWINS
def test_stream_chat_merges_text_of_one_read_only(kind: str) -> None:
    together = Server(sse_reply([sse_bytes(*CLASSIC_STREAM)]))
    texts = [d.text for d in stream(make(kind, together), LLM, HI) if not d.final]
    assert texts == ["Hello"]  # one network read: one text delta
    apart = Server(sse_reply([sse_bytes(e, done=False) for e in CLASSIC_STREAM]
                             + [sse_bytes()]))
    texts = [d.text for d in stream(make(kind, apart), LLM, HI) if not d.final and d.text]
    assert len(texts) > 1 and "".join(texts) == "Hello"  # one delta per token read


@TWINS
def test_stream_chat_openai_endpoint(kind: str) -> None:
    chunks = [
        {"id": "c", "object": "chat.completion.chunk", "model": LLM,
         "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hi"},
                      "finish_reason": None}]},
        {"id": "c", "object": "chat.completion.chunk", "model": LLM,
         "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
    ]
    server = Server(sse_reply([sse_bytes(*chunks)]))
    deltas = stream(make(kind, server), LLM, HI, endpoint="openai")
    assert "".join(d.text for d in deltas) == "Hi" and deltas[-1].finish_reason == "stop"
    assert str(server.requests[0].url).endswith("/ai/v1/chat/completions")


@TWINS
def test_stream_without_done_or_finish_is_truncated(kind: str) -> None:
    server = Server(sse_reply([sse_bytes(CLASSIC_STREAM[0], done=False)]))
    with pytest.raises(errors.TruncatedStreamError):
        stream(make(kind, server), LLM, HI)


@TWINS
def test_stream_error_event_raises_typed_error(kind: str) -> None:
    data = sse_bytes(CLASSIC_STREAM[0], done=False) + sse_bytes(
        {"errors": [{"code": 3040, "message": "Capacity exceeded"}]}, done=False)
    server = Server(sse_reply([data]))
    with pytest.raises(errors.RateLimitError) as info:
        stream(make(kind, server), LLM, HI)
    assert info.value.code == 3040 and len(server.requests) == 1


@TWINS
def test_stream_retries_before_first_event_only(kind: str) -> None:
    server = Server(fail(503, None), sse_reply([sse_bytes(*CLASSIC_STREAM)]))
    deltas = stream(make(kind, server), LLM, HI)
    assert deltas[-1].meta is not None and deltas[-1].meta.attempts == 2


@TWINS
def test_stream_consumer_stopping_early_leaks_nothing(kind: str) -> None:
    server = Server(sse_reply([sse_bytes(*CLASSIC_STREAM)]))
    client = make(kind, server)
    if isinstance(client, Client):
        gen = client.stream_chat(LLM, HI)
        next(gen)
        gen.close()
    else:
        async def main() -> None:
            agen = client.stream_chat(LLM, HI)
            await agen.__anext__()
            await agen.aclose()

        asyncio.run(main())
    assert server.leaked == 0


# --- rerank and run ---------------------------------------------------------------------------


@TWINS
def test_rerank_best_first(kind: str) -> None:
    server = Server(ok({"response": [{"id": 1, "score": 0.2}, {"id": 0, "score": 0.9}]}))
    docs = ["Paris is the capital of France.", "Berlin is in Germany."]
    out = call(make(kind, server), "rerank", "@cf/baai/bge-reranker-base", "capital?", docs,
               top_k=2)
    assert [r.index for r in out] == [0, 1] and out[0].score == 0.9
    body = server.body()
    assert body["query"] == "capital?" and body["top_k"] == 2
    assert str(server.requests[0].url).endswith("/ai/run/@cf/baai/bge-reranker-base")


@TWINS
def test_rerank_of_nothing_sends_nothing(kind: str) -> None:
    server = Server(ok({}))
    assert call(make(kind, server), "rerank", "@cf/baai/bge-reranker-base", "q", []) == []
    assert server.requests == []


@TWINS
def test_run_escape_hatch_json_and_binary(kind: str) -> None:
    server = Server(ok({"label": "POSITIVE"}, {"cf-ai-req-id": "q"}), raw_reply(
        200, b"\x89PNG", "image/png"))
    client = make(kind, server)
    out = call(client, "run", "@cf/huggingface/distilbert-sst-2-int8", {"text": "nice"})
    assert isinstance(out, RunResult) and out.result == {"label": "POSITIVE"}
    assert out.meta.request_id == "q" and server.body() == {"text": "nice"}
    img = call(client, "run", "@cf/stabilityai/stable-diffusion-xl-base-1.0", {"prompt": "x"})
    assert img.result == b"\x89PNG"


@TWINS
def test_run_raw_posts_bytes(kind: str) -> None:
    server = Server(ok({"text": "hello"}), raw_reply(200, b"ID3mp3", "audio/mpeg"))
    client = make(kind, server)
    out = call(client, "run_raw", "@cf/openai/whisper", b"RIFFwav", content_type="audio/wav",
               query={"language": "en"})
    assert out.result == {"text": "hello"} and out.content == b""
    assert server.requests[0].content == b"RIFFwav"
    assert server.requests[0].headers["content-type"] == "audio/wav"
    assert server.requests[0].url.params["language"] == "en"
    audio = call(client, "run_raw", "@cf/deepgram/aura-1", b'{"text":"hi"}',
                 content_type="application/json")
    assert audio.content == b"ID3mp3" and audio.content_type == "audio/mpeg"
    assert audio.result is None


@TWINS
def test_deprecated_model_warns_once(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog, "_warned", set())
    # a day before llama-3.1-8b-instruct's retirement (2026-05-30): warned, still sent
    monkeypatch.setattr(catalog, "_today", lambda: __import__("datetime").date(2026, 5, 10))
    client = make(kind, Server(ok({"response": "x"})))
    old = "@cf/meta/llama-3.1-8b-instruct"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call(client, "chat", old, HI)
        call(client, "chat", old, HI)
        call(client, "chat", LLM, HI)
    deprecations = [w for w in caught if issubclass(w.category, catalog.DeprecatedModelWarning)]
    assert len(deprecations) == 1 and old in str(deprecations[0].message)


@TWINS
def test_request_options_pass_through(kind: str) -> None:
    server = Server(ok({"response": "x"}))
    opts = RequestOptions(session_affinity="ses_9", gateway="gw", max_retries=0)
    call(make(kind, server), "chat", LLM, HI, options=opts)
    headers = server.requests[0].headers
    assert headers["x-session-affinity"] == "ses_9" and headers["cf-aig-gateway-id"] == "gw"


# --- construction and lifecycle ---------------------------------------------------------------


@pytest.mark.usefixtures("clean_env")
def test_construction_needs_no_credentials_and_opens_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an HTTP client was built at construction")

    monkeypatch.setattr(httpx, "Client", refuse)
    monkeypatch.setattr(httpx, "AsyncClient", refuse)
    Client()
    AsyncClient()
    monkeypatch.undo()
    with pytest.raises(errors.ConfigurationError):
        Client().run(LLM, {})


def test_settings_reach_the_config() -> None:
    client = Client(account_id=ACCOUNT, api_token=TOKEN, base_url="http://127.0.0.1:1/v4/",
                    gateway="g", timeout=5, max_retries=7, default_headers={"x": "y"})
    cfg = client.config
    assert (cfg.base_url, cfg.gateway, cfg.max_retries, cfg.timeouts.read) == (
        "http://127.0.0.1:1/v4", "g", 7, 5.0)
    assert cfg.default_headers == {"x": "y"}


def test_config_and_settings_are_exclusive() -> None:
    with pytest.raises(errors.InvalidInputError):
        Client(config=Config(), gateway="g")
    with pytest.raises(errors.InvalidInputError):
        AsyncClient(config=Config(), max_retries=1)


def test_sync_context_manager_closes_owned_client_only() -> None:
    with Client(config=config()) as client:
        http = client._backend.http()  # type: ignore[attr-defined]
    assert http.is_closed
    injected = httpx.Client()
    with Client(config=config(), http_client=injected):
        pass
    assert not injected.is_closed
    injected.close()


def test_async_client_across_two_event_loops() -> None:
    server = Server(ok({"response": "loop"}))
    client = AsyncClient(config=config())
    base = client._backend.client_kwargs  # type: ignore[attr-defined]
    client._backend.client_kwargs = lambda: {  # type: ignore[attr-defined]
        **base(), "transport": httpx.MockTransport(server)}

    async def once() -> str:
        reply = await client.chat(LLM, HI)
        return reply.text

    assert asyncio.run(once()) == "loop"
    assert asyncio.run(once()) == "loop"

    async def close() -> None:
        async with client:
            assert (await client.chat(LLM, HI)).text == "loop"

    asyncio.run(close())
    assert len(server.requests) == 3


class FakeBackend:
    """Any object with send/stream/close can carry calls (the env.AI binding seam)."""

    def __init__(self) -> None:
        self.sent: list[tuple[Any, Any]] = []

    def send(self, target: Any, body: Any, options: Any, *,
             pace: Any = None) -> tuple[Any, ResponseMeta]:
        self.sent.append((target, body))
        return {"response": "from binding"}, ResponseMeta(request_id="b1")

    def stream(self, target: Any, body: Any, options: Any, info: Any, *,
               pace: Any = None) -> Any:
        info.done = True
        for event in CLASSIC_STREAM:  # one network read per event
            yield [event]

    def close(self) -> None:
        pass


def test_backend_seam() -> None:
    client = Client(config=config())
    fake = FakeBackend()
    client._backend = fake
    reply = client.chat(LLM, HI)
    assert reply.text == "from binding" and reply.meta.request_id == "b1"
    assert fake.sent[0][0].model == LLM and fake.sent[0][0].route == "run"
    assert "".join(d.text for d in client.stream_chat(LLM, HI)) == "Hello"
