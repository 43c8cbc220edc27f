"""The fault classes (documented in :mod:`workersai.emulator.faults`, which exports them)."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol

from ._types import RESET, BodyItem, EmuRequest, EmuResponse

CAPACITY_MESSAGE = "Capacity temporarily exceeded, please try again."
_DAILY = ("you have used up your daily free allocation of 10,000 neurons, please upgrade to "
          "Cloudflare's Workers Paid plan if you would like to continue usage.")
RATE_LIMIT_MESSAGES = {
    3040: CAPACITY_MESSAGE,
    3021: "rate limiting: inference request per min rate reached",
    4006: f"AiError: AiError: {_DAILY} (f24e675b)",
    3036: f"AiError: {_DAILY}",
}
BAD_INPUT_MESSAGE = ("AiError: Bad input: Error: oneOf at '/' not met, 0 matches: required "
                     "properties at '/' are 'prompt'")
HTML_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_Produce = Callable[[], EmuResponse]


class _FaultLike(Protocol):
    def apply(self, request: EmuRequest, produce: _Produce) -> EmuResponse: ...


def _ray_headers(*, model_side: bool) -> list[tuple[str, str]]:
    headers = [("cf-ray", f"{uuid.uuid4().hex[:16]}-SJC")]
    if model_side:
        headers.append(("cf-ai-req-id", str(uuid.uuid4())))
    return headers


def _dumps(obj: object) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


class ErrorReply:
    """A JSON error in the Cloudflare v4 envelope.

    Args:
        status: HTTP status.
        code: Cloudflare error code (``errors[0].code``).
        message: ``errors[0].message``.
        retry_after: ``Retry-After`` header value (seconds or an HTTP date), if any.
        retry_after_ms: ``retry-after-ms`` header value, if any.
        envelope: ``"full"`` adds ``"result": null`` and ``"messages": []``; ``"short"`` is
            ``{"success": false, "errors": [...]}`` as captured for 429s.
        model_side: send ``cf-ai-req-id`` (the request reached inference).

    Example:
        >>> emu.faults.add(ErrorReply(408, 3007, "Request timeout"), times=1)
    """

    def __init__(self, status: int, code: int, message: str, *,
                 retry_after: int | float | str | None = None,
                 retry_after_ms: int | float | None = None,
                 envelope: str = "full", model_side: bool = True) -> None:
        self.status, self.code, self.message = status, code, message
        self.retry_after, self.retry_after_ms = retry_after, retry_after_ms
        self.envelope, self.model_side = envelope, model_side

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.status}, {self.code}, {self.message!r})"

    def body(self) -> dict[str, Any]:
        errors = [{"code": self.code, "message": self.message}]
        if self.envelope == "short":
            return {"success": False, "errors": errors}
        return {"result": None, "success": False, "errors": errors, "messages": []}

    def headers(self) -> list[tuple[str, str]]:
        headers = [("content-type", "application/json"),
                   *_ray_headers(model_side=self.model_side)]
        if self.retry_after is not None:
            value = self.retry_after
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            headers.append(("retry-after", str(value)))
        if self.retry_after_ms is not None:
            headers.append(("retry-after-ms", str(self.retry_after_ms)))
        return headers

    def apply(self, request: EmuRequest, produce: _Produce) -> EmuResponse:
        return EmuResponse(self.status, self.headers(), _dumps(self.body()))


class RateLimited(ErrorReply):
    """HTTP 429: 3040 capacity (default), 3021 per-minute limit, 4006/3036 daily allocation."""

    def __init__(self, code: int = 3040, *, retry_after: int | float | str | None = None,
                 retry_after_ms: int | float | None = None, message: str | None = None) -> None:
        text = message if message is not None else RATE_LIMIT_MESSAGES.get(code, CAPACITY_MESSAGE)
        super().__init__(429, code, text, retry_after=retry_after,
                         retry_after_ms=retry_after_ms, envelope="short")


class ServerBusy(ErrorReply):
    """HTTP 503 with code 3050 "AiError: Max retries exhausted"."""

    def __init__(self, *, retry_after: int | float | str | None = None) -> None:
        super().__init__(503, 3050, "AiError: Max retries exhausted", retry_after=retry_after)


class Unauthorized(ErrorReply):
    """HTTP 401 with code 10000 "Authentication error" (no ``cf-ai-req-id``)."""

    def __init__(self) -> None:
        super().__init__(401, 10000, "Authentication error", model_side=False)


class BadInput(ErrorReply):
    """HTTP 400 with code 5006 (schema validation failed); ``result`` is ``{}`` as captured."""

    def __init__(self, message: str = BAD_INPUT_MESSAGE) -> None:
        super().__init__(400, 5006, message)

    def body(self) -> dict[str, Any]:
        return {"errors": [{"message": self.message, "code": self.code}], "success": False,
                "result": {}, "messages": []}


class FailureOn200(ErrorReply):
    """HTTP 200 whose envelope says ``"success": false``."""

    def __init__(self, code: int = 3040, message: str = CAPACITY_MESSAGE) -> None:
        super().__init__(200, code, message)


class PlainError:
    """A ``text/plain`` error with no envelope (default: 500 "Internal Server Error")."""

    def __init__(self, status: int = 500, text: str = "Internal Server Error") -> None:
        self.status, self.text = status, text

    def apply(self, request: EmuRequest, produce: _Produce) -> EmuResponse:
        headers = [("content-type", "text/plain; charset=utf-8"),
                   *_ray_headers(model_side=False)]
        return EmuResponse(self.status, headers, self.text.encode())


class HTMLPage:
    """An HTML error page from the edge (default 502 Bad Gateway)."""

    def __init__(self, status: int = 502, html: str = HTML_502) -> None:
        self.status, self.html = status, html

    def apply(self, request: EmuRequest, produce: _Produce) -> EmuResponse:
        headers = [("content-type", "text/html"), *_ray_headers(model_side=False)]
        return EmuResponse(self.status, headers, self.html.encode())


class MalformedJSON:
    """HTTP 200 ``application/json`` whose body does not parse."""

    def __init__(self, body: bytes = b'{"result":{"response":"Hello, wor') -> None:
        self.body = body

    def apply(self, request: EmuRequest, produce: _Produce) -> EmuResponse:
        headers = [("content-type", "application/json"), *_ray_headers(model_side=True)]
        return EmuResponse(200, headers, self.body)


class ResetBeforeBody:
    """The connection drops before any byte of the reply."""

    def apply(self, request: EmuRequest, produce: _Produce) -> EmuResponse:
        return EmuResponse(200, [], [RESET])


def _items(body: bytes | Iterable[BodyItem]) -> Iterator[BodyItem]:
    if isinstance(body, bytes):
        yield body
    else:
        yield from body


def _event_end(buf: bytes) -> int:
    """Index just past the first SSE event terminator in ``buf``, or -1."""
    ends = [i + len(sep) for sep in (b"\n\n", b"\r\n\r\n") if (i := buf.find(sep)) >= 0]
    return min(ends) if ends else -1


def sse_events(body: bytes | Iterable[BodyItem]) -> Iterator[BodyItem]:
    """Regroup a body into whole SSE events (the rest at the end); pauses pass through."""
    buf = b""
    for item in _items(body):
        if not isinstance(item, bytes):
            yield item
            continue
        buf += item
        while (end := _event_end(buf)) >= 0:
            yield buf[:end]
            buf = buf[end:]
    if buf:
        yield buf


def is_done(event: bytes) -> bool:
    """True for the ``data: [DONE]`` event (a bare ``[DONE]`` too)."""
    for line in event.splitlines():
        text = line.strip()
        if text == b"[DONE]" or (text.startswith(b"data:") and text[5:].strip() == b"[DONE]"):
            return True
    return False


class _BodyFault:
    """A fault that keeps the normal status and headers and rewrites the body."""

    def apply(self, request: EmuRequest, produce: _Produce) -> EmuResponse:
        normal = produce()
        return EmuResponse(normal.status, list(normal.headers), self.rewrite(normal.body))

    def rewrite(self, body: bytes | Iterable[BodyItem]) -> Iterable[BodyItem]:
        raise NotImplementedError


class Stall(_BodyFault):
    """No bytes for ``seconds``: before the status line, or after ``after_events`` events."""

    def __init__(self, seconds: float = 60.0, after_events: int = 0) -> None:
        self.seconds, self.after_events = float(seconds), after_events

    def rewrite(self, body: bytes | Iterable[BodyItem]) -> Iterable[BodyItem]:
        if self.after_events == 0:
            yield self.seconds
            yield from _items(body)
            return
        count = 0
        for item in sse_events(body):
            yield item
            if isinstance(item, bytes):
                count += 1
                if count == self.after_events:
                    yield self.seconds


class Latency(Stall):
    """The whole reply (status line included) arrives ``seconds`` late."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds, after_events=0)


