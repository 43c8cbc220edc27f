"""``workersai models``: status, prices in their published units, flags, --all, --task."""

from __future__ import annotations

import datetime as dt

import pytest

from workersai import catalog
from workersai._cli_models import models_table, price_text, status_text

from .test_cli import cli

TODAY = dt.date(2026, 12, 4)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog, "_today", lambda: TODAY)


def _rows(out: str) -> dict[str, str]:
    return {line.split()[0]: line for line in out.splitlines()[1:]}


def test_retired_models_are_hidden_unless_all(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(None, "models", "--offline", "--task", "summarization") == 0
    out, err = capsys.readouterr()
    assert "bart-large-cnn" not in out
    assert err.startswith("0 models (1 retired hidden: --all shows them)")
    assert cli(None, "models", "--offline", "--task", "summarization", "--all") == 0
    row = _rows(capsys.readouterr().out)["@cf/facebook/bart-large-cnn"]
    assert "retired on 2026-05-30 -> @cf/zai-org/glm-4.7-flash" in row
    assert row.rstrip().endswith("unknown")  # no published price


def test_status_column_for_each_state(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(None, "models", "--offline", "--all", "--task", "text-generation") == 0
    rows = _rows(capsys.readouterr().out)
    assert " active " in rows["@cf/zai-org/glm-4.7-flash"]
    assert "aliased to @cf/moonshotai/kimi-k2.6 (from 2026-05-30)" in rows[
        "@cf/moonshotai/kimi-k2.5"]
    assert "retired on 2026-05-30" in rows["@cf/meta/llama-3.1-8b-instruct"]
    assert "@cf/moonshotai/kimi-k2.5" in _rows(
        cli(None, "models", "--offline") == 0 and capsys.readouterr().out)  # aliased: callable


def test_planned_deprecation_shows_its_date() -> None:
    info = catalog.require("@cf/meta/llama-3.1-8b-instruct")
    assert status_text(info, dt.date(2026, 5, 1)) == "deprecated on 2026-05-30"
    assert status_text(info, TODAY).startswith("retired on 2026-05-30")
    assert status_text(catalog.require("@cf/zai-org/glm-4.7-flash"), TODAY) == "active"


def test_prices_in_their_published_units() -> None:
    lucid = catalog.require("@cf/leonardo/lucid-origin")
    assert price_text(lucid) == "$0.007 per 512 by 512 tile; $0.000132 per step"
    flux2 = catalog.require("@cf/black-forest-labs/flux-2-dev")
    assert "per input 512x512 tile, per step" in price_text(flux2)
    glm = catalog.require("@cf/zai-org/glm-4.7-flash")
    assert price_text(glm) == "$0.0605 per M input tokens; $0.4 per M output tokens"
    whisper = catalog.require("@cf/openai/whisper-large-v3-turbo")
    assert "per audio minute" in price_text(whisper)
    assert price_text(catalog.require("@cf/facebook/bart-large-cnn")) == "unknown"


def test_paid_only_and_beta_flags() -> None:
    table = models_table([catalog.require("@cf/moonshotai/kimi-k2.6"),
                          catalog.require("@cf/lykon/dreamshaper-8-lcm")], TODAY)
    rows = _rows(table)
    assert "paid-only" in rows["@cf/moonshotai/kimi-k2.6"]
    assert ",beta" not in rows["@cf/lykon/dreamshaper-8-lcm"] and " beta " in rows[
        "@cf/lykon/dreamshaper-8-lcm"]
    assert table.splitlines()[0].split() == ["MODEL", "TASK", "STATUS", "CONTEXT", "FLAGS",
                                             "PRICE", "(USD)"]


def test_task_is_validated(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(None, "models", "--offline", "--task", "summarisation") == 2
    assert "unknown task 'summarisation'" in capsys.readouterr().err
