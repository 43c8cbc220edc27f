"""The ``workersai models`` table: status (deprecations, retirements, aliases), published
prices in their own units, paid-only and beta flags (pure formatting; no I/O)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from . import catalog
from .catalog import ModelInfo

__all__ = ["is_retired", "models_table", "price_text", "status_text"]

_CAPS = {"function_calling": "tools", "vision": "vision", "json_mode": "json",
         "lora": "lora", "reasoning": "reasoning"}


def _past(info: ModelInfo, today: _dt.date) -> bool:
    return info.deprecation_date is not None and (
        _dt.date.fromisoformat(info.deprecation_date) <= today)


def is_retired(info: ModelInfo, today: _dt.date) -> bool:
    """Past its deprecation date and not served by another model: calls are refused."""
    return _past(info, today) and info.aliased_to is None


def status_text(info: ModelInfo, today: _dt.date) -> str:
    """``active``, ``deprecated on DATE``, ``retired on DATE -> replacement`` (the named
    replacement, else the first the changelog recommends) or ``aliased to X``."""
    date = info.deprecation_date
    if date is None:
        return "active"
    if not _past(info, today):
        return f"deprecated on {date}"
    if info.aliased_to:
        return f"aliased to {info.aliased_to} (from {date})"
    instead = info.replacement or next(iter(catalog._advice(info)[1]), None)
    return f"retired on {date}" + (f" -> {instead}" if instead else "")


def price_text(info: ModelInfo) -> str:
    """Every published price in its own unit (``$0.29 per M input tokens``), or
    ``unknown``; ``*`` marks a price from the pricing page rather than the definition."""
    parts = [f"${p.usd:g} {p.unit}" + ("" if p.source == "published" else "*")
             for p in info.prices]
    return "; ".join(parts) or "unknown"


def _flags(info: ModelInfo) -> str:
    flags = [short for cap, short in _CAPS.items() if catalog.has_capability(info, cap)]
    flags += [name for name, on in (("paid-only", info.paid_only), ("beta", info.beta)) if on]
    return ",".join(flags) or "-"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def models_table(models: Sequence[ModelInfo], today: _dt.date | None = None) -> str:
    """Aligned columns: id, task, status, context, flags, prices (last: the longest)."""
    today = today or catalog._today()
    head = ("MODEL", "TASK", "STATUS", "CONTEXT", "FLAGS", "PRICE (USD)")
    rows = [head] + [(m.id, m.task, status_text(m, today), _num(m.context_window), _flags(m),
                      price_text(m)) for m in models]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)
