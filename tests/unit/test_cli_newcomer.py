"""The command line for someone trying it the first time: --version, defaults, short ids,
did-you-mean, valid --task values, CLI-worded errors, progress and a closed pipe."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import httpx
import pytest

from workersai import __version__, catalog
from workersai._defaults import DEFAULT_CHAT_MODEL
from workersai.emulator import Emulator

pytestmark = pytest.mark.emulator

# the same environment (credentials pointing at the emulator, a scratch cache) and runner
from tests.unit.test_cli import BGE, LLAMA, cli, env  # noqa: E402, F401


def last_model(emu: Emulator) -> str:
    return emu.requests[-1].path.split("/ai/run/", 1)[1]


def body(emu: Emulator) -> dict[str, Any]:
    return json.loads(emu.requests[-1].body)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli(None, "--version")
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"workersai {__version__}"


def test_run_has_a_default_model(emulator: Emulator, emulator_http_client: httpx.Client) -> None:
    assert cli(emulator_http_client, "run", "Tell me a joke") == 0
    assert last_model(emulator) == DEFAULT_CHAT_MODEL
    assert body(emulator)["messages"][-1]["content"] == "Tell me a joke"


def test_run_takes_a_short_id(emulator: Emulator, emulator_http_client: httpx.Client) -> None:
    assert cli(emulator_http_client, "run", LLAMA.rsplit("/", 1)[1], "hi") == 0
    assert last_model(emulator) == LLAMA


def test_run_refuses_three_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(None, "run", LLAMA, "Tell", "me") == 2
    assert "quote the prompt" in capsys.readouterr().err


def test_a_bad_short_id_is_a_usage_error_naming_the_full_id(
    emulator: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(None, "run", "llama-3.3-70b-instruct-fp8-fats", "hi") == 2
    err = capsys.readouterr().err
    assert f"did you mean {LLAMA!r}?" in err and err.count("\n") == 1
    assert emulator.requests == []


def test_a_misspelled_full_id_gets_did_you_mean_from_the_service_error(
    emulator_http_client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator_http_client, "run", LLAMA[:-2] + "ts", "hi") == 1
    err = capsys.readouterr().err
    assert "ModelNotFoundError" in err and f"did you mean {LLAMA!r}?" in err


def test_embed_takes_a_short_id_and_shows_progress(
    emulator: Emulator, emulator_http_client: httpx.Client,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    assert cli(emulator_http_client, "embed", "bge-base-en-v1.5", "a", "b", "--progress") == 0
    assert last_model(emulator) == BGE
    assert "Embedding: 2/2 (100%)" in capsys.readouterr().err
    assert cli(emulator_http_client, "embed", BGE, "a", "--no-progress") == 0
    assert "Embedding:" not in capsys.readouterr().err


def test_unknown_task_lists_the_valid_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(None, "models", "--offline", "--task", "nonsense") == 2
    out, err = capsys.readouterr()
    assert out == "" and "unknown task 'nonsense'" in err
    for task in ("text-generation", "text-embeddings", "translation"):
        assert task in err
    assert cli(None, "models", "--offline", "--task", "Text Embeddings") == 0
    assert BGE in capsys.readouterr().out


def test_missing_credentials_point_to_the_emulator(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CLOUDFLARE_ACCOUNT_ID")
    assert cli(None, "run", "hi") == 2
    err = capsys.readouterr().err
    assert "pass account_id" not in err and "set CLOUDFLARE_ACCOUNT_ID" in err
    assert "workersai emulator" in err and err.count("\n") == 1


def test_closed_pipe_is_quiet() -> None:
    """``workersai models | head -0``: the reader is gone before the table is written."""
    proc = subprocess.Popen([sys.executable, "-m", "workersai", "models", "--offline"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert "Traceback" not in err and "BrokenPipeError" not in err


def test_catalog_default_exists() -> None:
    assert catalog.lookup(DEFAULT_CHAT_MODEL) is not None
