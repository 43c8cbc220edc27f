"""The HTTP shells: the only place in ``workersai`` that does I/O.

``SyncHTTP`` and ``AsyncHTTP`` are short twins around the shared :class:`_Shell`, which
holds every decision: URLs, headers, timeouts, reading answers, turning failures into
typed errors and asking ``_retry`` whether to try again. Each twin only sends, sleeps and
iterates bytes. httpx clients are built on first use and reused (per event loop for the
async twin); injected clients are used as given and never closed.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import random
import ssl
import threading
import time
import urllib.parse
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from . import _json, errors
from ._backend import Binary, Body, RawBody, StreamInfo, Target, rest_path
from ._deadline import Deadline, check_deadline
from ._drain import adrain, drain
from ._errors_map import (
    envelope_error,
    error_from_payload,
    error_from_response,
    format_error,
    redact,
    request_id,
)
from ._ids import check_header_value
from ._limits import ACCEPT_ENCODING, Inflow
from ._loops import LoopStates
from ._retry import next_delay
from ._sse import EventReader
from .config import Config, RequestOptions, Timeouts
from .types import ResponseMeta

__all__ = ["AsyncHTTP", "SyncHTTP", "to_error", "USER_AGENT"]

logger = logging.getLogger("workersai")

USER_AGENT = "workersai-integrations/0.1.0"


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
class _Call:
    """Everything one logical call needs, computed once before the first attempt."""

    path: str
    url: httpx.URL
    content: bytes
    headers: dict[str, str]
    timeout: httpx.Timeout
    stream_idle: float
    max_retries: int
    enveloped: bool
    deadline: float
    longest: float  # the longest single wait in ``timeout``


class _Shell:
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
        holds as many connections as calls may run at once (``max_connections``)."""
        n = self.config.max_connections
        limits = httpx.Limits(max_connections=n, max_keepalive_connections=n,
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
    ) -> _Call:
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
            if options.deadline is not None:
                deadline = check_deadline(options.deadline) or deadline
            if options.max_retries is not None:
                if options.max_retries < 0:
                    raise errors.InvalidInputError("max_retries must be >= 0")
                retries = options.max_retries
            if options.timeout is not None:
                timeouts = Timeouts.from_value(options.timeout)
                timeout = _httpx_timeout(timeouts, stream=stream)
        if isinstance(body, RawBody):
            content = body.data
            headers = {**headers, "content-type": body.content_type}
            if body.query:
                url = url.copy_with(query=urllib.parse.urlencode(body.query).encode())
        else:
            content = _json.dumps(body)
        longest = max(_waits(timeout))
        return _Call(path, url, content, headers, timeout, timeouts.stream_idle, retries,
                     target.enveloped, deadline, longest)

    def attempt_timeout(self, call: _Call, deadline: Deadline) -> httpx.Timeout:
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
        self, call: _Call, exc: BaseException, attempt: int, deadline: Deadline,
        started: bool = False,
    ) -> float:
        """Seconds to wait before the next attempt; raises the typed error to give up
        (also when the wait would not end before the call's deadline)."""
        if not started and deadline.remaining() <= 0 and not _is_deadline(exc):
            raise deadline.error() from exc
        err = to_error(exc, self._secret)
        retry_after = getattr(err, "retry_after", None)
        delay = None
        if not started:
            rand = self.random()
            delay = next_delay(err.is_retryable, attempt, call.max_retries, retry_after, rand)
        if delay is None:
            if started and type(err) in (errors.TransportError, errors.ConnectError):
                # the connection dropped after events reached the caller: the reply is
                # incomplete, and not retryable (a stall stays a TimeoutError)
                raise errors.TruncatedStreamError(
                    f"The stream was cut after it started ({err.message}); "
                    "the reply is incomplete."
                ) from exc
            if err is exc:
                raise err
            raise err from exc
        if delay >= deadline.remaining():  # no sleep outlasts the deadline
            logger.debug("workersai: not retrying POST %s: the wait (%.2fs) would pass the "
                         "call's deadline", call.path, delay)
            if err is exc:
                raise err
            raise err from exc
        logger.debug(
            "workersai: retrying POST %s in %.2fs (retry %d of %d) after %s",
            call.path, delay, attempt + 1, call.max_retries, _describe(err),
        )
        return delay

    def decode(
        self, call: _Call, status: int, headers: Mapping[str, str], content: bytes, attempt: int
    ) -> tuple[Any, ResponseMeta]:
        """The model output of a complete answer, or the typed error it carries."""
        if not 200 <= status < 300:
            raise error_from_response(status, headers, content, secret=self._secret)
        meta = response_meta(status, headers, attempt + 1, self._secret)
        ctype = headers.get("content-type", "")
        if ctype and "json" not in ctype and not ctype.startswith("text/"):
            return Binary(content, ctype), meta  # binary model output (image, audio)
        payload = _json.loads_or_invalid(content)  # no decoder error (holding the body) chained
        if payload is _json.INVALID:
            raise format_error(
                "Workers AI sent a malformed JSON body", status, content, self._secret
            )
        if envelope_error(payload):
            raise error_from_payload(payload, status, headers, secret=self._secret)
        if not call.enveloped:
            return payload, meta
        if not isinstance(payload, dict) or "result" not in payload:
            raise format_error(
                "Workers AI answer has no 'result'", status, content, self._secret
            )
        return payload["result"], meta

    def is_event_stream(self, status: int, headers: Mapping[str, str]) -> bool:
        """Whether a streamed answer is the event stream (else it carries an error)."""
        return 200 <= status < 300 and "json" not in headers.get("content-type", "")

    def reject(self, call: _Call, status: int, headers: Mapping[str, str], content: bytes) -> None:
        """Raise the typed error for a stream request answered without an event stream."""
        self.decode(call, status, headers, content, 0)
        raise format_error(
            "Workers AI answered a stream request with JSON instead of an event stream",
            status, content, self._secret,
        )

    def reader(
        self, call: _Call, status: int, headers: Mapping[str, str], attempt: int, info: StreamInfo
    ) -> EventReader:
        """Start reading an event stream; records the response meta in ``info``."""
        info.meta = response_meta(status, headers, attempt + 1, self._secret)
        limit = self.config.limits.max_event_bytes
        return EventReader(call.stream_idle, headers, self.clock, self._secret, limit)


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


