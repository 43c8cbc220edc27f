"""Requests checked against the model's published input schema, worded like the service.

For a model in the catalog snapshot, every JSON request body on the native route (and the
``/ai/run`` gateway form, and each item of a queued batch) is validated against
``workersai.catalog.schemas.input_schema(model)``: the published schema with the
catalog's documented fixes. The first failure becomes HTTP 400, code 5006,
``AiError: Bad input: Error: <detail>``, the detail naming the JSON pointer the way the
service's validator does (reference sections 1.3 and 7.2):

* ``Type mismatch of '/messages/0/content', 'array' not in 'string'``
* ``required properties at '/' are 'prompt'``
* ``oneOf at '/' not met, 0 matches: <each branch's first failure, comma-separated>``
  (``n matches`` when several branches match); ``anyOf at '<path>' not met: ...``
* ``Additional or unevaluated properties '/width, /height' at '/' not allowed``
* ``Value 7 at '/temperature' is greater than the maximum 5`` (and ``less than the
  minimum``); ``String at '/prompt' is shorter than the minimum length 1``; ``Array at
  '/text' has more items than the maximum 100``; ``'/pooling' must be equal to one of the
  allowed values``; ``String at '<path>' does not match pattern '<p>'``.

Only the keywords the published schemas use are read (``type``, ``properties``,
``required``, ``additionalProperties``, ``items``, ``enum``/``const``, numeric and length
bounds, ``pattern``, ``min``/``maxProperties``, ``oneOf``/``anyOf``/``allOf``/``not``);
``format``, ``description``, ``default`` and ``contentType`` are annotations.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..catalog import schemas
from ._errors import bad_input

__all__ = ["check_input", "first_error", "has_schema"]

_TYPES: dict[type, str] = {str: "string", bool: "boolean", int: "integer", float: "number",
                           list: "array", dict: "object", type(None): "null"}


def has_schema(model: str) -> bool:
    """Whether ``model`` has a published input schema in the snapshot."""
    return schemas.input_schema(model) is not None


def check_input(model: str, body: Any) -> None:
    """Raise the service's 5006 error when ``body`` fails ``model``'s input schema (no
    check for a model without one)."""
    schema = schemas.input_schema(model)
    if schema is None:
        return
    detail = first_error(schema, body)
    if detail is not None:
        raise bad_input(detail)


def _json_type(value: Any) -> str:
    return _TYPES.get(type(value), "unknown")


def _is(value: Any, kind: str) -> bool:
    actual = _json_type(value)
    if kind == "number":
        return actual in ("number", "integer")
    if kind == "integer":
        return actual == "integer" or (actual == "number" and float(value).is_integer())
    return actual == kind


def _at(path: str) -> str:
    return path or "/"


def first_error(schema: Any, value: Any, path: str = "") -> str | None:
    """The first way ``value`` fails ``schema`` (service wording), or ``None``."""
    if schema is True or not isinstance(schema, dict):
        return None if schema is not False else f"'{_at(path)}' is not allowed"
    for check in (_type, _enum, _number, _string, _array, _object, _combinators):
        detail = check(schema, value, path)
        if detail is not None:
            return detail
    return None


def _type(schema: dict[str, Any], value: Any, path: str) -> str | None:
    kind = schema.get("type")
    if kind is None:
        return None
    kinds = kind if isinstance(kind, list) else [kind]
    if any(_is(value, k) for k in kinds):
        return None
    return f"Type mismatch of '{_at(path)}', '{_json_type(value)}' not in '{', '.join(kinds)}'"


def _enum(schema: dict[str, Any], value: Any, path: str) -> str | None:
    if "enum" in schema and not any(_same(value, v) for v in schema["enum"]):
        return f"'{_at(path)}' must be equal to one of the allowed values"
    if "const" in schema and not _same(value, schema["const"]):
        return f"'{_at(path)}' must be equal to the constant"
    return None


def _same(a: Any, b: Any) -> bool:
    return a == b and (isinstance(a, bool) == isinstance(b, bool))


def _number(schema: dict[str, Any], value: Any, path: str) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and value < low:
        return f"Value {value} at '{_at(path)}' is less than the minimum {low}"
    if high is not None and value > high:
        return f"Value {value} at '{_at(path)}' is greater than the maximum {high}"
    low, high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if low is not None and value <= low:
        return f"Value {value} at '{_at(path)}' is not greater than {low}"
    if high is not None and value >= high:
        return f"Value {value} at '{_at(path)}' is not less than {high}"
    return None


@lru_cache(maxsize=64)
def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_SIZES = {
    "String": ("minLength", "is shorter than the minimum length",
               "maxLength", "is longer than the maximum length"),
    "Array": ("minItems", "has fewer items than the minimum",
              "maxItems", "has more items than the maximum"),
    "Object": ("minProperties", "has fewer properties than the minimum",
               "maxProperties", "has more properties than the maximum"),
}


def _size(kind: str, schema: dict[str, Any], size: int, path: str) -> str | None:
    """The ``min``/``max`` length, items or properties check of a ``kind`` value."""
    low_key, too_few, high_key, too_many = _SIZES[kind]
    if low_key in schema and size < schema[low_key]:
        return f"{kind} at '{_at(path)}' {too_few} {schema[low_key]}"
    if high_key in schema and size > schema[high_key]:
        return f"{kind} at '{_at(path)}' {too_many} {schema[high_key]}"
    return None


def _string(schema: dict[str, Any], value: Any, path: str) -> str | None:
    if not isinstance(value, str):
        return None
    detail = _size("String", schema, len(value), path)
    if detail is not None:
        return detail
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and not _pattern(pattern).search(value):
        return f"String at '{_at(path)}' does not match pattern '{pattern}'"
    return None


def _array(schema: dict[str, Any], value: Any, path: str) -> str | None:
    if not isinstance(value, list):
        return None
    detail = _size("Array", schema, len(value), path)
    if detail is not None:
        return detail
    items = schema.get("items")
    for i, item in enumerate(value):
        sub = items[i] if isinstance(items, list) and i < len(items) else items
        if isinstance(sub, dict | bool):
            detail = first_error(sub, item, f"{path}/{i}")
            if detail is not None:
                return detail
    return None


def _pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _object(schema: dict[str, Any], value: Any, path: str) -> str | None:
    if not isinstance(value, dict):
        return None
    required = schema.get("required")
    if isinstance(required, list) and any(k not in value for k in required):
        return f"required properties at '{_at(path)}' are " + ", ".join(
            f"'{k}'" for k in required)
    detail = _size("Object", schema, len(value), path)
    if detail is not None:
        return detail
    props = schema.get("properties") or {}
    for key, sub in props.items():
        if key in value and isinstance(sub, dict | bool):
            detail = first_error(sub, value[key], f"{path}/{_pointer(key)}")
            if detail is not None:
                return detail
    return _additional(schema, value, path, props)


def _additional(schema: dict[str, Any], value: dict[str, Any], path: str,
                props: dict[str, Any]) -> str | None:
    extra_schema = schema.get("additionalProperties", True)
    extra = [k for k in value if k not in props]
    if not extra or extra_schema is True:
        return None
    if extra_schema is False:
        names = ", ".join(f"{path}/{_pointer(k)}" for k in extra)
        return f"Additional or unevaluated properties '{names}' at '{_at(path)}' not allowed"
    for key in extra:
        detail = first_error(extra_schema, value[key], f"{path}/{_pointer(key)}")
        if detail is not None:
            return detail
    return None


def _combinators(schema: dict[str, Any], value: Any, path: str) -> str | None:
    for sub in schema.get("allOf") or ():
        detail = first_error(sub, value, path)
        if detail is not None:
            return detail
    if "anyOf" in schema:
        errors = [first_error(sub, value, path) for sub in schema["anyOf"]]
        if all(e is not None for e in errors):
            return f"anyOf at '{_at(path)}' not met: " + ", ".join(map(str, errors))
    if "oneOf" in schema:
        errors = [first_error(sub, value, path) for sub in schema["oneOf"]]
        matches = sum(e is None for e in errors)
        if matches == 0:
            return f"oneOf at '{_at(path)}' not met, 0 matches: " + ", ".join(map(str, errors))
        if matches > 1:
            names = [f"'{sub.get('title') or i}'" for i, (sub, e) in enumerate(
                zip(schema["oneOf"], errors, strict=True)) if e is None and isinstance(sub, dict)]
            return f"oneOf at '{_at(path)}' not met, {matches} matches: {', '.join(names)}"
    if "not" in schema and first_error(schema["not"], value, path) is None:
        return f"'{_at(path)}' must not match the schema in 'not'"
    return None
