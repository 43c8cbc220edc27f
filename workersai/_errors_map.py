"""Cloudflare envelopes and HTTP statuses -> the typed errors of ``workersai.errors``.

Pure functions: they take the status, the response headers and the body, never a
response object, so they are tested without a network. The envelope is parsed here and
nowhere else. ``secret`` (the API token) is scrubbed from every text we keep.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any

from . import _json
from ._retry import is_retryable, parse_retry_after
from .errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ContextLengthError,
    DeprecatedModelError,
    LoRANotSupportedError,
    ModelNotFoundError,
    NotFoundError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    RequestTimeoutError,
    RequestTooLargeError,
    ResponseFormatError,
    ServerError,
)
from .wire.envelope import error_entries

__all__ = [
    "clean_message",
    "error_class",
    "error_from_payload",
    "error_from_response",
    "format_error",
    "model_hint",
    "use_model_hints",
    "is_context_length",
    "redact",
    "request_id",
]

_BY_CODE: dict[int, type[APIError]] = {
    5007: ModelNotFoundError,
    3042: ModelNotFoundError,
    10000: AuthenticationError,
    3036: QuotaExceededError,
    4006: QuotaExceededError,
    3040: RateLimitError,
    3021: RateLimitError,
    3007: RequestTimeoutError,
    3008: RequestTimeoutError,
    3006: RequestTooLargeError,
    5005: LoRANotSupportedError,
    5028: DeprecatedModelError,
    3050: ServerError,
    7000: NotFoundError,
    7003: NotFoundError,
    5016: PermissionDeniedError,
    5018: PermissionDeniedError,
    3041: PermissionDeniedError,
    3023: PermissionDeniedError,
    5006: BadRequestError,
    5004: BadRequestError,
    3003: BadRequestError,
    3039: BadRequestError,
    5019: APIError,  # deprecated SDK version (HTTP 405, but not a LoRA problem)
}

_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    405: LoRANotSupportedError,
    408: RequestTimeoutError,
    409: ConflictError,
    413: RequestTooLargeError,
    422: BadRequestError,
    429: RateLimitError,
}

_AIERROR_PREFIX = re.compile(r"^(?:\s*AiError:\s*)+")
_CONTEXT_RE = re.compile(
    r"context[ _-]length|maximum context|context window|token count exceeds"
    r"|too many (?:input )?tokens",
    re.IGNORECASE,
)
_SNIPPET = 200


_PIECE = 12
"""Characters of the token that, found together in a text, count as a leak."""


def redact(text: str, secret: str | None) -> str:
    """``text`` with every occurrence of ``secret``, and of any piece of it at least
    ``_PIECE`` characters long (a token cut by a snippet or echoed in part), replaced by
    ``***``."""
    if not secret or not text:
        return text
    if secret in text:
        text = text.replace(secret, "***")
    if len(secret) < _PIECE or _secret_pattern(secret).search(text) is None:
        return text
    spans = _pieces(text, secret)
    if not spans:
        return text
    out, last = [], 0
    for start, stop in spans:
        out += [text[last:start], "***"]
        last = stop
    out.append(text[last:])
    return "".join(out)


@functools.lru_cache(maxsize=8)
def _secret_pattern(secret: str) -> re.Pattern[str]:
    """Any ``_PIECE``-character run of the token, as one pattern compiled once per token:
    a text holds a piece of the token only if it matches, which one search in C tells
    before any slicing (this runs on every answer's request id)."""
    runs = {secret[i : i + _PIECE] for i in range(len(secret) - _PIECE + 1)}
    return re.compile("|".join(map(re.escape, sorted(runs))))


def _pieces(text: str, secret: str) -> list[tuple[int, int]]:
    """Merged ``(start, stop)`` spans of ``text`` that match a run of ``secret``."""
    spans: list[tuple[int, int]] = []
    for j in range(0, len(secret) - _PIECE + 1):
        window = secret[j : j + _PIECE]
        at = text.find(window)
        while at != -1:
            start, stop, s0, s1 = at, at + _PIECE, j, j + _PIECE
            while start > 0 and s0 > 0 and text[start - 1] == secret[s0 - 1]:
                start, s0 = start - 1, s0 - 1
            while stop < len(text) and s1 < len(secret) and text[stop] == secret[s1]:
                stop, s1 = stop + 1, s1 + 1
            spans.append((start, stop))
            at = text.find(window, at + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, stop in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
        else:
            merged.append((start, stop))
    return merged


def clean_message(message: str) -> str:
    """Drop the (sometimes doubled) ``AiError: `` prefix; keep the rest of the text."""
    return _AIERROR_PREFIX.sub("", message).strip() or message.strip()


def is_context_length(message: str) -> bool:
    """Whether an error text says the input is too long for the model's context."""
    return _CONTEXT_RE.search(message) is not None


def request_id(headers: Mapping[str, str], secret: str | None = None) -> str | None:
    """``cf-ai-req-id``, else ``cf-ray`` (redacted: a hostile server may echo the token)."""
    value = headers.get("cf-ai-req-id") or headers.get("cf-ray") or None
    return redact(value, secret) if value else None


def error_class(status: int | None, codes: list[int], message: str) -> type[APIError]:
    """The most specific class for this status, these codes and this message."""
    cls: type[APIError] | None = None
    for code in codes:
        cls = _BY_CODE.get(code)
        if cls is not None:
            break
    if cls is None and status is not None:
        cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else None)
    cls = cls or APIError
    plain = cls is APIError and (status is None or status < 500)
    if (plain or cls in (BadRequestError, RequestTooLargeError)) and is_context_length(message):
        return ContextLengthError
    return cls


def error_from_payload(
    payload: Mapping[str, Any],
    status: int | None,
    headers: Mapping[str, str],
    *,
    secret: str | None = None,
) -> APIError:
    """The typed error for a decoded error envelope."""
    codes, texts = error_entries(payload)
    messages = [redact(clean_message(m), secret) for m in texts]
    if not messages:
        messages = [_status_text(status)]
    return _build(status, codes, messages, headers, secret)


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    secret: str | None = None,
) -> APIError:
    """The typed error for a non-2xx answer, whatever its body (JSON, HTML, empty)."""
    payload: Any = None
    if body:
        try:
            payload = _json.loads(body)
        except ValueError:
            payload = None
    if isinstance(payload, dict) and (payload.get("errors") or payload.get("error")):
        return error_from_payload(payload, status, headers, secret=secret)
    text = _status_text(status)
    if 300 <= status < 400:
        location = redact(headers.get("location", "?")[:_SNIPPET], secret)
        text = f"{text}: redirect to {location} not followed"
    snippet = _snippet(body, secret)
    if snippet:
        text = f"{text}: {snippet}"
    return _build(status, [], [text], headers, secret)


