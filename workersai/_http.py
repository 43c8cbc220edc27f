"""The HTTP shells: the only place in ``workersai`` that does I/O.

``SyncHTTP`` and ``AsyncHTTP`` are short twins around the shared :class:`_Shell`, which
holds every decision: URLs, headers, timeouts, reading answers, turning failures into
typed errors and asking ``_retry`` whether to try again. Each twin only sends, sleeps and
iterates bytes. httpx clients are built on first use and reused (per event loop for the
async twin); injected clients are used as given and never closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import threading
import time
import urllib.parse
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from . import _json, errors
from ._backend import Binary, Body, RawBody, StreamInfo, Target, rest_path
from ._errors_map import (
    envelope_error,
    error_from_payload,
    error_from_response,
    format_error,
    redact,
    request_id,
)
from ._retry import next_delay
from ._sse import EventReader
from .config import Config, RequestOptions, Timeouts
from .types import ResponseMeta

__all__ = ["AsyncHTTP", "SyncHTTP", "to_error", "USER_AGENT"]

logger = logging.getLogger("workersai")

USER_AGENT = "workersai-integrations/0.1.0"
_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=30.0)


def _httpx_timeout(t: Timeouts, *, stream: bool) -> httpx.Timeout:
    """Streams wait at most ``stream_idle`` for any read (headers or a chunk)."""
    read = t.stream_idle if stream else t.read
    return httpx.Timeout(connect=t.connect, read=read, write=t.write, pool=t.pool)


def to_error(exc: BaseException, secret: str | None = None) -> errors.WorkersAIError:
    """Our typed error for a failure (httpx errors are translated, ours pass through)."""
    if isinstance(exc, errors.WorkersAIError):
        return exc
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
        self._urls: dict[str, httpx.URL] = {}  # parsed once per path (parsing is not free)
        self._timeouts = config.timeouts
        self._timeout = _httpx_timeout(config.timeouts, stream=False)
        self._stream_timeout = _httpx_timeout(config.timeouts, stream=True)

    def client_kwargs(self) -> dict[str, Any]:
        """How owned httpx clients are built (redirects are never followed)."""
        return {"timeout": self._timeout, "follow_redirects": False, "limits": _LIMITS}

    def _base(self) -> str:
        """``{base_url}/accounts/{id}``; checks credentials and builds headers once."""
        if self._prefix is None:
            account_id, token = self.config.require_credentials()
            cfg = self.config
            core = {"user-agent": USER_AGENT}
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
        path = rest_path(target)
        url = self._urls.get(path)
        if url is None:
            url = httpx.URL(prefix + path)
            if len(self._urls) < 256:
                self._urls[path] = url
        timeouts, headers, retries = self._timeouts, self._headers, self.config.max_retries
        timeout = self._stream_timeout if stream else self._timeout
        if options is not None:
            headers = self._call_headers(options)
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
        return _Call(
            path, url, content, headers, timeout, timeouts.stream_idle, retries, target.enveloped
        )

    def retry_delay(
        self, call: _Call, exc: BaseException, attempt: int, started: bool = False
    ) -> float:
        """Seconds to wait before the next attempt; raises the typed error to give up."""
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
        return EventReader(call.stream_idle, headers, self.clock, self._secret)


def _describe(err: errors.WorkersAIError) -> str:
    status = getattr(err, "status_code", None)
    code = getattr(err, "code", None)
    return f"{type(err).__name__} (status {status}, code {code})"


_RETRY_ON = (httpx.HTTPError, errors.WorkersAIError)


_DRAIN_LIMIT = 64 * 1024
"""Bytes read past ``[DONE]`` so the connection goes back to the pool (more: close it)."""


def _drain(chunks: Iterator[bytes]) -> None:
    """Read what follows ``[DONE]`` (normally nothing) so httpx can reuse the connection."""
    total = 0
    with contextlib.suppress(httpx.HTTPError):
        for chunk in chunks:
            total += len(chunk)
            if total > _DRAIN_LIMIT:
                return


async def _adrain(chunks: AsyncIterator[bytes]) -> None:
    """The async twin of :func:`_drain`."""
    total = 0
    with contextlib.suppress(httpx.HTTPError):
        async for chunk in chunks:
            total += len(chunk)
            if total > _DRAIN_LIMIT:
                return


class SyncHTTP(_Shell):
    """Blocking twin. Thread-safe; one pooled ``httpx.Client`` built on first use."""

    def __init__(self, config: Config, http_client: httpx.Client | None = None) -> None:
        super().__init__(config)
        self._client = http_client
        self._owned = http_client is None
        self._lock = threading.Lock()
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

    def send(
        self, target: Target, body: Body, options: RequestOptions | None
    ) -> tuple[Any, ResponseMeta]:
        call = self.prepare(target, body, options, stream=False)
        attempt = 0
        while True:
            try:
                r = self.http().post(
                    call.url, content=call.content, headers=call.headers,
                    timeout=call.timeout, follow_redirects=False,
                )
                return self.decode(call, r.status_code, r.headers, r.content, attempt)
            except _RETRY_ON as exc:
                delay = self.retry_delay(call, exc, attempt)
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
        attempt = 0
        while True:
            started = False
            try:
                with self.http().stream(
                    "POST", call.url, content=call.content, headers=call.headers,
                    timeout=call.timeout, follow_redirects=False,
                ) as r:
                    if not self.is_event_stream(r.status_code, r.headers):
                        self.reject(call, r.status_code, r.headers, r.read())
                    reader = self.reader(call, r.status_code, r.headers, attempt, info)
                    chunks = r.iter_bytes()
                    for chunk in chunks:
                        events = reader.feed(chunk)
                        if events:
                            started = True
                            yield events
                        if reader.done:
                            _drain(chunks)
                            break
                    else:
                        tail = reader.flush()
                        if tail:
                            yield tail
                    info.done = reader.done
                    return
            except _RETRY_ON as exc:
                delay = self.retry_delay(call, exc, attempt, started)
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
    """Asynchronous twin. One ``httpx.AsyncClient`` per running event loop, weakly keyed,
    so one instance works across ``asyncio.run`` calls."""

    def __init__(self, config: Config, http_client: httpx.AsyncClient | None = None) -> None:
        super().__init__(config)
        self._injected = http_client
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient]
        self._clients = weakref.WeakKeyDictionary()
        self.sleep: Callable[[float], Any] = asyncio.sleep

    def http(self) -> httpx.AsyncClient:
        """The pooled client of the running loop (built now if this is its first request)."""
        if self._injected is not None:
            return self._injected
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = self._clients[loop] = httpx.AsyncClient(**self.client_kwargs())
        return client

    async def send(
        self, target: Target, body: Body, options: RequestOptions | None
    ) -> tuple[Any, ResponseMeta]:
        call = self.prepare(target, body, options, stream=False)
        attempt = 0
        while True:
            try:
                r = await self.http().post(
                    call.url, content=call.content, headers=call.headers,
                    timeout=call.timeout, follow_redirects=False,
                )
                return self.decode(call, r.status_code, r.headers, r.content, attempt)
            except _RETRY_ON as exc:
                delay = self.retry_delay(call, exc, attempt)
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
        attempt = 0
        while True:
            started = False
            try:
                async with self.http().stream(
                    "POST", call.url, content=call.content, headers=call.headers,
                    timeout=call.timeout, follow_redirects=False,
                ) as r:
                    if not self.is_event_stream(r.status_code, r.headers):
                        self.reject(call, r.status_code, r.headers, await r.aread())
                    reader = self.reader(call, r.status_code, r.headers, attempt, info)
                    chunks = r.aiter_bytes()
                    async for chunk in chunks:
                        events = reader.feed(chunk)
                        if events:
                            started = True
                            yield events
                        if reader.done:
                            await _adrain(chunks)
                            break
                    else:
                        tail = reader.flush()
                        if tail:
                            yield tail
                    info.done = reader.done
                    return
            except _RETRY_ON as exc:
                delay = self.retry_delay(call, exc, attempt, started)
            await self.sleep(delay)
            attempt += 1

    async def aclose(self) -> None:
        """Close the clients we built. Those of other, still running loops are dropped
        (their connections belong to that loop); an injected client stays open."""
        clients = list(self._clients.items())
        self._clients.clear()
        loop = asyncio.get_running_loop()
        for owner, client in clients:
            if owner is loop:
                await client.aclose()
