"""Pure mapping of ``/ai/models/search`` entries (reference section 10.1) to ``ModelInfo``.

A live entry updates what the API states (context window, capability flags, prices,
limits, deprecation date, paid-only, async queue); what it does not state is kept from
the shipped table (family, JSON mode, default max tokens, batch limit, reasoning style).
Token prices arrive in US dollars per million tokens and become neurons per million
tokens (USD / $0.000011, i.e. USD x 90,909).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypeAlias, cast

from ._models import MODELS, Family, ModelInfo, Task
from ._table import NEURON_PRICE_USD

__all__ = [
    "CAPABILITIES",
    "Capability",
    "filter_models",
    "has_capability",
    "merge_entries",
    "model_from_entry",
    "neurons_per_m",
    "task_slug",
]

Capability: TypeAlias = Literal["function_calling", "vision", "json_mode", "lora", "reasoning"]
CAPABILITIES: tuple[Capability, ...] = (
    "function_calling", "vision", "json_mode", "lora", "reasoning",
)

_FLAGS = {
    "function_calling": "function_calling", "vision": "vision", "lora": "lora",
    "require_workers_paid": "paid_only", "async_queue": "async_queue",
}
_INTS = {
    "context_window": "context_window", "max_input_tokens": "max_input_tokens",
    "output_dimensions": "dimensions",
}
_PRICE_UNITS = {
    "per m input tokens": "neurons_per_m_input",
    "per m output tokens": "neurons_per_m_output",
    "per m cached input tokens": "neurons_per_m_cached_input",
}


def task_slug(name: str) -> str:
    """``"Text Generation"`` -> ``"text-generation"`` (a slug stays as it is)."""
    return "-".join(name.strip().lower().replace("_", " ").split())


def neurons_per_m(usd_per_m: float) -> float:
    """Neurons per million tokens for a price in US dollars per million tokens."""

    return round(usd_per_m / NEURON_PRICE_USD, 1)


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    return None


def _int(value: Any) -> int | None:
    try:
        number = int(float(str(value).replace(",", "").strip()))
    except ValueError:
        return None
    return number if number > 0 else None


def _prices(value: Any) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, Mapping) or str(item.get("currency", "USD")).upper() != "USD":
            continue
        field = _PRICE_UNITS.get(str(item.get("unit", "")).strip().lower())
        price = item.get("price")
        if field and isinstance(price, (int, float)) and not isinstance(price, bool):
            out[field] = neurons_per_m(float(price))
    return out


def _one(prop_id: str, value: Any, updates: dict[str, Any]) -> None:
    """Fold one ``{property_id, value}`` into ``updates`` (unknown or bad values skipped)."""
    if prop_id in _FLAGS and (flag := _flag(value)) is not None:
        updates[_FLAGS[prop_id]] = flag
    elif prop_id in _INTS and (number := _int(value)) is not None:
        updates[_INTS[prop_id]] = number
    elif prop_id == "price":
        updates.update(_prices(value))
    elif prop_id == "planned_deprecation_date" and isinstance(value, str) and value.strip():
        updates["deprecation_date"] = value.strip()[:10]
    elif prop_id == "reasoning" and (flag := _flag(value)) is not None:
        updates["_reasoning"] = flag
    elif prop_id == "reasoning_effort" and isinstance(value, Mapping):
        efforts = value.get("supported_efforts")
        if isinstance(efforts, list):
            updates["reasoning_efforts"] = tuple(str(e) for e in efforts)
            updates.setdefault("_reasoning", True)


def _properties(entry: Mapping[str, Any]) -> dict[str, Any]:
    updates: dict[str, Any] = {}
    for prop in entry.get("properties") or []:
        if isinstance(prop, Mapping) and isinstance(prop.get("property_id"), str):
            _one(prop["property_id"], prop.get("value"), updates)
    return updates


def _guess_family(model_id: str, task: str) -> Family:
    """A family for an id the shipped table lacks (listing only; lookup ignores it)."""
    if task == "text-generation":
        return "chat"
    if task == "text-embeddings":
        return "embedding"
    if "rerank" in model_id:
        return "reranker"
    return "other"


def _entry_task(entry: Mapping[str, Any]) -> str | None:
    task = entry.get("task")
    name = task.get("name") if isinstance(task, Mapping) else task
    return task_slug(name) if isinstance(name, str) and name.strip() else None


def model_from_entry(entry: Mapping[str, Any], shipped: ModelInfo | None) -> ModelInfo | None:
    """One search entry as ``ModelInfo``, on top of the shipped facts (``None`` if no id)."""
    model_id = entry.get("name")
    if not isinstance(model_id, str) or not model_id.strip():
        return None
    # a shipped model keeps its task: the wire layer relies on task and family agreeing
    task = shipped.task if shipped else (_entry_task(entry) or "other")
    updates = _properties(entry)
    live_reasoning = updates.pop("_reasoning", None)
    base = shipped or ModelInfo(
        id=model_id, task=cast(Task, task), family=_guess_family(model_id, task)
    )
    if live_reasoning is False:
        updates["reasoning"] = None
    elif live_reasoning and base.reasoning is None:
        updates["reasoning"] = "content"
    return dataclasses.replace(base, id=model_id, task=cast(Task, task), **updates)


def merge_entries(
    entries: Iterable[Mapping[str, Any]], shipped: Iterable[ModelInfo] = MODELS
) -> tuple[tuple[ModelInfo, ...], frozenset[str]]:
    """The merged table and the ids the live list named.

    Shipped models come first in table order (live facts applied where listed), then
    models only the live list knows, by id.
    """
    table = {m.id: m for m in shipped}
    live: dict[str, ModelInfo] = {}
    for entry in entries:
        name = entry.get("name")
        info = model_from_entry(entry, table.get(name) if isinstance(name, str) else None)
        if info is not None:
            live[info.id] = info
    merged = [live.get(m.id, m) for m in table.values()]
    merged += [live[i] for i in sorted(live) if i not in table]
    return tuple(merged), frozenset(live)


def has_capability(info: ModelInfo, capability: str) -> bool:
    """Whether ``info`` has one of :data:`CAPABILITIES`."""
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability!r}; pick one of {list(CAPABILITIES)}")
    value = getattr(info, capability)
    return value is not None if capability in ("json_mode", "reasoning") else bool(value)


def filter_models(
    models: Iterable[ModelInfo], *, task: str | None = None,
    capabilities: Iterable[str] = (),
) -> list[ModelInfo]:
    """Models of ``task`` (slug or name, e.g. ``"Text Generation"``) having every capability."""
    wanted = task_slug(task) if task else None
    caps = list(capabilities)
    return [m for m in models if (wanted is None or m.task == wanted)
            and all(has_capability(m, c) for c in caps)]
