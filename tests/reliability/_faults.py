"""The fault table of the matrix, and the few faults the emulator does not ship.

Each :class:`Case` names a fault and what a caller must see: the exact core error class
(plus LangChain's dual ``langchain_core.exceptions`` class), status, Cloudflare code, a
message fragment, whether it is retried, and the delay the server asked for.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from langchain_core.exceptions import (
    ModelAPIError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelInvalidRequestError,
    ModelRateLimitError,
    ModelTimeoutError,
)

from workersai import errors as wa
from workersai.emulator import (
    BadInput,
    CutStream,
    EmuRequest,
    EmuResponse,
    ErrorEvent,
    FailureOn200,
    HTMLPage,
    MalformedJSON,
    NoDone,
    PlainError,
    RateLimited,
    ResetBeforeBody,
    ServerBusy,
    Stall,
    Unauthorized,
)

Produce = Callable[[], EmuResponse]
STALL_TIMEOUT = 0.15
"""Client timeout (seconds) for the stall cases; the server stalls far longer."""


class BadEvent:
    """The third SSE event of a stream replaced by one whose JSON does not parse."""

    def apply(self, request: EmuRequest, produce: Produce) -> EmuResponse:
        normal = produce()
        return EmuResponse(normal.status, list(normal.headers), self._rewrite(normal.body))

    @staticmethod
    def _rewrite(body: bytes | Iterable[Any]) -> Iterator[bytes]:
        data = (
            body if isinstance(body, bytes) else b"".join(b for b in body if isinstance(b, bytes))
        )
        events = data.split(b"\n\n")
        events[2] = b'data: {"response": "trunc'
        yield b"\n\n".join(events)


class Poison:
    """``fault`` on every request whose body contains ``marker``; others are served."""

    def __init__(self, marker: bytes, fault: Any) -> None:
        self.marker, self.fault = marker, fault

    def apply(self, request: EmuRequest, produce: Produce) -> EmuResponse:
        if self.marker in request.body:
            return self.fault.apply(request, produce)
        return produce()


class Rotating:
    """A different transient failure each time it fires (429, 503, reset, 502, cut)."""

    def __init__(self) -> None:
        kinds: list[Any] = [
            RateLimited(retry_after=0),
            ServerBusy(),
            ResetBeforeBody(),
            HTMLPage(),
            CutStream(0),
        ]
        self._faults = itertools.cycle(kinds)

    def apply(self, request: EmuRequest, produce: Produce) -> EmuResponse:
        fault = next(self._faults)
        return fault.apply(request, produce)


@dataclass(frozen=True)
class Case:
    """One fault and the outcome every surface must show for it."""

    id: str
    fault: Callable[[], Any]
    error: type[wa.WorkersAIError]
    lc_error: type[Exception]
    status: int | None
    code: int | None
    message: str
    retryable: bool
    retry_after: float | None = None
    timeout: float = 10.0
    max_retries: int = 2

    @property
    def transient_times(self) -> int:
        """How often the fault fires before the call succeeds (each retry is paid for)."""
        return min(2, self.max_retries)


_RL, _SE = wa.RateLimitError, wa.ServerError
_RLE, _API, _CONN = ModelRateLimitError, ModelAPIError, ModelConnectionError
_CAPACITY = "Capacity temporarily exceeded"
_PER_MINUTE = "per min rate reached"
_DAILY = "daily free allocation"
_CONN_MSG = "Connection to Workers AI failed"

# fmt: off
CASES: list[Case] = [
    Case("429-3040-retry-after", lambda: RateLimited(3040, retry_after=2), _RL, _RLE, 429,
         3040, _CAPACITY, True, retry_after=2.0),
    Case("429-3040", lambda: RateLimited(3040), _RL, _RLE, 429, 3040, _CAPACITY, True),
    Case("429-3021-retry-after", lambda: RateLimited(3021, retry_after=1), _RL, _RLE, 429,
         3021, _PER_MINUTE, True, retry_after=1.0),
    Case("429-3021-retry-after-ms", lambda: RateLimited(3021, retry_after_ms=250), _RL, _RLE,
         429, 3021, _PER_MINUTE, True, retry_after=0.25),
    Case("429-3021", lambda: RateLimited(3021), _RL, _RLE, 429, 3021, _PER_MINUTE, True),
    Case("429-4006-retry-after", lambda: RateLimited(4006, retry_after=30),
         wa.QuotaExceededError, _RLE, 429, 4006, _DAILY, False, retry_after=30.0),
    Case("429-4006", lambda: RateLimited(4006), wa.QuotaExceededError, _RLE, 429, 4006,
         _DAILY, False),
    Case("500-plain", PlainError, _SE, _API, 500, None, "HTTP 500", True),
    Case("502-html", HTMLPage, _SE, _API, 502, None, "502 Bad Gateway", True),
    Case("503-3050", ServerBusy, _SE, _API, 503, 3050, "Max retries exhausted", True),
    Case("401", Unauthorized, wa.AuthenticationError, ModelAuthenticationError, 401, 10000,
         "Authentication error", False),
    Case("400-5006", BadInput, wa.BadRequestError, ModelInvalidRequestError, 400, 5006,
         "Bad input", False),
    Case("reset", ResetBeforeBody, wa.TransportError, _CONN, None, None, _CONN_MSG, True),
    Case("cut-before-body", lambda: CutStream(0), wa.TransportError, _CONN, None, None,
         _CONN_MSG, True),
    Case("stall", lambda: Stall(30.0), wa.TimeoutError, ModelTimeoutError, None, None,
         "Timed out", True, timeout=STALL_TIMEOUT, max_retries=1),
    Case("malformed-json", MalformedJSON, wa.ResponseFormatError, _API, 200, None,
         "malformed JSON", False),
    Case("success-false-200-3040", FailureOn200, _RL, _RLE, 200, 3040, _CAPACITY, True),
    Case("success-false-200-5006", lambda: FailureOn200(5006, "AiError: Bad input: nope"),
         wa.BadRequestError, ModelInvalidRequestError, 200, 5006, "Bad input: nope", False),
]

STREAM_CASES: list[Case] = [
    Case("no-done", NoDone, wa.TruncatedStreamError, _API, None, None, "without [DONE]",
         False),
    Case("error-event-mid-stream", lambda: ErrorEvent(after_events=3), _RL, _RLE, 200, 3040,
         _CAPACITY, False),
    Case("error-event-first", lambda: ErrorEvent(after_events=0), _RL, _RLE, 200, 3040,
         _CAPACITY, True),
    Case("error-event-5006", lambda: ErrorEvent(after_events=2, code=5006, message="AiError: x"),
         wa.BadRequestError, ModelInvalidRequestError, 200, 5006, "x", False),
    Case("malformed-event", BadEvent, wa.ResponseFormatError, _API, 200, None,
         "malformed stream event", False),
    Case("stall-mid-stream", lambda: Stall(30.0, after_events=3), wa.TimeoutError,
         ModelTimeoutError, None, None, "Timed out", False, timeout=STALL_TIMEOUT),
]
# fmt: on

CUT_MID_STREAM = Case(
    "cut-mid-stream", lambda: CutStream(3), wa.TruncatedStreamError, _API, None, None, "", False
)
