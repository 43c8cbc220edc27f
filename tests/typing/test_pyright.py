"""The README promises the constructors type-check under pyright as well as mypy: pyright
reads ``constructors_usage.py`` without an error and, in the same run, flags a misspelled
keyword (so the check can fail). Skipped where pyright is not installed (it is not a
``dev`` dependency: it needs Node)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

USAGE = Path(__file__).with_name("constructors_usage.py")


def test_usage_file_passes_pyright(tmp_path: Path) -> None:
    pyright = shutil.which("pyright")
    if pyright is None:
        pytest.skip("pyright is not installed")
    bad = tmp_path / "bad_usage.py"
    bad.write_text("from langchain_workersai import ChatWorkersAI\n"
                   "ChatWorkersAI(modle='@cf/x')\n")
    run = subprocess.run([pyright, str(USAGE), str(bad)], capture_output=True, text=True,
                         timeout=300, cwd=USAGE.parents[2], check=False)
    errors = [line.strip() for line in run.stdout.splitlines() if " - error: " in line]
    assert len(errors) == 1, run.stdout + run.stderr
    assert "bad_usage.py:2" in errors[0] and '"modle"' in errors[0]
