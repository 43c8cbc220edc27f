"""Validation against the published schemas: one compiled validator per model, cached."""

from __future__ import annotations

import datetime as _dt
from functools import cache
from typing import Any

import jsonschema

from workersai import catalog
from workersai.catalog import schemas
from workersai.catalog.facts import input_facts


@cache
def input_validator(model: str) -> Any:
    schema = schemas.input_schema(model)
    assert schema is not None, f"{model} has no published input schema"
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


@cache
def output_validator(model: str) -> Any:
    schema = schemas.output_schema(model)
    assert schema is not None, f"{model} has no published output schema"
    return jsonschema.validators.validator_for(schema)(schema)


def assert_conforms(model: str, body: Any, scenario: str = "") -> None:
    """``body`` validates against ``model``'s fixed input schema and sends no top-level
    field the schema lacks."""
    errors = sorted(input_validator(model).iter_errors(body), key=lambda e: e.path)
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        where = "/" + "/".join(str(p) for p in best.absolute_path)
        raise AssertionError(f"{model} [{scenario}] at {where}: {best.message}\nbody={body}")
    facts = input_facts(model)
    if isinstance(body, dict) and facts is not None:
        extra = set(body) - facts.fields
        assert not extra, f"{model} [{scenario}] sends fields its schema lacks: {sorted(extra)}"


def published(task: str) -> list[str]:
    """Snapshot model ids of a published task name (``Text Generation`` ...)."""
    out = []
    for model in sorted(schemas.published_ids()):
        data = schemas.definition(model) or {}
        if data.get("task", {}).get("name") == task and schemas.input_schema(model):
            out.append(model)
    return out


def is_retired(model: str) -> bool:
    """Whether calls to ``model`` are refused today (retired, not aliased to a successor)."""
    info = catalog.lookup(model)
    if info is None or info.deprecation_date is None or info.aliased_to is not None:
        return False
    return _dt.date.fromisoformat(info.deprecation_date) <= catalog._today()


def chat_models(*, retired: bool = False) -> list[str]:
    """Text-generation models that take ``messages`` (the clef models take questions):
    the ones callable today, or with ``retired=True`` the retired ones."""
    out = []
    for model in published("Text Generation"):
        facts = input_facts(model)
        if facts is not None and "messages" in facts.fields and is_retired(model) == retired:
            out.append(model)
    return out
