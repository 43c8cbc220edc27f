"""Envelope and status -> typed error mapping (pure, no network)."""

from __future__ import annotations

import json

import pytest

from workersai import errors
from workersai._errors_map import (
    clean_message,
    error_from_payload,
    error_from_response,
    format_error,
    is_context_length,
)


def envelope(code: int | None, message: str) -> bytes:
    item: dict[str, object] = {"message": message}
    if code is not None:
        item["code"] = code
    return json.dumps({"errors": [item], "success": False, "result": {}, "messages": []}).encode()


@pytest.mark.parametrize(
    ("status", "code", "message", "cls", "retryable"),
    [
        (400, 5006, "AiError: Bad input: Error: oneOf at '/' not met", errors.BadRequestError,
         False),
        (400, 5007, "No such model @cf/x/y or task", errors.ModelNotFoundError, False),
        (404, 3042, "Invalid model ID", errors.ModelNotFoundError, False),
        (401, 10000, "Authentication error", errors.AuthenticationError, False),
        (403, 10000, "Authentication error", errors.AuthenticationError, False),
        (403, 5016, "User has not agreed to Llama3.2 model terms", errors.PermissionDeniedError,
         False),
        (403, None, "Model is not available on the Workers Free plan",
         errors.PermissionDeniedError, False),
        (404, 7003, "Could not route to /accounts/x", errors.NotFoundError, False),
        (405, 5005, "Model does not support LoRA inference", errors.LoRANotSupportedError,
         False),
        (408, 3007, "Request timeout", errors.RequestTimeoutError, True),
        (409, None, "conflict", errors.ConflictError, True),
        (413, 3006, "Request too large", errors.RequestTooLargeError, False),
        (429, 3040, "Capacity temporarily exceeded, please try again.", errors.RateLimitError,
         True),
        (429, 3021, "rate limiting: inference request per min rate reached",
         errors.RateLimitError, True),
        (429, 4006, "AiError: AiError: you have used up your daily free allocation",
         errors.QuotaExceededError, False),
        (429, 3036, "daily free allocation used up", errors.QuotaExceededError, False),
        (503, 3050, "AiError: Max retries exhausted", errors.ServerError, True),
        (500, None, "internal", errors.ServerError, True),
        (400, 5028, "model deprecated", errors.DeprecatedModelError, False),
        (418, None, "teapot", errors.APIError, False),
    ],
)
def test_envelope_maps_to_class(
    status: int, code: int | None, message: str, cls: type[errors.APIError], retryable: bool
) -> None:
    headers = {"cf-ai-req-id": "req-1", "cf-ray": "ray-1"}
    err = error_from_response(status, headers, envelope(code, message))
    assert type(err) is cls
    assert err.status_code == status
    assert err.code == code
    assert err.codes == ([code] if code is not None else [])
    assert err.request_id == "req-1"
    assert err.is_retryable is retryable
    assert not err.message.startswith("AiError")
    assert clean_message(message) in err.message


def test_request_id_falls_back_to_cf_ray() -> None:
    err = error_from_response(401, {"cf-ray": "8abc-SJC"}, envelope(10000, "Authentication error"))
    assert err.request_id == "8abc-SJC"
    assert "8abc-SJC" in str(err)


def test_context_length_from_embedded_vllm_error() -> None:
    msg = (
        'AiError: AiError: {"object":"error","message":"Requested token count exceeds the '
        "model's maximum context length of 262144 tokens.\"}"
    )
    err = error_from_response(400, {}, envelope(5006, msg))
    assert isinstance(err, errors.ContextLengthError)
    assert "262144" in err.message
    assert err.code == 5006


@pytest.mark.parametrize(
    "text",
    ["This model's maximum context length is 8192", "context length exceeded",
     "Token count exceeds the limit", "input exceeds the context window"],
)
def test_context_length_phrases(text: str) -> None:
    assert is_context_length(text)
    assert isinstance(error_from_response(400, {}, envelope(None, text)),
                      errors.ContextLengthError)


def test_context_phrase_on_5xx_stays_server_error() -> None:
    err = error_from_response(503, {}, envelope(None, "maximum context length"))
    assert type(err) is errors.ServerError


def test_clean_message_strips_doubled_prefix_keeps_text() -> None:
    assert clean_message("AiError: AiError: out of neurons (f24e675b)") == (
        "out of neurons (f24e675b)"
    )
    assert clean_message("plain") == "plain"


def test_multiple_errors_keep_all_codes_and_messages() -> None:
    body = json.dumps({"success": False, "errors": [
        {"code": 7003, "message": "Could not route"}, {"code": 7000, "message": "No route"}
    ]}).encode()
    err = error_from_response(400, {}, body)
    assert isinstance(err, errors.NotFoundError)
    assert err.codes == [7003, 7000]
    assert err.messages == ["Could not route", "No route"]


def test_retry_after_header_is_carried() -> None:
    err = error_from_response(429, {"retry-after": "7"}, envelope(3040, "Capacity"))
    assert err.retry_after == 7.0


def test_html_502_body_gives_server_error_with_words() -> None:
    html = b"<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>"
    err = error_from_response(502, {"cf-ray": "r"}, html)
    assert type(err) is errors.ServerError
    assert err.is_retryable
    assert "502 Bad Gateway" in err.message and "<" not in err.message


def test_empty_and_non_json_bodies_map_by_status() -> None:
    assert type(error_from_response(401, {}, b"")) is errors.AuthenticationError
    assert type(error_from_response(429, {}, b"slow down")) is errors.RateLimitError
    assert type(error_from_response(404, {}, b"[1, 2]")) is errors.NotFoundError


def test_redirect_is_an_error_naming_location() -> None:
    err = error_from_response(302, {"location": "https://elsewhere/"}, b"")
    assert type(err) is errors.APIError
    assert not err.is_retryable
    assert "https://elsewhere/" in err.message


def test_openai_style_error_object_is_read() -> None:
    body = json.dumps({"error": {"message": "bad model", "code": "5007"}}).encode()
    err = error_from_response(400, {}, body)
    assert isinstance(err, errors.ModelNotFoundError)


def test_odd_shapes_never_raise_type_or_key_errors() -> None:
    for body in [b'{"errors": "nope"}', b'{"errors": [1, null, {"code": "x"}]}',
                 b'{"errors": [{"code": true}]}', b"null", b'"text"', b"\xff\xfe"]:
        err = error_from_response(500, {}, body)
        assert isinstance(err, errors.APIError)


def test_envelope_error_detection() -> None:
    from workersai.wire.envelope import is_error_envelope as envelope_error

    assert envelope_error({"success": False, "errors": []})
    assert envelope_error({"errors": [{"code": 1}]})
    assert not envelope_error({"result": {}, "success": True, "errors": []})
    assert not envelope_error({"choices": []})
    assert not envelope_error([1])


def test_payload_error_on_200_keeps_status_and_code() -> None:
    err = error_from_payload({"errors": [{"code": 3040, "message": "busy"}]}, 200, {})
    assert isinstance(err, errors.RateLimitError)
    assert err.status_code == 200 and err.is_retryable


def test_secret_is_redacted_everywhere() -> None:
    secret = "tok_SECRET_123"
    body = envelope(10000, f"bad token {secret}")
    err = error_from_response(401, {}, body, secret=secret)
    assert secret not in str(err) and secret not in repr(err.messages)
    html = f"<p>oops {secret}</p>".encode()
    message = error_from_response(500, {}, html, secret=secret).message
    assert "oops ***" in message and secret not in message
    fmt = format_error("bad", 200, b"y" * 495 + secret.encode(), secret)
    assert "tok_S" not in fmt.body
