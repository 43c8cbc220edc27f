"""Cloudflare's published model definitions, loaded on demand from package data.

The snapshot (``workersai/catalog/published/<stem>.json``, exactly as Cloudflare
publishes them in cloudflare-docs ``src/content/workers-ai-models/``; provenance in
``_snapshot.json``) holds each model's definition with ``schema.input`` and
``schema.output`` as JSON Schema. A file's ``name`` field is the model id.

Schemas are returned *fixed*: :data:`SCHEMA_FIXES` lists, in one place, every change
made to a published schema before it is used for validation (which models, what
changes, why). Everything else is exactly as published. Pure data: no client, no
transport; each file is read at most once per process.

Example:
    >>> from workersai.catalog import schemas
    >>> "@cf/meta/llama-3.1-8b-instruct" in schemas.published_ids()
    True
    >>> schemas.input_schema("@cf/meta/llama-3.1-8b-instruct")["type"]
    'object'
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = [
    "SchemaFix",
    "SCHEMA_FIXES",
    "definition",
    "input_schema",
    "output_schema",
    "published_ids",
]

_PACKAGE = "workersai.catalog"
_FOLDER = "published"


def _branches(schema: Any) -> Iterator[dict[str, Any]]:
    """Every ``oneOf``/``anyOf`` alternative below ``schema`` (depth first)."""
    if not isinstance(schema, dict):
        return
    for key in ("oneOf", "anyOf"):
        for branch in schema.get(key) or ():
            if isinstance(branch, dict):
                yield branch
                yield from _branches(branch)


def _require_requests(schema: dict[str, Any]) -> list[str]:
    """Make each async-batch branch (``properties: {requests}``, nothing required)
    require ``requests``; returns the JSON pointers of the branches changed."""
    changed = []
    for branch in _branches(schema):
        props = branch.get("properties")
        if isinstance(props, dict) and set(props) == {"requests"} and not branch.get("required"):
            branch["required"] = ["requests"]
            changed.append(str(branch.get("title") or "requests branch"))
    return changed


@dataclass(frozen=True, slots=True)
class SchemaFix:
    """One documented change to published input schemas."""

    models: tuple[str, ...]
    """Model ids known (in the snapshot) to need it; ``apply`` is safe on any schema and
    runs on every model, so a newly published file with the same defect is fixed too."""
    change: str
    why: str
    apply: Callable[[dict[str, Any]], list[str]]
    """Edits an input schema in place; returns what it changed (empty: not affected)."""


SCHEMA_FIXES: tuple[SchemaFix, ...] = (
    SchemaFix(
        models=(
            "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
            "@cf/moonshotai/kimi-k2.6",
            "@cf/moonshotai/kimi-k2.7-code",
            "@cf/google/gemma-4-26b-a4b-it",
            "@cf/zai-org/glm-5.2",
            "@cf/zai-org/glm-5.3",
            "@cf/zai-org/glm-5.3-flash",
            "@cf/qwen/qwen3.8-27b",
        ),
        change="the async-batch branch (properties: {requests}) gets required: [requests]",
        why=(
            "the published branch requires nothing, so every object matches the "
            "oneOf/anyOf and validation accepts any body; the service only takes the "
            "batch form when `requests` is present (gpt-oss's Responses_Async branch "
            "already says so)"
        ),
        apply=_require_requests,
    ),
)
"""Every change made to a published schema, applied in order by :func:`input_schema`."""


@lru_cache(maxsize=1)
def _files() -> dict[str, str]:
    """Model id -> file name; a file whose stem is the id's last segment wins a clash."""
    folder = resources.files(_PACKAGE).joinpath(_FOLDER)
    found: dict[str, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json") or entry.name.startswith("_"):
            continue
        name = json.loads(entry.read_text(encoding="utf-8")).get("name")
        if not isinstance(name, str):
            continue
        if name not in found or entry.name == f"{name.rsplit('/', 1)[-1]}.json":
            found[name] = entry.name
    return found


def published_ids() -> frozenset[str]:
    """Every model id with a published definition in the snapshot."""
    return frozenset(_files())


@lru_cache(maxsize=256)
def _load(model_id: str) -> dict[str, Any] | None:
    file = _files().get(model_id)
    if file is None:
        return None
    text = resources.files(_PACKAGE).joinpath(_FOLDER, file).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def definition(model_id: str) -> dict[str, Any] | None:
    """The published definition of ``model_id`` as published (a copy), or ``None``."""
    data = _load(model_id)
    return copy.deepcopy(data) if data is not None else None


@lru_cache(maxsize=256)
def _fixed_input(model_id: str) -> dict[str, Any] | None:
    data = _load(model_id)
    schema = (data or {}).get("schema", {}).get("input")
    if not isinstance(schema, dict):
        return None
    fixed = copy.deepcopy(schema)
    for fix in SCHEMA_FIXES:
        fix.apply(fixed)
    return fixed


def input_schema(model_id: str) -> dict[str, Any] | None:
    """The published input schema with :data:`SCHEMA_FIXES` applied, or ``None`` when
    the model is not in the snapshot or its definition carries no schema. Shared and
    cached: do not modify it."""
    return _fixed_input(model_id)


def output_schema(model_id: str) -> dict[str, Any] | None:
    """The published output schema (unchanged), or ``None``. Shared: do not modify it."""
    data = _load(model_id)
    schema = (data or {}).get("schema", {}).get("output")
    return schema if isinstance(schema, dict) else None


def _clear() -> None:
    """Forget loaded files (tests that add snapshot files)."""
    _files.cache_clear()
    _load.cache_clear()
    _fixed_input.cache_clear()