_NO_SUCH_MODEL = re.compile(r"No such model (\S+)")


_hints: list[Callable[[str], str]] = []


def use_model_hints(did_you_mean: Callable[[str], str]) -> None:
    """Name the function that turns an unknown model id into ``did you mean ...?`` (the
    catalog's, installed by the client layer: the transport knows no model facts)."""
    _hints[:] = [did_you_mean]


def model_hint(message: str) -> str:
    """``did you mean '@cf/...'?`` for the id in a "No such model <id> or task" message
    (closest catalog ids); ``""`` when the message names no id, nothing is close, or no
    hint function is installed."""
    found = _NO_SUCH_MODEL.search(message)
    if found is None or not _hints:
        return ""
    return _hints[0](found.group(1).strip("`'\""))


def _build(
    status: int | None,
    codes: list[int],
    messages: list[str],
    headers: Mapping[str, str],
    secret: str | None,
) -> APIError:
    message = "; ".join(messages)
    cls = error_class(status, codes, message)
    if cls is ModelNotFoundError:
        hint = model_hint(message)
        message = f"{message}; {hint}" if hint else message
    return cls(
        message,
        status_code=status,
        code=codes[0] if codes else None,
        codes=codes,
        messages=messages,
        request_id=request_id(headers, secret),
        retry_after=parse_retry_after(headers),
        is_retryable=is_retryable(status, codes) and cls is not QuotaExceededError,
    )


def _status_text(status: int | None) -> str:
    return "Workers AI error" if status is None else f"Workers AI answered HTTP {status}"


def _head(body: bytes, size: int, secret: str | None) -> str:
    """The first ``size`` characters of ``body``, redacted before being cut.

    Enough bytes are decoded for ``size`` characters plus a whole token even at four
    bytes a character, so a token cut by the byte limit lies past the character cut.
    """
    extra = len(secret) if secret else 0
    text = body[: 4 * (size + extra)].decode("utf-8", "replace")
    return redact(text, secret)[:size]


def _snippet(body: bytes, secret: str | None) -> str:
    text = re.sub(r"<[^>]*>", " ", _head(body, _SNIPPET * 4, secret))  # HTML: keep the words
    return " ".join(text.split())[:_SNIPPET]


def format_error(
    message: str, status: int | None, body: bytes, secret: str | None
) -> ResponseFormatError:
    """A :class:`ResponseFormatError` quoting (a redacted piece of) the body."""
    return ResponseFormatError(message, status_code=status, body=_head(body, 500, secret))
