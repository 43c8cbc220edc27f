"""The token and other secrets stay hidden from a hostile server's echoes.

A recording server answers with the token in a request id header, in a redirect's
``Location``, next to multi-byte text that a byte cut would split, inside a malformed JSON
body (which a chained decoder error would keep whole), and in part. Every class is driven
through it and every form of the error (str, repr, args, attributes, traceback, the whole
``__cause__``/``__context__`` chain) is searched for any 12 characters of the token.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.reliability.test_secrets import DRIVERS, Driver, close_any, error_forms
from workersai import Client
from workersai import errors as wa
from workersai._errors_map import error_from_response, redact
from workersai.types import Message

from .recorder import Recorded, Reply, json_reply, recorder
from .replies import sse

TOKEN = "cfut-HOSTILE-1b2c3d4e5f60718293a4-SECRET"
PIECE = 12


def leaks(forms: list[str]) -> list[str]:
    pieces = {TOKEN[i : i + PIECE] for i in range(len(TOKEN) - PIECE + 1)}
    return [f for f in forms if any(p in f for p in pieces)]


def _req_id(_: Recorded) -> Reply:
    body = {"success": False, "errors": [{"code": 3050, "message": "boom"}]}
    return json_reply(body, 500, [("cf-ai-req-id", f"req-{TOKEN}"), ("cf-ray", TOKEN)])


def _redirect(_: Recorded) -> Reply:
    return Reply(302, [("location", f"https://evil.example/?token={TOKEN}")], b"")


def _multibyte(_: Recorded) -> Reply:
    return Reply(502, [("content-type", "text/html")], ("é" * 797 + TOKEN + "日本" * 80).encode())


def _malformed(_: Recorded) -> Reply:
    return Reply(200, [("content-type", "application/json")], b'{"echo": "' + TOKEN.encode())


def _malformed_event(request: Recorded) -> Reply:
    if request.json().get("stream"):
        head = sse({"response": "a"}, done=False)
        head.body += b'data: {"echo": "' + TOKEN.encode() + b'"\n\ndata: [DONE]\n\n'
        return head
    return _malformed(request)


def _partial(_: Recorded) -> Reply:
    body = {"success": False, "errors": [{"code": 10000, "message": f"bad {TOKEN[:30]}"}]}
    return json_reply(body, 401)


SCRIPTS: dict[str, Callable[[Recorded], Reply]] = {
    "request-id": _req_id, "redirect": _redirect, "multibyte": _multibyte,
    "malformed": _malformed, "malformed-event": _malformed_event, "partial": _partial,
}


@pytest.mark.parametrize("script", list(SCRIPTS))
@pytest.mark.parametrize("driver", DRIVERS, ids=lambda d: d.name)
async def test_echoed_tokens_never_reach_an_error(driver: Driver, script: str) -> None:
    forms: list[str] = []
    with recorder(SCRIPTS[script]) as server:
        obj = driver.make(account_id="a" * 32, api_token=TOKEN, base_url=server.url,
                          max_retries=0)
        calls = [*driver.calls, *([driver.stream] if driver.stream else [])]
        try:
            for call in calls:
                with pytest.raises(wa.WorkersAIError) as info:
                    out = call(obj)
                    if hasattr(out, "__await__"):
                        await out
                forms += error_forms(info.value)
        finally:
            await close_any(obj)
    assert forms and leaks(forms) == []


def test_a_request_id_echoing_the_token_is_redacted_on_success() -> None:
    def reply(_: Recorded) -> Reply:
        body = {"result": {"response": "ok"}, "success": True}
        return json_reply(body, 200, [("cf-ai-req-id", TOKEN), ("cf-aig-log-id", TOKEN)])

    with recorder(reply) as server, Client(
        account_id="a" * 32, api_token=TOKEN, base_url=server.url
    ) as client:
        out = client.chat("@cf/meta/llama-3.3-70b-instruct-fp8-fast", [Message("user", "hi")])
    assert leaks([repr(out), repr(out.meta)]) == []
    assert out.meta.request_id == "***"


@pytest.mark.parametrize("prefix", range(0, 40))
def test_snippets_are_redacted_before_they_are_cut(prefix: int) -> None:
    for filler in ("é", "日", "😀", "a"):
        body = (filler * (195 + prefix) + TOKEN + " tail").encode()
        err = error_from_response(500, {}, body, secret=TOKEN)
        assert leaks(error_forms(err)) == [], (filler, prefix)


def test_redact_finds_pieces_of_the_token() -> None:
    assert redact(f"x{TOKEN[5:30]}y", TOKEN) == "x***y"
    assert redact(f"{TOKEN[:11]}", TOKEN) == TOKEN[:11]  # too short to tell
    assert redact(f"a{TOKEN}b{TOKEN[3:]}", TOKEN) == "a***b***"
    assert redact("plain text", TOKEN) == "plain text"


def test_malformed_bodies_chain_no_decoder_error() -> None:
    with recorder(_malformed) as server, Client(
        account_id="a" * 32, api_token=TOKEN, base_url=server.url
    ) as client, pytest.raises(wa.ResponseFormatError) as info:
        client.run("@cf/meta/llama-3.3-70b-instruct-fp8-fast", {"prompt": "x"})
    assert info.value.__context__ is None and info.value.__cause__ is None


def _dump(obj: Any) -> str:
    return json.dumps(obj, default=repr)
