"""``AsyncClient(binding=env.AI)``: every core call through a fake Python Worker binding."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from workersai import AsyncClient, Client, GatewayOptions, RequestOptions, errors
from workersai import _binding_js as js_interop
from workersai.binding import BindingBackend, binding_error, binding_options
from workersai.config import Config
from workersai.types import ChatParams, Message

from .test_binding_fakes import (
    CLASSIC_STREAM,
    LLM,
    FakeBinding,
    FakeStream,
    InferenceUpstreamError,
    JsException,
    pieces,
    sse,
)

HI = [Message("user", "Say hi")]
EMB = "@cf/baai/bge-base-en-v1.5"


@pytest.fixture(autouse=True)
def _no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CLOUDFLARE_ACCOUNT_ID", "CF_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN",
                 "CF_AI_API_TOKEN", "CLOUDFLARE_AI_GATEWAY_ID"):
        monkeypatch.delenv(name, raising=False)


def client(binding: FakeBinding, **kw: Any) -> AsyncClient:
    c = AsyncClient(binding=binding, **kw)
    backend = c._backend
    assert isinstance(backend, BindingBackend)

    async def no_sleep(_: float) -> None:
        return None

    backend.sleep = no_sleep
    return c


# --- chat, run, embed, rerank ----------------------------------------------------------


async def test_chat_through_binding_without_credentials() -> None:
    b = FakeBinding({"response": "Hi there", "usage": {"prompt_tokens": 3,
                                                       "completion_tokens": 2,
                                                       "total_tokens": 5}})
    reply = await client(b).chat(LLM, HI, ChatParams(max_tokens=20))
    assert reply.text == "Hi there" and reply.usage is not None and reply.usage.total_tokens == 5
    model, inputs, options = b.calls[0]
    assert model == LLM and inputs["messages"] == [{"role": "user", "content": "Say hi"}]
    assert inputs["max_tokens"] == 20 and "stream" not in inputs
    assert options == {}
    assert reply.meta.request_id == "req-1" and reply.meta.attempts == 1


async def test_result_to_py_is_used() -> None:
    class Proxy:
        def to_py(self) -> dict[str, Any]:
            return {"response": "converted"}

    reply = await client(FakeBinding(Proxy())).chat(LLM, HI)
    assert reply.text == "converted"


async def test_run_embed_rerank() -> None:
    vec = {"shape": [2, 3], "data": [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], "pooling": "mean"}
    b = FakeBinding(vec)
    result = await client(b).embed(EMB, ["a", "b"])
    assert result.vectors == vec["data"] and b.inputs == {"text": ["a", "b"]}
    b = FakeBinding({"response": [{"id": 1, "score": 0.9}, {"id": 0, "score": 0.1}]})
    ranked = await client(b).rerank("@cf/baai/bge-reranker-base", "q", ["x", "y"])
    assert [r.index for r in ranked] == [1, 0]
    b = FakeBinding({"translated_text": "Bonjour"})
    out = await client(b).run("@cf/meta/m2m100-1.2b", {"text": "Hello", "target_lang": "fr"})
    assert out.result == {"translated_text": "Bonjour"} and out.meta.request_id == "req-1"


async def test_embed_batches_each_go_through_binding() -> None:
    def answer(model: str, inputs: dict[str, Any], options: Any) -> dict[str, Any]:
        n = len(inputs["text"])
        return {"shape": [n, 1], "data": [[float(len(t))] for t in inputs["text"]]}

    b = FakeBinding(answer)
    result = await client(b).embed(EMB, ["a", "bb", "ccc"], batch_size=2)
    assert result.vectors == [[1.0], [2.0], [3.0]] and len(b.calls) == 2


async def test_binary_output_stream_becomes_bytes() -> None:
    b = FakeBinding(FakeStream([b"\x89PNG", b"rest"]))
    out = await client(b).run("@cf/stabilityai/stable-diffusion-xl-base-1.0", {"prompt": "x"})
    assert out.result == b"\x89PNGrest"
    raw = await client(FakeBinding(FakeStream([b"ID3"]))).run_raw(
        "@cf/deepgram/aura-1", b'{"text": "hi"}', content_type="application/json")
    assert raw.content == b"ID3" and raw.content_type == "audio/mpeg"
    unknown = await client(FakeBinding(FakeStream([b"x"]))).run_raw(
        "@cf/someone/unknown-model", b"{}", content_type="application/json")
    assert unknown.content_type == "application/octet-stream"


async def test_run_raw_json_query_becomes_binding_options() -> None:
    b = FakeBinding({"status": "queued", "request_id": "r1"})
    raw = await client(b).run_raw(EMB, b'{"requests": [{"text": "a"}]}',
                                  content_type="application/json",
                                  query={"queueRequest": "true"})
    assert raw.result["request_id"] == "r1"
    assert b.inputs == {"requests": [{"text": "a"}]} and b.options == {"queueRequest": True}


async def test_raw_media_body_and_openai_endpoint_are_refused() -> None:
    b = FakeBinding({"text": "x"})
    with pytest.raises(errors.InvalidInputError, match="Raw"):
        await client(b).run_raw("@cf/openai/whisper", b"RIFF", content_type="audio/wav")
    with pytest.raises(errors.InvalidInputError, match="native"):
        await client(b).chat(LLM, HI, endpoint="openai")
    assert b.calls == []


# --- streaming -------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 7, 97, 100_000])
async def test_stream_chat_over_readable_stream(size: int) -> None:
    stream = FakeStream(pieces(sse(*CLASSIC_STREAM), size))
    b = FakeBinding(stream)
    deltas = [d async for d in client(b).stream_chat(LLM, HI)]
    assert "".join(d.text for d in deltas) == "Hello ✓"
    final = deltas[-1]
    assert final.final and final.usage is not None and final.usage.total_tokens == 7
    assert [d for d in deltas if d.final] == [final]
    assert final.meta is not None and final.meta.request_id == "req-1"
    assert b.inputs["stream"] is True


async def test_stream_chat_over_async_iterator_of_bytes() -> None:
    async def chunks() -> Any:
        for piece in pieces(sse(*CLASSIC_STREAM), 5):
            yield piece

    deltas = [d async for d in client(FakeBinding(chunks())).stream_chat(LLM, HI)]
    assert "".join(d.text for d in deltas) == "Hello ✓" and deltas[-1].usage is not None


async def test_stream_without_done_or_finish_is_truncated() -> None:
    b = FakeBinding(FakeStream([sse(CLASSIC_STREAM[0], done=False)]))
    with pytest.raises(errors.TruncatedStreamError):
        [d async for d in client(b).stream_chat(LLM, HI)]


async def test_stream_left_early_cancels_reader() -> None:
    stream = FakeStream(pieces(sse(*CLASSIC_STREAM), 10))
    deltas = client(FakeBinding(stream)).stream_chat(LLM, HI)
    first = await deltas.__anext__()
    await deltas.aclose()
    assert first.text and stream.cancelled


async def test_stream_error_event_and_js_error_mid_stream() -> None:
    event = {"success": False, "errors": [{"code": 3040, "message": "Capacity"}]}
    b = FakeBinding(FakeStream([sse(CLASSIC_STREAM[0], event, done=False)]))
    seen: list[str] = []
    with pytest.raises(errors.RateLimitError):
        async for d in client(b).stream_chat(LLM, HI):
            seen.append(d.text)
    assert seen == ["Hel"]
    b = FakeBinding(FakeStream([sse(CLASSIC_STREAM[0], done=False)], fail_after=1))
    with pytest.raises(errors.RateLimitError) as info:
        [d async for d in client(b).stream_chat(LLM, HI)]
    assert info.value.code == 3040 and len(b.calls) == 1  # not retried once started


async def test_stream_answered_with_json_is_a_format_error() -> None:
    with pytest.raises(errors.ResponseFormatError, match="without a stream"):
        [d async for d in client(FakeBinding({"response": "x"})).stream_chat(LLM, HI)]


# --- errors and retries ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("thrown", "cls", "code"),
    [
        (InferenceUpstreamError("3040: Capacity temporarily exceeded, please try again."),
         errors.RateLimitError, 3040),
        (InferenceUpstreamError("5006: Bad input: oneOf at '/' not met"),
         errors.BadRequestError, 5006),
        (JsException("InferenceUpstreamError", "4006: you have used up your daily free "
                     "allocation of 10,000 neurons"), errors.QuotaExceededError, 4006),
        (JsException("Error", "InferenceUpstreamError: 5007: No such model @cf/x or task"),
         errors.ModelNotFoundError, 5007),
        (InferenceUpstreamError("3021: AiError: rate limiting: inference request per min"),
         errors.RateLimitError, 3021),
        (InferenceUpstreamError("5006: AiError: {\"message\":\"Requested token count "
                                "exceeds the model's maximum context length\"}"),
         errors.ContextLengthError, 5006),
        (InferenceUpstreamError("1001: InvalidInput: prompt too short"), errors.APIError, 1001),
        (InferenceUpstreamError("AiError: something odd"), errors.APIError, None),
        (TypeError("fetch failed"), errors.TransportError, None),
    ],
)
def test_binding_error_table(thrown: Exception, cls: type, code: int | None) -> None:
    b = FakeBinding()
    b.lastRequestId = "abc"
    err = binding_error(thrown, b)
    assert type(err) is cls
    assert getattr(err, "code", None) == code
    if isinstance(err, errors.APIError):
        assert err.request_id == "abc" and "AiError" not in err.message


def test_binding_error_keeps_ours_and_maps_timeouts() -> None:
    ours = errors.ServerError("x")
    assert binding_error(ours) is ours
    assert isinstance(binding_error(TimeoutError()), errors.TimeoutError)


async def test_capacity_error_is_retried_and_counted() -> None:
    b = FakeBinding(InferenceUpstreamError("3040: Capacity temporarily exceeded"),
                    {"response": "ok"})
    reply = await client(b, max_retries=1).chat(LLM, HI)
    assert reply.text == "ok" and reply.meta.attempts == 2 and len(b.calls) == 2
    b = FakeBinding(InferenceUpstreamError("3040: Capacity temporarily exceeded"))
    with pytest.raises(errors.RateLimitError):
        await client(b, max_retries=0).chat(LLM, HI)
    assert len(b.calls) == 1
    b = FakeBinding(InferenceUpstreamError("3040: busy"))
    with pytest.raises(errors.RateLimitError):
        await client(b).chat(LLM, HI, options=RequestOptions(max_retries=3))
    assert len(b.calls) == 4


async def test_bad_input_is_not_retried() -> None:
    b = FakeBinding(InferenceUpstreamError("5006: Bad input"))
    with pytest.raises(errors.BadRequestError) as info:
        await client(b, max_retries=3).chat(LLM, HI)
    assert len(b.calls) == 1 and info.value.request_id == "req-1"


async def test_timeout_applies_to_the_promise() -> None:
    b = FakeBinding({"response": "late"}, delay=5)
    with pytest.raises(errors.TimeoutError):
        await client(b, max_retries=0, timeout=0.05).chat(LLM, HI)


# --- options: gateway, headers ---------------------------------------------------------


async def test_gateway_options_travel_in_binding_options() -> None:
    gw = GatewayOptions(skip_cache=True, cache_ttl=3600, cache_key="k", metadata={"user": 1},
                        collect_log=False, event_id="e1", request_timeout_ms=2000,
                        max_attempts=3, retry_delay_ms=500, backoff="linear")
    b = FakeBinding({"response": "x"})
    await client(b, gateway="my-gw", gateway_options=gw).chat(LLM, HI)
    assert b.options == {"gateway": {
        "id": "my-gw", "skipCache": True, "cacheTtl": 3600, "cacheKey": "k",
        "metadata": {"user": 1}, "collectLog": False, "eventId": "e1",
        "requestTimeoutMs": 2000,
        "retries": {"maxAttempts": 3, "retryDelayMs": 500, "backoff": "linear"},
    }}
    per_call = RequestOptions(gateway="other", gateway_options=GatewayOptions(cache_ttl=60),
                              session_affinity="ses_1", extra_headers={"X-A": "b"})
    await client(b, gateway="my-gw").chat(LLM, HI, options=per_call)
    assert b.options == {"gateway": {"id": "other", "cacheTtl": 60},
                         "extraHeaders": {"x-a": "b", "x-session-affinity": "ses_1"}}


def test_binding_options_validate_like_http() -> None:
    cfg = Config(gateway="g")
    with pytest.raises(errors.InvalidInputError):
        binding_options(cfg, RequestOptions(gateway_options=GatewayOptions(max_attempts=9)))
    with pytest.raises(errors.InvalidInputError, match="gateway id"):
        binding_options(Config(), RequestOptions(gateway_options=GatewayOptions(cache_ttl=60)))
    assert binding_options(Config(default_headers={"X-T": "1"}), None) == {
        "extraHeaders": {"x-t": "1"}}


# --- Pyodide conversion ----------------------------------------------------------------


class _FakeJSON:
    def __init__(self) -> None:
        self.parsed: list[str] = []

    def parse(self, text: str) -> dict[str, Any]:
        self.parsed.append(text)
        return {"js": json.loads(text)}


class _FakeJS:
    def __init__(self) -> None:
        self.JSON = _FakeJSON()


async def test_inputs_become_js_objects_under_pyodide(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _FakeJS()
    monkeypatch.setattr(js_interop, "js_runtime", lambda: fake)
    b = FakeBinding({"response": "x"})
    await client(b, gateway="g").chat(LLM, HI)
    assert b.inputs == {"js": {"messages": [{"role": "user", "content": "Say hi"}]}}
    assert b.options == {"js": {"gateway": {"id": "g"}}}
    assert len(fake.JSON.parsed) == 2


def test_outside_pyodide_values_stay_python() -> None:
    assert js_interop.js_runtime() is None
    value = {"a": [1, {"b": 2}]}
    assert js_interop.to_js(value) is value


# --- construction and the sync guard -----------------------------------------------------


def test_binding_must_have_run() -> None:
    with pytest.raises(errors.ConfigurationError, match=r"env\.AI"):
        AsyncClient(binding=object())


def test_sync_client_with_binding_raises_clearly() -> None:
    c = Client(binding=FakeBinding({"response": "x"}))
    with pytest.raises(errors.ConfigurationError, match="async"):
        c.chat(LLM, HI)
    with pytest.raises(errors.ConfigurationError, match="async"):
        list(c.stream_chat(LLM, HI))
    with pytest.raises(errors.ConfigurationError, match="async"):
        c.embed(EMB, ["a"])
    with pytest.raises(errors.ConfigurationError, match="async"):
        c.run(LLM, {"prompt": "x"})
    c.close()


async def test_aclose_leaves_binding_usable() -> None:
    b = FakeBinding({"response": "x"})
    async with client(b) as c:
        await c.chat(LLM, HI)
    assert (await c.chat(LLM, HI)).text == "x"


class _SilentStream:
    """A ``ReadableStream`` whose second read never resolves in time."""

    def __init__(self) -> None:
        self.first = True

    def getReader(self) -> _SilentStream:
        return self

    async def read(self) -> dict[str, Any]:
        if self.first:
            self.first = False
            return {"done": False, "value": sse(CLASSIC_STREAM[0], done=False)}
        await asyncio.sleep(5)
        return {"done": True}


async def test_stream_idle_timeout_between_chunks() -> None:
    deltas = client(FakeBinding(_SilentStream()), timeout=0.05).stream_chat(LLM, HI)
    seen: list[str] = []
    with pytest.raises(errors.TimeoutError):
        async for d in deltas:
            seen.append(d.text)
    assert seen == ["Hel"]


async def test_stream_retried_when_run_throws_before_streaming() -> None:
    b = FakeBinding(InferenceUpstreamError("3040: Capacity temporarily exceeded"),
                    FakeStream([sse(*CLASSIC_STREAM)]))
    deltas = [d async for d in client(b, max_retries=1).stream_chat(LLM, HI)]
    assert "".join(d.text for d in deltas) == "Hello ✓" and len(b.calls) == 2
    assert deltas[-1].meta is not None and deltas[-1].meta.attempts == 2
