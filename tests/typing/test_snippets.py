"""Every Python snippet of README.md and docs/*.md type-checks as pasted (mypy, bodies of
unannotated functions included), so the constructors there are written the way a type
checker accepts them (``model=``, ``api_key=``). ``tests/examples/test_readme.py`` runs
the same snippets; this test only reads them."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from tests.examples.test_readme import BLOCKS

ROOT = Path(__file__).parents[2]
CANARY = "from langchain_workersai import ChatWorkersAI\nChatWorkersAI(api_tokn='t')\n"


def test_every_snippet_passes_mypy(tmp_path: Path) -> None:
    """One mypy run over all snippets plus a canary with a misspelled keyword, which must
    be the only error (so the check can fail). ``workers`` (Pyodide's module in a Python
    Worker) is not installed here, hence ``--ignore-missing-imports``."""
    api = pytest.importorskip("mypy.api")
    names: dict[str, str] = {}
    for i, param in enumerate(BLOCKS):
        path = tmp_path / f"snippet_{i}.py"
        path.write_text(str(param.values[0]))
        names[path.name] = str(param.id)
    canary = tmp_path / "canary_snippet.py"
    canary.write_text(CANARY)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out, err, status = api.run([
            "--follow-imports=silent", "--config-file=", "--ignore-missing-imports",
            "--check-untyped-defs", f"--cache-dir={ROOT / '.mypy_cache' / 'snippets'}",
            *sorted(str(p) for p in tmp_path.glob("*.py")),
        ])
    errors = [line for line in out.splitlines() if ": error:" in line]
    for name, snippet_id in names.items():  # say which doc block failed
        errors = [line.replace(name, snippet_id) for line in errors]
    assert status == 1, out + err
    assert len(errors) == 1 and "canary_snippet.py:2: error" in errors[0], "\n".join(errors)
    assert 'Unexpected keyword argument "api_tokn"' in errors[0]
