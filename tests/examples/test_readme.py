"""The README's offline-testing snippet runs as written (against the emulator)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)


@pytest.mark.emulator
def test_offline_snippet_runs() -> None:
    block = next(b for b in _python_blocks() if "emu = Emulator()" in b)
    namespace: dict[str, object] = {}
    exec("from langchain_workersai import ChatWorkersAI\n" + block, namespace)
    emu = namespace["emu"]
    assert len(emu.script) == 1  # type: ignore[attr-defined]


@pytest.mark.emulator
def test_agent_snippet_runs() -> None:
    pytest.importorskip("langgraph")
    block = next(b for b in _python_blocks() if "create_react_agent" in b)
    namespace: dict[str, object] = {}
    exec(block, namespace)
    offline = namespace["offline"]
    assert len(offline.script) == 0  # type: ignore[attr-defined]
    assert len(offline.requests) == 4  # type: ignore[attr-defined]


def test_readme_has_the_two_commands() -> None:
    text = README.read_text()
    assert 'pip install -e ".[all]" && python examples/main.py' in text
    assert 'pip install -e ".[dev]" && pytest' in text
