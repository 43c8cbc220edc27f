"""The README and docs/tasks.md task tables are generated from the catalog by
``python -m workersai.catalog._sync`` (``catalog/_task_table.py``), like the model table:
a hand edit is stale, a retired model drops out, an unknown id is refused."""

from __future__ import annotations

import datetime as _dt
import shutil
from pathlib import Path

import pytest

from workersai import catalog
from workersai.catalog import _sync
from workersai.catalog._task_table import TASKS_BEGIN, TASKS_END, TaskRow, task_table

ROOT = Path(__file__).resolve().parents[2]
TABLED = ("README.md", "docs/tasks.md")


def _copy(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    for name in (*TABLED, "docs/models.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize("name", TABLED)
def test_the_task_table_sits_between_the_generated_markers(name: str) -> None:
    text = (ROOT / name).read_text(encoding="utf-8")
    inside = text.split(TASKS_BEGIN, 1)[1].split(TASKS_END, 1)[0]
    assert inside.lstrip().startswith("| Task | Models (default first) |")
    assert "| LoRA adapters |" in inside


@pytest.mark.parametrize("name", TABLED)
def test_a_hand_edit_of_the_task_table_is_stale_and_regenerated(tmp_path: Path,
                                                                name: str) -> None:
    root = _copy(tmp_path)
    original = (root / name).read_text(encoding="utf-8")
    edited = original.replace("`resnet-50`", "`resnet-51`", 1)
    assert edited != original
    (root / name).write_text(edited, encoding="utf-8")
    assert root / name in _sync.stale(root)
    assert _sync.outputs(root)[root / name] == original


def _row(*ids: str) -> TaskRow:
    return TaskRow("Image to text", tuple((i, "") for i in ids), "`c`", "`l`", "`i`", "r")


def test_a_retired_model_drops_out_of_its_row() -> None:
    uform = "@cf/unum/uform-gen2-qwen-500m"
    retired_on = catalog.require(uform).deprecation_date
    assert retired_on is not None
    day = _dt.date.fromisoformat(retired_on)
    row = _row("@cf/llava-hf/llava-1.5-7b-hf", uform)
    before = task_table(catalog.MODELS, day - _dt.timedelta(days=1), "Core", [row])
    after = task_table(catalog.MODELS, day, "Core", [row])
    assert "`uform-gen2-qwen-500m`" in before and "`uform-gen2-qwen-500m`" not in after
    assert "`llava-1.5-7b-hf`" in after


def test_an_unknown_or_all_retired_row_is_refused() -> None:
    with pytest.raises(ValueError, match="not a catalog model"):
        task_table(catalog.MODELS, _dt.date(2026, 1, 1), "Core", [_row("@cf/acme/nope")])
    with pytest.raises(ValueError, match="retired"):
        task_table(catalog.MODELS, _dt.date(2030, 1, 1), "Core",
                   [_row("@cf/unum/uform-gen2-qwen-500m")])
