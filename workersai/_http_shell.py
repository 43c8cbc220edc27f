"""What the HTTP twins share: every decision, no I/O.

:class:`Shell` holds URLs, headers, timeouts, reading answers, turning failures into typed
errors and asking ``_retry`` whether to try again; :class:`StreamPass` follows one attempt
at reading an event stream, chunk by chunk. The twins in ``_http`` only send, sleep and
iterate bytes.
"""

from __future__ import annotations

import functools
import logging
import math
import random
import ssl
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from . import _json, errors
from ._backend import Binary, Body, RawBody, StreamInfo, Target, rest_path
from ._deadline import Deadline
from ._errors_map import (
    error_from_payload,
    error_from_response,
    format_error,
    redact,
    request_id,
)
from ._ids import check_header_value
from ._limits import ACCEPT_ENCODING, Inflow
from ._retry import Attempts, Pace, cut_stream
from ._sse import EventReader
from .config import Config, RequestOptions, Timeouts
from .types import ResponseMeta
from .wire.envelope import has_result, is_error_envelope

__all__ = [
    "RETRY_ON", "USER_AGENT", "Call", "Shell", "StreamPass", "achunks_of", "chunks_of",
    "response_meta", "to_error",
]

logger = logging.getLogger("workersai")

USER_AGENT = "workersai-integrations/0.1.0"
IDLE_CONNECTIONS = 20
"""Idle connections an owned pool keeps alive (httpx's own default). httpcore 1.0's pool
scans every connection for each idle one on every request it queues or releases
(encode/httpcore#1035), so 50 idle connections cost more CPU per call than reopening a
few: 50 concurrent calls ran at 2.3x the wall time of a raw client with 100 kept alive,
1.1x with 20 (``benchmarks/bench_concurrency.py``)."""


def _httpx_timeout(t: Timeouts, *, stream: bool) -> httpx.Timeout:
    """Streams wait at most ``stream_idle`` for any read (headers or a chunk)."""
    read = t.stream_idle if stream else t.read
    return httpx.Timeout(connect=t.connect, read=read, write=t.write, pool=t.pool)


def to_error(exc: BaseException, secret: str | None = None) -> errors.WorkersAIError:
    """Our typed error for a failure (httpx errors are translated, ours pass through)."""
    if isinstance(exc, errors.WorkersAIError):
        return exc
    if isinstance(exc, TimeoutError):  # asyncio.timeout around an attempt
        return errors.TimeoutError("Timed out talking to Workers AI (the call's deadline)")
    text = redact(str(exc) or type(exc).__name__, secret)
    if isinstance(exc, httpx.TimeoutException):
        kind = type(exc).__name__
        return errors.TimeoutError(f"Timed out talking to Workers AI ({kind}): {text}")
    if isinstance(exc, httpx.ConnectError):
        return errors.ConnectError(f"Could not connect to Workers AI: {text}")
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return errors.ConfigurationError(f"Bad Workers AI base URL: {text}")
    if isinstance(exc, httpx.DecodingError):
        return errors.ResponseFormatError(f"Could not decode the Workers AI answer: {text}")
    return errors.TransportError(f"Connection to Workers AI failed ({type(exc).__name__}): {text}")


