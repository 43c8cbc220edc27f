"""The catalog against the published definitions it is generated from."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from workersai import catalog
from workersai.catalog import _derive, _facts, _fixes, _rules, _sync

PUBLISHED = Path(catalog.__file__).with_name("published")


def _docs() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(PUBLISHED.glob("*.json"))
            if not p.name.startswith("_")]


def _props(doc: dict[str, Any]) -> dict[str, Any]:
    return {p["property_id"]: p["value"] for p in doc["properties"]}


def test_every_published_model_is_in_the_catalog_with_its_facts() -> None:
    docs = _docs()
    assert len(docs) >= 90
    for doc in docs:
        info = catalog.require(doc["name"])
        props = _props(doc)
        assert info.published and info.task == _derive.task_of(doc)
        prices = [(p["unit"], float(p["price"])) for p in props.get("price", [])]
        assert [(p.unit, p.usd) for p in info.prices if p.source == "published"] == prices
        if "context_window" in props:
            assert info.context_window == int(props["context_window"])
        if "planned_deprecation_date" in props:
            assert info.deprecation_date == props["planned_deprecation_date"][:10]
        for flag in ("function_calling", "vision", "lora", "async_queue", "beta"):
            if flag in props:
                assert getattr(info, flag) is (props[flag] == "true"), (doc["name"], flag)
        if props.get("require_workers_paid") == "true":
            assert info.paid_only


def test_announced_deprecations_and_paid_only_are_applied() -> None:
    for model_id, dep in _facts.DEPRECATIONS.items():
        info = catalog.lookup(model_id)
        if info is not None:
            assert info.deprecation_date == dep.date and info.replacement == dep.replacement
    k25 = catalog.require("@cf/moonshotai/kimi-k2.5")
    assert k25.aliased_to == "@cf/moonshotai/kimi-k2.6" and k25.deprecation_date == "2026-05-30"
    for model_id in _facts.PAID_ONLY:
        assert catalog.require(model_id).paid_only


def test_rate_limits_per_task_and_override() -> None:
    assert catalog.require("@cf/baai/bge-large-en-v1.5").rate_limit_per_minute == 1500
    assert catalog.require("@cf/baai/bge-base-en-v1.5").rate_limit_per_minute == 3000
    assert catalog.require("@cf/qwen/qwen1.5-14b-chat-awq").rate_limit_per_minute == 150
    assert catalog.require("@cf/openai/gpt-oss-120b").rate_limit_per_minute == 300


def test_schema_derived_limits() -> None:
    assert catalog.require("@cf/qwen/qwen3-embedding-0.6b").batch_limit == 32  # maxItems
    assert catalog.require("@cf/baai/bge-m3").batch_limit == 100
    assert catalog.require("@cf/qwen/qwen3-30b-a3b-fp8").default_max_tokens == 2000
    assert catalog.require("@cf/meta/llama-4-scout-17b-16e-instruct").default_temperature == 0.15
    assert catalog.require("@cf/openai/gpt-oss-20b").reasoning_efforts == ("low", "medium", "high")
    assert catalog.require("@cf/zai-org/glm-5.3-flash").reasoning_efforts == ("max", "high", "low")
    assert catalog.require("@cf/zai-org/glm-4.7-flash").json_mode == "response_format"
    mistral = catalog.require("@cf/mistralai/mistral-small-3.1-24b-instruct")
    assert mistral.json_mode == "guided_json"


def test_unpublished_ids_are_marked() -> None:
    rr = catalog.require("@cf/baai/bge-reranker-v2-m3")
    assert rr.published is False and rr.family == "reranker"
    published = {d["name"] for d in _docs()}
    for model_id in _rules.UNPUBLISHED:
        assert catalog.require(model_id).published is (model_id in published)


def test_regenerating_from_the_snapshot_changes_nothing() -> None:
    assert _sync.stale() == []


def test_generation_is_deterministic_and_idempotent() -> None:
    first = _sync.outputs()
    assert _sync.outputs() == first


def test_sync_from_a_docs_checkout(tmp_path: Path) -> None:
    src = tmp_path / "docs" / _sync.DOCS_SUBDIR
    src.mkdir(parents=True)
    for name in ("kimi-k2.6.json", "bge-m3.json"):
        (src / name).write_bytes((PUBLISHED / name).read_bytes())
    out = tmp_path / "published"
    out.mkdir()
    (out / "stale-model.json").write_text("{}")
    assert _sync.snapshot_from_docs(tmp_path / "docs", out) == 2
    assert (out / "kimi-k2.6.json").read_bytes() == (PUBLISHED / "kimi-k2.6.json").read_bytes()
    assert not (out / "stale-model.json").exists()
    meta = json.loads((out / "_snapshot.json").read_text())
    assert meta["listed"] == 2 and meta["files"]["bge-m3"]["total_chars"] > 0
    models = _derive.build_models(_derive.load_published(out))
    assert {m.id for m in models if m.published} == {"@cf/moonshotai/kimi-k2.6", "@cf/baai/bge-m3"}


def test_import_does_not_read_the_snapshot() -> None:
    code = ("import builtins, pathlib; seen = []\n"
            "orig = pathlib.Path.read_text\n"
            "pathlib.Path.read_text = lambda self, *a, **k: (\n"
            "    seen.append(str(self)) or orig(self, *a, **k))\n"
            "import workersai, workersai.catalog\n"
            "assert not [s for s in seen if 'published' in s], seen\n"
            "import sys; assert 'workersai.catalog._derive' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# --- schema fixes -------------------------------------------------------------------------


def _input(model_id: str) -> dict[str, Any]:
    doc = next(d for d in _docs() if d["name"] == model_id)
    return doc["schema"]["input"]


BROKEN = ["@cf/meta/llama-3.3-70b-instruct-fp8-fast", "@cf/moonshotai/kimi-k2.6",
          "@cf/google/gemma-4-26b-a4b-it", "@cf/zai-org/glm-5.2", "@cf/qwen/qwen3.8-27b",
          "@cf/deepgram/aura-2-en", "@cf/black-forest-labs/flux-2-dev",
          "@cf/qwen/qwen3-embedding-0.6b", "@cf/facebook/detr-resnet-50",
          "@cf/deepseek-ai/deepseek-v4-pro-0813"]


@pytest.mark.parametrize("model_id", BROKEN)
def test_fix_makes_the_schema_refuse_an_empty_body(model_id: str) -> None:
    raw = _input(model_id)
    assert _fixes.accepts_empty_object(raw)  # the published defect
    fixed, applied = _fixes.apply_fixes(model_id, raw)
    assert applied and not _fixes.accepts_empty_object(fixed)
    assert _input(model_id) == raw  # the snapshot itself is untouched


# moondream's every field is optional with a default (query "What's in this image?"):
# an empty body is a valid request there, not a defect
ACCEPTS_EMPTY_BY_DESIGN = {"@cf/moondream/moondream3.1-9B-A2B"}


def test_no_other_published_schema_accepts_an_empty_body() -> None:
    for doc in _docs():
        schema = (doc.get("schema") or {}).get("input")
        if schema is not None and doc["name"] not in ACCEPTS_EMPTY_BY_DESIGN:
            assert not _fixes.accepts_empty_object(
                _fixes.validation_schema(doc["name"], schema)), doc["name"]


def test_fixed_schemas_still_accept_real_requests() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    cases = {
        "@cf/meta/llama-3.3-70b-instruct-fp8-fast": {"prompt": "hi"},
        "@cf/moonshotai/kimi-k2.6": {"messages": [{"role": "user", "content": "hi"}]},
        "@cf/google/gemma-4-26b-a4b-it": {"requests": [{"prompt": "hi"}]},
        "@cf/deepgram/aura-2-en": {"text": "hi"},
        "@cf/qwen/qwen3-embedding-0.6b": {"queries": ["hi"]},
    }
    for model_id, body in cases.items():
        raw = _input(model_id)
        assert jsonschema.Draft202012Validator(raw).is_valid({})
        fixed = _fixes.validation_schema(model_id, raw)
        assert jsonschema.Draft202012Validator(fixed).is_valid(body), model_id
        assert not jsonschema.Draft202012Validator(fixed).is_valid({}), model_id


def test_the_catalog_modules_split_by_task_and_join_in_order() -> None:
    from workersai.catalog import _render
    from workersai.catalog._generated import MODELS
    from workersai.catalog._generated_tasks import TASK_MODELS
    from workersai.catalog._generated_text import TEXT_MODELS

    assert {m.task for m in TEXT_MODELS} == {"text-generation"}
    assert "text-generation" not in {m.task for m in TASK_MODELS}
    assert MODELS == TEXT_MODELS + TASK_MODELS
    with pytest.raises(ValueError, match="text generation first"):  # joining would reorder
        _render.module_sources([*TASK_MODELS[:1], *TEXT_MODELS[:1]], "s", "t")
