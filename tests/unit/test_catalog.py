"""The catalog table: lookups, limits and deprecation warnings."""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import pytest

from workersai import catalog


def test_known_limits() -> None:
    assert catalog.require("@cf/baai/bge-base-en-v1.5").batch_limit == 100
    assert catalog.require("@cf/qwen/qwen3-embedding-0.6b").batch_limit == 32
    assert catalog.require("@cf/baai/bge-small-en-v1.5").dimensions == 384
    assert catalog.require("@cf/meta/llama-3.3-70b-instruct-fp8-fast").context_window == 24000
    assert catalog.require("@cf/openai/gpt-oss-120b").family == "gpt-oss"


def test_unknown_id() -> None:
    assert catalog.lookup("@cf/nobody/nothing") is None
    with pytest.raises(KeyError, match="nothing"):
        catalog.require("@cf/nobody/nothing")


def test_ids_unique_and_tasks() -> None:
    ids = [m.id for m in catalog.MODELS]
    assert len(ids) == len(set(ids))
    assert all(m.task == "text-embeddings" for m in catalog.models_for_task("text-embeddings"))


def test_deprecated_warns_once() -> None:
    # before its retirement date (2026-05-30) a deprecated model warns, once per process
    catalog._warned.clear()
    model = "@cf/meta/llama-3.1-8b-instruct"
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        assert catalog.warn_if_deprecated(model, today=dt.date(2026, 5, 10)) is False
        assert catalog.warn_if_deprecated(model, today=dt.date(2026, 5, 10)) is False
    assert len([w for w in rec if issubclass(w.category, catalog.DeprecatedModelWarning)]) == 1
    assert "will be retired on 2026-05-30" in str(rec[0].message)
    assert catalog.warn_if_deprecated("@cf/openai/gpt-oss-120b") is False


def test_deprecation_warning_points_at_the_callers_line(monkeypatch: Any) -> None:
    monkeypatch.setattr(catalog, "_today", lambda: dt.date(2026, 5, 10))
    import httpx

    from workersai import Client
    from workersai.types import Message

    catalog._warned.clear()
    reply = {"result": {"response": "ok"}, "success": True, "errors": [], "messages": []}
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=reply)))
    client = Client(account_id="0" * 32, api_token="t", http_client=http)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        client.chat("@cf/meta/llama-3.1-8b-instruct", [Message("user", "hi")])
    deprecations = [w for w in rec if issubclass(w.category, catalog.DeprecatedModelWarning)]
    assert deprecations and deprecations[0].filename == __file__


def test_public_names_resolve_and_the_http_stack_loads_lazily() -> None:
    import subprocess
    import sys

    import workersai

    for name in catalog.__all__:
        assert getattr(catalog, name) is not None
    for name in workersai.__all__:
        assert getattr(workersai, name) is not None
    code = ("import sys, workersai, workersai.catalog; "
            "assert 'httpx' not in sys.modules, 'httpx imported eagerly'")
    subprocess.run([sys.executable, "-c", code], check=True)
