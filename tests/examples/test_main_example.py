"""The README's main job runs end to end against the embedded emulator."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.emulator
def test_main_example_runs_offline_and_reports_everything() -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CLOUDFLARE_", "CF_", "WORKERSAI_"))}
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "main.py")], env=env,
                          capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Mode: EMULATOR")
    out = done.stdout
    # RAG: the reranked source that holds the answer comes first, and the answer uses it
    assert out.count("A: Every account gets 10,000 free neurons per day") == 2
    assert out.count("  - free-tier.md (relevance") == 2
    # the agent called both tools, with arguments taken from the task
    assert out.count("tool call: get_weather({'city': 'Lisbon'})") == 2
    assert out.count("'source': 'USD', 'target': 'EUR'") == 2
    # usage, neurons and cost are reported
    assert "neurons, estimated cost $" in out
    assert "output tokens (as reported by the API)" in out
