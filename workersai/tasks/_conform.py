"""Task requests kept inside the model's published input schema (checked before sending).

For a model in the snapshot (:mod:`workersai.catalog.schemas`), a task body is checked
against the model's published input schema, and refused with
:class:`~workersai.errors.InvalidInputError` naming the model and the field when:

* it lacks a field every input form requires (a form this task call does not build, e.g.
  FLUX.2's multipart body or Deepgram flux's WebSocket stream);
* it carries a field the schema lacks, unless the caller passed it explicitly through
  ``extra`` (sent as given) and the schema does not forbid unknown fields;
* a value is outside the schema's ``minimum``/``maximum`` (the range is named) or not one
  of its ``enum`` values.

A raw (non-JSON) body is refused where no form takes one. Unknown model ids pass
unchecked: they are sent as built.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from ..catalog import schemas
from ..catalog.facts import input_facts
from ..errors import InvalidInputError
from ..wire.tasks._base import TaskRequest, forms, properties, property_of, short
from ._check import check_range

__all__ = ["check_body", "check_raw", "check_request"]


def _closed(schema: dict[str, Any]) -> bool:
    return any(form.get("additionalProperties") is False for form in forms(schema))


def _required_sets(schema: dict[str, Any]) -> list[set[str]]:
    top = set(schema.get("required") or ())
    sets = [top | set(f.get("required") or ()) for f in forms(schema) if f is not schema]
    return sets or [top]


def _check_required(model: str, schema: dict[str, Any], sent: Collection[str]) -> None:
    needs = _required_sets(schema)
    if any(need <= set(sent) for need in needs):
        return
    missing = sorted(min(needs, key=lambda n: len(n - set(sent))) - set(sent))
    raise InvalidInputError(
        f"{model} requires {', '.join(missing)} (its published input schema), which this "
        "task call does not build; send the body the model documents with client.run()"
    )


def _check_value(model: str, name: str, value: Any) -> None:
    facts = input_facts(model)
    if facts is not None and name in facts.bounds:
        low, high = facts.bounds[name]
        check_range(model, name, value, low, high, integer=name in facts.integers)
    enum = (property_of(model, name) or {}).get("enum")
    if isinstance(enum, list) and value not in enum:
        shown = ", ".join(map(str, enum[:40])) + (", ..." if len(enum) > 40 else "")
        raise InvalidInputError(f"{short(model)}: {name}={value!r} is not one of {shown}")


def check_body(model: str, body: dict[str, Any], extra: Collection[str] = ()) -> None:
    """Refuse a JSON body that ``model``'s published input schema would not take.

    ``extra`` names fields the caller passed explicitly (sent unless the schema forbids
    unknown fields); every other field must be in the schema.
    """
    schema = schemas.input_schema(model)
    facts = input_facts(model)
    if schema is None or facts is None:
        return
    _check_required(model, schema, body)
    allowed = facts.fields if _closed(schema) else facts.fields | set(extra)
    unknown = sorted(set(body) - allowed)
    if unknown:
        takes_ = ", ".join(sorted(facts.fields)) or "no fields"
        raise InvalidInputError(
            f"{model} does not take {', '.join(unknown)} (its published input schema takes "
            f"{takes_})"
        )
    for name, value in body.items():
        if name not in extra:
            _check_value(model, name, value)


def _binary(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("format") == "binary"
        or any(_binary(b) for k in ("oneOf", "anyOf") for b in schema.get(k) or ()))


def _stream_field(model: str) -> str | None:
    """The field that carries a raw body in the binding form (``{"body", "contentType"}``)."""
    for name, prop in properties(model).items():
        inner = prop.get("properties") if isinstance(prop, dict) else None
        if isinstance(inner, dict) and set(inner) == {"body", "contentType"}:
            return name
    return None


def check_raw(model: str, options: Mapping[str, Any] | None = None,
              extra: Collection[str] = ()) -> None:
    """Refuse a raw body where the model's schema takes none, and ``options`` (sent as
    query parameters next to it) the schema would not take."""
    schema = schemas.input_schema(model)
    if schema is None:
        return
    stream = _stream_field(model)
    if not _binary(schema) and stream is None:
        raise InvalidInputError(
            f"{model} does not take a raw body (its published input schema takes JSON "
            "only); use encoding='array' or 'base64'"
        )
    if options and stream is not None:
        check_body(model, {stream: {"body": {}, "contentType": ""}, **options}, extra)


def check_request(req: TaskRequest, extra: Collection[str] = ()) -> TaskRequest:
    """:func:`check_raw` or :func:`check_body` for a built request; returns it."""
    if req.data is not None:
        check_raw(req.model)
    else:
        check_body(req.model, req.inputs or {}, extra)
    return req
