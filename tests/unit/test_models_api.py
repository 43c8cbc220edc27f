"""``client.models``: search, schema and refresh through the client's one path (both twins),
and the deprecated ``catalog.refresh``/``arefresh`` aliases."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from workersai import AsyncClient, Client, RequestOptions, catalog
from workersai.catalog import CatalogRefreshWarning
from workersai.emulator import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_TOKEN,
    Emulator,
    ServerBusy,
    emulator_async_http_client,
    emulator_http_client,
)
from workersai.errors import InvalidInputError

CREDS: dict[str, Any] = {"account_id": DEFAULT_ACCOUNT_ID, "api_token": DEFAULT_TOKEN}
EMB = "@cf/baai/bge-base-en-v1.5"


@pytest.fixture(autouse=True)
def _shipped_lookup() -> Iterator[None]:
    yield
    catalog.reset_to_shipped()


def call(kind: str, emu: Emulator, method: str, *args: Any, **kw: Any) -> Any:
    """``client.models.<method>(...)`` on the sync or the async twin, with no real sleeps."""
    if kind == "sync":
        with emulator_http_client(emu) as http:
            client = Client(**CREDS, http_client=http)
            client._backend.sleep = lambda _s: None  # type: ignore[attr-defined]
            return getattr(client.models, method)(*args, **kw)

    async def run() -> Any:
        aclient = AsyncClient(**CREDS, http_client=emulator_async_http_client(emu))

        async def no_sleep(_s: float) -> None:
            return None

        aclient._backend.sleep = no_sleep  # type: ignore[attr-defined]
        return await getattr(aclient.models, method)(*args, **kw)

    return asyncio.run(run())


TWINS = pytest.mark.parametrize("kind", ["sync", "async"])


@TWINS
def test_search_reads_every_page_with_filters(kind: str) -> None:
    emu = Emulator()
    rows = call(kind, emu, "search", task="Text Embeddings", per_page=2)
    searches = [r for r in emu.requests if r.path.endswith("/ai/models/search")]
    assert {r.query["task"] for r in searches} == {"Text Embeddings"}
    assert len(searches) >= 2 and len(rows) == len({r["name"] for r in rows})
    assert EMB in {r["name"] for r in rows}
    assert all(r.method == "GET" for r in searches)


@TWINS
def test_schema_of_one_model(kind: str) -> None:
    emu = Emulator()
    schema = call(kind, emu, "schema", EMB)
    assert schema["input"]["type"] == "object" and "output" in schema
    (req,) = emu.requests
    assert req.path.endswith("/ai/models/schema") and req.query["model"] == EMB
    with pytest.raises(InvalidInputError, match="model id"):
        call(kind, emu, "schema", "")


@TWINS
def test_refresh_retries_like_any_call(kind: str, tmp_path: Path) -> None:
    emu = Emulator()
    emu.faults.add(ServerBusy(), times=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a refresh that recovers warns about nothing
        snap = call(kind, emu, "refresh", cache_dir=tmp_path)
    assert snap.source == "live" and snap.live_ids == {m.id for m in catalog.MODELS}
    first, second = emu.requests[:2]
    assert first.query == second.query  # the busy page was asked again


@TWINS
def test_refresh_takes_per_call_options(kind: str, tmp_path: Path) -> None:
    emu = Emulator()
    emu.faults.add(ServerBusy(), times=1)
    with pytest.warns(CatalogRefreshWarning, match="ServerError"):
        snap = call(kind, emu, "refresh", cache_dir=tmp_path,
                    options=RequestOptions(max_retries=0, extra_headers={"x-team": "t1"}))
    assert snap.source == "shipped" and len(emu.requests) == 1
    assert emu.requests[0].headers["x-team"] == "t1"


def test_a_bad_per_page_raises_before_any_request(tmp_path: Path) -> None:
    emu = Emulator()
    with pytest.raises(ValueError, match="per_page"):
        call("sync", emu, "refresh", cache_dir=tmp_path, per_page=500)
    assert not emu.requests


def test_a_binding_client_falls_back(tmp_path: Path) -> None:
    class Binding:
        async def run(self, *a: Any) -> Any:
            raise AssertionError("the models API is not a model run")

    aclient = AsyncClient(binding=Binding())
    with pytest.warns(CatalogRefreshWarning, match="cannot call the models API"):
        snap = asyncio.run(aclient.models.refresh(cache_dir=tmp_path))
    assert snap.source == "shipped"


def test_deprecated_aliases_warn_and_delegate(tmp_path: Path) -> None:
    emu = Emulator()
    with emulator_http_client(emu) as http, pytest.warns(
            DeprecationWarning, match=r"catalog\.refresh\(client\) is deprecated"):
        snap = catalog.refresh(Client(**CREDS, http_client=http), cache_dir=tmp_path / "s")
    assert snap.source == "live"
    aclient = AsyncClient(**CREDS, http_client=emulator_async_http_client(emu))
    with pytest.warns(DeprecationWarning, match=r"await client\.models\.refresh"):
        asnap = asyncio.run(catalog.arefresh(aclient, cache_dir=tmp_path / "a", apply=False))
    assert asnap.models == snap.models


def test_gateway_is_not_used_for_the_models_api(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"success": True, "result": [],
                                         "result_info": {"total_count": 0}})

    client = Client(**CREDS, gateway="gw", http_client=httpx.Client(
        transport=httpx.MockTransport(answer)))
    assert client.models.search(options=RequestOptions(gateway="other")) == []
    (req,) = seen
    assert "cf-aig-gateway-id" not in req.headers and req.content == b""


def test_a_live_snapshot_stores_every_listed_model_with_its_schema(tmp_path: Path) -> None:
    """``python -m workersai._sync_live``'s fetch goes through ``client.models`` (the
    catalog does no I/O) and stores one definition per model with its schema."""
    import json

    from workersai._sync_live import fetch_definitions
    from workersai.catalog._sync import snapshot_from_entries

    with emulator_http_client(Emulator()) as http:
        found = fetch_definitions(Client(**CREDS, http_client=http).models)
    assert EMB in found and len(found) > 10
    assert isinstance(found[EMB]["schema"]["input"], dict)
    assert snapshot_from_entries(found, tmp_path) == len(found)
    stored = json.loads((tmp_path / "bge-base-en-v1.5.json").read_text(encoding="utf-8"))
    assert stored["name"] == EMB and stored["schema"] == found[EMB]["schema"]
    meta = json.loads((tmp_path / "_snapshot.json").read_text(encoding="utf-8"))
    assert meta["listed"] == len(found) and "bge-base-en-v1.5" in meta["files"]
