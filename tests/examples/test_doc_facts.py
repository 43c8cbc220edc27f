"""Facts the README and docs state about the code, read back from the code: the defaults
of the configuration table, what is retried, the default models, the benchmark scripts
and the schema fixes. A changed default fails here until the docs say it too."""

from __future__ import annotations

import re
from pathlib import Path

from workersai import _retry
from workersai.catalog.schemas import FIXES
from workersai.config import (
    DEFAULT_DEADLINE,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_RETRIES,
    Limits,
    Timeouts,
)
from workersai.integration import DEFAULT_CHAT_MODEL, DEFAULT_EMBED_MODEL, DEFAULT_RERANK_MODEL

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def _row(field: str) -> list[str]:
    """The cells of the configuration table's row for ``field``."""
    line = next(x for x in README.splitlines() if x.startswith(f"| `{field}`"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_configuration_table_defaults() -> None:
    t, limits = Timeouts(), Limits()
    assert _row("timeout")[2] == (
        f"connect {t.connect:g} s, read {t.read:g} s, stream idle {t.stream_idle:g} s")
    assert _row("max_retries")[2] == str(DEFAULT_MAX_RETRIES)
    assert _row("deadline")[2] == f"{DEFAULT_DEADLINE:g} s"
    assert _row("max_connections")[2] == str(DEFAULT_MAX_CONNECTIONS)
    mib = 1024 * 1024
    assert _row("limits")[2] == (f"{limits.max_response_bytes // mib} MiB per answer, "
                                 f"{limits.max_event_bytes // mib} MiB per stream line/event")


def test_what_is_retried() -> None:
    said = _row("max_retries")[3]
    statuses = "/".join(str(s) for s in sorted(_retry.RETRY_STATUSES)) + "/5xx"
    assert f"on {statuses}," in said
    codes = re.search(r"codes ([\d/]+)", said)
    assert codes and set(map(int, codes.group(1).split("/"))) == set(_retry.RETRY_CODES)


def test_default_models() -> None:
    assert (f"Defaults: chat `{DEFAULT_CHAT_MODEL}`, embeddings\n`{DEFAULT_EMBED_MODEL}`, "
            f"reranker `{DEFAULT_RERANK_MODEL}`.") in README


def test_every_benchmark_script_is_named() -> None:
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        named = re.search(rf"\b{script.stem}\b", README)
        assert named, f"README does not name benchmarks/{script.name}"


def test_conformance_doc_lists_every_schema_fix() -> None:
    doc = (ROOT / "docs" / "conformance.md").read_text()
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}
    inputs = sum(fix.part == "input" for fix in FIXES)
    outputs = len(FIXES) - inputs
    assert (f"there are {words[inputs]} input repairs and {words[outputs]} output "
            "repairs") in doc
    for fix in FIXES:
        suffix = " (output)" if fix.part == "output" else ""
        assert f"| {fix.name}{suffix} |" in doc, fix.name


def test_batch_doc_defaults() -> None:
    from workersai._batch_plan import Settings  # the queue's knobs and their defaults

    doc = (ROOT / "docs" / "batch.md").read_text()
    s = Settings()
    rows = {
        "poll_interval": f"{s.poll_interval:.1f} s",
        "backoff": f"{s.backoff:g}",
        "max_interval": f"{s.max_interval:g} s",
        "max_wait": f"{s.max_wait:g} s",
        "raise_on_failure": str(s.raise_on_failure),
        "max_payload_bytes": f"{s.max_payload_bytes / 1e6:g} MB",
    }
    for knob, default in rows.items():
        assert f"| `{knob}` | {default} |" in doc, (knob, default)
