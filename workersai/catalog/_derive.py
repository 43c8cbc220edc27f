"""From published model definitions to :class:`ModelInfo` rows (pure; used by ``_sync``).

A definition is the JSON Cloudflare publishes per model (``published/<stem>.json``): name,
task, description, ``properties`` (flags, context window, prices, planned deprecation; read
by ``_stated``, as live search entries are) and ``schema.input``/``schema.output``. On
top come the facts of ``_facts`` (deprecations, rate limits, paid-only) and the hand rules
of ``_rules`` (reply family, values the definition does not state). Importing this module
reads no files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

from . import _facts, _rules
from ._info import TASK_NAMES, Family, JsonMode, ModelInfo, Price, Reasoning, Task
from ._stated import neuron_fields, stated

__all__ = ["PUBLISHED_DIR", "build_models", "derive", "family_from_schema", "load_published",
           "task_of"]

PUBLISHED_DIR = Path(__file__).with_name("published")

_TASKS: dict[str, Task] = {name.lower(): cast(Task, slug) for slug, name in TASK_NAMES.items()}


def load_published(directory: Path = PUBLISHED_DIR) -> list[dict[str, Any]]:
    """Every definition in ``directory`` (files starting with ``_`` are metadata).

    Where two files define one id (``qwen.json`` repeats ``qwen1.5-0.5b-chat``), the file
    named after the id comes first, so it is the one :func:`build_models` keeps.
    """
    found = [(p.stem, json.loads(p.read_text(encoding="utf-8")))
             for p in directory.glob("*.json") if not p.name.startswith("_")]
    found.sort(key=lambda f: (str(f[1].get("name", "")).rsplit("/", 1)[-1] != f[0], f[0]))
    return [doc for _, doc in found]


def task_of(doc: Mapping[str, Any]) -> Task:
    """The task slug of a definition; an unknown task name stops the generator."""
    name = str((doc.get("task") or {}).get("name", "")).strip().lower()
    if name not in _TASKS:
        raise ValueError(f"{doc.get('name')}: unknown task {name!r}; add it to Task and _TASKS")
    return _TASKS[name]


def _walk(node: Any, skip: str = "requests") -> Iterator[dict[str, Any]]:
    """Every object node of a schema, not descending into the ``skip`` property (the async
    batch items repeat the single-request schema with other defaults)."""
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for name, sub in value.items():
                    if name != skip:
                        yield from _walk(sub, skip)
            elif key != "properties":
                yield from _walk(value, skip)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item, skip)


def _prop_schemas(schema: Any, name: str) -> list[dict[str, Any]]:
    return [n["properties"][name] for n in _walk(schema) if isinstance(
        n.get("properties"), dict) and isinstance(n["properties"].get(name), dict)]


def _default(schema: Any, name: str) -> Any:
    return next((s["default"] for s in _prop_schemas(schema, name) if "default" in s), None)


def _json_mode(schema: Any) -> JsonMode | None:
    # guided_json first: where both exist (llama-4-scout) the hand table used guided_json
    for mode in ("guided_json", "response_format"):
        if _prop_schemas(schema, mode):
            return cast(JsonMode, mode)
    return None


def _batch_limit(schema: Any) -> int | None:
    limits = [alt["maxItems"] for s in _prop_schemas(schema, "text")
              for alt in _walk(s) if alt.get("type") == "array" and "maxItems" in alt]
    return min(limits) if limits else None


def _efforts(schema: Any) -> tuple[str, ...]:
    """The ``reasoning.effort`` enum of an input schema (gpt-oss's Responses branch)."""
    for reasoning in _prop_schemas(schema, "reasoning"):
        for effort in _prop_schemas(reasoning, "effort"):
            if isinstance(effort.get("enum"), list):
                return tuple(str(e) for e in effort["enum"] if e is not None)
    return ()


def family_from_schema(task: Task, schema: Mapping[str, Any]) -> Family:
    """The reply family the output schema shows (``other`` for non-LLM tasks)."""
    out = schema.get("output") or {}
    keys = {k for n in _walk(out) for k in (n.get("properties") or {})}
    if task == "text-generation":
        return "chat" if "choices" in keys else "classic"
    if task == "text-embeddings":
        return "bge" if "pooling" in keys else "embedding"
    return "other"


def _reasoning(model_id: str, family: Family, flagged: bool) -> Reasoning | None:
    if any(model_id == m for m, _ in _rules.THINK_IN_TEXT):
        return "think"
    return _rules.REASONING_BY_FAMILY.get(family) if flagged else None


def _published_fields(doc: Mapping[str, Any], task: Task) -> dict[str, Any]:
    """What the definition itself states (absent keys: it is silent)."""
    model_id = str(doc["name"])
    schema = doc.get("schema") or {}
    inp = schema.get("input")
    found, reasoning = stated(doc)
    out: dict[str, Any] = {"description": str(doc.get("description") or "").strip(), **found}
    if inp:
        schema_facts = {"json_mode": _json_mode(inp),
                        "default_max_tokens": _default(inp, "max_tokens"),
                        "default_temperature": _default(inp, "temperature"),
                        "batch_limit": _batch_limit(inp) if task == "text-embeddings" else None,
                        "reasoning_efforts": out.get("reasoning_efforts") or _efforts(inp)
                        or None}
        out.update({k: v for k, v in schema_facts.items() if v is not None})
    family = _rules.family_rule(model_id) or family_from_schema(task, schema)
    out["family"] = family
    flagged = bool(reasoning) or "reasoning_efforts" in out
    if (style := _reasoning(model_id, family, flagged)) is not None:
        out["reasoning"] = style
    return out


def _fill(model_id: str, fields: dict[str, Any]) -> None:
    for key, value in _rules.FILL.get(model_id, {}).items():
        if key in fields:
            continue
        fields[key] = (tuple(Price(u, p, src) for u, p, src in value)
                       if key == "prices" else value)


def _facts_for(model_id: str, task: Task, fields: dict[str, Any]) -> None:
    dep = _facts.DEPRECATIONS.get(model_id)
    if dep is not None:
        fields.setdefault("deprecation_date", dep.date)
        if dep.replacement:
            fields["replacement"] = dep.replacement
            if dep.aliased:
                fields["aliased_to"] = dep.replacement
    if model_id in _facts.PAID_ONLY:
        fields["paid_only"] = True
    rpm = _facts.RATE_LIMIT_OVERRIDES.get(model_id, _facts.RATE_LIMITS.get(task))
    if rpm is not None:
        fields["rate_limit_per_minute"] = rpm


def _row(model_id: str, task: Task, fields: dict[str, Any], published: bool) -> ModelInfo:
    _fill(model_id, fields)
    _facts_for(model_id, task, fields)
    fields.update(neuron_fields(fields.get("prices", ())))
    return ModelInfo(id=model_id, task=task, published=published, **fields)


def derive(doc: Mapping[str, Any]) -> ModelInfo:
    """One published definition as a :class:`ModelInfo` (facts and hand rules applied)."""
    task = task_of(doc)
    return _row(str(doc["name"]), task, _published_fields(doc, task), True)


def build_models(docs: Iterable[Mapping[str, Any]]) -> tuple[ModelInfo, ...]:
    """The catalog: one row per published id (by task, then id), then the unpublished
    ids of ``_rules.UNPUBLISHED`` that no definition covers."""
    rows: dict[str, ModelInfo] = {}
    for doc in docs:
        info = derive(doc)
        rows.setdefault(info.id, info)  # a repeated id: the first definition wins
    for model_id, (task, family, _why) in _rules.UNPUBLISHED.items():
        if model_id not in rows:
            rows[model_id] = _row(model_id, task, {"family": family}, False)
    order = list(_TASKS.values())
    return tuple(sorted(rows.values(), key=lambda m: (order.index(m.task), m.id)))
