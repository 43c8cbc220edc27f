"""Benchmark 6: import time of each package and construction time of each class.

Each import is timed in a fresh interpreter (median of several), and
``langchain_workersai`` is also reported as the time it adds on top of
``langchain_core`` alone. Construction is timed in-process after import (clients are
built lazily, so constructing does no I/O). ``langchain_cloudflare`` is timed beside ours
when it is installed (``pip install -e ".[bench]"``). Targets: construction under 1 ms;
``import langchain_workersai`` costs no more than ``import langchain_cloudflare``;
``llamaindex_workersai`` adds under 100 ms to ``llama_index.core``.

    python benchmarks/bench_import.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from _harness import ACCOUNT_ID, TOKEN, print_table
from _peers import installed

IMPORTS = {
    "workersai": "import workersai",
    "langchain_core (baseline)": "import langchain_core.language_models.chat_models, "
                                 "langchain_core.embeddings, langchain_core.documents",
    "langchain_workersai": "import langchain_workersai",
    "llama_index.core (baseline)": "import llama_index.core.llms, "
                                   "llama_index.core.base.embeddings.base",
    "llamaindex_workersai": "import llamaindex_workersai",
}
PEERS = {"langchain_cloudflare (peer)": "import langchain_cloudflare"}


def import_seconds(statement: str, runs: int, prelude: str = "") -> float:
    code = (f"import time\n{prelude}\nt=time.perf_counter()\n{statement}\n"
            "print(time.perf_counter()-t)")
    samples = [float(subprocess.run([sys.executable, "-c", code], check=True,
                                    capture_output=True, text=True).stdout)
               for _ in range(runs)]
    return statistics.median(samples)


def construction_us(factory: object, runs: int = 200) -> float:
    assert callable(factory)
    factory()
    start = time.perf_counter()
    for _ in range(runs):
        factory()
    return (time.perf_counter() - start) / runs * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    imports = dict(IMPORTS)
    if installed("langchain_cloudflare"):
        imports.update(PEERS)
    rows = [[name, f"{import_seconds(stmt, args.runs) * 1000:.0f}"]
            for name, stmt in imports.items()]
    added = import_seconds("import langchain_workersai", args.runs,
                           prelude=IMPORTS["langchain_core (baseline)"])
    rows.append(["langchain_workersai on top of langchain_core", f"{added * 1000:.0f}"])
    added_li = import_seconds("import llamaindex_workersai", args.runs,
                              prelude=IMPORTS["llama_index.core (baseline)"])
    rows.append(["llamaindex_workersai on top of llama_index.core", f"{added_li * 1000:.0f}"])
    print_table(f"Import time (fresh interpreter, median of {args.runs})",
                ["import", "ms"], rows)

    from langchain_workersai import ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker
    from llamaindex_workersai import WorkersAI, WorkersAIEmbedding, WorkersAIRerank
    from workersai import AsyncClient, Client

    creds = {"account_id": ACCOUNT_ID, "api_token": TOKEN}
    classes = [Client, AsyncClient, ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker,
               WorkersAI, WorkersAIEmbedding, WorkersAIRerank]
    rows = [[cls.__module__ + "." + cls.__name__,
             f"{construction_us(lambda cls=cls: cls(**creds)):.1f}"] for cls in classes]
    print_table("Construction time (no I/O; clients built on first use)",
                ["class", "µs per construction"], rows)


if __name__ == "__main__":
    main()
