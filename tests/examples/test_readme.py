"""Every Python snippet in README.md and docs/*.md runs as pasted, against a loopback
emulator that the environment points at (``emulator_env``: ``CLOUDFLARE_ACCOUNT_ID``,
``CLOUDFLARE_API_TOKEN``, ``WORKERSAI_BASE_URL``), exactly as a reader's shell would.

What the harness adds, and only that: the files the audio snippets read (``call1.wav``,
``calls/``...) in a scratch working directory; a stand-in ``workers`` module for the
snippets that run inside a Python Worker (there the class is defined and its ``fetch``
awaited with a binding that answers from the emulator); and no waiting between the batch
queue's polls (the emulator finishes a queued job on its third poll).
"""

from __future__ import annotations

import asyncio
import re
import sys
import textwrap
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from workersai.emulator.server import EmulatorServer

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SOURCES = [README, *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^( *)```python\n(.*?)^\1```", re.DOTALL | re.MULTILINE)


def _blocks() -> list[Any]:
    found = []
    for path in SOURCES:
        for i, match in enumerate(FENCE.finditer(path.read_text())):
            code = textwrap.dedent(match.group(2))
            found.append(pytest.param(code, id=f"{path.relative_to(ROOT)}#{i}"))
    return found


BLOCKS = _blocks()


def test_every_doc_has_its_snippets_collected() -> None:
    names = {p.id.split("#")[0] for p in BLOCKS}
    assert "README.md" in names and {"docs/batch.md", "docs/tasks.md"} <= names
    assert len(BLOCKS) >= 15
    fences = sum(path.read_text().count("```python") for path in SOURCES)
    assert len(BLOCKS) == fences, "a ```python fence the harness does not collect"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch directory holding the inputs the task snippets name."""
    wav = b"RIFF" + (36).to_bytes(4, "little") + b"WAVEfmt " + bytes(28)
    for name in ("call1.wav", "call2.mp3", "calls/a.wav", "calls/b.mp3"):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(wav)
    (tmp_path / "photos").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def no_poll_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    from workersai import _batch_calls as batch  # where the queue's polling sleeps

    monkeypatch.setattr(batch.time, "sleep", lambda seconds: None)

    async def no_wait(seconds: float) -> None:
        return None

    monkeypatch.setattr(batch.asyncio, "sleep", no_wait)


class _Response:
    def __init__(self, body: str) -> None:
        self.body = body


class _Entrypoint:
    def __init__(self, env: Any) -> None:
        self.env = env


@pytest.fixture
def workers_module(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    module = types.ModuleType("workers")
    module.Response = _Response  # type: ignore[attr-defined]
    module.WorkerEntrypoint = _Entrypoint  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "workers", module)
    yield


def _run_worker(namespace: dict[str, Any]) -> None:
    """Await the snippet's ``fetch`` with ``env.AI`` answered by the emulator."""
    from tests.examples._binding import EmulatorBinding

    entry = namespace["Default"](types.SimpleNamespace(AI=EmulatorBinding()))
    response = asyncio.run(entry.fetch(request=None))
    assert response.body.strip()


@pytest.mark.emulator
@pytest.mark.parametrize("code", BLOCKS)
@pytest.mark.usefixtures("workdir", "no_poll_waits", "workers_module")
def test_snippet_runs_as_pasted(code: str, emulator_env: EmulatorServer) -> None:
    namespace: dict[str, Any] = {"__name__": "__snippet__"}
    exec(compile(code, "<snippet>", "exec"), namespace)
    if "WorkerEntrypoint" in code:
        _run_worker(namespace)


@pytest.mark.emulator
def test_agent_snippet_runs() -> None:
    pytest.importorskip("langgraph")
    block = next(p.values[0] for p in BLOCKS if "create_react_agent" in str(p.values[0]))
    namespace: dict[str, object] = {}
    exec(block, namespace)
    offline = namespace["offline"]
    assert len(offline.script) == 0  # type: ignore[attr-defined]
    assert len(offline.requests) == 4  # type: ignore[attr-defined]


def test_readme_has_the_two_commands() -> None:
    text = README.read_text()
    assert 'pip install -e ".[all]" && python examples/main.py' in text
    assert 'pip install -e ".[dev]" && pytest' in text
