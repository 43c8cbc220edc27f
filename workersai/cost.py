"""Neurons and dollars of Workers AI calls, and a thread-safe running total.

Workers AI bills in neurons: $0.011 per 1,000, with 10,000 free neurons per day (reset at
00:00 UTC, reference section 11). A call's neurons come from the API when it reports them
(the ``cf-ai-neurons`` header, else ``usage.neurons``); otherwise they are estimated from
the catalog's prices and the token counts, and flagged as estimated.

:class:`CostTracker` totals tokens, neurons and dollars overall, per model and per run,
and counts neurons per UTC day so it can warn (:class:`FreeAllocationWarning` and/or a
callback) as the free allocation nears, is crossed, or is about to be crossed by a call.
Framework handlers (``langchain_workersai.WorkersAICostHandler``,
``llamaindex_workersai.WorkersAICostEventHandler``) feed one.

Example:
    >>> from workersai.cost import CostTracker, usd
    >>> from workersai.types import Usage
    >>> tracker = CostTracker(warn=False)
    >>> cost = tracker.record("@cf/meta/llama-3.1-8b-instruct-fast",
    ...                       Usage(input_tokens=1000, output_tokens=200, neurons=11.1))
    >>> round(cost.usd, 6), cost.estimated
    (0.000122, False)
"""

from __future__ import annotations

import datetime as _dt
import threading
import warnings
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol, TypeAlias

from .catalog import FREE_DAILY_NEURONS, NEURON_PRICE_USD, lookup, priced_as
from .types import ResponseMeta, Usage

__all__ = [
    "FREE_DAILY_NEURONS",
    "NEURON_PRICE_USD",
    "AllowanceEvent",
    "AllowanceKind",
    "CallCost",
    "CostTracker",
    "CostViews",
    "FreeAllocationWarning",
    "Totals",
    "cost_of",
    "estimate_neurons",
    "neurons_for",
    "neurons_for_units",
    "rough_tokens",
    "usd",
]

DEFAULT_MAX_OUTPUT = 256
"""Output tokens assumed by a pre-call check when neither the call nor the catalog says."""


class FreeAllocationWarning(UserWarning):
    """Today's (UTC) neurons near, cross, or are about to cross the free daily allocation."""


def usd(neurons: float) -> float:
    """US dollars for ``neurons`` ($0.011 per 1,000 neurons)."""
    return neurons * NEURON_PRICE_USD


def rough_tokens(text: str) -> int:
    """A rough token count (4 characters a token), for checks made before a call."""
    return (len(text) + 3) // 4


def estimate_neurons(
    model: str, input_tokens: int, output_tokens: int = 0, cached_input_tokens: int | None = None
) -> float | None:
    """Neurons from the catalog's prices per million tokens; ``None`` when unpriced."""
    info = priced_as(model)
    if info is None:
        return None
    rate_in, rate_out = info.neurons_per_m_input, info.neurons_per_m_output
    if (input_tokens and rate_in is None) or (output_tokens and rate_out is None):
        return None
    if rate_in is None and rate_out is None:
        return None
    cached = min(cached_input_tokens or 0, input_tokens)
    rate_cached = info.neurons_per_m_cached_input
    if rate_cached is None:
        cached = 0
    fresh = input_tokens - cached
    total = fresh * (rate_in or 0.0) + cached * (rate_cached or 0.0)
    return (total + output_tokens * (rate_out or 0.0)) / 1_000_000


_SCALES = {"": 1.0, "k": 1e3, "m": 1e6}


