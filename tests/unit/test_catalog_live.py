"""The live catalog: mapping, paging, the disk cache, fallbacks, and lookup overlay."""

from __future__ import annotations

import json
import math
import os
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from workersai import AsyncClient, Client, catalog
from workersai.catalog import CatalogRefreshWarning
from workersai.catalog._cache import cache_path, read_cache, write_cache
from workersai.catalog._live_map import merge_entries, model_from_entry, task_slug
from workersai.emulator import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN, Emulator, ServerBusy
from workersai.emulator import emulator_async_http_client as emu_async_client
from workersai.errors import ResponseFormatError
from workersai.wire.models import SearchPager as _Pager

LLAMA = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
CREDS: dict[str, Any] = {"account_id": DEFAULT_ACCOUNT_ID, "api_token": DEFAULT_TOKEN}


@pytest.fixture(autouse=True)
def _shipped_lookup() -> Iterator[None]:
    yield
    catalog.reset_to_shipped()


def prop(pid: str, value: Any) -> dict[str, Any]:
    return {"property_id": pid, "value": value}


def entry(name: str, task: str = "Text Generation", *props: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "task": {"name": task}, "properties": list(props)}


def page_body(result: list[dict[str, Any]], total: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"success": True, "errors": [], "messages": [], "result": result}
    if total is not None:
        body["result_info"] = {"page": 1, "per_page": 100, "count": len(result),
                               "total_count": total}
    return body


def mock_client(handler: Callable[[httpx.Request], httpx.Response]) -> Client:
    return Client(**CREDS, http_client=httpx.Client(transport=httpx.MockTransport(handler)))


def refresh_quietly(client: Client, **kw: Any) -> catalog.CatalogSnapshot:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a live refresh that works warns about nothing
        return client.models.refresh(**kw)


# --- mapping -------------------------------------------------------------------------------


def test_properties_map_onto_model_info() -> None:
    e = entry(
        "@cf/acme/new-llm", "Text Generation",
        prop("context_window", "65536"), prop("function_calling", "true"),
        prop("vision", "true"), prop("lora", "false"), prop("reasoning", "true"),
        prop("async_queue", "true"), prop("require_workers_paid", "true"),
        prop("planned_deprecation_date", "2027-01-31"), prop("terms", "https://x"),
        prop("price", [{"unit": "per M input tokens", "price": 0.29, "currency": "USD"},
                       {"unit": "per M output tokens", "price": 2.25, "currency": "USD"},
                       {"unit": "per M cached input tokens", "price": 0.16, "currency": "USD"},
                       {"unit": "per audio minute", "price": 9.0, "currency": "USD"}]),
        prop("reasoning_effort", {"supported_efforts": ["low", "high"]}),
    )
    info = model_from_entry(e, None)
    assert info is not None
    assert (info.id, info.task, info.family) == ("@cf/acme/new-llm", "text-generation", "chat")
    assert info.context_window == 65536
    assert info.function_calling and info.vision and not info.lora
    assert info.reasoning == "content" and info.reasoning_efforts == ("low", "high")
    assert info.async_queue and info.paid_only
    assert info.deprecation_date == "2027-01-31"
    assert info.neurons_per_m_input == pytest.approx(0.29 * 90909.09, rel=1e-4)
    assert info.neurons_per_m_output == pytest.approx(2.25 / 0.000011, rel=1e-4)
    assert info.neurons_per_m_cached_input == pytest.approx(14545.5, rel=1e-4)


def test_embedding_limits_map() -> None:
    e = entry("@cf/acme/embed", "Text Embeddings", prop("max_input_tokens", "8,192"),
              prop("output_dimensions", "1024"))
    info = model_from_entry(e, None)
    assert info is not None
    assert (info.task, info.family, info.max_input_tokens, info.dimensions) == (
        "text-embeddings", "embedding", 8192, 1024)


def test_shipped_facts_kept_where_live_says_nothing() -> None:
    shipped = catalog.require("@cf/mistralai/mistral-small-3.1-24b-instruct")
    live = entry(shipped.id, "Text Generation", prop("context_window", "96000"))
    info = model_from_entry(live, shipped)
    assert info is not None
    assert info.context_window == 96000
    assert (info.family, info.json_mode, info.default_temperature) == (
        "classic", "guided_json", 0.15)
    assert info.vision and info.lora and info.function_calling  # not stated live: kept


def test_live_false_overrides_and_shipped_reasoning_style_kept() -> None:
    qwq = catalog.require("@cf/qwen/qwq-32b")
    info = model_from_entry(entry(qwq.id, "Text Generation", prop("reasoning", "true"),
                                  prop("lora", "false")), qwq)
    assert info is not None and info.reasoning == "think" and not info.lora
    off = model_from_entry(entry(qwq.id, "Text Generation", prop("reasoning", "false")), qwq)
    assert off is not None and off.reasoning is None


