"""The API token appears nowhere but the ``Authorization`` header.

One test drives every class (the six front-end classes and both core clients) through
success and every error kind of the fault matrix, with logging at DEBUG, and searches every
repr, dump, serialized form, log record, exception text (str, repr, args, attributes and the
whole ``__cause__``/``__context__`` chain) and request body for the token.
"""

from __future__ import annotations

import json
import logging
import pickle
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from langchain_core.load import dumpd, dumps
from llama_index.core.llms import ChatMessage

from langchain_workersai import ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker
from llamaindex_workersai import WorkersAI, WorkersAIEmbedding, WorkersAIRerank
from workersai import AsyncClient, Client
from workersai.emulator import Emulator
from workersai.types import Message

from . import _surfaces as s
from ._faults import CASES, CUT_MID_STREAM, STREAM_CASES, Case
from ._surfaces import TOKEN, close, record_sleeps

pytestmark = pytest.mark.emulator

Connect = Callable[..., dict[str, Any]]
MSGS = [Message("user", s.PROMPT)]


async def core_chat(c: Client) -> Any:
    return c.chat(s.CHAT_MODEL, MSGS)


async def core_stream(c: Client) -> Any:
    return list(c.stream_chat(s.CHAT_MODEL, MSGS))


async def core_embed(c: Client) -> Any:
    return c.embed("@cf/baai/bge-small-en-v1.5", s.TEXTS)


async def core_rerank(c: Client) -> Any:
    return c.rerank("@cf/baai/bge-reranker-base", s.QUERY, s.DOCS)


async def acore_chat(c: AsyncClient) -> Any:
    return await c.chat(s.CHAT_MODEL, MSGS)


async def acore_stream(c: AsyncClient) -> Any:
    return [d async for d in c.stream_chat(s.CHAT_MODEL, MSGS)]


async def acore_embed(c: AsyncClient) -> Any:
    return await c.embed("@cf/baai/bge-small-en-v1.5", s.TEXTS)


async def acore_rerank(c: AsyncClient) -> Any:
    return await c.rerank("@cf/baai/bge-reranker-base", s.QUERY, s.DOCS)


async def li_complete(llm: WorkersAI) -> Any:
    return [llm.complete(s.PROMPT), await llm.achat([ChatMessage(role="user", content="hi")])]


@dataclass(frozen=True)
class Driver:
    """A class, the calls it offers (``call`` for errors), and its stream call if any."""

    name: str
    make: Callable[..., Any]
    calls: tuple[Callable[[Any], Any], ...]
    stream: Callable[[Any], Any] | None = None


def _chat_kw(make: Callable[..., Any]) -> Callable[..., Any]:
    return lambda **kw: make(model=s.CHAT_MODEL, **kw)


DRIVERS = [
    Driver("ChatWorkersAI", _chat_kw(ChatWorkersAI), (s.lc_invoke, s.lc_ainvoke), s.lc_astream),
    Driver("WorkersAIEmbeddings", WorkersAIEmbeddings, (s.lc_embed, s.lc_aembed)),
    Driver("WorkersAIReranker", WorkersAIReranker, (s.lc_rerank, s.lc_arerank)),
    Driver("WorkersAI", _chat_kw(WorkersAI), (s.li_chat, li_complete), s.li_stream),
    Driver("WorkersAIEmbedding", WorkersAIEmbedding, (s.li_embed, s.li_aembed)),
    Driver("WorkersAIRerank", WorkersAIRerank, (s.li_rerank, s.li_arerank)),
    Driver("Client", Client, (core_chat, core_embed, core_rerank), core_stream),
    Driver("AsyncClient", AsyncClient, (acore_chat, acore_embed, acore_rerank), acore_stream),
]


def object_forms(obj: Any) -> list[str]:
    """Every way an object shows or serializes itself (pickle is checked separately)."""
    forms = [repr(obj), str(obj), repr(vars(obj)) if hasattr(obj, "__dict__") else ""]
    if hasattr(obj, "model_dump_json"):
        forms += [obj.model_dump_json(), repr(obj.model_dump())]
    if isinstance(obj, (ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker)):
        forms += [dumps(obj), json.dumps(dumpd(obj), default=str)]
    if hasattr(obj, "to_dict"):  # LlamaIndex components
        forms += [obj.to_json(), repr(obj.to_dict())]
    return forms


def error_forms(err: BaseException | None) -> list[str]:
    """str, repr, args, attributes and traceback of an error and of its whole chain."""
    forms: list[str] = []
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        forms += [str(err), repr(err), repr(err.args), repr(getattr(err, "__dict__", {}))]
        forms += traceback.format_exception(err)
        err = err.__cause__ or err.__context__
    return forms


def log_forms(records: list[logging.LogRecord]) -> list[str]:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return [formatter.format(r) + repr(r.args) + repr(r.__dict__) for r in records]


