"""Refresh the snapshot of published model definitions and regenerate the catalog.

Usage (from the repository root)::

    python -m workersai.catalog._sync --docs ../cloudflare-docs   # from a docs checkout
    python -m workersai._sync_live                                 # from the API (env creds)
    python -m workersai.catalog._sync                              # regenerate only
    python -m workersai.catalog._sync --check                      # exit 1 if anything is stale

A source option rewrites ``workersai/catalog/published/`` (one ``<stem>.json`` per model,
verbatim from a checkout; as the API returns it for ``workersai._sync_live``, which
fetches through a client since the catalog does no I/O) and ``_snapshot.json``
(source, date, per-file provenance). Then, always, it regenerates from the snapshot:
``_generated*.py`` (the catalog), the README model table and ``docs/models.md``, and the
task tables of the README and ``docs/tasks.md`` (``_task_table``). Schema
defects are not edited into the snapshot: see ``_fixes`` (applied when validating).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import _facts, _render, _task_table
from ._derive import PUBLISHED_DIR, build_models, load_published

__all__ = ["Outputs", "main", "outputs", "regenerate", "snapshot_from_docs",
           "snapshot_from_entries"]

DOCS_SUBDIR = "src/content/workers-ai-models"
SNAPSHOT = "_snapshot.json"
REPO_ROOT = Path(__file__).resolve().parents[2]

Outputs = dict[Path, str]


def _meta(directory: Path) -> dict[str, Any]:
    path = directory / SNAPSHOT
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def outputs(root: Path = REPO_ROOT, directory: Path = PUBLISHED_DIR) -> Outputs:
    """Every generated file (path -> full text) as the snapshot in ``directory`` implies."""
    meta = _meta(directory)
    source, taken = meta.get("source", "unknown source"), meta.get("taken", "unknown date")
    today = _dt.date.fromisoformat(taken) if taken[:1].isdigit() else _dt.date.today()
    models = build_models(load_published(directory))
    readme = root / "README.md"
    result: Outputs = {
        **{directory.parent / name: text for name, text in _render.module_sources(
            models, source, taken,
            {task: ids for task, (ids, _) in _facts.RECOMMENDED.items()}).items()},
        root / "docs" / "models.md": _render.models_doc(models, source, taken, today),
    }
    if readme.exists():
        text = _render.replace_between(
            readme.read_text(encoding="utf-8"), _render.README_BEGIN, _render.README_END,
            _render.readme_table(models, today))
        result[readme] = _with_task_table(text, models, today, "Core (`client.tasks.`)")
    tasks_doc = root / "docs" / "tasks.md"
    if tasks_doc.exists():
        result[tasks_doc] = _with_task_table(tasks_doc.read_text(encoding="utf-8"), models,
                                             today, "Core (`client.tasks.`)")
    return result


def _with_task_table(text: str, models: Sequence[Any], today: _dt.date, core: str) -> str:
    """``text`` with its generated task table (``_task_table``) brought up to date."""
    table = _task_table.task_table(models, today, core)
    return _render.replace_between(text, _task_table.TASKS_BEGIN, _task_table.TASKS_END,
                                   table)


def _write_snapshot(directory: Path, files: dict[str, str], meta: dict[str, Any]) -> None:
    for old in directory.glob("*.json"):
        if not old.name.startswith("_") and old.stem not in files:
            old.unlink()
    provenance: dict[str, Any] = {}
    per_file = meta.pop("per_file", {})
    for stem, text in sorted(files.items()):
        json.loads(text)  # refuse to ship a file that is not JSON
        (directory / f"{stem}.json").write_text(text, encoding="utf-8", newline="")
        provenance[stem] = {**per_file.get(stem, {}),
                            "total_chars": len(text), "method": "verbatim"}
    meta["files"] = provenance
    (directory / SNAPSHOT).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def _git_head(checkout: Path) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(checkout), "rev-parse", "HEAD"],
                              capture_output=True, text=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def snapshot_from_docs(checkout: Path, directory: Path = PUBLISHED_DIR) -> int:
    """Copy every definition of a cloudflare-docs checkout into ``directory``."""
    source_dir = checkout / DOCS_SUBDIR
    files = {p.stem: p.read_text(encoding="utf-8") for p in sorted(source_dir.glob("*.json"))}
    if not files:
        raise SystemExit(f"no model definitions under {source_dir}")
    commit = _git_head(checkout)
    meta: dict[str, Any] = {
        "source": "https://github.com/cloudflare/cloudflare-docs/tree/production/" + DOCS_SUBDIR,
        "taken": _dt.date.today().isoformat(), "listed": len(files),
        "per_file": {stem: {"commit": commit} for stem in files} if commit else {},
    }
    _write_snapshot(directory, files, meta)
    return len(files)


def snapshot_from_entries(entries: dict[str, dict[str, Any]],
                          directory: Path = PUBLISHED_DIR) -> int:
    """Store definitions as the models API gives them (``name`` -> listing entry with its
    ``schema``), one file per model; ``python -m workersai._sync_live`` fetches them
    through a client (the catalog itself does no I/O)."""
    files = {name.rsplit("/", 1)[-1]: json.dumps(doc, indent=2, ensure_ascii=False)
             for name, doc in entries.items()}
    meta = {"source": "GET /accounts/{account_id}/ai/models/search + /ai/models/schema",
            "taken": _dt.date.today().isoformat(), "listed": len(files)}
    _write_snapshot(directory, files, meta)
    return len(files)


def regenerate(root: Path = REPO_ROOT, directory: Path = PUBLISHED_DIR) -> None:
    """Write every generated file from the snapshot in ``directory``."""
    for path, text in outputs(root, directory).items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)


def stale(root: Path = REPO_ROOT, directory: Path = PUBLISHED_DIR) -> list[Path]:
    """Generated files whose text differs from what the snapshot implies."""
    return [path for path, text in outputs(root, directory).items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m workersai.catalog._sync")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--docs", type=Path, help="a cloudflare/cloudflare-docs checkout")
    source.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    if args.check:
        old = stale()
        for path in old:
            print(f"stale: {path}", file=sys.stderr)
        return 1 if old else 0
    if args.docs:
        print(f"{snapshot_from_docs(args.docs)} definitions copied", file=sys.stderr)
    regenerate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
