"""What a model's ``properties`` state, read one way for both sources of model facts.

Cloudflare describes a model with ``properties: [{"property_id", "value"}, ...]`` both in
the published definitions (``_derive`` builds the shipped table from them) and in the live
``GET /ai/models/search`` entries (``_live_map`` lays them over that table), so one reader
serves both. Values arrive as strings (``"true"``, ``"128,000"``) or JSON values; a value
that cannot be read is skipped, never fatal. Prices are US dollars per unit; the three
token prices also become neurons per million tokens.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._info import Price

__all__ = ["neuron_fields", "prices", "properties", "stated"]

_FLAGS = {
    "function_calling": "function_calling", "vision": "vision", "lora": "lora",
    "async_queue": "async_queue", "beta": "beta", "require_workers_paid": "paid_only",
}
_INTS = {
    "context_window": "context_window", "max_input_tokens": "max_input_tokens",
    "output_dimensions": "dimensions",
}
_NEURON_UNITS = {
    "neurons_per_m_input": "per m input tokens",
    "neurons_per_m_output": "per m output tokens",
    "neurons_per_m_cached_input": "per m cached input tokens",
}


def properties(entry: Mapping[str, Any]) -> dict[str, Any]:
    """``{property_id: value}`` of a definition or a search entry."""
    return {p["property_id"]: p.get("value") for p in entry.get("properties") or []
            if isinstance(p, Mapping) and isinstance(p.get("property_id"), str)}


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    return None


def _whole(value: Any) -> int | None:
    try:
        number = int(float(str(value).replace(",", "").strip()))
    except ValueError:
        return None
    return number if number > 0 else None


def prices(value: Any) -> tuple[Price, ...]:
    """The US-dollar prices of a ``price`` property (other currencies and bad rows skipped)."""
    items = value if isinstance(value, list) else []
    return tuple(
        Price(str(p.get("unit", "")).strip(), float(p["price"])) for p in items
        if isinstance(p, Mapping) and str(p.get("currency", "USD")).upper() == "USD"
        and str(p.get("unit", "")).strip()
        and isinstance(p.get("price"), int | float) and not isinstance(p.get("price"), bool)
    )


def neuron_fields(found: tuple[Price, ...]) -> dict[str, float | None]:
    """The three ``neurons_per_m_*`` fields of ``ModelInfo`` from a price list."""
    by_unit = {p.unit.lower(): p for p in found}
    out: dict[str, float | None] = {}
    for field, unit in _NEURON_UNITS.items():
        price = by_unit.get(unit)
        out[field] = None if price is None else round(price.neurons, 1)
    return out


def stated(entry: Mapping[str, Any]) -> tuple[dict[str, Any], bool | None]:
    """The ``ModelInfo`` fields ``entry``'s properties state (absent: it is silent), and
    its ``reasoning`` flag (``True`` too where it lists reasoning efforts)."""
    props = properties(entry)
    out: dict[str, Any] = {}
    for key, field in _FLAGS.items():
        if key in props and (flag := _flag(props[key])) is not None:
            out[field] = flag
    for key, field in _INTS.items():
        if key in props and (number := _whole(props[key])) is not None:
            out[field] = number
    if found := prices(props.get("price")):
        out["prices"] = found
    date = props.get("planned_deprecation_date")
    if isinstance(date, str) and date.strip():
        out["deprecation_date"] = date.strip()[:10]
    reasoning = _flag(props["reasoning"]) if "reasoning" in props else None
    effort = props.get("reasoning_effort")
    if isinstance(effort, Mapping) and isinstance(effort.get("supported_efforts"), list):
        out["reasoning_efforts"] = tuple(str(e) for e in effort["supported_efforts"])
        reasoning = True if reasoning is None else reasoning
    return out, reasoning