def _first_events(body: bytes | Iterable[BodyItem], n: int) -> Iterator[BodyItem]:
    """The first ``n`` SSE events of ``body`` (pauses between them kept)."""
    count = 0
    for item in sse_events(body):
        if count >= n:
            return
        yield item
        count += isinstance(item, bytes)


class CutStream(_BodyFault):
    """Status, headers and ``after_events`` events, then the connection drops."""

    def __init__(self, after_events: int) -> None:
        self.after_events = after_events

    def rewrite(self, body: bytes | Iterable[BodyItem]) -> Iterable[BodyItem]:
        yield b""
        yield from _first_events(body, self.after_events)
        yield RESET


class NoDone(_BodyFault):
    """The stream ends cleanly just before its ``data: [DONE]`` event."""

    def rewrite(self, body: bytes | Iterable[BodyItem]) -> Iterable[BodyItem]:
        for item in sse_events(body):
            if isinstance(item, bytes) and is_done(item):
                return
            yield item


class ErrorEvent(_BodyFault):
    """After ``after_events`` events (or in place of ``[DONE]``) an error event ends the
    stream: ``data: {"errors":[{"code":...,"message":...}],"success":false}``."""

    def __init__(self, after_events: int = 1, code: int = 3040,
                 message: str = CAPACITY_MESSAGE) -> None:
        self.after_events, self.code, self.message = after_events, code, message

    def event(self) -> bytes:
        payload = {"errors": [{"code": self.code, "message": self.message}], "success": False}
        return b"data: " + _dumps(payload) + b"\n\n"

    def rewrite(self, body: bytes | Iterable[BodyItem]) -> Iterable[BodyItem]:
        count = 0
        for item in sse_events(body):
            if isinstance(item, bytes):
                if count >= self.after_events or is_done(item):
                    break
                count += 1
            yield item
        yield self.event()


