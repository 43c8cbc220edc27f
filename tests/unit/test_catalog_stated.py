"""One reader of ``properties`` for both sources: a published definition and the same
JSON as a live search entry state the same facts."""

from __future__ import annotations

from typing import Any

import pytest

from workersai.catalog._derive import PUBLISHED_DIR, derive, load_published
from workersai.catalog._info import Price
from workersai.catalog._live_map import model_from_entry
from workersai.catalog._stated import neuron_fields, prices, stated

STATED = ("context_window", "max_input_tokens", "dimensions", "function_calling", "vision",
          "lora", "async_queue", "prices", "neurons_per_m_input", "neurons_per_m_output",
          "neurons_per_m_cached_input", "deprecation_date", "reasoning_efforts")


@pytest.mark.skipif(not PUBLISHED_DIR.exists(), reason="no published snapshot")
def test_a_definition_read_live_states_what_the_shipped_row_states() -> None:
    docs = [d for d in load_published() if d.get("properties")]
    assert docs
    for doc in docs[:40]:
        shipped, live = derive(doc), model_from_entry(doc, None)
        assert live is not None
        mine, _ = stated(doc)
        for name in STATED:
            if name in mine or (name.startswith("neurons") and "prices" in mine):
                assert getattr(live, name) == getattr(shipped, name), (doc["name"], name)


def test_values_are_read_leniently_and_bad_ones_skipped() -> None:
    entry: dict[str, Any] = {"properties": [
        {"property_id": "context_window", "value": "128,000"},
        {"property_id": "vision", "value": True},
        {"property_id": "lora", "value": "maybe"},
        {"property_id": "require_workers_paid", "value": "false"},
        {"property_id": "reasoning_effort", "value": {"supported_efforts": ["low"]}},
        {"value": "no id"},
    ]}
    found, reasoning = stated(entry)
    assert found == {"context_window": 128000, "vision": True, "paid_only": False,
                     "reasoning_efforts": ("low",)}
    assert reasoning is True


def test_prices_in_dollars_and_neurons() -> None:
    found = prices([{"unit": "per M input tokens", "price": 0.011, "currency": "USD"},
                    {"unit": "per M output tokens", "price": 1, "currency": "EUR"},
                    {"unit": "per step", "price": True}, "junk"])
    assert found == (Price("per M input tokens", 0.011),)
    assert neuron_fields(found) == {"neurons_per_m_input": 1000.0,
                                    "neurons_per_m_output": None,
                                    "neurons_per_m_cached_input": None}
