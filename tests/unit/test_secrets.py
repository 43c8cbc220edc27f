"""The API token never appears in a repr, a log line (DEBUG included), an exception text
or a request body."""

from __future__ import annotations

import logging
import pickle

import httpx
import pytest

from workersai import AsyncClient, Client, errors
from workersai._backend import Target
from workersai.config import RequestOptions

from .test_http_fakes import MODEL, TOKEN, TWINS, Server, Twin, config, fail, ok, raw_reply


def test_reprs_hide_the_token() -> None:
    cfg = config()
    sync, aio = Client(config=cfg), AsyncClient(config=cfg)
    for obj in (cfg, sync, aio, sync.config, sync._backend, aio._backend):
        assert TOKEN not in repr(obj) and TOKEN not in str(obj)
    assert "account_id" in repr(sync)


@TWINS
def test_debug_logs_hold_no_token(kind: str, caplog: pytest.LogCaptureFixture) -> None:
    server = Server(fail(429, 3040, f"busy for {TOKEN}"), httpx.ConnectError(TOKEN), ok({}))
    with caplog.at_level(logging.DEBUG):
        Twin(kind, server).send()
    assert len(server.requests) == 3
    assert caplog.records  # something was logged (our retries at least)
    assert sum(r.name == "workersai" for r in caplog.records) == 2
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
    assert TOKEN not in caplog.text


@TWINS
@pytest.mark.parametrize(
    "reply",
    [
        fail(401, 10000, f"Authentication error for token {TOKEN}"),
        raw_reply(502, f"<html>upstream echoed {TOKEN}</html>".encode(), "text/html"),
        raw_reply(200, f"not json {TOKEN}".encode(), "application/json"),
        httpx.ConnectError(f"could not connect with {TOKEN}"),
        httpx.ReadTimeout(f"timed out for {TOKEN}"),
    ],
)
def test_exception_texts_hold_no_token(kind: str, reply: object) -> None:
    twin = Twin(kind, Server(reply), config(max_retries=0))  # type: ignore[arg-type]
    with pytest.raises(errors.WorkersAIError) as info:
        twin.send()
    err = info.value
    texts = [str(err), repr(err), err.message, repr(vars(err))]
    assert all(TOKEN not in text for text in texts)
    assert TOKEN not in str(pickle.loads(pickle.dumps(err)))


def test_configuration_errors_hold_no_token() -> None:
    with pytest.raises(errors.ConfigurationError) as info:
        Client(account_id="not-hex", api_token=TOKEN, http_client=httpx.Client()).run(
            "@cf/meta/llama-3.3-70b-instruct-fp8-fast", {"prompt": "x"})
    assert TOKEN not in str(info.value)


@TWINS
def test_request_bodies_and_urls_hold_no_token(kind: str) -> None:
    server = Server(ok({}))
    twin = Twin(kind, server, config(gateway="gw", default_headers={"x-a": "b"}))
    twin.send(body={"prompt": "hello"})
    twin.send(Target(MODEL, "openai-chat"), {"model": MODEL},
              RequestOptions(session_affinity="s", extra_headers={"x-b": "c"}))
    for req in server.requests:
        assert TOKEN.encode() not in req.content
        assert TOKEN not in str(req.url)
        assert req.headers["authorization"] == f"Bearer {TOKEN}"  # only here
        assert [k for k, v in req.headers.items() if TOKEN in v] == ["authorization"]
