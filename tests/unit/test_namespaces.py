"""One shape: ``client.tasks.<verb>`` and ``client.batch.<verb>``, the same names on both
twins; the free functions of the previous release warn and delegate."""

from __future__ import annotations

import asyncio
import inspect
import io
import json
import subprocess
import sys
import wave
from typing import Any

import pytest

from workersai import AsyncClient, Client, batch, tasks
from workersai._namespaces import AsyncBatch, AsyncTasks, Batch, Tasks, _Verb
from workersai.emulator import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_TOKEN,
    Emulator,
    emulator_async_http_client,
    emulator_http_client,
)
from workersai.errors import InvalidInputError

CREDS: dict[str, Any] = {"account_id": DEFAULT_ACCOUNT_ID, "api_token": DEFAULT_TOKEN}
M2M = "@cf/meta/m2m100-1.2b"
LLM = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"


def verbs(cls: type) -> dict[str, _Verb[Any, Any, Any, Any]]:
    return {n: v for n in dir(cls) if isinstance(v := getattr(cls, n), _Verb)}


@pytest.mark.parametrize(("sync", "aio"), [(Tasks, AsyncTasks), (Batch, AsyncBatch)])
def test_both_twins_have_the_same_verbs(sync: type, aio: type) -> None:
    assert verbs(sync).keys() == verbs(aio).keys() and verbs(sync)
    client = object()
    for name, verb in verbs(sync).items():
        assert not inspect.iscoroutinefunction(verb.fn), name
        assert inspect.iscoroutinefunction(verb.afn), name
        bound, abound = getattr(sync(client), name), getattr(aio(client), name)
        assert bound.__wrapped__ is verb.fn, name  # each twin binds its own
        assert abound.__wrapped__ is verb.afn, name
        assert inspect.iscoroutinefunction(abound) and not inspect.iscoroutinefunction(bound)


def test_every_task_call_has_a_verb() -> None:
    calls = {n for n in tasks.__all__ if n[0].islower() and not n.startswith(
        ("build_", "parse_")) and "a" + n in tasks.__all__}
    assert calls == set(verbs(Tasks))


def test_verbs_call_with_the_client_filled_in() -> None:
    emu = Emulator()
    with emulator_http_client(emu) as http:
        client = Client(**CREDS, http_client=http)
        out = client.tasks.translate(M2M, "Hello", "fr")
        queued = client.batch.run(LLM, [{"prompt": "Hi"}], poll_interval=0.01)
    aclient = AsyncClient(**CREDS, http_client=emulator_async_http_client(emu))
    aout = asyncio.run(aclient.tasks.translate(M2M, "Hello", "fr"))
    assert out.text == aout.text and out.text
    assert isinstance(queued.results[0]["response"], str) and not queued.failed
    assert client.tasks.translate.__doc__ == Tasks.translate.fn.__doc__
    assert aclient.tasks.translate.__doc__ == Tasks.translate.afn.__doc__


def test_importing_the_client_leaves_tasks_and_batch_unloaded() -> None:
    code = ("import sys, workersai.client; "
            "heavy = [m for m in ('workersai.tasks', 'workersai._batch_calls', "
            "'workersai._namespaces') if m in sys.modules]; assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True)


class _Refuses:
    """A client every call of which fails at once (the aliases only need to delegate)."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"no {name}")


ALIASES = [("tasks", p + v) for v in sorted(verbs(Tasks)) for p in ("", "a")] + [
    ("batch", n) for n in ("submit_batch", "asubmit_batch", "poll", "apoll", "run_batch",
                           "arun_batch", "chat_batch", "achat_batch", "embed_batch",
                           "aembed_batch")]


@pytest.mark.parametrize(("module", "name"), ALIASES)
def test_old_free_functions_warn_and_delegate(module: str, name: str) -> None:
    alias = getattr({"tasks": tasks, "batch": batch}[module], name)
    namespace = {"tasks": (Tasks, AsyncTasks), "batch": (Batch, AsyncBatch)}[module]
    impls = {f for cls in namespace for v in verbs(cls).values() for f in (v.fn, v.afn)}
    assert alias.__wrapped__ in impls  # the very call the namespace verb makes
    with pytest.warns(DeprecationWarning, match=rf"workersai\.{module}\.{name}\(client"):
        try:
            out = alias(_Refuses(), "@cf/x/y", "a", "b")
        except Exception:  # the fake client refuses; the warning came first
            out = None
    if inspect.iscoroutine(out):
        out.close()


def test_there_is_an_alias_for_every_verb() -> None:
    names = {n for _, n in ALIASES}
    assert len(names) == 2 * len(verbs(Tasks)) + 2 * len(verbs(Batch))


def test_each_twin_builds_its_own_namespaces() -> None:
    from workersai.models import AsyncModels, Models

    client, aclient = Client(**CREDS), AsyncClient(**CREDS)
    for name, sync, aio in [("models", Models, AsyncModels), ("tasks", Tasks, AsyncTasks),
                            ("batch", Batch, AsyncBatch)]:
        assert type(getattr(client, name)) is sync and type(getattr(aclient, name)) is aio
        assert getattr(Client, name).__doc__  # documented on the class


def _wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\0\0" * 1600)
    return out.getvalue()


def test_old_free_functions_take_short_ids_as_the_verbs_do() -> None:
    """A short id is made full before the task picks its model's request shape: whisper
    turbo takes base64 audio, the generic speech shape a byte array (which it refuses)."""
    emu, audio, short = Emulator(), _wav(), "whisper-large-v3-turbo"
    with emulator_http_client(emu) as http, pytest.warns(DeprecationWarning):
        client = Client(**CREDS, http_client=http)
        out = tasks.transcribe(client, short, audio)
        verb = client.tasks.transcribe(short, audio)
        with pytest.raises(InvalidInputError, match="whisper-large-v9"):
            tasks.transcribe(client, "whisper-large-v9", audio)
    aclient = AsyncClient(**CREDS, http_client=emulator_async_http_client(emu))
    with pytest.warns(DeprecationWarning):
        aout = asyncio.run(tasks.atranscribe(aclient, model=short, audio=audio))
        mistyped = tasks.atranscribe(aclient, "whisper-large-v9", audio)
    with pytest.raises(InvalidInputError):  # raised when awaited, as by the verb
        asyncio.run(mistyped)
    assert out.text == aout.text == verb.text and out.text
    bodies = [json.loads(r.body) for r in emu.requests]
    assert len(bodies) == 3 and all(isinstance(b["audio"], str) for b in bodies)
