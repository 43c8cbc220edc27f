"""Shared pieces of the benchmark scripts: a loopback emulator in its own process, the
raw-httpx floor, timing helpers and a table printer.

The emulator runs in a separate process (``python -m workersai.emulator``) so that its
work never shares the client's interpreter lock: on the 2-core reference machine one core
serves, the other runs the client being measured.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from workersai.emulator import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN

__all__ = [
    "ACCOUNT_ID",
    "TOKEN",
    "Server",
    "emulator_process",
    "median_of",
    "print_table",
    "ratio",
]

ACCOUNT_ID: str = DEFAULT_ACCOUNT_ID
TOKEN: str = DEFAULT_TOKEN


@dataclass(frozen=True)
class Server:
    """A running loopback emulator: ``base_url`` ends in ``/client/v4`` (``process`` is
    None in a worker process that uses an emulator its parent started)."""

    base_url: str
    process: subprocess.Popen[str] | None = None

    def run_url(self, model: str) -> str:
        return f"{self.base_url}/accounts/{ACCOUNT_ID}/ai/run/{model}"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


@contextlib.contextmanager
def emulator_process(latency: float = 0.0, seed: int = 0, *, event_delay: float | None = None,
                     rate_limit: int | None = None, rate_window: float = 60.0
                     ) -> Iterator[Server]:
    """Start ``python -m workersai.emulator`` on a free port; stop it on exit.

    ``event_delay`` sends each SSE event in its own write that many seconds apart (a live
    model's pace); ``rate_limit`` requests per ``rate_window`` seconds answer 429 beyond.
    """
    cmd = [sys.executable, "-m", "workersai.emulator", "--port", "0",
           "--latency", str(latency), "--seed", str(seed)]
    if event_delay is not None:
        cmd += ["--event-delay", str(event_delay)]
    if rate_limit is not None:
        cmd += ["--rate-limit", str(rate_limit), "--rate-window", str(rate_window)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"(http://\S+/client/v4)", line)
        if not match:
            raise RuntimeError(f"emulator did not start: {line!r}")
        yield Server(base_url=match.group(1), process=proc)
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)
        if proc.poll() is None:
            proc.kill()


def median_of(fn: Callable[[], float], runs: int) -> float:
    """The median of ``runs`` calls of ``fn`` (each returns one measurement)."""
    return statistics.median(fn() for _ in range(runs))


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def ratio(ours: float, floor: float) -> str:
    return f"{ours / floor:.2f}x" if floor > 0 else "n/a"


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    """Print a Markdown table (the README pastes these); with ``BENCH_JSON=path`` set, also
    append it to that file as one JSON line (``benchmarks/chart.py`` draws from these)."""
    sink = os.environ.get("BENCH_JSON")
    if sink:
        with open(sink, "a", encoding="utf-8") as out:
            out.write(json.dumps({"title": title, "header": header, "rows": rows}) + "\n")
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    sys.stdout.flush()
