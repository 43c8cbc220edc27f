"""Every default model id the packages ship is published and neither retired nor deprecated.

The defaults are found, not listed: every module of ``workersai``, ``langchain_workersai``
and ``llamaindex_workersai`` is imported and each module-level ``DEFAULT_*`` value that
holds model ids (a string, or a dict of them) is checked against the catalog. A new
default constant is covered without editing this file.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest

from workersai import catalog
from workersai.catalog import schemas

PACKAGES = ("workersai", "langchain_workersai", "llamaindex_workersai")
_PREFIXES = ("@cf/", "@hf/")


def _modules() -> Iterator[Any]:
    for name in PACKAGES:
        package = importlib.import_module(name)
        yield package
        for info in pkgutil.walk_packages(package.__path__, f"{name}."):
            if ".emulator" in info.name:
                continue  # the emulator's own tables describe models, they offer none
            try:
                yield importlib.import_module(info.name)
            except ImportError:  # an optional extra not installed
                continue


def _ids(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.startswith(_PREFIXES) else []
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, str) and v.startswith(_PREFIXES)]
    return []


def _defaults() -> dict[str, str]:
    found: dict[str, str] = {}
    for module in _modules():
        for attr, value in vars(module).items():
            if attr.startswith("DEFAULT_"):
                for i, model in enumerate(_ids(value)):
                    found[f"{module.__name__}.{attr}[{i}]"] = model
    return found


DEFAULTS = _defaults()


def test_the_scan_finds_the_defaults() -> None:
    models = set(DEFAULTS.values())
    assert len(DEFAULTS) >= 12
    assert {"@cf/meta/llama-3.3-70b-instruct-fp8-fast", "@cf/baai/bge-base-en-v1.5",
            "@cf/baai/bge-reranker-base", "@cf/openai/whisper-large-v3-turbo"} <= models
    assert any(name.endswith("DEFAULT_TASK_MODELS[5]") for name in DEFAULTS)


@pytest.mark.parametrize("where", sorted(DEFAULTS))
def test_default_model_is_published_and_current(where: str) -> None:
    model = DEFAULTS[where]
    assert model in schemas.published_ids(), f"{where} = {model} is not published"
    info = catalog.require(model)
    assert info.deprecation_date is None, (
        f"{where} = {model} is deprecated from {info.deprecation_date}")


def test_the_summarization_default_is_a_chat_model_not_bart() -> None:
    from workersai.tasks import DEFAULT_SUMMARY_MODEL
    from workersai.tasks._tool_specs import DEFAULT_TASK_MODELS

    assert DEFAULT_TASK_MODELS["summarize"] == DEFAULT_SUMMARY_MODEL
    assert catalog.require(DEFAULT_SUMMARY_MODEL).task == "text-generation"


def _table_models(path: str) -> dict[str, list[str]]:
    """Task row -> the backticked model names of its "Models" column."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / path).read_text(encoding="utf-8")
    head = "| Task | Models (default first) |"
    assert head in text, f"{path} has no task table"
    rows: dict[str, list[str]] = {}
    for line in text.split(head, 1)[1].splitlines()[2:]:
        if not line.startswith("| "):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = re.findall(r"`([^`]+)`", cells[1])
    return rows


@pytest.mark.parametrize("path", ["README.md", "docs/tasks.md"])
def test_task_tables_offer_only_current_published_models(path: str) -> None:
    by_short = {m.id.rsplit("/", 1)[-1]: m for m in catalog.MODELS}
    rows = _table_models(path)
    assert len(rows) >= 9
    for task, names in rows.items():
        assert names, f"{path}: {task} lists no model"
        for name in names:
            info = by_short.get(name)
            assert info is not None, f"{path}: {task}: {name} is not a catalog model"
            assert info.published and info.deprecation_date is None, (
                f"{path}: {task} offers {info.id}, deprecated {info.deprecation_date}")


def test_task_table_defaults_come_first() -> None:
    from workersai.tasks._tool_specs import DEFAULT_TASK_MODELS

    rows = _table_models("README.md")
    firsts = {names[0] for names in rows.values()}
    for key, model in DEFAULT_TASK_MODELS.items():
        assert model.rsplit("/", 1)[-1] in firsts, f"default of {key} ({model}) not first"