def test_bad_values_are_skipped_not_fatal() -> None:
    shipped = catalog.require(LLAMA)
    e = entry(LLAMA, "Text Generation", prop("context_window", "lots"),
              prop("price", "cheap"), prop("vision", "maybe"), {"value": "no id"})
    assert model_from_entry(e, shipped) == shipped
    assert model_from_entry({"task": {"name": "Text Generation"}}, None) is None


def test_task_slug() -> None:
    assert task_slug("Text Generation") == "text-generation"
    assert task_slug("Text-to-Image") == "text-to-image"
    assert task_slug("automatic-speech-recognition") == "automatic-speech-recognition"


def test_merge_keeps_shipped_order_then_live_only_ids() -> None:
    models, live_ids = merge_entries([entry("@cf/zz/new"), entry("@cf/aa/new"),
                                      entry(LLAMA, "Text Generation",
                                            prop("context_window", "1000"))])
    ids = [m.id for m in models]
    assert ids[: len(catalog.MODELS)] == [m.id for m in catalog.MODELS]
    assert ids[len(catalog.MODELS):] == ["@cf/aa/new", "@cf/zz/new"]
    assert live_ids == {"@cf/zz/new", "@cf/aa/new", LLAMA}
    assert next(m for m in models if m.id == LLAMA).context_window == 1000


def test_filter_by_task_name_and_capabilities() -> None:
    found = catalog.filter_models(catalog.MODELS, task="Text Generation",
                                  capabilities=["vision", "function_calling"])
    assert found and all(m.vision and m.function_calling and m.task == "text-generation"
                         for m in found)
    assert "@cf/meta/llama-3.2-11b-vision-instruct" not in {m.id for m in found}
    json_models = catalog.filter_models(catalog.MODELS, capabilities=["json_mode"])
    assert {m.json_mode for m in json_models} == {"response_format", "guided_json"}
    with pytest.raises(ValueError, match="unknown capability"):
        catalog.filter_models(catalog.MODELS, capabilities=["telepathy"])


# --- paging ---------------------------------------------------------------------------------


def test_pager_stops_at_total_count() -> None:
    pager = _Pager(2)
    seen = []
    while (params := pager.next_params()) is not None:
        seen.append(params["page"])
        n = int(params["page"])
        rows = [entry(f"@cf/x/{n}-{i}") for i in range(2 if n < 3 else 1)]
        pager.add(page_body(rows, total=5))
    assert seen == ["1", "2", "3"] and len(pager.entries) == 5


def test_pager_without_result_info_stops_on_short_page() -> None:
    pager = _Pager(3)
    pages = [[entry("a"), entry("b"), entry("c")], [entry("d")]]
    while pager.next_params() is not None:
        pager.add(page_body(pages.pop(0)))
    assert not pages and [e["name"] for e in pager.entries] == ["a", "b", "c", "d"]


def test_pager_guards_against_endless_lists_and_bad_shapes() -> None:
    pager = _Pager(1)
    with pytest.raises(ResponseFormatError, match="did not end"):
        while pager.next_params() is not None:
            pager.add(page_body([entry("x")], total=10**6))
    with pytest.raises(ResponseFormatError, match="no 'result' list"):
        _Pager().add({"success": True, "result": {}})
    with pytest.raises(ValueError, match="per_page"):
        _Pager(0)


# --- against the emulator -------------------------------------------------------------------


def test_refresh_reads_every_page_and_caches(
    emulator: Emulator, emulator_http_client: httpx.Client, tmp_path: Path
) -> None:
    client = Client(**CREDS, http_client=emulator_http_client)
    snap = refresh_quietly(client, cache_dir=tmp_path, per_page=7)
    searches = [r for r in emulator.requests if r.path.endswith("/ai/models/search")]
    assert len(searches) == math.ceil(len(catalog.MODELS) / 7)
    assert [r.query["page"] for r in searches] == [str(i + 1) for i in range(len(searches))]
    assert {r.query["per_page"] for r in searches} == {"7"}
    assert snap.source == "live" and snap.live_ids == {m.id for m in catalog.MODELS}
    llama = snap.lookup(LLAMA)
    assert llama is not None and llama.context_window == 24000 and llama.function_calling
    assert llama.neurons_per_m_input == pytest.approx(0.29 / 0.011e-3, rel=1e-3)  # published
    cached = read_cache(cache_path(client.config.base_url, tmp_path))
    assert cached is not None and len(cached.entries) == len(catalog.MODELS)


