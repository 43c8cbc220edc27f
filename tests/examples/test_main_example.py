"""The README's main job runs end to end against the embedded emulator."""

from __future__ import annotations

import pytest

from tests._support import run_example


@pytest.mark.emulator
def test_main_example_runs_offline_and_reports_everything() -> None:
    out = run_example("main.py", timeout=240)
    assert out.splitlines()[0].startswith("Mode: EMULATOR")
    # RAG: the reranked source that holds the answer comes first, and the answer uses it
    assert out.count("A: Every account gets 10,000 free neurons per day") == 2
    assert out.count("  - free-tier.md (relevance") == 2
    # the agent called both tools, with arguments taken from the task
    assert out.count("tool call: get_weather({'city': 'Lisbon'})") == 2
    assert out.count("'source': 'USD', 'target': 'EUR'") == 2
    # usage, neurons and cost are reported
    assert "neurons, estimated cost $" in out
    assert "output tokens (as reported by the API)" in out
