"""What each Workers AI model id can do: one table feeding every layer.

The table (``_models.MODELS``) feeds LangChain profiles, LlamaIndex ``LLMMetadata``,
embedding batch limits, request building and the emulator. Unknown ids still work:
:func:`lookup` returns ``None`` and the wire layer detects the family from the reply.
Deprecated models warn once per process.
"""

from __future__ import annotations

import datetime as _dt
import sys
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._models import MODELS, Family, JsonMode, ModelInfo, Reasoning, Task

__all__ = [
    "MODELS",
    "Family",
    "JsonMode",
    "ModelInfo",
    "Reasoning",
    "Task",
    "DeprecatedModelWarning",
    "lookup",
    "require",
    "models_for_task",
    "warn_if_deprecated",
    "on_change",
    "NEURON_PRICE_USD",
    "FREE_DAILY_NEURONS",
]

NEURON_PRICE_USD = 0.011 / 1000
"""US dollars per neuron ($0.011 per 1,000 neurons)."""
FREE_DAILY_NEURONS = 10_000
"""Free allocation per day, reset at 00:00 UTC."""

_BY_ID: dict[str, ModelInfo] = {m.id: m for m in MODELS}
_warned: set[str] = set()
_listeners: list[Callable[[], None]] = []


def on_change(listener: Callable[[], None]) -> None:
    """Call ``listener`` whenever the facts :func:`lookup` answers with change (a live
    refresh applied, or a reset); caches derived from the catalog register here."""
    _listeners.append(listener)


def _changed() -> None:
    for listener in _listeners:
        listener()


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


def warn_if_deprecated(model_id: str, today: _dt.date | None = None) -> bool:
    """Warn once per process when ``model_id`` is deprecated (or will be within 30 days).

    Returns whether the model is past its deprecation date.
    """
    info = _BY_ID.get(model_id)
    if info is None or info.deprecation_date is None:
        return False
    date = _dt.date.fromisoformat(info.deprecation_date)
    today = today or _dt.datetime.now(_dt.UTC).date()
    past = date <= today
    if (past or (date - today).days <= 30) and model_id not in _warned:
        _warned.add(model_id)
        when = "was deprecated on" if past else "will be deprecated on"
        warnings.warn(
            f"Workers AI model {model_id} {when} {info.deprecation_date}; "
            "pick a current model from workersai.catalog.models_for_task('text-generation').",
            DeprecatedModelWarning,
            stacklevel=_user_stacklevel(),
        )
    return past


_LIBRARY_PREFIXES = ("workersai", "langchain_workersai", "llamaindex_workersai",
                     "langchain_core", "langchain_classic", "llama_index", "asyncio",
                     "concurrent", "contextlib", "threading")


def _user_stacklevel() -> int:
    """The ``stacklevel`` that points a warning at the first frame of the caller's code
    (past this package, the frameworks and the standard library's plumbing)."""
    frame, level = sys._getframe(1), 1
    while frame.f_back is not None and str(frame.f_globals.get("__name__", "")).startswith(
            _LIBRARY_PREFIXES):
        frame, level = frame.f_back, level + 1
    return level


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
