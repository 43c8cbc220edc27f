"""Cloudflare's published model definitions, loaded on demand from package data.

The snapshot (``workersai/catalog/published/<stem>.json``, exactly as Cloudflare
publishes them in cloudflare-docs ``src/content/workers-ai-models/``; provenance in
``_snapshot.json``) holds each model's definition with ``schema.input`` and
``schema.output`` as JSON Schema. A file's ``name`` field is the model id.

Input schemas are returned *fixed*: :data:`FIXES` (defined in :mod:`._fixes`, the one
list) names every repair made to a published schema before it is used for validation
(which models, what defect, why); :func:`fixes_applied` says which ones changed a given
model's schema. Everything else is exactly as published. Pure data: no client, no
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
from functools import lru_cache
from importlib import resources
from typing import Any

from ._fixes import FIXES, SchemaFix, apply_fixes

__all__ = [
    "FIXES",
    "SchemaFix",
    "definition",
    "fixes_applied",
    "input_schema",
    "output_schema",
    "published_ids",
]

_PACKAGE = "workersai.catalog"
_FOLDER = "published"


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


@lru_cache(maxsize=512)
def _fixed(model_id: str, part: str) -> tuple[dict[str, Any], tuple[str, ...]] | None:
    data = _load(model_id)
    schema = (data or {}).get("schema", {}).get(part)
    if not isinstance(schema, dict):
        return None
    fixed, applied = apply_fixes(model_id, schema, part=part)
    return fixed, tuple(applied)


def input_schema(model_id: str) -> dict[str, Any] | None:
    """The published input schema with :data:`FIXES` applied, or ``None`` when the model
    is not in the snapshot or its definition carries no schema. Shared and cached: do not
    modify it."""
    fixed = _fixed(model_id, "input")
    return fixed[0] if fixed is not None else None


def fixes_applied(model_id: str, part: str = "input") -> tuple[str, ...]:
    """Names of the :data:`FIXES` that changed ``model_id``'s published ``part``
    (``input`` or ``output``) schema."""
    fixed = _fixed(model_id, part)
    return fixed[1] if fixed is not None else ()


def output_schema(model_id: str) -> dict[str, Any] | None:
    """The published output schema with the output :data:`FIXES` applied, or ``None``.
    Shared and cached: do not modify it."""
    fixed = _fixed(model_id, "output")
    return fixed[0] if fixed is not None else None


def _clear() -> None:
    """Forget loaded files (tests that add snapshot files)."""
    _files.cache_clear()
    _load.cache_clear()
    _fixed.cache_clear()