def _raw(r: httpx.Response) -> Iterator[bytes]:
    """The body as received (``Content-Encoding`` still applied)."""
    return r.iter_bytes() if r.is_stream_consumed else r.iter_raw()


def _araw(r: httpx.Response) -> AsyncIterator[bytes]:
    return r.aiter_bytes() if r.is_stream_consumed else r.aiter_raw()


def _is_deadline(exc: BaseException) -> bool:
    return isinstance(exc, errors.TimeoutError) and "deadline" in exc.message


def _describe(err: errors.WorkersAIError) -> str:
    status = getattr(err, "status_code", None)
    code = getattr(err, "code", None)
    return f"{type(err).__name__} (status {status}, code {code})"


_RETRY_ON = (httpx.HTTPError, errors.WorkersAIError, TimeoutError)


class SyncHTTP(_Shell):
    """Blocking twin. Thread-safe; one pooled ``httpx.Client`` built on first use, and a
    gate letting at most ``max_connections`` calls use it at once."""

    def __init__(self, config: Config, http_client: httpx.Client | None = None) -> None:
        super().__init__(config)
        self._client = http_client
        self._owned = http_client is None
        self._lock = threading.Lock()
        self._gate = threading.BoundedSemaphore(config.max_connections)
        self.sleep: Callable[[float], None] = time.sleep

    def http(self) -> httpx.Client:
        """The pooled client (built now if this is the first request)."""
        client = self._client
        if client is None:
            with self._lock:
                if self._client is None:
                    self._client = httpx.Client(**self.client_kwargs())
                client = self._client
        return client

    def _enter(self, deadline: Deadline) -> None:
        """Take a slot of the gate, queueing at most until the deadline."""
        if not self._gate.acquire(blocking=False) and not self._gate.acquire(
            timeout=self.gate_timeout(deadline)
        ):
            raise self.queue_error(deadline)

    def _read(self, r: httpx.Response, deadline: Deadline) -> bytes:
        """A whole answer, inflated and bounded, read before the deadline."""
        inflow = self.inflow(r, whole=True)
        for raw in _raw(r):
            inflow.add(raw)
            deadline.check()
        return inflow.content()

    def send(
        self, target: Target, body: Body, options: RequestOptions | None
    ) -> tuple[Any, ResponseMeta]:
        call = self.prepare(target, body, options, stream=False)
        deadline = Deadline(call.deadline, self.clock)
        attempt = 0
        while True:
            try:
                self._enter(deadline)
                try:
                    with self.http().stream(
                        "POST", call.url, content=call.content, headers=call.headers,
                        timeout=self.attempt_timeout(call, deadline), follow_redirects=False,
                    ) as r:
                        content = self._read(r, deadline)
                finally:
                    self._gate.release()
                return self.decode(call, r.status_code, plain_headers(r), content, attempt)
            except _RETRY_ON as exc:
                delay = self.retry_delay(call, exc, attempt, deadline)
            self.sleep(delay)
            attempt += 1

    def stream(
        self,
        target: Target,
        body: Body,
        options: RequestOptions | None,
        info: StreamInfo,
    ) -> Generator[Any, None, None]:
        call = self.prepare(target, body, options, stream=True)
        deadline = Deadline(call.deadline, self.clock)
        attempt = 0
        while True:
            started = False
            try:
                self._enter(deadline)
                try:
                    with self.http().stream(
                        "POST", call.url, content=call.content, headers=call.headers,
                        timeout=self.attempt_timeout(call, deadline), follow_redirects=False,
                    ) as r:
                        if not self.is_event_stream(r.status_code, r.headers):
                            self.reject(call, r.status_code, r.headers, self._read(r, deadline))
                        reader = self.reader(call, r.status_code, r.headers, attempt, info)
                        inflow = self.inflow(r, whole=False)
                        chunks = _raw(r)
                        for raw in chunks:
                            for piece in inflow.feed(raw):
                                events = reader.feed(piece)
                                if events:
                                    started = True
                                    yield events
                                if reader.done:
                                    break
                            if reader.done:
                                drain(r, chunks, self.clock)
                                break
                            if not started:
                                deadline.check()
                        else:
                            tail = reader.flush()
                            if tail:
                                yield tail
                        info.done = reader.done
                        return
                finally:
                    self._gate.release()
            except _RETRY_ON as exc:
                delay = self.retry_delay(call, exc, attempt, deadline, started)
            self.sleep(delay)
            attempt += 1

    def close(self) -> None:
        """Close the pooled client if we built it (an injected one stays open)."""
        client, self._client = self._client, None
        if client is not None and self._owned:
            client.close()
        elif not self._owned:
            self._client = client