def _float(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def response_meta(
    status: int, headers: Mapping[str, str], attempts: int, secret: str = ""
) -> ResponseMeta:
    """What the headers tell about a call (texts redacted: a server may echo the token)."""
    log_id = headers.get("cf-aig-log-id")
    return ResponseMeta(
        status_code=status,
        request_id=request_id(headers, secret),
        neurons=_float(headers.get("cf-ai-neurons")),
        gateway_cache_status=redact(headers.get("cf-aig-cache-status") or "", secret) or None,
        gateway_log_id=redact(log_id, secret) if log_id else None,
        attempts=attempts,
    )



def plain_headers(r: httpx.Response) -> dict[str, str]:
    """An answer's headers as one plain dict (lower-case names; repeated names joined with
    ", " as ``httpx.Headers.get`` does), read once: every ``get`` on ``httpx.Headers``
    scans and decodes the whole list again, and a reply's metadata asks for six names."""
    out: dict[str, str] = {}
    for name, value in r.headers.multi_items():
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out

@dataclass(slots=True)
class Call:
    """Everything one logical call needs, computed once before the first attempt."""

    path: str
    method: str
    url: httpx.URL
    content: bytes
    headers: dict[str, str]
    timeout: httpx.Timeout
    stream_idle: float
    max_retries: int
    enveloped: bool
    deadline: float
    longest: float  # the longest single wait in ``timeout``


class Shell:
    """State and decisions shared by the twins. Holds no I/O of its own."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.clock: Callable[[], float] = time.monotonic
        self.random: Callable[[], float] = random.random
        self._prefix: str | None = None
        self._secret = ""
        self._core: dict[str, str] = {}
        self._gateway_headers: dict[str, str] = {}
        self._headers: dict[str, str] = {}
        self._urls: dict[Target, tuple[str, httpx.URL]] = {}  # built once per target
        self._timeouts = config.timeouts
        self._timeout = _httpx_timeout(config.timeouts, stream=False)
        self._stream_timeout = _httpx_timeout(config.timeouts, stream=True)

    def client_kwargs(self) -> dict[str, Any]:
        """How owned httpx clients are built (redirects are never followed); the pool
        holds as many connections as calls may run at once (``max_connections``) and
        keeps up to ``IDLE_CONNECTIONS`` of them alive between calls."""
        n = self.config.max_connections
        limits = httpx.Limits(max_connections=n,
                              max_keepalive_connections=min(n, IDLE_CONNECTIONS),
                              keepalive_expiry=30.0)
        return {"timeout": self._timeout, "follow_redirects": False, "limits": limits,
                "verify": _tls()}

    def _base(self) -> str:
        """``{base_url}/accounts/{id}``; checks credentials and builds headers once."""
        if self._prefix is None:
            account_id, token = self.config.require_credentials()
            cfg = self.config
            core = {"user-agent": USER_AGENT, "accept-encoding": ACCEPT_ENCODING}
            core.update({k.lower(): v for k, v in cfg.default_headers.items()})
            core["authorization"] = f"Bearer {token}"
            core["content-type"] = "application/json"
            gateway = cfg.gateway_options.headers() if cfg.gateway_options else {}
            self._core, self._gateway_headers, self._secret = core, gateway, token
            self._headers = self._merge(cfg.gateway, gateway, None, None)
            self._prefix = f"{cfg.base_url}/accounts/{account_id}"
        return self._prefix

    def _merge(
        self,
        gateway: str | None,
        gateway_headers: Mapping[str, str],
        affinity: str | None,
        extra: Mapping[str, str] | None,
    ) -> dict[str, str]:
        headers = dict(self._core)
        headers.update(gateway_headers)
        if gateway:
            headers["cf-aig-gateway-id"] = gateway
        if affinity:
            headers["x-session-affinity"] = affinity
        if extra:
            headers.update({k.lower(): v for k, v in extra.items()})
        for name, value in headers.items():  # a CR or LF would smuggle a header
            check_header_value(name, value)
        return headers

    def _call_headers(self, options: RequestOptions) -> dict[str, str]:
        o = options
        if not (o.gateway or o.gateway_options or o.session_affinity or o.extra_headers):
            return self._headers
        gw = o.gateway_options.headers() if o.gateway_options else self._gateway_headers
        return self._merge(
            o.gateway or self.config.gateway, gw, o.session_affinity, o.extra_headers
        )

    def prepare(
        self, target: Target, body: Body, options: RequestOptions | None, stream: bool
    ) -> Call:
        """Resolve URL, headers, body bytes, timeouts and retries for one call."""
        prefix = self._base()
        cached = self._urls.get(target)
        if cached is None:
            path = rest_path(target)  # checks and escapes the model id
            cached = path, httpx.URL(prefix + path)
            if len(self._urls) < 256:
                self._urls[target] = cached
        path, url = cached
        timeouts, headers, retries = self._timeouts, self._headers, self.config.max_retries
        timeout = self._stream_timeout if stream else self._timeout
        deadline = self.config.deadline
        if options is not None:
            headers = self._call_headers(options)
            timeouts, retries = self.config.call_settings(options)
            deadline = self.config.call_deadline(options)
            if options.timeout is not None:
                timeout = _httpx_timeout(timeouts, stream=stream)
        if target.method == "GET":  # the models API: the body is the query; no gateway
            extra = options.extra_headers if options is not None else None
            headers = self._merge(None, {}, None, extra)
            query = body if isinstance(body, dict) else {}
            url = url.copy_with(query=urllib.parse.urlencode(query).encode())
            content = b""
        elif isinstance(body, RawBody):
            content = body.data
            headers = {**headers, "content-type": body.content_type}
            if body.query:
                url = url.copy_with(query=urllib.parse.urlencode(body.query).encode())
        else:
            content = _json.dumps(body)
        longest = max(_waits(timeout))
        return Call(path, target.method, url, content, headers, timeout, timeouts.stream_idle,
                     retries, target.enveloped, deadline, longest)

    def begin(
        self, target: Target, body: Body, options: RequestOptions | None, pace: Pace | None,
        *, stream: bool,
    ) -> tuple[Call, Deadline, Attempts]:
        """A prepared call, its deadline started now, and its retry budget (with the
        call's pacing hook, if it is paced)."""
        call = self.prepare(target, body, options, stream)
        deadline = Deadline(call.deadline, self.clock)
        return call, deadline, Attempts(call.max_retries, deadline, self.random, pace)

    def attempt_timeout(self, call: Call, deadline: Deadline) -> httpx.Timeout:
        """The call's timeouts, none longer than what is left of its deadline."""
        left = deadline.check()
        if left >= call.longest:
            return call.timeout
        t = call.timeout
        return httpx.Timeout(connect=_min(t.connect, left), read=_min(t.read, left),
                             write=_min(t.write, left), pool=_min(t.pool, left))

    def inflow(self, r: httpx.Response, *, whole: bool) -> Inflow:
        """The body decoder of an answer (``whole``: counted against max_response_bytes).
        A response built already read (mock transports) holds decoded bytes."""
        limit = self.config.limits.max_response_bytes if whole else None
        encoding = "" if r.is_stream_consumed else r.headers.get("content-encoding", "")
        return Inflow(encoding, limit, r.status_code)

    def gate_timeout(self, deadline: Deadline) -> float | None:
        """How long a call may queue for a free slot (``None``: forever)."""
        left = deadline.check()
        return None if math.isinf(left) else left

    def queue_error(self, deadline: Deadline) -> errors.TimeoutError:
        n = self.config.max_connections
        return errors.TimeoutError(
            f"No free connection slot (max_connections={n}) before the call's deadline "
            f"of {deadline.budget:g}s"
        )

    def retry_delay(
        self, call: Call, exc: BaseException, tries: Attempts, started: bool = False
    ) -> float:
        """Seconds to wait before the next attempt; raises the typed error to give up
        (also when the wait would not end before the call's deadline). A stream that
        has delivered events is never retried."""
        if not started and tries.deadline.remaining() <= 0 and not _is_deadline(exc):
            raise tries.deadline.error() from exc
        err = to_error(exc, self._secret)
        if started and (cut := cut_stream(err)) is not err:
            raise cut from exc
        delay = None if started else tries.wait(err)
        if delay is None:
            if tries.refused is not None:
                logger.debug("workersai: not retrying %s %s: the wait (%.2fs) would pass the "
                             "call's deadline", call.method, call.path, tries.refused)
            if err is exc:
                raise err
            raise err from exc
        logger.debug(
            "workersai: retrying %s %s in %.2fs (retry %d of %d) after %s",
            call.method, call.path, delay, tries.retries, call.max_retries, _describe(err),
        )
        return delay

    def decode(
        self, call: Call, status: int, headers: Mapping[str, str], content: bytes,
        tries: Attempts,
    ) -> tuple[Any, ResponseMeta]:
        """The model output of a complete answer, or the typed error it carries."""
        if not 200 <= status < 300:
            raise error_from_response(status, headers, content, secret=self._secret)
        tries.succeeded()
        meta = response_meta(status, headers, tries.made, self._secret)
        ctype = headers.get("content-type", "")
        if ctype and "json" not in ctype and not ctype.startswith("text/"):
            return Binary(content, ctype), meta  # binary model output (image, audio)
        payload = _json.loads_or_invalid(content)  # no decoder error (holding the body) chained
        if payload is _json.INVALID:
            raise format_error(
                "Workers AI sent a malformed JSON body", status, content, self._secret
            )
        if is_error_envelope(payload):
            raise error_from_payload(payload, status, headers, secret=self._secret)
        if not call.enveloped:
            return payload, meta
        if not has_result(payload):
            raise format_error(
                "Workers AI answer has no 'result'", status, content, self._secret
            )
        return payload["result"], meta

    def is_event_stream(self, status: int, headers: Mapping[str, str]) -> bool:
        """Whether a streamed answer is the event stream (else it carries an error)."""
        return 200 <= status < 300 and "json" not in headers.get("content-type", "")

    def reject(self, call: Call, status: int, headers: Mapping[str, str], content: bytes,
               tries: Attempts) -> None:
        """Raise the typed error for a stream request answered without an event stream."""
        self.decode(call, status, headers, content, tries)
        raise format_error(
            "Workers AI answered a stream request with JSON instead of an event stream",
            status, content, self._secret,
        )

    def open_stream(
        self, sp: StreamPass, call: Call, r: httpx.Response, tries: Attempts, info: StreamInfo
    ) -> None:
        """Start reading an event stream into ``sp`` (the server accepted the attempt);
        records the response meta in ``info``."""
        tries.succeeded()
        info.meta = response_meta(r.status_code, r.headers, tries.made, self._secret)
        limit = self.config.limits.max_event_bytes
        reader = EventReader(call.stream_idle, r.headers, self.clock, self._secret, limit)
        sp.open(reader, self.inflow(r, whole=False), info)


class StreamPass:
    """One attempt at reading an event stream, fed the body chunk by chunk: what both
    twins do with each chunk, without I/O. Each chunk is inflated in bounded pieces and
    its events handed on as they parse, so memory stays bounded by a piece, not a chunk."""

    __slots__ = ("_inflow", "_info", "_reader", "started")

    def __init__(self) -> None:
        self.started = False  # events reached the caller: a failure now is not retried
        self._reader: EventReader | None = None
        self._inflow: Inflow | None = None
        self._info: StreamInfo | None = None

    def open(self, reader: EventReader, inflow: Inflow, info: StreamInfo) -> None:
        self._reader, self._inflow, self._info = reader, inflow, info

    def chunk(self, raw: bytes) -> Iterator[list[Any]]:
        """The batches of events in one body chunk, up to ``[DONE]``."""
        assert self._reader is not None and self._inflow is not None
        for piece in self._inflow.feed(raw):
            events = self._reader.feed(piece)
            if events:
                self.started = True
                yield events
            if self._reader.done:
                return

    def over(self, deadline: Deadline) -> bool:
        """After a chunk: whether ``[DONE]`` was read (the rest of the body is only
        drained). A stream that has sent no event yet still answers to the deadline."""
        assert self._reader is not None
        if self._reader.done:
            return True
        if not self.started:
            deadline.check()
        return False

    def finish(self) -> list[Any]:
        """The events held at the end of the body (none after ``[DONE]``); records in
        the stream info whether ``[DONE]`` came."""
        assert self._reader is not None and self._info is not None
        tail = [] if self._reader.done else self._reader.flush()
        self._info.done = self._reader.done
        return tail


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every client we build (making one costs tens of ms, and the
    async twin builds a client per event loop)."""
    return httpx.create_ssl_context()


def _waits(t: httpx.Timeout) -> list[float]:
    waits = [w for w in (t.connect, t.read, t.write, t.pool) if w is not None]
    return waits or [math.inf]


def _min(wait: float | None, left: float) -> float:
    return left if wait is None else min(wait, left)


def chunks_of(r: httpx.Response) -> Iterator[bytes]:
    """The body as received (``Content-Encoding`` still applied)."""
    return r.iter_bytes() if r.is_stream_consumed else r.iter_raw()


def achunks_of(r: httpx.Response) -> AsyncIterator[bytes]:
    return r.aiter_bytes() if r.is_stream_consumed else r.aiter_raw()


def _is_deadline(exc: BaseException) -> bool:
    return isinstance(exc, errors.TimeoutError) and "deadline" in exc.message


def _describe(err: errors.WorkersAIError) -> str:
    status = getattr(err, "status_code", None)
    code = getattr(err, "code", None)
    return f"{type(err).__name__} (status {status}, code {code})"


RETRY_ON = (httpx.HTTPError, errors.WorkersAIError, TimeoutError)
