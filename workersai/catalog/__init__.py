"""What each Workers AI model id can do: one table feeding every layer.

The table (``MODELS``) is generated from Cloudflare's published model definitions (shipped
in ``published/``; refresh with ``python -m workersai.catalog._sync``). It feeds LangChain
profiles, LlamaIndex ``LLMMetadata``, embedding batch limits, request building, costs and
the emulator. Unknown ids still work: :func:`lookup` returns ``None`` and the wire layer
detects the family from the reply.

Deprecations: before its date a model warns once per process
(:class:`DeprecatedModelWarning`); from its date on, calling it raises
:class:`~workersai.errors.ModelRetiredError` before any request. A model Cloudflare aliases
(kimi-k2.5 -> kimi-k2.6 from 2026-05-30) is still sent as named, with a warning that the
replacement answers and bills it; :func:`priced_as` gives the entry to price it by.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from typing import TYPE_CHECKING, Any

from .._stack import user_stacklevel
from ._models import MODELS, RECOMMENDED, Family, JsonMode, ModelInfo, Price, Reasoning, Task
from ._table import BY_ID as _BY_ID
from ._table import FREE_DAILY_NEURONS, NEURON_PRICE_USD, on_change

__all__ = [
    "MODELS",
    "RECOMMENDED",
    "Family",
    "JsonMode",
    "ModelInfo",
    "Price",
    "Reasoning",
    "Task",
    "DeprecatedModelWarning",
    "lookup",
    "require",
    "models_for_task",
    "warn_if_deprecated",
    "priced_as",
    "on_change",
    "NEURON_PRICE_USD",
    "FREE_DAILY_NEURONS",
]

_warned: set[str] = set()


class DeprecatedModelWarning(DeprecationWarning):
    """A model id that Cloudflare has deprecated (or will soon)."""


def lookup(model_id: str) -> ModelInfo | None:
    """The catalog entry for ``model_id``, or ``None`` for an id we do not know."""
    return _BY_ID.get(model_id)


def require(model_id: str) -> ModelInfo:
    """Like :func:`lookup` but raises ``KeyError`` naming the id."""
    info = _BY_ID.get(model_id)
    if info is None:
        raise KeyError(f"unknown Workers AI model id {model_id!r}")
    return info


def models_for_task(task: Task) -> list[ModelInfo]:
    """Every known model of one task, in table order."""
    return [m for m in MODELS if m.task == task]


def _today() -> _dt.date:
    return _dt.datetime.now(_dt.UTC).date()


def priced_as(model_id: str, today: _dt.date | None = None) -> ModelInfo | None:
    """The entry whose prices a call to ``model_id`` is billed at: the alias target once an
    alias is in effect (kimi-k2.5 bills as kimi-k2.6 from 2026-05-30), else its own."""
    info = _BY_ID.get(model_id)
    if info is None or info.aliased_to is None or info.deprecation_date is None:
        return info
    if _dt.date.fromisoformat(info.deprecation_date) > (today or _today()):
        return info
    return _BY_ID.get(info.aliased_to, info)


def warn_if_deprecated(model_id: str, today: _dt.date | None = None) -> bool:
    """Check ``model_id`` before a call: raise if retired, warn (once per process) if
    deprecated soon or aliased.

    Returns whether the model is past its deprecation date (only an aliased model can be:
    a retired one raises :class:`~workersai.errors.ModelRetiredError`). A planned date
    warns from 30 days before it.
    """
    info = _BY_ID.get(model_id)
    if info is None or info.deprecation_date is None:
        return False
    date = _dt.date.fromisoformat(info.deprecation_date)
    today = today or _today()
    past = date <= today
    if past and info.aliased_to is None:
        from ..errors import ModelRetiredError  # errors imports nothing of ours

        pick, recommended = _advice(info)
        raise ModelRetiredError(model_id, info.deprecation_date, info.replacement,
                                task=info.task, choose_from=pick, recommended=recommended)
    if (past or (date - today).days <= 30) and model_id not in _warned:
        _warned.add(model_id)
        warnings.warn(_deprecation_message(info, past), DeprecatedModelWarning,
                      stacklevel=user_stacklevel())
    return past


def _advice(info: ModelInfo) -> tuple[str, tuple[str, ...]]:
    """The task to pick a successor from, and the recommended models: the changelog's
    for the model's task; for a task with no current model left (summarization after
    bart-large-cnn), text generation's (a chat model given a summarize instruction)."""
    task: str = info.task
    if task not in RECOMMENDED and not any(
            m.deprecation_date is None for m in MODELS if m.task == task):
        task = "text-generation"
    return task, RECOMMENDED.get(task, ())


def _deprecation_message(info: ModelInfo, past: bool) -> str:
    if past:
        return (f"Workers AI model {info.id} was deprecated on {info.deprecation_date}; "
                f"Cloudflare serves it with {info.aliased_to} (billed at that model's "
                f"prices). Name {info.aliased_to} to silence this warning.")
    from ..errors import retired_advice

    pick, recommended = _advice(info)
    instead = retired_advice(info.task, info.replacement, recommended, pick)
    return (f"Workers AI model {info.id} will be retired on {info.deprecation_date} "
            f"(calls then raise ModelRetiredError); {instead}.")


_LAZY = {
    # the live refresh pulls in the HTTP stack: loaded on first use, so that reading the
    # shipped table stays cheap to import
    "CACHE_DIR_ENV": "._cache", "DEFAULT_TTL": "._cache", "default_cache_dir": "._cache",
    "CatalogRefreshWarning": "._live", "CatalogSnapshot": "._live",
    "apply_snapshot": "._live", "arefresh": "._live", "load": "._live",
    "refresh": "._live", "reset_to_shipped": "._live",
    "CAPABILITIES": "._live_map", "Capability": "._live_map",
    "filter_models": "._live_map", "has_capability": "._live_map",
    # near misses for unknown ids (difflib): loaded when an id needs them
    "UnknownModelError": "._suggest", "did_you_mean": "._suggest", "resolve": "._suggest",
    "suggest": "._suggest",
}

__all__ += [
    "CACHE_DIR_ENV",
    "DEFAULT_TTL",
    "default_cache_dir",
    "CatalogRefreshWarning",
    "CatalogSnapshot",
    "apply_snapshot",
    "arefresh",
    "load",
    "refresh",
    "reset_to_shipped",
    "CAPABILITIES",
    "Capability",
    "filter_models",
    "has_capability",
    "UnknownModelError",
    "did_you_mean",
    "resolve",
    "suggest",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from ._cache import CACHE_DIR_ENV, DEFAULT_TTL, default_cache_dir
    from ._live import (
        CatalogRefreshWarning,
        CatalogSnapshot,
        apply_snapshot,
        arefresh,
        load,
        refresh,
        reset_to_shipped,
    )
    from ._live_map import CAPABILITIES, Capability, filter_models, has_capability
    from ._suggest import UnknownModelError, did_you_mean, resolve, suggest