async def test_arefresh_matches_the_sync_twin(
    emulator: Emulator, emulator_async_http_client: httpx.AsyncClient,
    emulator_http_client: httpx.Client, tmp_path: Path
) -> None:
    aclient = AsyncClient(**CREDS, http_client=emulator_async_http_client)
    asnap = await aclient.models.refresh(cache_dir=tmp_path / "a", per_page=20)
    snap = refresh_quietly(Client(**CREDS, http_client=emulator_http_client),
                           cache_dir=tmp_path / "s")
    assert asnap.source == "live" and asnap.models == snap.models
    # pages of 20 for the async twin, of 100 for the sync one (the catalog's size decides)
    pages = -(-len(catalog.MODELS) // 20) + -(-len(catalog.MODELS) // 100)
    assert len([r for r in emulator.requests if "models/search" in r.path]) == pages


def test_fresh_cache_is_used_without_a_request(
    emulator: Emulator, emulator_http_client: httpx.Client, tmp_path: Path
) -> None:
    client = Client(**CREDS, http_client=emulator_http_client)
    refresh_quietly(client, cache_dir=tmp_path)
    emulator.requests.clear()
    again = refresh_quietly(client, cache_dir=tmp_path)
    assert again.source == "cache" and not again.stale and not emulator.requests
    assert refresh_quietly(client, cache_dir=tmp_path, force=True).source == "live"
    assert refresh_quietly(client, cache_dir=tmp_path, ttl=0).source == "live"
    assert len(emulator.requests) == 2 * -(-len(catalog.MODELS) // 100)  # pages of 100


def test_failure_falls_back_to_stale_cache_with_a_warning(
    emulator: Emulator, emulator_http_client: httpx.Client, tmp_path: Path
) -> None:
    client = Client(**CREDS, http_client=emulator_http_client, max_retries=0)
    path = cache_path(client.config.base_url, tmp_path)
    write_cache(path, [entry(LLAMA, "Text Generation", prop("context_window", "777"))],
                client.config.base_url, now=time.time() - 10 * 86400)
    emulator.faults.add(ServerBusy())
    with pytest.warns(CatalogRefreshWarning, match="ServerError.*cached at"):
        snap = client.models.refresh(cache_dir=tmp_path)
    assert snap.source == "cache" and snap.stale
    assert catalog.require(LLAMA).context_window == 777  # applied


def test_failure_without_cache_uses_shipped_table(tmp_path: Path) -> None:
    client = Client(**CREDS, http_client=httpx.Client(transport=wrong_token_transport()))
    with pytest.warns(CatalogRefreshWarning) as record:
        snap = client.models.refresh(cache_dir=tmp_path)
    assert snap.source == "shipped" and snap.models == catalog.MODELS
    text = str(record[0].message)
    assert "AuthenticationError" in text and "shipped" in text and DEFAULT_TOKEN not in text


def wrong_token_transport() -> httpx.BaseTransport:
    from workersai.emulator import EmulatorTransport

    return EmulatorTransport(Emulator(token="another-token"))


@pytest.mark.usefixtures("clean_env")
def test_missing_credentials_fall_back_and_do_not_raise(tmp_path: Path) -> None:
    with pytest.warns(CatalogRefreshWarning, match="ConfigurationError"):
        snap = Client().models.refresh(cache_dir=tmp_path)
    assert snap.source == "shipped"


def test_a_backend_without_http_falls_back(tmp_path: Path) -> None:
    client = Client(**CREDS)
    client._backend = object()  # type: ignore[assignment]  # e.g. a Workers binding
    with pytest.warns(CatalogRefreshWarning, match="cannot call the models API"):
        assert client.models.refresh(cache_dir=tmp_path).source == "shipped"


def test_unreadable_cache_is_no_cache_and_unwritable_cache_only_warns(tmp_path: Path) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=page_body([entry(LLAMA)], total=1))

    client = mock_client(answer)
    path = cache_path(client.config.base_url, tmp_path)
    path.write_text("{not json")
    assert read_cache(path) is None
    assert refresh_quietly(client, cache_dir=tmp_path).source == "live"
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.warns(CatalogRefreshWarning, match="could not write the models cache"):
        assert client.models.refresh(cache_dir=blocker).source == "live"


def test_malformed_answer_and_success_false_fall_back(tmp_path: Path) -> None:
    bodies = [b"<html>", json.dumps({"success": False, "errors": [{"code": 7003,
                                                                     "message": "bad"}]})]

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=bodies.pop(0),
                              headers={"content-type": "application/json"})

    client = mock_client(answer)
    with pytest.warns(CatalogRefreshWarning, match="malformed JSON"):
        client.models.refresh(cache_dir=tmp_path)
    with pytest.warns(CatalogRefreshWarning, match="bad"):
        client.models.refresh(cache_dir=tmp_path)


