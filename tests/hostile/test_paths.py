"""No request leaves ``/accounts/{id}/ai/run/``: model ids that would reach another path
(or smuggle a query, fragment or header) are refused before a byte is sent, on every
surface; the account id needs a full match; a gateway id with CR/LF is never sent."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from tests.reliability._surfaces import SURFACES, Surface, invoke
from workersai import AsyncClient, Client, errors
from workersai.types import Message

from .conftest import ACCOUNT, MODEL, TOKEN
from .server import Conn, HostileServer, Request

BAD_IDS = {
    "../../../x": "'..'",
    "@cf/a/../../../../user/tokens/verify": "'..'",
    "@cf/x?queueRequest=true#f": "'?'",
    "@cf/meta/llama#frag": "'#'",
    "@cf/meta/llama%2F..%2F..": "'%'",
    "@cf/meta/llama 3": "whitespace",
    "@cf/meta/llama\n3": "control character",
    "@cf/meta/llama\x00": "control character",
    f"@cf/x/y/../../../../accounts/{'f' * 32}/ai/run/@cf/a/b": "'..'",
    "@cf/meta/./llama": "'.'",
    "/user/tokens/verify": "form",
    "@cf/meta": "form",
    "@xx/meta/llama": "form",
    "": "form",
}


async def _ok(request: Request, conn: Conn) -> None:
    await conn.reply(200, b'{"result":{"response":"hi"},"success":true}',
                     {"content-type": "application/json"})


@pytest.fixture
def server(hostile: Callable[..., HostileServer]) -> HostileServer:
    return hostile(_ok)


def _client_kwargs(server: HostileServer) -> dict[str, Any]:
    return {"account_id": ACCOUNT, "api_token": TOKEN, "base_url": server.url,
            "max_retries": 3}


@pytest.mark.parametrize("model", list(BAD_IDS))
def test_core_refuses_model_ids_that_leave_the_run_path(
    server: HostileServer, model: str
) -> None:
    with Client(**_client_kwargs(server)) as client:
        with pytest.raises(errors.InvalidInputError, match="Invalid model id") as info:
            client.run(model, {"prompt": "x"})
        assert BAD_IDS[model] in str(info.value)
        with pytest.raises(errors.InvalidInputError):
            list(client.stream_chat(model, [Message("user", "x")]))

    async def run_async() -> None:
        async with AsyncClient(**_client_kwargs(server)) as client:
            with pytest.raises(errors.InvalidInputError):
                await client.chat(model, [Message("user", "x")])
            with pytest.raises(errors.InvalidInputError):
                await client.run_raw(model, b"x", content_type="audio/wav")

    asyncio.run(run_async())
    assert server.requests == []


def test_good_ids_are_escaped_and_reach_the_run_path(server: HostileServer) -> None:
    with Client(**_client_kwargs(server)) as client:
        client.run(MODEL, {"prompt": "x"})
        client.run("@hf/thebloke/zephyr-7b-beta-awq", {"prompt": "x"})
    paths = [r.target for r in server.requests]
    assert paths == [f"/accounts/{ACCOUNT}/ai/run/{MODEL}",
                     f"/accounts/{ACCOUNT}/ai/run/@hf/thebloke/zephyr-7b-beta-awq"]


CHAT_SURFACES = [s for s in SURFACES if s.kind == "chat"]


@pytest.mark.parametrize("surface", CHAT_SURFACES, ids=lambda s: s.name)
@pytest.mark.parametrize("how", ["field", "override"])
def test_front_ends_refuse_bad_model_ids(
    server: HostileServer, surface: Surface, how: str
) -> None:
    bad = "@cf/a/../../../../user/tokens/verify"
    kwargs = {"base_url": server.url, "account_id": ACCOUNT, "api_key": TOKEN}
    obj = surface.build(**kwargs)
    if how == "field":
        obj.model = bad
        call = surface.call
    else:
        call = _with_override(surface, bad)
    with pytest.raises(errors.InvalidInputError, match=r"Invalid model id .*'\.\.'"):
        asyncio.run(invoke(Surface(surface.name, surface.front, surface.kind,
                                   surface.stream, surface.make, call), obj))
    assert server.requests == []


def _with_override(surface: Surface, model: str) -> Callable[[Any], Any]:
    """The surface's call with a per-call ``model=`` override (LangChain ``bind``)."""
    if surface.front == "lc":
        return lambda llm: surface.call(llm.bind(model=model))
    return lambda llm: surface.call(llm.model_copy(update={"model": model}))


@pytest.mark.parametrize("surface", [s for s in SURFACES if s.kind == "embed"],
                         ids=lambda s: s.name)
def test_embeddings_refuse_bad_model_ids(server: HostileServer, surface: Surface) -> None:
    obj = surface.build(base_url=server.url, account_id=ACCOUNT, api_key=TOKEN,
                        model="@cf/x?queueRequest=true#f")
    with pytest.raises(errors.InvalidInputError, match="'\\?'"):
        asyncio.run(invoke(surface, obj))
    assert server.requests == []


@pytest.mark.parametrize("account", [ACCOUNT + "\n", ACCOUNT + "/../x", " " + ACCOUNT])
def test_account_id_needs_a_full_match(server: HostileServer, account: str) -> None:
    with Client(account_id=account, api_token=TOKEN, base_url=server.url) as client:
        with pytest.raises(errors.ConfigurationError, match="32 hexadecimal"):
            client.run(MODEL, {"prompt": "x"})
    assert server.requests == []


@pytest.mark.parametrize("where", ["config", "per-call"])
@pytest.mark.parametrize("gateway", ["gw\r\nx-evil: 1", "gw\n", "gw\rx"])
def test_gateway_id_with_a_line_break_is_refused_and_not_retried(
    server: HostileServer, where: str, gateway: str
) -> None:
    from workersai import RequestOptions

    kw = _client_kwargs(server)
    options = None
    if where == "config":
        kw["gateway"] = gateway
    else:
        options = RequestOptions(gateway=gateway)
    with Client(**kw) as client:
        calls = 0

        def sleep(seconds: float) -> None:
            nonlocal calls
            calls += 1

        client._backend.sleep = sleep  # type: ignore[attr-defined]
        with pytest.raises(errors.InvalidInputError, match="line break"):
            client.run(MODEL, {"prompt": "x"}, options=options)
    assert calls == 0
    assert server.requests == []