class Chunked(_BodyFault):
    """The body re-cut into pieces of ``sizes`` bytes, cycling (a pause ends a piece early).

    Example:
        >>> emu.faults.add(Chunked([1, 7, 97]))
    """

    def __init__(self, sizes: int | Sequence[int]) -> None:
        self.sizes = [sizes] if isinstance(sizes, int) else list(sizes)
        if not self.sizes or min(self.sizes) < 1:
            raise ValueError("sizes must be positive byte counts")

    def rewrite(self, body: bytes | Iterable[BodyItem]) -> Iterable[BodyItem]:
        sizes = itertools.cycle(self.sizes)
        want, buf = next(sizes), bytearray()
        for item in _items(body):
            if isinstance(item, bytes):
                if not item and not buf:
                    yield item  # keep the "send headers now" signal
                buf += item
                while len(buf) >= want:
                    yield bytes(buf[:want])
                    del buf[:want]
                    want = next(sizes)
                continue
            if buf:
                yield bytes(buf)
                buf.clear()
            yield item
        if buf:
            yield bytes(buf)


class Combined:
    """Several faults at once; the first is outermost (it sees what the others produce)."""

    def __init__(self, *faults: _FaultLike) -> None:
        self.faults = faults

    def apply(self, request: EmuRequest, produce: _Produce) -> EmuResponse:
        for fault in reversed(self.faults):
            produce = _bind(fault, request, produce)
        return produce()


