"""The live lookup table and the prices, in a leaf module every catalog room may import.

``BY_ID`` is the table :func:`workersai.catalog.lookup` answers from: the shipped entries,
overlaid by an applied live snapshot (see ``_live``). Caches derived from it register with
:func:`on_change`.
"""

from __future__ import annotations

from collections.abc import Callable

from ._models import MODELS, ModelInfo

__all__ = ["BY_ID", "FREE_DAILY_NEURONS", "NEURON_PRICE_USD", "changed", "on_change"]

NEURON_PRICE_USD = 0.011 / 1000
"""US dollars per neuron ($0.011 per 1,000 neurons)."""
FREE_DAILY_NEURONS = 10_000
"""Free allocation per day, reset at 00:00 UTC."""

BY_ID: dict[str, ModelInfo] = {m.id: m for m in MODELS}
_listeners: list[Callable[[], None]] = []


def on_change(listener: Callable[[], None]) -> None:
    """Call ``listener`` whenever the facts :func:`workersai.catalog.lookup` answers with
    change (a live refresh applied, or a reset); caches derived from the catalog register
    here."""
    _listeners.append(listener)


def changed() -> None:
    """Tell every listener that the table changed."""
    for listener in _listeners:
        listener()
