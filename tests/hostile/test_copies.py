"""Copies and changed fields send with their own account, token, URL, timeouts, retries.

Every front-end surface (six classes, sync and async, streamed and not) is used once
against one recording server, copied (``model_copy(update=...)``, ``copy.copy`` and
``copy.deepcopy`` plus assignment), and the copy must reach a second server with its own
account in the path, its own token in ``Authorization`` and its own retry count, while
the original keeps its own. The core clients get the same treatment.
"""

from __future__ import annotations

import copy
import time
from typing import Any

import pytest

from tests.reliability._surfaces import SURFACES, Surface, invoke, record_sleeps
from workersai import AsyncClient, Client
from workersai import errors as wa
from workersai.types import Message

from .recorder import Recorded, Reply, recorder
from .replies import account, auth, failing, ok

A, B = "a" * 32, "b" * 32
TA, TB = "token-A-0123456789abcdef", "token-B-fedcba9876543210"


def _copy(obj: Any, how: str, url: str) -> Any:
    new = {"account_id": B, "api_token": TB, "base_url": url, "max_retries": 2}
    if how == "model_copy":
        return obj.model_copy(update=new)
    copied = copy.copy(obj) if how == "copy" else copy.deepcopy(obj)
    for name, value in new.items():  # assignment after use takes effect
        setattr(copied, name, value)
    return copied


_CASES = [("model_copy", s) for s in SURFACES] + [
    (how, s) for how in ("copy", "deepcopy") for s in SURFACES if not s.stream
]


@pytest.mark.parametrize(
    ("how", "surface"), _CASES, ids=[f"{how}-{s.name}" for how, s in _CASES]
)
async def test_a_copy_made_after_use_sends_with_its_own_fields(
    surface: Surface, how: str
) -> None:
    with recorder(ok) as first, recorder(failing) as second:
        original = surface.build(account_id=A, api_token=TA, base_url=first.url, max_retries=0)
        await invoke(surface, original)  # builds and caches the core clients
        copied = _copy(original, how, second.url)
        record_sleeps(copied._sync_client(), copied._async_client())
        with pytest.raises(wa.WorkersAIError):
            await invoke(surface, copied)
        await invoke(surface, original)  # the original is untouched
    assert len(second.requests) == 3  # the copy's own max_retries=2
    assert {account(r) for r in second.requests} == {B}
    assert {auth(r) for r in second.requests} == {f"Bearer {TB}"}
    assert len(first.requests) == 2
    assert {account(r) for r in first.requests} == {A}
    assert {auth(r) for r in first.requests} == {f"Bearer {TA}"}


class _SlowAfterFirst:
    def __init__(self) -> None:
        self.seen = 0

    def __call__(self, request: Recorded) -> Reply:
        self.seen += 1
        if self.seen > 1:
            time.sleep(0.2)
        return ok(request)


@pytest.mark.parametrize(
    "surface", [s for s in SURFACES if not s.stream], ids=lambda s: s.name
)
async def test_a_copy_uses_its_own_timeout(surface: Surface) -> None:
    with recorder(_SlowAfterFirst()) as server:
        original = surface.build(account_id=A, api_token=TA, base_url=server.url,
                                 max_retries=0, timeout=5)
        await invoke(surface, original)
        copied = original.model_copy(update={"timeout": 0.05})
        with pytest.raises(wa.TimeoutError):
            await invoke(surface, copied)


@pytest.mark.parametrize("surface", [SURFACES[0], SURFACES[1]], ids=lambda s: s.name)
async def test_fields_assigned_after_use_take_effect(surface: Surface) -> None:
    with recorder(ok) as first, recorder(failing) as second:
        obj = surface.build(account_id=A, api_token=TA, base_url=first.url, max_retries=0)
        await invoke(surface, obj)
        obj.base_url = second.url
        obj.max_retries = 1
        obj.api_token = TB  # a plain string is kept secret
        record_sleeps(obj._sync_client(), obj._async_client())
        with pytest.raises(wa.ServerError):
            await invoke(surface, obj)
    assert TB not in repr(obj)
    assert len(second.requests) == 2
    assert {auth(r) for r in second.requests} == {f"Bearer {TB}"}