def test_request_carries_auth_and_no_gateway_header(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=page_body([], total=0))

    client = Client(**CREDS, gateway="my-gw", default_headers={"X-Team": "t1"},
                    http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    refresh_quietly(client, cache_dir=tmp_path)
    (req,) = seen
    assert req.method == "GET"
    assert req.url.path == f"/client/v4/accounts/{DEFAULT_ACCOUNT_ID}/ai/models/search"
    assert req.headers["authorization"] == f"Bearer {DEFAULT_TOKEN}"
    assert req.headers["x-team"] == "t1" and "cf-aig-gateway-id" not in req.headers


# --- the lookup overlay ---------------------------------------------------------------------


def _one_model_client() -> Client:
    rows = [entry(LLAMA, "Text Generation", prop("context_window", "99000"),
                  prop("planned_deprecation_date", "2030-01-01")),
            entry("@cf/acme/only-live")]

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=page_body(rows, total=2))

    return mock_client(answer)


def test_apply_overlays_known_ids_only_and_reset_restores(tmp_path: Path) -> None:
    snap = refresh_quietly(_one_model_client(), cache_dir=tmp_path)
    assert catalog.require(LLAMA).context_window == 99000
    assert catalog.require(LLAMA).deprecation_date == "2030-01-01"
    assert snap.lookup("@cf/acme/only-live") is not None
    assert catalog.lookup("@cf/acme/only-live") is None  # the wire keeps detecting it
    catalog.reset_to_shipped()
    assert catalog.require(LLAMA).context_window == 24000


def test_apply_false_leaves_lookup_alone(tmp_path: Path) -> None:
    snap = refresh_quietly(_one_model_client(), cache_dir=tmp_path, apply=False)
    assert snap.lookup(LLAMA).context_window == 99000  # type: ignore[union-attr]
    assert catalog.require(LLAMA).context_window == 24000


def test_load_reads_any_age_cache_else_shipped(tmp_path: Path) -> None:
    base = "https://example.test/client/v4"
    assert catalog.load(base_url=base, cache_dir=tmp_path).source == "shipped"
    write_cache(cache_path(base, tmp_path), [entry("@cf/acme/x")], base,
                now=time.time() - 90 * 86400)
    snap = catalog.load(base_url=base, cache_dir=tmp_path)
    assert snap.source == "cache" and snap.stale and snap.lookup("@cf/acme/x") is not None
    other = catalog.load(base_url="http://127.0.0.1:8787/client/v4", cache_dir=tmp_path)
    assert other.source == "shipped"  # one cache file per base URL


def test_default_cache_dir_follows_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("WORKERSAI_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if os.name != "nt":
        assert catalog.default_cache_dir() == tmp_path / "xdg" / "workersai"
    monkeypatch.setenv("WORKERSAI_CACHE_DIR", str(tmp_path / "mine"))
    assert catalog.default_cache_dir() == tmp_path / "mine"
    assert cache_path("https://a").parent == tmp_path / "mine"


async def test_arefresh_falls_back_too(tmp_path: Path) -> None:
    emu = Emulator()
    emu.faults.add(ServerBusy())
    aclient = AsyncClient(**CREDS, http_client=emu_async_client(emu), max_retries=0)
    with pytest.warns(CatalogRefreshWarning, match="shipped"):
        snap = await aclient.models.refresh(cache_dir=tmp_path)
    assert snap.source == "shipped"


def test_request_rules_follow_an_applied_refresh(tmp_path: Path) -> None:
    from workersai.errors import InvalidInputError
    from workersai.types import ChatParams, Message
    from workersai.wire.chat import build_chat_request

    def build() -> dict[str, Any]:
        return build_chat_request(LLAMA, [Message("user", "hi")], ChatParams(lora="adapter"),
                                  stream=False, endpoint="native")

    with pytest.raises(InvalidInputError, match="LoRA"):
        build()  # shipped: llama-3.3 takes no LoRA (and the rules are now cached)
    rows = [entry(LLAMA, "Text Generation", prop("lora", "true"))]
    client = mock_client(lambda r: httpx.Response(200, json=page_body(rows, total=1)))
    try:
        refresh_quietly(client, cache_dir=tmp_path)
        assert build()["lora"] == "adapter"
    finally:
        catalog.reset_to_shipped()
    with pytest.raises(InvalidInputError):
        build()