def _per(unit: str) -> tuple[float, str]:
    """``"per 1k characters"`` -> ``(1000, "characters")``; ``"per audio minute"`` ->
    ``(1, "audio minute")``; ``"per 512 by 512 tile"`` -> ``(1, "512 by 512 tile")``."""
    words = unit.strip().lower().removeprefix("per ").split(" ", 1)
    head, rest = words[0], words[1] if len(words) > 1 else ""
    number = head.rstrip("km")
    suffix = head[len(number):]
    counted = rest and not rest.startswith("by ")  # "per 512 by 512 tile" is one tile
    if counted and suffix in _SCALES and (number == "" or number.replace(".", "", 1).isdigit()):
        count = float(number) if number else 1.0
        return count * _SCALES[suffix], rest
    return 1.0, unit.strip().lower().removeprefix("per ")


def neurons_for_units(model: str, unit: str, amount: float) -> float | None:
    """Neurons for ``amount`` of what ``unit`` counts, from the catalog's price in that
    unit; ``None`` when the model has no price in it (unknown, not free).

    ``unit`` is a published unit (``"per audio minute"``, ``"per 1k characters"``,
    ``"per step"``, ``"per 512x512 tile"``, ``"per inference request"``, ``"per M input
    tokens"``); ``amount`` counts the thing itself (minutes, characters, steps...).

    Example:
        >>> round(neurons_for_units("@cf/deepgram/aura-2-en", "per 1k characters", 2000), 2)
        5454.55
    """
    info = priced_as(model)
    price = info.price(unit) if info is not None else None
    if price is None:
        return None
    per, _ = _per(price.unit)
    return amount / per * price.neurons


def neurons_for(
    model: str, usage: Usage | None, meta: ResponseMeta | None = None
) -> tuple[float | None, bool]:
    """``(neurons, estimated)`` for one call.

    The ``cf-ai-neurons`` header (``meta.neurons``) wins, then ``usage.neurons``; else an
    estimate from the catalog prices (``None`` when the model has no known price).
    """
    if meta is not None and meta.neurons is not None:
        return float(meta.neurons), False
    if usage is not None and usage.neurons is not None:
        return float(usage.neurons), False
    if usage is None:
        return None, True
    return estimate_neurons(
        model, usage.input_tokens, usage.output_tokens, usage.cached_input_tokens
    ), True


@dataclass(slots=True, frozen=True)
class CallCost:
    """What one call used. ``neurons`` is ``None`` when neither reported nor priced."""

    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    neurons: float | None = None
    estimated: bool = False

    @property
    def usd(self) -> float | None:
        """US dollars, or ``None`` when ``neurons`` is unknown (unpriced, not free)."""
        return None if self.neurons is None else usd(self.neurons)


def cost_of(model: str, usage: Usage | None, meta: ResponseMeta | None = None) -> CallCost:
    """The :class:`CallCost` of a reply's ``usage`` and ``meta`` (e.g. ``reply.usage``,
    ``reply.meta``; or a stream's final delta)."""
    neurons, estimated = neurons_for(model, usage, meta)
    u = usage or Usage()
    total = u.total_tokens or u.input_tokens + u.output_tokens
    return CallCost(model, u.input_tokens, u.output_tokens, total, neurons, estimated)