async def drive(driver: Driver, case: Case | None, connect: Connect) -> list[str]:
    """One object, one outcome: every call succeeds (no case) or one call meets the fault."""
    retries = 0 if case is not None and case.timeout < 1 else 1
    obj = driver.make(**connect(timeout=case.timeout if case else 10.0, max_retries=retries))
    clients = (obj,) if isinstance(obj, (Client, AsyncClient)) else s.core_clients(obj)
    record_sleeps(*clients)
    forms = object_forms(obj)
    calls = driver.calls if case is None else (_call_for(driver, case),)
    try:
        for call in calls:
            try:
                forms.append(repr(await call(obj) if s.inspect.iscoroutinefunction(call)
                                  else call(obj)))
            except Exception as err:  # every error kind, recorded in all its forms
                assert case is not None, f"{driver.name} failed without a fault: {err!r}"
                forms += error_forms(err)
        forms += object_forms(obj)  # after use: lazily built clients exist now
    finally:
        await close_any(obj)
    return forms


async def close_any(obj: Any) -> None:
    """Close a core client or a front-end object (both of its clients)."""
    if isinstance(obj, Client):
        obj.close()
    elif isinstance(obj, AsyncClient):
        await obj.aclose()
    else:
        await close(obj)


def _call_for(driver: Driver, case: Case) -> Callable[[Any], Any]:
    if case in CASES or driver.stream is None:
        return driver.calls[0]
    return driver.stream


def kinds_for(driver: Driver) -> list[Case]:
    streamed = [*STREAM_CASES, CUT_MID_STREAM] if driver.stream is not None else []
    return [*CASES, *streamed]


async def test_token_never_leaks(
    emulator: Emulator, connect: Connect, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    forms: list[str] = []
    for driver in DRIVERS:
        emulator.faults.clear()
        forms += await drive(driver, None, connect)
        for case in kinds_for(driver):
            emulator.faults.clear()
            emulator.faults.add(case.fault())
            forms += await drive(driver, case, connect)
    emulator.faults.clear()
    forms += log_forms(caplog.records)
    forms += [f"{r.method} {r.path} {r.query} {r.body!r}" for r in emulator.requests]
    assert any("retrying" in f for f in forms)  # DEBUG retry lines were really captured
    assert any("Rate" in f and "3040" in f for f in forms)  # so were the errors
    leaks = [f for f in forms if TOKEN in f]
    assert leaks == []
    auth = {r.headers.get("authorization") for r in emulator.requests}
    assert auth == {f"Bearer {TOKEN}"}  # the token was in use all along, in its header only


async def run_all(driver: Driver, obj: Any) -> None:
    """Every non-stream call of a driver (builds both lazily made core clients)."""
    for call in driver.calls:
        out = call(obj)
        if s.inspect.isawaitable(out):
            await out


@pytest.mark.parametrize("driver", [pytest.param(d, id=d.name) for d in DRIVERS])
async def test_pickles_carry_no_token(
    driver: Driver, emulator: Emulator, connect: Connect, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The six front-end classes pickle without the token or clients, even after use; a
    copy reads the token from the environment again (the one the emulator accepts) and
    works; the core clients refuse to pickle at all."""
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", TOKEN)
    obj = driver.make(**connect())
    try:
        await run_all(driver, obj)  # lazily built clients exist now
        try:
            data = pickle.dumps(obj)
        except (TypeError, AttributeError, pickle.PicklingError):
            assert isinstance(obj, (Client, AsyncClient))  # only the core clients refuse
            return
        assert TOKEN.encode() not in data
        copy = pickle.loads(data)
        assert copy.api_token.get_secret_value() == TOKEN
        assert copy.base_url == obj.base_url and copy.max_retries == obj.max_retries
        sent = len(emulator.requests)
        await run_all(driver, copy)
        await close(copy)
    finally:
        await close_any(obj)
    auth = {r.headers.get("authorization") for r in emulator.requests[sent:]}
    assert auth == {f"Bearer {TOKEN}"}


@pytest.mark.parametrize("driver", [pytest.param(d, id=d.name) for d in DRIVERS[:6]])
async def test_pickles_leave_out_injected_objects(
    driver: Driver, connect: Connect, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Injected httpx clients and a binding stay with their process; without a token in
    the environment the copy has none (a clear ConfigurationError at its first request)."""
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN", raising=False)
    monkeypatch.delenv("CF_AI_API_TOKEN", raising=False)
    async with httpx.AsyncClient() as asyn:
        sync = httpx.Client(transport=httpx.MockTransport(lambda _: httpx.Response(500)))
        obj = driver.make(**connect(), http_client=sync, http_async_client=asyn,
                          binding=object())
        copy = pickle.loads(pickle.dumps(obj))
    assert (copy.http_client, copy.http_async_client, copy.binding) == (None, None, None)
    assert copy.api_token is None and obj.api_token is not None
