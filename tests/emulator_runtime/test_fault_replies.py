"""Fault replies: exact status, headers and Cloudflare envelopes (in-process transport)."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from workersai.emulator._types import EmuRequest, EmuResponse
from workersai.emulator.faults import (
    BadInput,
    ErrorReply,
    FailureOn200,
    Fault,
    HTMLPage,
    Latency,
    MalformedJSON,
    PlainError,
    RateLimited,
    ResetBeforeBody,
    ServerBusy,
    Unauthorized,
)
from workersai.emulator.transport import emulator_http_client

from .stub import StubHandler

RUN = "/accounts/a/ai/run/@cf/meta/llama-3.1-8b-instruct"


def post_with(stub: StubHandler, fault: Fault) -> httpx.Response:
    stub.faults.add(fault, times=1)
    with emulator_http_client(stub) as client:
        response = client.post(RUN, json={"prompt": "hi"})
        assert client.post(RUN, json={"prompt": "hi"}).status_code == 200  # times=1
    return response


def test_rate_limited_default_is_3040_short_envelope(stub: StubHandler) -> None:
    response = post_with(stub, RateLimited())
    assert response.status_code == 429
    assert response.content == (b'{"success":false,"errors":[{"code":3040,'
                                b'"message":"Capacity temporarily exceeded, please try again."}]}')
    assert response.headers["content-type"] == "application/json"
    assert "retry-after" not in response.headers
    assert "retry-after-ms" not in response.headers
    assert "cf-ai-req-id" in response.headers and "cf-ray" in response.headers


@pytest.mark.parametrize(("code", "fragment"), [
    (3021, "rate limiting: inference request per min rate reached"),
    (4006, "AiError: AiError: you have used up your daily free allocation of 10,000 neurons"),
    (3036, "daily free allocation"),
])
def test_rate_limited_codes(stub: StubHandler, code: int, fragment: str) -> None:
    response = post_with(stub, RateLimited(code))
    error = response.json()["errors"][0]
    assert response.status_code == 429
    assert error["code"] == code and fragment in error["message"]


def test_retry_after_headers_when_asked(stub: StubHandler) -> None:
    response = post_with(stub, RateLimited(3021, retry_after=2.0, retry_after_ms=1500))
    assert response.headers["retry-after"] == "2"
    assert response.headers["retry-after-ms"] == "1500"
    response = post_with(stub, RateLimited(retry_after="Wed, 21 Oct 2026 07:28:00 GMT"))
    assert response.headers["retry-after"] == "Wed, 21 Oct 2026 07:28:00 GMT"


def test_error_reply_full_envelope(stub: StubHandler) -> None:
    response = post_with(stub, ErrorReply(408, 3007, "Request timeout", retry_after=1))
    assert response.status_code == 408
    assert response.json() == {"result": None, "success": False,
                               "errors": [{"code": 3007, "message": "Request timeout"}],
                               "messages": []}
    assert response.headers["retry-after"] == "1"


def test_server_busy_503_3050(stub: StubHandler) -> None:
    response = post_with(stub, ServerBusy())
    assert response.status_code == 503
    assert response.json()["errors"] == [{"code": 3050,
                                          "message": "AiError: Max retries exhausted"}]


def test_unauthorized_401_without_request_id(stub: StubHandler) -> None:
    response = post_with(stub, Unauthorized())
    assert response.status_code == 401
    assert response.content == (b'{"result":null,"success":false,"errors":[{"code":10000,'
                                b'"message":"Authentication error"}],"messages":[]}')
    assert "cf-ai-req-id" not in response.headers
    assert "cf-ray" in response.headers


def test_bad_input_400_5006(stub: StubHandler) -> None:
    response = post_with(stub, BadInput())
    body = response.json()
    assert response.status_code == 400
    assert body["errors"][0]["code"] == 5006
    assert body["errors"][0]["message"].startswith("AiError: Bad input: Error: ")
    assert body["success"] is False and body["result"] == {}


def test_plain_500(stub: StubHandler) -> None:
    response = post_with(stub, PlainError())
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == "Internal Server Error"


def test_html_502_page(stub: StubHandler) -> None:
    response = post_with(stub, HTMLPage())
    assert response.status_code == 502
    assert response.headers["content-type"] == "text/html"
    assert "<title>502 Bad Gateway</title>" in response.text
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_malformed_json_on_200(stub: StubHandler) -> None:
    response = post_with(stub, MalformedJSON())
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_success_false_on_200(stub: StubHandler) -> None:
    response = post_with(stub, FailureOn200(5006, "AiError: Bad input"))
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert response.json()["errors"] == [{"code": 5006, "message": "AiError: Bad input"}]


def test_latency_delays_the_normal_reply(stub: StubHandler) -> None:
    start = time.perf_counter()
    response = post_with(stub, Latency(0.2))
    assert time.perf_counter() - start >= 0.2
    assert response.json()["result"] == {"response": "Hello"}


@pytest.mark.parametrize("fault", [
    RateLimited(), ServerBusy(), Unauthorized(), BadInput(), PlainError(), HTMLPage(),
    MalformedJSON(), FailureOn200(), ErrorReply(413, 3006, "Request too large"),
    ResetBeforeBody(),
], ids=lambda f: type(f).__name__)
def test_reply_faults_do_not_call_the_app(fault: Fault) -> None:
    def produce() -> EmuResponse:
        raise AssertionError("produce() must not be called")

    fault.apply(EmuRequest("POST", RUN), produce)