@dataclass(slots=True)
class Totals:
    """Summed calls: tokens, neurons (reported plus estimated) and how many were which."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    neurons: float = 0.0
    estimated_calls: int = 0
    """Calls whose neurons were estimated from catalog prices."""
    unpriced_calls: int = 0
    """Calls with no reported neurons and no catalog price: their cost is unknown, so
    :attr:`neurons` is a lower bound while this is non-zero."""

    @property
    def usd(self) -> float:
        """US dollars for :attr:`neurons`."""
        return usd(self.neurons)

    def add(self, cost: CallCost) -> None:
        """Fold one call in."""
        self.calls += 1
        self.input_tokens += cost.input_tokens
        self.output_tokens += cost.output_tokens
        self.total_tokens += cost.total_tokens
        if cost.neurons is None:
            self.unpriced_calls += 1
        else:
            self.neurons += cost.neurons
            self.estimated_calls += cost.estimated


AllowanceKind: TypeAlias = Literal["approaching", "exceeded", "would_exceed"]


@dataclass(slots=True, frozen=True)
class AllowanceEvent:
    """A free-allocation notice: ``kind``, the UTC day, neurons used, and the limit.

    ``projected`` is the worst case of the call about to be made (``would_exceed`` only).
    """

    kind: AllowanceKind
    day: _dt.date
    used: float
    limit: float
    model: str | None = None
    projected: float | None = None

    @property
    def message(self) -> str:
        """One line for a warning or a log."""
        used = f"{self.used:,.0f} of {self.limit:,.0f} free Workers AI neurons used today (UTC)"
        if self.kind == "would_exceed":
            return (f"the next {self.model} call may use up to {self.projected:,.1f} neurons "
                    f"and cross the free daily allocation: {used}")
        if self.kind == "exceeded":
            return f"free daily allocation crossed: {used}; it resets at 00:00 UTC"
        return f"nearing the free daily allocation: {used}"


def _utc_now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


@dataclass(slots=True)
class _State:
    total: Totals = field(default_factory=Totals)
    by_model: dict[str, Totals] = field(default_factory=dict)
    by_run: dict[str, Totals] = field(default_factory=dict)
    by_day: dict[_dt.date, float] = field(default_factory=dict)
    notified: set[tuple[_dt.date, AllowanceKind]] = field(default_factory=set)


class CostTracker:
    """Totals of tokens, neurons and dollars; thread-safe; warns about the free allocation.

    Args:
        daily_limit: free neurons per UTC day (10,000 on every plan).
        warn_at: fraction of ``daily_limit`` at which an ``"approaching"`` notice is sent.
        warn: emit each notice as a :class:`FreeAllocationWarning`.
        on_allowance: also called with each :class:`AllowanceEvent` (from the thread that
            recorded the call; keep it short).
        clock: the current time (aware ``datetime``; tests pass a fixed one).

    Each notice kind is sent at most once per UTC day. The daily figure counts only the
    calls this tracker saw; other processes on the same account also use the allocation.

    Example:
        >>> from workersai.types import Usage
        >>> tracker = CostTracker(warn=False)
        >>> _ = tracker.record("@cf/baai/bge-m3", Usage(input_tokens=2000), run_id="job-1")
        >>> tracker.total.calls, tracker.by_run["job-1"].estimated_calls
        (1, 1)
    """

    def __init__(
        self, *, daily_limit: float = FREE_DAILY_NEURONS, warn_at: float = 0.8,
        warn: bool = True, on_allowance: Callable[[AllowanceEvent], None] | None = None,
        clock: Callable[[], _dt.datetime] = _utc_now,
    ) -> None:
        if daily_limit <= 0 or not 0 < warn_at <= 1:
            raise ValueError("daily_limit must be > 0 and warn_at in (0, 1]")
        self.daily_limit, self.warn_at, self.warn = daily_limit, warn_at, warn
        self.on_allowance, self.clock = on_allowance, clock
        self._lock = threading.Lock()
        self._state = _State()

    def _today(self) -> _dt.date:
        return self.clock().astimezone(_dt.UTC).date()

    def record(
        self, model: str, usage: Usage | None = None, meta: ResponseMeta | None = None, *,
        run_id: Hashable | None = None,
    ) -> CallCost:
        """Count one call from its usage and meta; returns its :class:`CallCost`."""
        return self.add(cost_of(model, usage, meta), run_id=run_id)

    def add(self, cost: CallCost, *, run_id: Hashable | None = None) -> CallCost:
        """Count a :class:`CallCost` the caller already built."""
        day = self._today()
        with self._lock:
            s = self._state
            s.total.add(cost)
            s.by_model.setdefault(cost.model, Totals()).add(cost)
            if run_id is not None:
                s.by_run.setdefault(str(run_id), Totals()).add(cost)
            before = s.by_day.get(day, 0.0)
            used = s.by_day[day] = before + (cost.neurons or 0.0)
            event = self._crossing(day, before, used)
        self._notify(event)
        return cost

    def _crossing(self, day: _dt.date, before: float, used: float) -> AllowanceEvent | None:
        """The notice this call triggers, if any (called with the lock held)."""
        kind: AllowanceKind | None = None
        if used >= self.daily_limit > before:
            kind = "exceeded"
        elif used >= self.daily_limit * self.warn_at > before:
            kind = "approaching"
        if kind is None or (day, kind) in self._state.notified:
            return None
        self._state.notified.add((day, kind))
        if kind == "exceeded":
            self._state.notified.add((day, "approaching"))
        return AllowanceEvent(kind, day, used, self.daily_limit)

    def precheck(
        self, model: str, input_tokens: int, max_output_tokens: int | None = None
    ) -> bool:
        """Before a call: whether its worst case (``input_tokens`` plus
        ``max_output_tokens``, else the catalog default, else 256) would take today past the
        free allocation. Sends a ``"would_exceed"`` notice the first time per day."""
        info = lookup(model)
        out = max_output_tokens or (info.default_max_tokens if info else None)
        projected = estimate_neurons(model, input_tokens, out or DEFAULT_MAX_OUTPUT)
        if projected is None:
            return False
        day = self._today()
        with self._lock:
            used = self._state.by_day.get(day, 0.0)
            crossing = used < self.daily_limit < used + projected
            key: tuple[_dt.date, AllowanceKind] = (day, "would_exceed")
            fresh = crossing and key not in self._state.notified
            if fresh:
                self._state.notified.add(key)
        if fresh:
            self._notify(AllowanceEvent("would_exceed", day, used, self.daily_limit, model,
                                        projected))
        return crossing

    def _notify(self, event: AllowanceEvent | None) -> None:
        if event is None:
            return
        if self.warn:
            warnings.warn(event.message, FreeAllocationWarning, stacklevel=4)
        if self.on_allowance is not None:
            self.on_allowance(event)

    @property
    def total(self) -> Totals:
        """Every call so far (a copy)."""
        with self._lock:
            return replace(self._state.total)

    @property
    def by_model(self) -> dict[str, Totals]:
        """Totals per model id (copies)."""
        with self._lock:
            return {k: replace(v) for k, v in self._state.by_model.items()}

    @property
    def by_run(self) -> dict[str, Totals]:
        """Totals per run id (copies); calls recorded without a ``run_id`` are not here."""
        with self._lock:
            return {k: replace(v) for k, v in self._state.by_run.items()}

    def used_today(self) -> float:
        """Neurons counted for the current UTC day."""
        day = self._today()
        with self._lock:
            return self._state.by_day.get(day, 0.0)

    def reset(self) -> None:
        """Forget everything (totals, days and sent notices)."""
        with self._lock:
            self._state = _State()

    def summary(self) -> str:
        """One line: calls, tokens, neurons and dollars (``~`` when some are estimated)."""
        t = self.total
        approx = "~" if t.estimated_calls or t.unpriced_calls else ""
        unknown = f" + {t.unpriced_calls} calls of unknown price" if t.unpriced_calls else ""
        return (f"{t.calls} calls, {t.input_tokens} in / {t.output_tokens} out tokens, "
                f"{approx}{t.neurons:,.2f} neurons (${t.usd:.6f}){unknown}")


class _HasTracker(Protocol):
    tracker: CostTracker


class CostViews:
    """Read-only views of ``self.tracker`` for the framework handlers."""

    @property
    def total(self: _HasTracker) -> Totals:
        """Every Workers AI call so far."""
        return self.tracker.total

    @property
    def by_model(self: _HasTracker) -> dict[str, Totals]:
        """Totals per model id."""
        return self.tracker.by_model

    @property
    def by_run(self: _HasTracker) -> dict[str, Totals]:
        """Totals per run id (the outermost run or span the handler saw)."""
        return self.tracker.by_run
