"""``workersai.integration``: the public surface a framework adapter builds on, exercised
by a minimal adapter for an imaginary third framework against the emulator."""

from __future__ import annotations

import asyncio
import json
import pickle
import subprocess
import sys
import textwrap
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

import workersai.integration as integration
from workersai import AsyncClient, Client, RequestOptions
from workersai.emulator import Emulator
from workersai.emulator._app import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN
from workersai.emulator.transport import emulator_async_http_client, emulator_http_client
from workersai.integration import (
    DEFAULT_TASK_MODELS,
    LEFT_OUT_OF_PICKLES,
    TOOL_TASKS,
    TRANSPORT_KEYS,
    LazyClients,
    arun_tool,
    request_options,
    run_tool,
    tool_arguments,
)

LLM = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"


def _docstring_adapter() -> type[LazyClients]:
    """The adapter of ``workersai.integration``'s docstring, run as pasted."""
    code = (integration.__doc__ or "").split(".. code-block:: python", 1)[1]
    namespace: dict[str, Any] = {"__name__": "integration_docstring"}
    exec(textwrap.dedent(code), namespace)
    adapter: type[LazyClients] = namespace["MyFrameworkLLM"]
    return adapter


class ThirdFrameworkLLM(_docstring_adapter()):  # type: ignore[misc]
    """The docstring's adapter, its defaults pointed at the emulator."""

    account_id: str | None = DEFAULT_ACCOUNT_ID
    api_token: SecretStr | None = SecretStr(DEFAULT_TOKEN)
    base_url: str = "https://emulator.invalid/client/v4"


def test_every_public_name_resolves() -> None:
    for name in integration.__all__:
        assert getattr(integration, name) is not None, name
    with pytest.raises(AttributeError, match="no_such_name"):
        integration.no_such_name  # noqa: B018


def test_importing_it_leaves_tasks_and_http_unloaded() -> None:
    code = ("import sys, workersai.integration; "
            "heavy = [m for m in ('httpx', 'workersai.tasks', 'workersai.client') "
            "if m in sys.modules]; assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_request_options_from_call_arguments() -> None:
    assert request_options({"temperature": 0.2}) is None
    options = request_options({"max_retries": 0, "gateway_options": {"skip_cache": True},
                               "temperature": 0.2, "timeout": None})
    assert isinstance(options, RequestOptions) and options.max_retries == 0
    assert options.gateway_options is not None and options.gateway_options.skip_cache
    assert "max_retries" in TRANSPORT_KEYS


def test_adapter_builds_one_client_lazily_and_calls_through_it() -> None:
    emulator = Emulator()
    with emulator_http_client(emulator) as http:
        llm = ThirdFrameworkLLM(http_client=http)
        assert llm._client is None  # construction does no I/O
        assert llm.complete("Say hi", max_retries=0)
        first = llm._sync_client()
        assert isinstance(first, Client) and llm._sync_client() is first
        assert isinstance(llm._async_client(), AsyncClient)
        llm.close()
        assert llm._client is None


def test_adapter_pickles_without_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "from-the-environment")
    llm = ThirdFrameworkLLM(api_token=SecretStr("s3cret-token"), http_client=httpx.Client())
    llm._sync_client()
    data = pickle.dumps(llm)
    assert b"s3cret-token" not in data and "api_token" in LEFT_OUT_OF_PICKLES
    back = pickle.loads(data)
    assert back.http_client is None and back._client is None
    assert back.api_token is not None
    assert back.api_token.get_secret_value() == "from-the-environment"


def test_task_tool_runner_in_both_twins() -> None:
    task = TOOL_TASKS["translate"]
    schema = task.schema(task.default_model)
    args = tool_arguments(schema, task.text.name, (), {"text": "Hello", "target_lang": "fr"})
    emulator = Emulator()
    creds = {"account_id": DEFAULT_ACCOUNT_ID, "api_token": DEFAULT_TOKEN}
    with emulator_http_client(emulator) as http:
        client = Client(**creds, http_client=http)
        content, value = run_tool(task, lambda: client, task.default_model, args, {})
    assert isinstance(content, str) and content and value == content
    aclient = AsyncClient(**creds, http_client=emulator_async_http_client(emulator))
    acontent, _ = asyncio.run(arun_tool(task, lambda: aclient, task.default_model, args, {}))
    assert acontent == content


def test_audio_transcriber_sends_its_settings_and_returns_records() -> None:
    from workersai.emulator._tasks import make_mp3, make_wav
    from workersai.integration import AudioTranscriber

    wav = make_wav("hello brave new world", seconds=2.0)
    plain = AudioTranscriber(DEFAULT_TASK_MODELS["transcribe"])
    assert plain.params(wav).language is None and plain.params(b"\0" * 8, "a.flac").media_type \
        == "audio/flac"  # unsniffable bytes: the name tells the type
    knobs = AudioTranscriber(DEFAULT_TASK_MODELS["transcribe"], language="en",
                             task="transcribe", initial_prompt="Intro:", mode="segments",
                             include_words=False, extra={"beam_size": 3})
    emulator = Emulator()
    creds = {"account_id": DEFAULT_ACCOUNT_ID, "api_token": DEFAULT_TOKEN}
    with emulator_http_client(emulator) as http:
        ((text, meta),) = knobs.records(Client(**creds, http_client=http), wav, "a.wav", "src")
    sent = json.loads(emulator.requests[-1].body)
    assert {k: sent[k] for k in ("language", "task", "initial_prompt", "beam_size")} == {
        "language": "en", "task": "transcribe", "initial_prompt": "Intro:", "beam_size": 3}
    assert text == "Intro: hello brave new world" and meta["source"] == "src"
    assert meta["segment"] == 0 and "words" not in meta  # mode and include_words
    aclient = AsyncClient(**creds, http_client=emulator_async_http_client(emulator))
    ((_, ameta),) = asyncio.run(plain.arecords(aclient, make_mp3("the quick brown fox")))
    assert "segments" in ameta and "words" in ameta and "source" not in ameta
