"""Instruction counts under valgrind's callgrind: a load-independent per-call figure.

Wall and CPU time move with whatever else runs on the machine; the number of instructions
a call executes does not. :func:`count` runs a child Python under
``valgrind --tool=callgrind --instr-atstart=no`` (imports and warm-up run uninstrumented,
so a child takes tens of seconds, not minutes); the child calls :func:`measure`, which
switches instrumentation on around exactly the calls being measured through callgrind's
client requests (a few-line C helper compiled once with the system ``cc`` and
``valgrind/callgrind.h``). Outside valgrind the requests are no-ops.
"""

from __future__ import annotations

import ctypes
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["available", "count", "measure"]

_SOURCE = r"""
#include <valgrind/callgrind.h>
void cg_start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void cg_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; }
"""
_LIB = Path(tempfile.gettempdir()) / f"workersai_bench_callgrind_{os.getuid()}.so"


def _library() -> ctypes.CDLL:
    if not _LIB.exists():
        src = _LIB.with_suffix(".c")
        src.write_text(_SOURCE, encoding="utf-8")
        tmp = _LIB.with_suffix(f".{os.getpid()}.so")
        subprocess.run(["cc", "-O1", "-shared", "-fPIC", "-o", str(tmp), str(src)], check=True)
        os.replace(tmp, _LIB)
    return ctypes.CDLL(str(_LIB))


def available() -> str | None:
    """``None`` when valgrind and a C compiler with ``valgrind/callgrind.h`` are here, else
    what is missing."""
    for tool in ("valgrind", "cc"):
        if subprocess.run(["which", tool], capture_output=True).returncode:
            return f"{tool} not found"
    try:
        _library()
    except (OSError, subprocess.CalledProcessError) as exc:
        return f"cannot build the callgrind helper (valgrind/callgrind.h?): {exc}"
    return None


def measure(call: Callable[[], object], calls: int, warmup: int = 20) -> None:
    """In the child: warm up, then run ``calls`` calls with instrumentation on."""
    lib = _library()
    for _ in range(warmup):
        call()
    lib.cg_start()
    for _ in range(calls):
        call()
    lib.cg_stop()


def count(argv: list[str], calls: int) -> float:
    """Instructions per call of the child ``python argv...`` (which calls :func:`measure`
    with ``calls``)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
               f"--callgrind-out-file={out}", sys.executable, *argv]
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        done = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if done.returncode:
            raise RuntimeError(f"callgrind child failed:\n{done.stderr[-3000:]}")
        text = out.read_text(encoding="utf-8", errors="replace")
    match = re.search(r"^totals:\s*(\d+)", text, re.MULTILINE)
    if not match:
        raise RuntimeError("no instruction total in the callgrind output")
    return int(match.group(1)) / calls