MSGS = [Message("user", "hi")]


def _core_copies(client: Any, url: str) -> list[Any]:
    settings = {"account_id": B, "api_token": TB, "base_url": url, "max_retries": 2}
    return [client.with_options(**settings),
            copy.copy(client).with_options(**settings),
            copy.deepcopy(client).with_options(**settings)]


def test_core_client_copies_are_independent() -> None:
    with recorder(ok) as first, recorder(failing) as second:
        client = Client(account_id=A, api_token=TA, base_url=first.url, max_retries=0)
        client.chat("@cf/meta/llama-3.3-70b-instruct-fp8-fast", MSGS)
        for copied in [*_core_copies(client, second.url), copy.deepcopy(client)]:
            copied._backend.sleep = lambda s: None
            expected = wa.ServerError if copied.config.account_id == B else type(None)
            try:
                copied.chat("@cf/meta/llama-3.3-70b-instruct-fp8-fast", MSGS)
            except wa.ServerError as err:
                assert expected is wa.ServerError, err
            copied.close()
        client.chat("@cf/meta/llama-3.3-70b-instruct-fp8-fast", MSGS)
        client.close()
    assert len(second.requests) == 9
    assert {(account(r), auth(r)) for r in second.requests} == {(B, f"Bearer {TB}")}
    assert {(account(r), auth(r)) for r in first.requests} == {(A, f"Bearer {TA}")}
    assert len(first.requests) == 3  # the first call, the plain deepcopy, the last call


async def test_async_core_client_copies_are_independent() -> None:
    with recorder(ok) as first, recorder(failing) as second:
        client = AsyncClient(account_id=A, api_token=TA, base_url=first.url, max_retries=0)
        await client.chat("@cf/meta/llama-3.3-70b-instruct-fp8-fast", MSGS)

        async def no_sleep(s: float) -> None:
            return None

        for copied in _core_copies(client, second.url):
            copied._backend.sleep = no_sleep
            with pytest.raises(wa.ServerError):
                await copied.chat("@cf/meta/llama-3.3-70b-instruct-fp8-fast", MSGS)
            await copied.aclose()
        await client.chat("@cf/meta/llama-3.3-70b-instruct-fp8-fast", MSGS)
        await client.aclose()
    assert len(second.requests) == 9
    assert {(account(r), auth(r)) for r in second.requests} == {(B, f"Bearer {TB}")}
    assert {(account(r), auth(r)) for r in first.requests} == {(A, f"Bearer {TA}")}


def test_core_client_settings_are_frozen() -> None:
    client = Client(account_id=A, api_token=TA)
    with pytest.raises(AttributeError):
        client.config = client.config  # type: ignore[misc]
    with pytest.raises(wa.InvalidInputError, match="unknown setting"):
        client.with_options(acount_id=B)


@pytest.mark.parametrize("twin", [Client, AsyncClient], ids=["sync", "async"])
def test_core_copies_keep_every_setting_they_do_not_change(twin: type[Any]) -> None:
    from workersai.config import GatewayOptions, Limits

    client = twin(
        account_id=A, api_token=TA, base_url="http://127.0.0.1:9/v4", gateway="gw",
        gateway_options=GatewayOptions(cache_ttl=60), timeout=7.0, max_retries=4,
        default_headers={"x-team": "rag"}, limits=Limits(max_response_bytes=1 << 20),
        deadline=42.0, max_connections=3,
    )
    for copied in (copy.copy(client), copy.deepcopy(client), client.with_options()):
        assert copied.config == client.config
        assert copied is not client
    changed = client.with_options(timeout=1.0)
    assert changed.config.timeouts != client.config.timeouts
    assert (changed.config.limits, changed.config.deadline, changed.config.max_connections) == (
        client.config.limits, 42.0, 3)
