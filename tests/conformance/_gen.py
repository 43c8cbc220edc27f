"""Replies generated from a published output schema (a small hypothesis strategy builder).

hypothesis-jsonschema handles the classic schemas but takes 35-140 s for 15 examples of
the chat-completions schemas (kimi, gemma-4, deepseek-v4, glm: deep ``anyOf`` trees) and
cannot satisfy bge-m3's ``oneOf`` of property-only branches at all. This builder walks the
keywords the published output schemas use (``type``, ``properties``, ``required``,
``items``, ``anyOf``/``oneOf``, ``enum``, ``minimum``/``maximum``, ``minItems``/
``maxItems``, ``additionalProperties``; ``format`` and ``contentType`` are annotations) and
draws one branch of each ``anyOf``/``oneOf``. Every drawn value is then checked against
the whole schema with ``jsonschema`` (a ``oneOf`` drawn into more than one branch is
rejected with ``assume``), so what the parsers see is always valid per the schema.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

__all__ = ["from_output_schema", "json_branch", "TEXT"]

_SPECIAL = [
    "", " ", "Hello", "<think>plan</think>answer", "pre</think>post", "é 漢字 🙂",
    '{"name": "lookup", "arguments": {"q": "x"}}', "line\nbreak", "[DONE]",
]
TEXT = st.one_of(st.sampled_from(_SPECIAL), st.text(max_size=12))
"""Strings: a few shapes that exercise the parsers (think tags, JSON-looking calls,
non-ASCII) and arbitrary text (surrogates excluded: JSON text cannot carry them)."""

_NUMBER = st.one_of(st.integers(-10**6, 10**6),
                    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))
_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-100, 100), TEXT)
_ANY = st.recursive(_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)), max_leaves=6)


def json_branch(schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON reply branch of an output schema (streams are described as a binary
    ``text/event-stream`` branch, which carries no structure to generate)."""
    branches = schema.get("oneOf")
    if isinstance(branches, list) and all("contentType" in b for b in branches):
        json_ones = [b for b in branches if b.get("contentType") != "text/event-stream"]
        if len(json_ones) == 1:
            return dict(json_ones[0])
    return schema


def _bounded(schema: dict[str, Any], kind: str) -> st.SearchStrategy[Any]:
    lo, hi = schema.get("minimum"), schema.get("maximum")
    if kind == "integer":
        return st.integers(int(lo) if lo is not None else -10**6,
                           int(hi) if hi is not None else 10**6)
    if lo is None and hi is None:
        return _NUMBER
    return st.floats(lo if lo is not None else -1e6, hi if hi is not None else 1e6,
                     allow_nan=False, allow_infinity=False)


def _object(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    props: dict[str, Any] = schema.get("properties") or {}
    required = [k for k in schema.get("required") or [] if k in props]
    fixed = {k: from_output_schema(props[k]) for k in required}
    optional = {k: from_output_schema(v) for k, v in props.items() if k not in required}
    base = st.fixed_dictionaries(fixed, optional=optional)
    if props or schema.get("additionalProperties") is False:
        return base
    return st.dictionaries(TEXT, _ANY, max_size=3)


def _typed(schema: dict[str, Any], kind: str) -> st.SearchStrategy[Any]:
    if kind == "object":
        return _object(schema)
    if kind == "array":
        items = schema.get("items")
        inner = from_output_schema(items) if isinstance(items, dict) else _ANY
        low = schema.get("minItems", 0)
        return st.lists(inner, min_size=low, max_size=max(low, schema.get("maxItems", 3)))
    if kind == "string":
        return TEXT
    if kind in ("number", "integer"):
        return _bounded(schema, kind)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return _ANY


def from_output_schema(schema: Any) -> st.SearchStrategy[Any]:
    """Values shaped by ``schema`` (validate them against it: this only draws)."""
    if not isinstance(schema, dict) or not schema:
        return _ANY
    if "enum" in schema:
        return st.sampled_from(list(schema["enum"]))
    for key in ("oneOf", "anyOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and branches:
            rest = {k: v for k, v in schema.items() if k != key}
            return st.one_of([from_output_schema({**rest, **b}) for b in branches])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([_typed(schema, k) for k in kind])
    if kind is None:
        return _object(schema) if "properties" in schema else _ANY
    return _typed(schema, kind)