class AsyncHTTP(_Shell):
    """Asynchronous twin. One ``httpx.AsyncClient`` and one gate of ``max_connections``
    slots per running event loop, released when that loop ends (``_loops``), so one
    instance works across ``asyncio.run`` calls without keeping their sockets."""

    def __init__(self, config: Config, http_client: httpx.AsyncClient | None = None) -> None:
        super().__init__(config)
        make = None if http_client is not None else self._make_client
        self._loops = LoopStates(make, http_client, config.max_connections)
        self.sleep: Callable[[float], Any] = asyncio.sleep

    def _make_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(**self.client_kwargs())

    def http(self) -> httpx.AsyncClient:
        """The pooled client of the running loop (built now if this is its first request)."""
        return self._loops.get().client

    async def _enter(self, deadline: Deadline) -> asyncio.Semaphore:
        """Take a slot of the running loop's gate, queueing at most until the deadline."""
        gate = self._loops.get().gate
        if gate.locked():
            try:
                async with asyncio.timeout(self.gate_timeout(deadline)):
                    await gate.acquire()
            except TimeoutError:
                raise self.queue_error(deadline) from None
        else:
            await gate.acquire()
        return gate

    async def _read(self, r: httpx.Response, deadline: Deadline) -> bytes:
        """A whole answer, inflated and bounded, read before the deadline."""
        inflow = self.inflow(r, whole=True)
        async for raw in _araw(r):
            inflow.add(raw)
            deadline.check()
        return inflow.content()

    async def _attempt(self, call: _Call, deadline: Deadline) -> tuple[httpx.Response, bytes]:
        gate = await self._enter(deadline)
        try:
            left = deadline.check()
            async with asyncio.timeout(None if math.isinf(left) else left), self.http().stream(
                "POST", call.url, content=call.content, headers=call.headers,
                timeout=self.attempt_timeout(call, deadline), follow_redirects=False,
            ) as r:
                return r, await self._read(r, deadline)
        finally:
            gate.release()

    async def send(
        self, target: Target, body: Body, options: RequestOptions | None
    ) -> tuple[Any, ResponseMeta]:
        call = self.prepare(target, body, options, stream=False)
        deadline = Deadline(call.deadline, self.clock)
        attempt = 0
        while True:
            try:
                r, content = await self._attempt(call, deadline)
                return self.decode(call, r.status_code, plain_headers(r), content, attempt)
            except _RETRY_ON as exc:
                delay = self.retry_delay(call, exc, attempt, deadline)
            await self.sleep(delay)
            attempt += 1

    async def stream(
        self,
        target: Target,
        body: Body,
        options: RequestOptions | None,
        info: StreamInfo,
    ) -> AsyncGenerator[Any, None]:
        call = self.prepare(target, body, options, stream=True)
        deadline = Deadline(call.deadline, self.clock)
        attempt = 0
        while True:
            started = False
            try:
                gate = await self._enter(deadline)
                try:
                    async with self.http().stream(
                        "POST", call.url, content=call.content, headers=call.headers,
                        timeout=self.attempt_timeout(call, deadline), follow_redirects=False,
                    ) as r:
                        if not self.is_event_stream(r.status_code, r.headers):
                            content = await self._read(r, deadline)
                            self.reject(call, r.status_code, r.headers, content)
                        reader = self.reader(call, r.status_code, r.headers, attempt, info)
                        inflow = self.inflow(r, whole=False)
                        chunks = _araw(r)
                        async for raw in chunks:
                            for piece in inflow.feed(raw):
                                events = reader.feed(piece)
                                if events:
                                    started = True
                                    yield events
                                if reader.done:
                                    break
                            if reader.done:
                                await adrain(chunks)
                                break
                            if not started:
                                deadline.check()
                        else:
                            tail = reader.flush()
                            if tail:
                                yield tail
                        info.done = reader.done
                        return
                finally:
                    gate.release()
            except _RETRY_ON as exc:
                delay = self.retry_delay(call, exc, attempt, deadline, started)
            await self.sleep(delay)
            attempt += 1

    async def aclose(self) -> None:
        """Close the client of the running loop if we built it; those of other loops are
        dropped (their loop closes them); an injected client stays open."""
        await self._loops.aclose()