def _bind(fault: _FaultLike, request: EmuRequest, inner: _Produce) -> _Produce:
    return lambda: fault.apply(request, inner)


# --- hostile replies: the misbehaviours the client must survive without loss or leaks --------

_FILLER = "é"  # two bytes a character: a snippet cut by bytes would split the token


def _request_token(request: EmuRequest) -> str:
    auth = request.headers.get("authorization", "")
    return auth.removeprefix("Bearer ").strip() or "no-token"


class EchoToken:
    """A reply that echoes the request's bearer token where an error message may quote it.

    ``where``: ``"request-id"`` (a 500 envelope whose ``cf-ai-req-id`` and ``cf-ray`` are the
    token), ``"location"`` (a 302 whose ``Location`` carries it) or ``"body"`` (a 502 HTML
    page with the token after ``filler`` multi-byte characters).
    """

    def __init__(self, where: str = "request-id", filler: int = 199) -> None:
        if where not in ("request-id", "location", "body"):
            raise ValueError(f"where must be request-id, location or body, not {where!r}")
        self.where, self.filler = where, filler

    def apply(self, request: EmuRequest, produce: _Produce) -> EmuResponse:
        token = _request_token(request)
        if self.where == "location":
            return EmuResponse(302, [("location", f"https://login.example/?t={token}")], b"")
        if self.where == "body":
            page = f"<html><body>{_FILLER * self.filler}{token}</body></html>"
            return EmuResponse(502, [("content-type", "text/html")], page.encode())
        body = {"result": None, "success": False, "messages": [],
                "errors": [{"code": 3050, "message": "AiError: Max retries exhausted"}]}
        headers = [("content-type", "application/json"), ("cf-ai-req-id", token),
                   ("cf-ray", token)]
        return EmuResponse(500, headers, _dumps(body))


def _json_body(body: bytes | Iterable[BodyItem]) -> Any:
    return json.loads(b"".join(i for i in _items(body) if isinstance(i, bytes)))


class _JSONRewrite:
    """A fault that keeps the normal status and headers and edits a JSON ``result``."""

    def apply(self, request: EmuRequest, produce: _Produce) -> EmuResponse:
        normal = produce()
        if not 200 <= normal.status < 300:
            return normal
        payload = _json_body(normal.body)
        result = payload.get("result") if isinstance(payload, dict) else None
        if isinstance(result, dict):
            self.edit(result)
        return EmuResponse(normal.status, list(normal.headers), _dumps(payload))

    def edit(self, result: dict[str, Any]) -> None:
        raise NotImplementedError


class MissingRerankResults(_JSONRewrite):
    """A rerank reply with its last ``drop`` scores left out (documents silently missing)."""

    def __init__(self, drop: int = 1) -> None:
        self.drop = drop

    def edit(self, result: dict[str, Any]) -> None:
        scores = result.get("response")
        if isinstance(scores, list):
            result["response"] = scores[: max(0, len(scores) - self.drop)]


class PaddedVectors(_JSONRewrite):
    """An embeddings reply whose vectors carry ``extra`` more dimensions (with ``times=1``
    one batch of a call differs from the others)."""

    def __init__(self, extra: int = 2) -> None:
        self.extra = extra

    def edit(self, result: dict[str, Any]) -> None:
        data = result.get("data")
        if isinstance(data, list):
            result["data"] = [[*v, *([0.0] * self.extra)] for v in data]
            shape = result.get("shape")
            if isinstance(shape, list) and len(shape) == 2:
                result["shape"] = [shape[0], shape[1] + self.extra]
