"""Capability facts read from a model's published input schema (lazily, cached).

For a model in the snapshot (see :mod:`.schemas`), :func:`input_facts` says which
top-level input fields the model takes and the numeric range of each bounded field. The
request builders receive these facts as data and send nothing the schema lacks.

Rules:

* **Fields** are the properties of every synchronous input branch (``prompt`` form,
  ``messages`` form, gpt-oss's Responses form), not of the async-batch ``requests``
  branch. The union is used because the published branches share one handler: the
  classic schemas list ``lora`` only under the Prompt branch, yet the service takes it
  with ``messages`` too (no branch sets ``additionalProperties: false``, so such a body
  validates).
* **Bounds** come from ``minimum``/``maximum`` (or the exclusive forms) of a field's
  property, preferring the ``messages`` branch when branches disagree.
* **Tool descriptions** are required when the ``tools`` schema's ``required`` lists name
  ``description`` (classic and qwen3/gpt-oss schemas: on each tool and each parameter).

Example:
    >>> from workersai.catalog.facts import input_facts
    >>> facts = input_facts("@cf/qwen/qwen3-30b-a3b-fp8")
    >>> "tool_choice" in facts.fields, facts.bounds["top_k"]
    (False, (1, 50))
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from . import schemas

__all__ = ["InputFacts", "input_facts"]

Bound = tuple[float | None, float | None]


@dataclass(frozen=True, slots=True)
class InputFacts:
    """What one model's published input schema allows at the top level."""

    fields: frozenset[str]
    bounds: dict[str, Bound] = field(default_factory=dict)
    """Field -> ``(minimum, maximum)``; ``None`` where the schema sets no limit."""
    integers: frozenset[str] = frozenset()
    """Bounded fields the schema types as integers."""
    tool_descriptions: bool = False
    """Tools (and their parameters) must carry a ``description``."""


def _alternatives(schema: Any) -> Iterator[dict[str, Any]]:
    """``schema`` and every ``oneOf``/``anyOf`` alternative below it that has properties."""
    if not isinstance(schema, dict):
        return
    if isinstance(schema.get("properties"), dict):
        yield schema
    for key in ("oneOf", "anyOf"):
        for branch in schema.get(key) or ():
            yield from _alternatives(branch)


def _requires_description(schema: Any) -> bool:
    if isinstance(schema, dict):
        required = schema.get("required")
        if isinstance(required, list) and "description" in required:
            return True
        return any(_requires_description(v) for v in schema.values())
    if isinstance(schema, list):
        return any(_requires_description(v) for v in schema)
    return False


def _numeric(prop: Any) -> dict[str, Any] | None:
    """The numeric alternative of a property (itself, or inside ``anyOf``/``oneOf``)."""
    if not isinstance(prop, dict):
        return None
    if prop.get("type") in ("number", "integer") or "minimum" in prop or "maximum" in prop:
        return prop
    for key in ("anyOf", "oneOf"):
        for alt in prop.get(key) or ():
            found = _numeric(alt)
            if found is not None:
                return found
    return None


def _bound(prop: Any) -> Bound | None:
    num = _numeric(prop)
    if num is None:
        return None
    lo = num.get("minimum", num.get("exclusiveMinimum"))
    hi = num.get("maximum", num.get("exclusiveMaximum"))
    if lo is None and hi is None:
        return None
    return (lo, hi)


def _is_integer(prop: Any) -> bool:
    num = _numeric(prop)
    return num is not None and num.get("type") == "integer"


@lru_cache(maxsize=256)
def input_facts(model_id: str) -> InputFacts | None:
    """The facts for ``model_id``, or ``None`` when it has no published input schema."""
    schema = schemas.input_schema(model_id)
    if schema is None:
        return None
    branches = [b for b in _alternatives(schema) if set(b["properties"]) != {"requests"}]
    branches.sort(key=lambda b: "messages" not in b["properties"])  # messages form first
    fields: set[str] = set()
    bounds: dict[str, Bound] = {}
    integers: set[str] = set()
    tool_descriptions = False
    for branch in branches:
        for name, prop in branch["properties"].items():
            fields.add(name)
            limits = _bound(prop)
            if limits is not None and name not in bounds:
                bounds[name] = limits
                if _is_integer(prop):
                    integers.add(name)
            if name == "tools" and _requires_description(prop):
                tool_descriptions = True
    return InputFacts(frozenset(fields), bounds, frozenset(integers), tool_descriptions)
