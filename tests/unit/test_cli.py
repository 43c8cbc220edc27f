"""The ``workersai`` command line, against the in-process emulator (``run_cli(http_client=)``)
and once through ``main`` and a loopback emulator (the environment-only path)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from workersai import __main__ as entry
from workersai import _cli, catalog
from workersai.emulator import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN, Emulator, ServerBusy

pytestmark = pytest.mark.emulator

LLAMA = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
QWEN = "@cf/qwen/qwen3-30b-a3b-fp8"
BGE = "@cf/baai/bge-base-en-v1.5"
ENV_NAMES = ("CLOUDFLARE_ACCOUNT_ID", "CF_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN", "CF_AI_API_TOKEN",
             "WORKERSAI_BASE_URL", "CLOUDFLARE_AI_GATEWAY_ID")


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", DEFAULT_ACCOUNT_ID)
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", DEFAULT_TOKEN)
    monkeypatch.setenv("WORKERSAI_CACHE_DIR", str(tmp_path / "cache"))


def cli(http: httpx.Client | None, *argv: str) -> int:
    return _cli.run_cli(list(argv), http_client=http)


def last_body(emu: Emulator) -> dict[str, Any]:
    return json.loads(emu.requests[-1].body)


# --- run ---------------------------------------------------------------------------------


def test_run_streams_text_and_reports_usage(
    emulator: Emulator, emulator_http_client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator_http_client, "run", LLAMA, "Say hello") == 0
    out, err = capsys.readouterr()
    assert out.strip() and out.endswith("\n")
    assert err.startswith("[usage] ") and "neurons ($" in err and "~" not in err
    body = last_body(emulator)
    assert body["stream"] is True and body["messages"] == [
        {"role": "user", "content": "Say hello"}]


def test_run_knobs_reach_the_request(
    emulator: Emulator, emulator_http_client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator_http_client, "run", LLAMA, "Tell me a long story",
               "--system", "Be brief.", "--max-tokens", "3", "--temperature", "0.2") == 0
    body = last_body(emulator)
    assert body["messages"][0] == {"role": "system", "content": "Be brief."}
    assert body["max_tokens"] == 3 and body["temperature"] == 0.2
    _, err = capsys.readouterr()
    assert "+ 3 output tokens" in err


def test_run_reads_the_prompt_from_stdin(
    emulator: Emulator, emulator_http_client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("from a pipe"))
    assert cli(emulator_http_client, "run", LLAMA, "-") == 0
    assert last_body(emulator)["messages"][-1]["content"] == "from a pipe"


def test_reasoning_goes_to_stderr_only_when_asked(
    emulator_http_client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator_http_client, "run", QWEN, "Why is the sky blue?") == 0
    quiet_out, quiet_err = capsys.readouterr()
    assert cli(emulator_http_client, "run", QWEN, "Why is the sky blue?", "--reasoning") == 0
    out, err = capsys.readouterr()
    assert out == quiet_out  # the answer never carries the reasoning
    assert len(err) > len(quiet_err) and err.endswith("\n" + quiet_err.splitlines()[-1] + "\n")
    assert quiet_err.count("\n") == 1 and err.count("\n") >= 2


def test_missing_credentials_exit_2_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN")
    assert cli(None, "run", LLAMA, "hi") == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("workersai: error: No Cloudflare API token")
    assert "CLOUDFLARE_API_TOKEN" in err
    assert cli(None, "embed", BGE, "x") == 2


def test_api_errors_exit_1_without_traceback(
    emulator_http_client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator_http_client, "run", "@cf/nobody/no-such-model", "hi") == 1
    _, err = capsys.readouterr()
    assert err.startswith("workersai: error: ModelNotFoundError: ") and "5007" in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_auth_error_does_not_print_the_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "sekrit-token-123")
    http = httpx.Client(transport=_transport(Emulator(token="the-right-one")))
    assert cli(http, "run", LLAMA, "hi") == 1
    out, err = capsys.readouterr()
    assert "AuthenticationError" in err and "sekrit" not in out + err


def _transport(emu: Emulator) -> httpx.BaseTransport:
    from workersai.emulator import EmulatorTransport

    return EmulatorTransport(emu)


def test_wrong_task_and_deprecated_model_are_one_liners(
    emulator_http_client: httpx.Client, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert cli(emulator_http_client, "run", BGE, "hi") == 1
    assert "InvalidInputError" in capsys.readouterr().err
    monkeypatch.setattr(catalog, "_warned", set())
    monkeypatch.setattr(catalog, "_today", lambda: __import__("datetime").date(2026, 5, 10))
    assert cli(emulator_http_client, "run", "@cf/meta/llama-3.1-8b-instruct", "hi",
               "--max-tokens", "2") == 0
    err = capsys.readouterr().err
    assert err.startswith("workersai: warning: Workers AI model @cf/meta/llama-3.1-8b-instruct")
    # from 2026-05-30 on the model is retired: a one-line error, nothing sent
    monkeypatch.setattr(catalog, "_today", lambda: __import__("datetime").date(2026, 12, 4))
    assert cli(emulator_http_client, "run", "@cf/meta/llama-3.1-8b-instruct", "hi") == 1
    err = capsys.readouterr().err
    assert "ModelRetiredError" in err and "retired on 2026-05-30" in err and len(
        err.strip().splitlines()) == 1


# --- embed ---------------------------------------------------------------------------------


def test_embed_prints_dimensions_and_first_values(
    emulator_http_client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator_http_client, "embed", BGE, "one", "two", "--values", "2") == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("[0] 768 dims: [") and lines[1][:3] == "[1]"
    assert lines[0].count(",") == 2 and lines[0].endswith(", ...]")
    assert err.startswith("[usage] ") and "neurons ($" in err


def test_embed_json(emulator_http_client: httpx.Client, capsys: pytest.CaptureFixture[str]
                    ) -> None:
    assert cli(emulator_http_client, "embed", BGE, "one", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["model"] == BGE and data["dimensions"] == 768
    assert len(data["vectors"]) == 1 and len(data["vectors"][0]) == 768


# --- models --------------------------------------------------------------------------------


def test_models_offline_filters_by_task_and_capabilities(
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(None, "models", "--offline", "--task", "Text Generation",
               "--capability", "vision", "--capability", "reasoning") == 0
    out, err = capsys.readouterr()
    ids = [line.split()[0] for line in out.splitlines()[1:]]
    expected = catalog.filter_models(catalog.MODELS, task="text-generation",
                                     capabilities=["vision", "reasoning"])
    assert ids == [m.id for m in expected] and ids
    assert out.splitlines()[0].split()[:4] == ["MODEL", "TASK", "STATUS", "CONTEXT"]
    assert err == f"{len(ids)} models, from the table shipped with workersai\n"


def test_models_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(None, "models", "--offline", "--task", "text-embeddings", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert {d["task"] for d in data} == {"text-embeddings"}
    assert next(d for d in data if d["id"] == BGE)["dimensions"] == 768


def test_models_refreshes_then_uses_the_cache(
    emulator: Emulator, emulator_http_client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator_http_client, "models", "--capability", "lora") == 0
    assert "from the API, fetched" in capsys.readouterr().err
    searches = len(emulator.requests)
    assert searches == -(-len(catalog.MODELS) // 100)  # one request per page of 100
    assert cli(emulator_http_client, "models") == 0
    assert "from the cache, fetched" in capsys.readouterr().err
    assert len(emulator.requests) == searches
    assert cli(emulator_http_client, "models", "--refresh") == 0
    assert len(emulator.requests) == 2 * searches


def test_models_failed_refresh_warns_in_one_line_and_still_lists(
    emulator: Emulator, emulator_http_client: httpx.Client, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    emulator.faults.add(ServerBusy())
    assert cli(emulator_http_client, "models", "--refresh") == 0
    out, err = capsys.readouterr()
    assert LLAMA in out
    assert err.startswith("workersai: warning: could not refresh the Workers AI model list")
    assert err.endswith("from the table shipped with workersai\n")


def test_models_without_credentials(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CLOUDFLARE_ACCOUNT_ID")
    assert cli(None, "models") == 0  # no credentials: the shipped (or cached) table
    assert "shipped" in capsys.readouterr().err
    assert cli(None, "models", "--refresh") == 2
    assert capsys.readouterr().err.startswith("workersai: error: No Cloudflare account id")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli(None, "models", "--refresh", "--offline")
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        cli(None, "models", "--capability", "telepathy")
    assert exc.value.code == 2
    assert cli(None, "models", "--offline", "--bogus") == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


# --- emulator and the entry points ----------------------------------------------------------


def test_emulator_delegates_with_its_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def fake_main(argv: list[str]) -> int:
        seen.append(argv)
        return 0

    monkeypatch.setattr("workersai.emulator.__main__.main", fake_main)
    assert cli(None, "emulator", "--port", "9999", "--seed", "3") == 0
    assert seen == [["--port", "9999", "--seed", "3"]]


def test_main_uses_the_environment(
    emulator_env: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert entry.main(["run", LLAMA, "Say hello", "--max-tokens", "5"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() and "[usage]" in err
    assert emulator_env.handler.requests[-1].path.endswith(f"/ai/run/{LLAMA}")