# --- hostile delivery: bodies that never end, drip, inflate or go silent ----------------------

_MiB = 1 << 20


class Drip(_BodyFault):
    """The body ``size`` bytes at a time, ``interval`` seconds apart (no single read ever
    waits long, so only a deadline for the whole call stops it)."""

    def __init__(self, interval: float = 0.5, size: int = 1) -> None:
        if size < 1 or interval < 0:
            raise ValueError("size must be >= 1 and interval >= 0")
        self.interval, self.size = float(interval), size

    def rewrite(self, body: bytes | Iterable[BodyItem]) -> Iterable[BodyItem]:
        yield b""  # status and headers now
        for item in _items(body):
            if not isinstance(item, bytes):
                yield item
                continue
            for i in range(0, len(item), self.size):
                yield item[i : i + self.size]
                yield self.interval


class EndlessLine(_BodyFault):
    """After ``after_events`` events, a ``data:`` line that never ends (``piece`` bytes
    of ``x`` at a time, up to ``limit`` bytes)."""

    def __init__(self, after_events: int = 0, piece: int = 64 * 1024,
                 limit: int = 1 << 40) -> None:
        self.after_events, self.piece, self.limit = after_events, piece, limit

    def rewrite(self, body: bytes | Iterable[BodyItem]) -> Iterable[BodyItem]:
        yield b""
        yield from _first_events(body, self.after_events)
        yield b'data: {"response":"'
        chunk = b"x" * self.piece
        for _ in range(self.limit // self.piece):
            yield chunk


class HugeBody:
    """HTTP 200 ``application/json`` of ``size`` bytes: a valid-looking envelope whose
    ``response`` string goes on and on (generated as it is sent)."""

    def __init__(self, size: int = 300 * _MiB) -> None:
        self.size = size

    def apply(self, request: EmuRequest, produce: _Produce) -> EmuResponse:
        headers = [("content-type", "application/json"), *_ray_headers(model_side=True)]
        return EmuResponse(200, headers, self._body())

    def _body(self) -> Iterator[BodyItem]:
        head, tail = b'{"result":{"response":"', b'"},"success":true,"errors":[]}'
        yield head
        left = max(0, self.size - len(head) - len(tail))
        chunk = b"a" * (64 * 1024)
        while left > 0:
            yield chunk[:left]
            left -= len(chunk)
        yield tail


class GzipBomb:
    """HTTP 200 JSON with ``content-encoding: gzip`` whose body inflates to ``inflated``
    zero bytes (about 1 KB on the wire per MB inflated), compressed as it is sent."""

    def __init__(self, inflated: int = 2048 * _MiB) -> None:
        self.inflated = inflated

    def apply(self, request: EmuRequest, produce: _Produce) -> EmuResponse:
        headers = [("content-type", "application/json"), ("content-encoding", "gzip"),
                   *_ray_headers(model_side=True)]
        return EmuResponse(200, headers, self._body())

    def _body(self) -> Iterator[BodyItem]:
        import zlib

        comp = zlib.compressobj(9, zlib.DEFLATED, 31)
        zeros = bytes(_MiB)
        left = self.inflated
        while left > 0:
            out = comp.compress(zeros[: min(left, _MiB)])
            left -= min(left, _MiB)
            if out:
                yield out
        yield comp.flush()


class SilenceAfterDone(_BodyFault):
    """The stream up to and including ``data: [DONE]``, then ``seconds`` of silence before
    the body ends (the terminator a client waiting to drain would wait for)."""

    def __init__(self, seconds: float = 60.0) -> None:
        self.seconds = float(seconds)

    def rewrite(self, body: bytes | Iterable[BodyItem]) -> Iterable[BodyItem]:
        for item in sse_events(body):
            yield item
            if isinstance(item, bytes) and is_done(item):
                yield self.seconds
