"""Instruction counts with valgrind's callgrind: a load-independent measure of client work.

On a shared machine CPU time moves with the other processes (cache, frequency, hyper-
threads); the number of instructions a piece of work executes does not. The parent runs a
worker script under ``valgrind --tool=callgrind`` with instrumentation off (imports and
warm-up run at plain valgrind speed), the worker switches it on once warm
(:func:`instrument`), and wraps each measured piece in :func:`measured`: callgrind collects
only inside ``sys.call_tracing`` (``--toggle-collect``) and writes one profile per piece
(``--dump-after``), read back in order by :func:`counts`.

Needs ``valgrind`` (with ``callgrind_control``) on the PATH; Linux only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

__all__ = ["available", "command", "counts", "instrument", "measured"]

T = TypeVar("T")
_MARK = "sys_call_tracing"  # the C function behind sys.call_tracing: nothing else calls it


def available() -> bool:
    """Whether valgrind and callgrind_control are installed."""
    return shutil.which("valgrind") is not None and shutil.which("callgrind_control") is not None


def command(out_dir: Path, argv: list[str]) -> list[str]:
    """The command line running ``python argv...`` under callgrind, profiles in ``out_dir``."""
    return ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--toggle-collect={_MARK}",
            f"--dump-after={_MARK}", f"--callgrind-out-file={out_dir / 'cg.out'}",
            sys.executable, *argv]


def instrument() -> None:
    """Switch instrumentation on in this (callgrind-run) process. The request is polled by
    valgrind as the process runs code, so wait busily rather than blocking in a syscall."""
    ctl = subprocess.Popen(["callgrind_control", "--instr=on", str(os.getpid())],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while ctl.poll() is None:
        pass


def measured(fn: Callable[[], T]) -> T:
    """Run ``fn`` as one measured piece (one profile dump); its result."""
    result: T = sys.call_tracing(fn, ())
    return result


def counts(out_dir: Path) -> list[int]:
    """Instructions of each measured piece, in order."""
    def number(path: Path) -> int:
        return int(path.name.rsplit(".", 1)[1])

    dumps = sorted(out_dir.glob("cg.out.*"), key=number)
    out = []
    for path in dumps:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("totals:") or line.startswith("summary:"):
                out.append(int(line.split()[1]))
                break
    return out
