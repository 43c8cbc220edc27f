"""Usage objects of every family -> :class:`Usage` (reference section 2.8).

Reads OpenAI ``prompt_tokens``/``completion_tokens`` and Responses
``input_tokens``/``output_tokens``, cached and reasoning token details, and ``neurons``.
Every key is optional (a stream may report only ``{"neurons": 40}``).
"""

from __future__ import annotations

from typing import Any

from ..types import Usage

__all__ = ["read_usage", "add_usage"]


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return int(value)


def _detail(raw: dict[str, Any], keys: tuple[str, str], field: str) -> int | None:
    for key in keys:
        details = raw.get(key)
        if isinstance(details, dict) and details.get(field) is not None:
            return _count(details[field])
    return None


def read_usage(raw: Any) -> Usage | None:
    """The :class:`Usage` in a usage object, or ``None`` when there is none."""
    if not isinstance(raw, dict) or not raw:
        return None
    inp = raw.get("prompt_tokens")
    inp = _count(raw.get("input_tokens") if inp is None else inp)
    out = raw.get("completion_tokens")
    out = _count(raw.get("output_tokens") if out is None else out)
    total = raw.get("total_tokens")
    neurons = raw.get("neurons")
    return Usage(
        input_tokens=inp,
        output_tokens=out,
        total_tokens=_count(total) if total is not None else inp + out,
        cached_input_tokens=_detail(
            raw, ("prompt_tokens_details", "input_tokens_details"), "cached_tokens"
        ),
        reasoning_tokens=_detail(
            raw, ("completion_tokens_details", "output_tokens_details"), "reasoning_tokens"
        ),
        neurons=float(neurons)
        if isinstance(neurons, int | float) and not isinstance(neurons, bool)
        else None,
    )


def _opt_sum(a: float | None, b: float | None) -> float | None:
    if a is None:
        return b
    return a if b is None else a + b


def add_usage(a: Usage, b: Usage) -> Usage:
    """The sum of two usages (optional fields stay ``None`` only if both are)."""
    cached = _opt_sum(a.cached_input_tokens, b.cached_input_tokens)
    reasoning = _opt_sum(a.reasoning_tokens, b.reasoning_tokens)
    return Usage(
        input_tokens=a.input_tokens + b.input_tokens,
        output_tokens=a.output_tokens + b.output_tokens,
        total_tokens=a.total_tokens + b.total_tokens,
        cached_input_tokens=None if cached is None else int(cached),
        reasoning_tokens=None if reasoning is None else int(reasoning),
        neurons=_opt_sum(a.neurons, b.neurons),
    )
