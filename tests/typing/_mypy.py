"""``mypy --strict`` on a few files, the cache under ``.mypy_cache`` keeping reruns fast."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def strict_errors(*files: Path) -> tuple[int, list[str], str]:
    """The exit status, the ``error:`` lines, and the whole output of one strict run."""
    api = pytest.importorskip("mypy.api")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out, err, status = api.run(
            ["--strict", "--follow-imports=silent", "--config-file=",
             f"--cache-dir={ROOT / '.mypy_cache' / 'typing-strict'}", *map(str, files)]
        )
    return status, [line for line in out.splitlines() if ": error:" in line], out + err
