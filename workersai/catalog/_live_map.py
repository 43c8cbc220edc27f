"""Pure mapping of ``/ai/models/search`` entries (reference section 10.1) to ``ModelInfo``.

A live entry updates what the API states (context window, capability flags, prices,
limits, deprecation date, paid-only, async queue), read by ``_stated`` exactly as the
published definitions are; what it does not state is kept from the shipped table (family,
JSON mode, default max tokens, batch limit, reasoning style). Token prices arrive in US
dollars per million tokens and become neurons per million tokens (USD x 90,909).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypeAlias, cast

from ._models import MODELS, Family, ModelInfo, Task
from ._stated import neuron_fields, stated

__all__ = [
    "CAPABILITIES",
    "Capability",
    "filter_models",
    "has_capability",
    "merge_entries",
    "model_from_entry",
    "task_slug",
]

Capability: TypeAlias = Literal["function_calling", "vision", "json_mode", "lora", "reasoning"]
CAPABILITIES: tuple[Capability, ...] = (
    "function_calling", "vision", "json_mode", "lora", "reasoning",
)


def task_slug(name: str) -> str:
    """``"Text Generation"`` -> ``"text-generation"`` (a slug stays as it is)."""
    return "-".join(name.strip().lower().replace("_", " ").split())


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
    updates, live_reasoning = stated(entry)
    if "prices" in updates:
        updates.update(neuron_fields(updates["prices"]))
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
