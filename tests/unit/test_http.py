"""The HTTP shells: requests on the wire, answers, envelopes, retries and every knob.

Each test runs through both twins (sync and async) with ``httpx.MockTransport``."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest

from workersai import errors
from workersai._backend import Binary, RawBody, Target
from workersai.config import GatewayOptions, RequestOptions, Timeouts
from workersai.errors import ConfigurationError

from .test_http_fakes import (
    ACCOUNT,
    BASE,
    MODEL,
    TOKEN,
    TWINS,
    Server,
    Twin,
    config,
    fail,
    json_reply,
    ok,
    raw_reply,
)

RUN_URL = f"{BASE}/accounts/{ACCOUNT}/ai/run/{MODEL}"


@TWINS
def test_native_request_line_headers_and_body(kind: str) -> None:
    server = Server(ok({"response": "hello"}))
    result, meta = Twin(kind, server).send(body={"prompt": "hi", "max_tokens": 5})
    assert result == {"response": "hello"}
    (req,) = server.requests
    assert req.method == "POST"
    assert str(req.url) == RUN_URL
    assert req.url.raw_path.decode().endswith("/ai/run/@cf/meta/llama-3.1-8b-instruct")
    assert req.headers["authorization"] == f"Bearer {TOKEN}"
    assert req.headers["content-type"] == "application/json"
    assert req.headers["user-agent"].startswith("workersai-integrations/")
    assert json.loads(req.content) == {"prompt": "hi", "max_tokens": 5}
    assert meta.status_code == 200 and meta.attempts == 1


@TWINS
@pytest.mark.parametrize(
    ("route", "path"),
    [("openai-chat", "/ai/v1/chat/completions"), ("openai-embeddings", "/ai/v1/embeddings")],
)
def test_openai_routes_return_bare_objects(kind: str, route: Any, path: str) -> None:
    bare = {"id": "c1", "object": "chat.completion", "choices": []}
    server = Server(json_reply(bare))
    result, _ = Twin(kind, server).send(Target(MODEL, route), {"model": MODEL})
    assert result == bare
    assert str(server.requests[0].url) == f"{BASE}/accounts/{ACCOUNT}{path}"


@TWINS
def test_openai_route_errors_keep_the_envelope(kind: str) -> None:
    server = Server(fail(503, 3050, "AiError: Max retries exhausted"))
    cfg = config(max_retries=0)
    with pytest.raises(errors.ServerError) as info:
        Twin(kind, server, cfg).send(Target(MODEL, "openai-chat"), {"model": MODEL})
    assert info.value.code == 3050 and info.value.message == "Max retries exhausted"


@TWINS
def test_success_false_on_http_200_raises_typed_error(kind: str) -> None:
    server = Server(json_reply({"success": False, "errors": [{"code": 5006, "message": "bad"}]}))
    with pytest.raises(errors.BadRequestError) as info:
        Twin(kind, server).send()
    assert info.value.status_code == 200 and info.value.code == 5006
    assert len(server.requests) == 1


@TWINS
def test_html_502_is_a_server_error_after_retries(kind: str) -> None:
    html = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    server = Server(raw_reply(502, html, "text/html", {"cf-ray": "ray-9"}))
    twin = Twin(kind, server)
    with pytest.raises(errors.ServerError) as info:
        twin.send()
    assert "502 Bad Gateway" in info.value.message
    assert info.value.request_id == "ray-9"
    assert len(server.requests) == 3 and twin.sleeps == [0.5, 1.0]
    assert server.leaked == 0


@TWINS
@pytest.mark.parametrize(
    ("reply", "text"),
    [
        (raw_reply(200, b"{not json", "application/json"), "malformed"),
        (json_reply({"success": True, "errors": []}), "no 'result'"),
        (json_reply([1, 2]), "no 'result'"),
    ],
)
def test_unreadable_200_is_a_response_format_error(kind: str, reply: Any, text: str) -> None:
    with pytest.raises(errors.ResponseFormatError, match=text) as info:
        Twin(kind, Server(reply)).send()
    assert info.value.status_code == 200


@TWINS
def test_binary_output_is_returned_as_bytes(kind: str) -> None:
    server = Server(raw_reply(200, b"\x89PNG...", "image/png"))
    result, _ = Twin(kind, server).send()
    assert result == Binary(b"\x89PNG...", "image/png")


@TWINS
def test_raw_body_with_content_type_and_query(kind: str) -> None:
    server = Server(ok({"text": "hi"}))
    body = RawBody(b"RIFF....WAVE", "audio/wav", {"detect_language": "true", "a b": "c&d"})
    result, _ = Twin(kind, server).send(body=body)
    assert result == {"text": "hi"}
    req = server.requests[0]
    assert req.content == b"RIFF....WAVE" and req.headers["content-type"] == "audio/wav"
    assert req.url.params["detect_language"] == "true" and req.url.params["a b"] == "c&d"
    assert str(req.url).startswith(RUN_URL + "?")


@TWINS
def test_meta_from_headers(kind: str) -> None:
    headers = {"cf-ai-req-id": "req-1", "cf-ray": "ray-1", "cf-ai-neurons": "1.98",
               "cf-aig-cache-status": "HIT", "cf-aig-log-id": "log-1"}
    _, meta = Twin(kind, Server(ok({}, headers))).send()
    assert (meta.request_id, meta.neurons, meta.gateway_cache_status, meta.gateway_log_id) == (
        "req-1", 1.98, "HIT", "log-1")
    _, meta = Twin(kind, Server(ok({}, {"cf-ray": "ray-2", "cf-ai-neurons": "n/a"}))).send()
    assert meta.request_id == "ray-2" and meta.neurons is None


# --- retries -------------------------------------------------------------------------------


@TWINS
def test_retries_capacity_then_succeeds_with_backoff(kind: str) -> None:
    server = Server(fail(429, 3040), fail(429, 3040), ok({"response": "ok"}))
    twin = Twin(kind, server)
    result, meta = twin.send()
    assert result == {"response": "ok"}
    assert meta.attempts == 3 and len(server.requests) == 3
    assert twin.sleeps == [0.5, 1.0]
    assert server.leaked == 0


@TWINS
@pytest.mark.parametrize(
    ("status", "code"),
    [(408, None), (409, None), (429, 3021), (500, None), (503, 3050), (408, 3007),
     (400, 3040)],
)
def test_retryable_answers_use_the_whole_budget(kind: str, status: int, code: int | None) -> None:
    server = Server(fail(status, code))
    with pytest.raises(errors.APIError) as info:
        Twin(kind, server).send()
    assert info.value.is_retryable
    assert len(server.requests) == 3


@TWINS
@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [(429, 4006, errors.QuotaExceededError), (429, 3036, errors.QuotaExceededError),
     (401, 10000, errors.AuthenticationError), (400, 5006, errors.BadRequestError),
     (400, 5007, errors.ModelNotFoundError), (404, None, errors.NotFoundError),
     (403, None, errors.PermissionDeniedError), (413, 3006, errors.RequestTooLargeError)],
)
def test_permanent_errors_are_not_retried(
    kind: str, status: int, code: int | None, cls: type[Exception]
) -> None:
    server = Server(fail(status, code))
    twin = Twin(kind, server)
    with pytest.raises(cls):
        twin.send()
    assert len(server.requests) == 1 and twin.sleeps == []


@TWINS
def test_max_retries_knob_on_config_and_per_call(kind: str) -> None:
    server = Server(fail(503, None))
    with pytest.raises(errors.ServerError):
        Twin(kind, server, config(max_retries=4)).send()
    assert len(server.requests) == 5
    server = Server(fail(503, None))
    with pytest.raises(errors.ServerError):
        Twin(kind, server, config(max_retries=4)).send(options=RequestOptions(max_retries=0))
    assert len(server.requests) == 1
    with pytest.raises(errors.InvalidInputError):
        Twin(kind, Server(ok({}))).send(options=RequestOptions(max_retries=-1))


@TWINS
@pytest.mark.parametrize(
    ("headers", "sleep"), [({"retry-after": "3"}, 3.0), ({"retry-after-ms": "250"}, 0.25),
                           ({"retry-after": "9999"}, 60.0)],
)
def test_retry_after_is_honoured(kind: str, headers: dict[str, str], sleep: float) -> None:
    server = Server(fail(429, 3040, headers=headers), ok({}))
    twin = Twin(kind, server)
    twin.send()
    assert twin.sleeps == [sleep]


@TWINS
@pytest.mark.parametrize(
    ("exc", "cls"),
    [(httpx.ConnectError("refused"), errors.ConnectError),
     (httpx.ReadError("connection reset by peer"), errors.TransportError),
     (httpx.ReadTimeout("slow"), errors.TimeoutError),
     (httpx.ConnectTimeout("slow"), errors.TimeoutError),
     (httpx.RemoteProtocolError("closed"), errors.TransportError)],
)
def test_transport_failures_are_retried_then_typed(
    kind: str, exc: Exception, cls: type[Exception]
) -> None:
    server = Server(exc, ok({"v": 1}))
    assert Twin(kind, server).send()[0] == {"v": 1}
    assert len(server.requests) == 2
    server = Server(exc)
    with pytest.raises(cls) as info:
        Twin(kind, server).send()
    assert len(server.requests) == 3
    assert isinstance(info.value.__cause__, httpx.HTTPError)


@TWINS
def test_bad_base_url_is_a_configuration_error(kind: str) -> None:
    server = Server(httpx.UnsupportedProtocol("ftp"))
    with pytest.raises(ConfigurationError):
        Twin(kind, server).send()
    assert len(server.requests) == 1


@TWINS
def test_each_retry_is_logged_at_debug(kind: str, caplog: pytest.LogCaptureFixture) -> None:
    server = Server(fail(503, 3050), ok({}))
    with caplog.at_level(logging.DEBUG, logger="workersai"):
        Twin(kind, server).send()
    (record,) = [r for r in caplog.records if r.name == "workersai"]
    assert record.levelno == logging.DEBUG
    assert "retry 1 of 2" in record.getMessage() and "ServerError" in record.getMessage()


# --- redirects and credentials -------------------------------------------------------------


@TWINS
def test_redirects_are_not_followed_even_by_an_injected_client(kind: str) -> None:
    server = Server(raw_reply(307, b"", "text/plain", {"location": "https://evil.example/"}),
                    ok({}))
    twin = Twin(kind, server, follow_redirects=True)
    with pytest.raises(errors.APIError) as info:
        twin.send()
    assert info.value.status_code == 307 and "evil.example" in info.value.message
    assert len(server.requests) == 1


@TWINS
@pytest.mark.parametrize(
    "kw", [{"account_id": "", "api_token": ""}, {"account_id": "short"}, {"api_token": ""}]
)
@pytest.mark.usefixtures("clean_env")
def test_missing_credentials_raise_at_first_request(kind: str, kw: dict[str, str]) -> None:
    server = Server(ok({}))
    twin = Twin(kind, server, config(**kw))  # construction is fine
    with pytest.raises(ConfigurationError):
        twin.send()
    assert server.requests == []


# --- knobs ---------------------------------------------------------------------------------


@TWINS
def test_timeouts_knob_reaches_the_request(kind: str) -> None:
    server = Server(ok({}))
    twin = Twin(kind, server, config(timeout=Timeouts(connect=1, read=2, write=3, pool=4)))
    twin.send()
    assert server.requests[0].extensions["timeout"] == {
        "connect": 1, "read": 2, "write": 3, "pool": 4}
    twin.send(options=RequestOptions(timeout=7))
    assert server.requests[1].extensions["timeout"]["read"] == 7


@TWINS
def test_gateway_and_default_headers_and_base_url(kind: str) -> None:
    cfg = config(gateway="my-gw", default_headers={"X-Team": "search"},
                 base_url="http://127.0.0.1:8787/client/v4/")
    server = Server(ok({}))
    twin = Twin(kind, server, cfg)
    twin.send()
    req = server.requests[0]
    assert str(req.url) == f"http://127.0.0.1:8787/client/v4/accounts/{ACCOUNT}/ai/run/{MODEL}"
    assert req.headers["cf-aig-gateway-id"] == "my-gw"
    assert req.headers["x-team"] == "search"
    twin.send(options=RequestOptions(gateway="other"))
    assert server.requests[1].headers["cf-aig-gateway-id"] == "other"
    twin.send()
    assert server.requests[2].headers["cf-aig-gateway-id"] == "my-gw"


@TWINS
def test_no_gateway_header_without_a_gateway(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLOUDFLARE_AI_GATEWAY_ID", raising=False)
    server = Server(ok({}))
    Twin(kind, server).send()
    assert "cf-aig-gateway-id" not in server.requests[0].headers
    assert "x-session-affinity" not in server.requests[0].headers


GATEWAY_OPTIONS = [
    (GatewayOptions(cache_ttl=120), "cf-aig-cache-ttl", "120"),
    (GatewayOptions(skip_cache=True), "cf-aig-skip-cache", "true"),
    (GatewayOptions(cache_key="k1"), "cf-aig-cache-key", "k1"),
    (GatewayOptions(metadata={"user": "u1", "n": 2}), "cf-aig-metadata", '{"user":"u1","n":2}'),
    (GatewayOptions(collect_log=False), "cf-aig-collect-log", "false"),
    (GatewayOptions(event_id="e1"), "cf-aig-event-id", "e1"),
    (GatewayOptions(request_timeout_ms=1500), "cf-aig-request-timeout", "1500"),
    (GatewayOptions(max_attempts=3), "cf-aig-max-attempts", "3"),
    (GatewayOptions(retry_delay_ms=200), "cf-aig-retry-delay", "200"),
    (GatewayOptions(backoff="linear"), "cf-aig-backoff", "linear"),
]


@TWINS
@pytest.mark.parametrize(("opts", "header", "value"), GATEWAY_OPTIONS)
def test_each_gateway_option_header(
    kind: str, opts: GatewayOptions, header: str, value: str
) -> None:
    server = Server(ok({}))
    twin = Twin(kind, server, config(gateway="gw", gateway_options=opts))
    twin.send()  # client default
    assert server.requests[0].headers[header] == value
    twin.send(options=RequestOptions(gateway_options=GatewayOptions()))  # per call replaces
    assert header not in server.requests[1].headers
    plain = Twin(kind, server, config(gateway="gw"))
    plain.send(options=RequestOptions(gateway_options=opts))  # per call only
    assert server.requests[2].headers[header] == value


@TWINS
def test_session_affinity_and_extra_headers_per_call(kind: str) -> None:
    server = Server(ok({}))
    twin = Twin(kind, server)
    twin.send(options=RequestOptions(session_affinity="ses_1", extra_headers={"X-Trace": "t"}))
    req = server.requests[0]
    assert req.headers["x-session-affinity"] == "ses_1" and req.headers["x-trace"] == "t"
    twin.send()
    assert "x-session-affinity" not in server.requests[1].headers
