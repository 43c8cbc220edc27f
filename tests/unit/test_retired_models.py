"""Retired models fail before sending; planned ones warn; kimi-k2.5 is sent (aliased)."""

from __future__ import annotations

import asyncio
import datetime as dt
import warnings
from typing import Any

import httpx
import pytest

from workersai import AsyncClient, Client, catalog, errors
from workersai.types import Message

from .test_binding_fakes import FakeBinding

HI = [Message("user", "hi")]
RETIRED = "@cf/meta/llama-3.1-8b-instruct"  # changelog 2026-05-08: retired 2026-05-30
ALIASED = "@cf/moonshotai/kimi-k2.5"  # served by kimi-k2.6 from 2026-05-30
CHAT = {"id": "c", "object": "chat.completion", "created": 0, "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"},
                     "finish_reason": "stop"}]}
OK = {"result": CHAT, "success": True, "errors": [], "messages": []}


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json=OK)


def _http(kind: str, seen: Recorder) -> Client | AsyncClient:
    kw: dict[str, Any] = {"account_id": "0" * 32, "api_token": "t"}
    if kind == "sync":
        return Client(http_client=httpx.Client(transport=httpx.MockTransport(seen)), **kw)
    return AsyncClient(http_client=httpx.AsyncClient(transport=httpx.MockTransport(seen)), **kw)


def _call(client: Client | AsyncClient, method: str, *args: Any) -> Any:
    out = getattr(client, method)(*args)
    return asyncio.run(out) if isinstance(client, AsyncClient) else out


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog, "_warned", set())
    monkeypatch.setattr(catalog, "_today", lambda: dt.date(2026, 12, 4))


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("method,args", [
    ("chat", (RETIRED, HI)),
    ("run", (RETIRED, {"prompt": "hi"})),
    ("embed", ("@cf/facebook/bart-large-cnn", ["x"])),
])
def test_retired_model_raises_before_any_request(kind: str, method: str, args: Any) -> None:
    seen = Recorder()
    with pytest.raises(errors.ModelRetiredError) as info:
        _call(_http(kind, seen), method, *args)
    assert seen.requests == []
    assert info.value.date == "2026-05-30" and info.value.model == args[0]
    assert isinstance(info.value, errors.InvalidInputError)
    assert "retired on 2026-05-30" in str(info.value)


def test_retired_model_raises_on_the_binding_too() -> None:
    binding = FakeBinding({"response": "x"})
    with pytest.raises(errors.ModelRetiredError):
        asyncio.run(AsyncClient(binding=binding).chat(RETIRED, HI))
    assert binding.calls == []


def test_retired_error_names_the_replacement() -> None:
    exc = errors.ModelRetiredError("@cf/x/old", "2026-05-30", "@cf/x/new")
    assert "use @cf/x/new instead" in str(exc) and exc.replacement == "@cf/x/new"


def test_planned_deprecation_warns_and_sends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog, "_today", lambda: dt.date(2026, 5, 20))
    seen = Recorder()
    with pytest.warns(catalog.DeprecatedModelWarning, match="will be retired on 2026-05-30"):
        _call(_http("sync", seen), "run", RETIRED, {"prompt": "hi"})
    assert len(seen.requests) == 1


def test_a_date_more_than_30_days_ahead_is_silent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog, "_today", lambda: dt.date(2026, 4, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert catalog.warn_if_deprecated(RETIRED) is False


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_aliased_model_is_sent_as_named_with_a_warning(kind: str) -> None:
    seen = Recorder()
    match = "serves it with @cf/moonshotai/kimi-k2.6"
    with pytest.warns(catalog.DeprecatedModelWarning, match=match):
        reply = _call(_http(kind, seen), "chat", ALIASED, HI)
    assert reply.text == "ok"
    assert seen.requests[0].url.path.endswith("/ai/run/@cf/moonshotai/kimi-k2.5")


def test_alias_bills_at_the_replacement_prices() -> None:
    before = catalog.priced_as(ALIASED, today=dt.date(2026, 5, 1))
    after = catalog.priced_as(ALIASED, today=dt.date(2026, 5, 30))
    assert before is not None and before.id == ALIASED
    assert after is not None and after.id == "@cf/moonshotai/kimi-k2.6"
    assert catalog.priced_as("@cf/openai/gpt-oss-120b") is catalog.lookup("@cf/openai/gpt-oss-120b")


def test_fast_and_lora_variants_stay_active() -> None:
    for model_id in ("@cf/meta/llama-3.3-70b-instruct-fp8-fast",
                     "@cf/meta/llama-3.1-8b-instruct-fast", "@cf/google/gemma-7b-it-lora",
                     "@cf/google/gemma-2b-it-lora", "@cf/meta-llama/llama-2-7b-chat-hf-lora"):
        assert catalog.require(model_id).deprecation_date is None, model_id
        assert catalog.warn_if_deprecated(model_id) is False


RECOMMENDED = ("@cf/zai-org/glm-4.7-flash", "@cf/google/gemma-4-26b-a4b-it",
               "@cf/moonshotai/kimi-k2.6")


def test_retired_error_names_the_task_and_the_changelog_recommendations() -> None:
    with pytest.raises(errors.ModelRetiredError) as info:
        catalog.warn_if_deprecated(RETIRED)
    text = str(info.value)
    assert "models_for_task(task)" not in text
    assert "text-generation model" in text
    assert "models_for_task('text-generation')" in text
    assert all(model in text for model in RECOMMENDED)
    assert info.value.task == "text-generation" and info.value.recommended == RECOMMENDED


def test_recommendations_come_from_the_changelog_facts_and_are_current() -> None:
    from workersai.catalog import _facts

    ids, source = _facts.RECOMMENDED["text-generation"]
    assert ids == RECOMMENDED == catalog.RECOMMENDED["text-generation"]
    assert source in _facts.SOURCES
    for model in ids:
        assert catalog.require(model).deprecation_date is None


@pytest.mark.parametrize("model,task,pick", [
    ("@cf/unum/uform-gen2-qwen-500m", "image-to-text", "image-to-text"),
    ("@cf/facebook/bart-large-cnn", "summarization", "text-generation"),
])
def test_other_tasks_name_their_own_task(model: str, task: str, pick: str) -> None:
    with pytest.raises(errors.ModelRetiredError) as info:
        catalog.warn_if_deprecated(model)
    text = str(info.value)
    assert f"{task} model {model}" in text and f"models_for_task({pick!r})" in text
    assert info.value.task == task and info.value.choose_from == pick
    assert any(m.task == pick and m.deprecation_date is None for m in catalog.MODELS)
    # a task with a current model of its own gets no text-generation recommendations
    assert (info.value.recommended == RECOMMENDED) == (pick == "text-generation")


def test_planned_deprecation_warning_gives_the_same_advice(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog, "_today", lambda: dt.date(2026, 5, 20))
    with pytest.warns(catalog.DeprecatedModelWarning) as got:
        catalog.warn_if_deprecated(RETIRED)
    assert "Cloudflare recommends @cf/zai-org/glm-4.7-flash" in str(got[0].message)
