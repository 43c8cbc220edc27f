"""The ``env.AI`` binding of a Cloudflare Python Worker as a backend of ``AsyncClient``.

Inside a Python Worker, ``env.AI.run(model, inputs, options)`` runs a model without HTTP
and returns a JS promise (reference section 12). :class:`BindingBackend` plugs that into
the client seam (``workersai._backend``), so ``chat``, ``stream_chat``, ``embed``,
``rerank``, ``run`` and the batch queue work unchanged::

    client = AsyncClient(binding=self.env.AI)     # no account id or token needed

What it does: inputs go in as JS objects; results come back as Python values; a
``stream: true`` call returns the raw SSE bytes as a ``ReadableStream``, read chunk by
chunk into the same SSE reader and ``StreamAssembler`` the HTTP path uses; thrown
``InferenceUpstreamError("<code>: <description>")`` become the typed errors of
``workersai.errors`` (retried like over HTTP); AI Gateway settings travel in
``options.gateway``. The binding is async only: a ``Client(binding=...)`` raises a
:class:`~workersai.errors.ConfigurationError` on every call (:class:`SyncBindingGuard`).
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from typing import Any

from ._backend import Binary, Body, RawBody, StreamInfo, Target
from ._binding_js import awaited, is_stream, iter_stream, to_js, to_py
from ._deadline import Deadline
from ._errors_map import clean_message, error_from_payload, format_error
from ._retry import Attempts, Pace, cut_stream, slot
from ._sse import EventReader
from .config import Config, GatewayOptions, RequestOptions, Timeouts
from .errors import (
    ConfigurationError,
    InvalidInputError,
    TimeoutError,
    TransportError,
    WorkersAIError,
)
from .types import ResponseMeta

__all__ = [
    "SYNC_MESSAGE",
    "BindingBackend",
    "SyncBindingGuard",
    "binding_error",
    "binding_options",
    "gateway_option",
]

SYNC_MESSAGE = (
    "The Workers AI binding (env.AI) runs only on async paths: use AsyncClient(binding=...) "
    "or the async methods (ainvoke, astream, aembed_documents, achat, aget_text_embedding, "
    "...). A Python Worker cannot block on a JS promise."
)

_CODE_RE = re.compile(r"^\s*(?:[A-Za-z]*Error:\s*)*(\d{3,5})\s*:\s*(.*)$", re.DOTALL)
def gateway_option(gateway: str, opts: GatewayOptions | None) -> dict[str, Any]:
    """The binding's ``options.gateway`` object for a gateway id and its options."""
    out: dict[str, Any] = {"id": gateway}
    if opts is None:
        return out
    opts.headers()  # the same validation as over HTTP (metadata, attempts, delay)
    pairs = (
        ("skipCache", opts.skip_cache), ("cacheTtl", opts.cache_ttl),
        ("cacheKey", opts.cache_key), ("metadata", opts.metadata),
        ("collectLog", opts.collect_log), ("eventId", opts.event_id),
        ("requestTimeoutMs", opts.request_timeout_ms),
    )
    out.update({k: v for k, v in pairs if v is not None})
    retry = (
        ("maxAttempts", opts.max_attempts), ("retryDelayMs", opts.retry_delay_ms),
        ("backoff", opts.backoff),
    )
    retries = {k: v for k, v in retry if v is not None}
    if retries:
        out["retries"] = retries
    return out


def binding_options(
    config: Config, options: RequestOptions | None, query: dict[str, str] | None = None
) -> dict[str, Any]:
    """The third argument of ``env.AI.run``: gateway, extra headers, query options."""
    o = options or RequestOptions()
    out: dict[str, Any] = {}
    gateway = o.gateway or config.gateway
    gw_opts = o.gateway_options or config.gateway_options
    if gateway:
        out["gateway"] = gateway_option(gateway, gw_opts)
    elif gw_opts is not None:
        raise InvalidInputError(
            "AI Gateway options need a gateway id over the binding (gateway=...)"
        )
    headers = {k.lower(): v for k, v in config.default_headers.items()}
    headers.update({k.lower(): v for k, v in (o.extra_headers or {}).items()})
    if o.session_affinity:
        headers["x-session-affinity"] = o.session_affinity
    if headers:
        out["extraHeaders"] = headers
    for key, value in (query or {}).items():  # REST query parameters are binding options
        out[key] = {"true": True, "false": False}.get(str(value).lower(), value)
    return out


def binding_error(exc: BaseException, binding: Any = None) -> WorkersAIError:
    """Our typed error for what ``env.AI.run`` threw.

    ``InferenceUpstreamError`` messages read ``"<internalCode>: <description>"`` (also
    inside a ``JsException``); the code picks the class, as in an HTTP error envelope.
    """
    if isinstance(exc, WorkersAIError):
        return exc
    if isinstance(exc, asyncio.TimeoutError):
        return TimeoutError("Timed out waiting for the Workers AI binding")
    text = str(getattr(exc, "message", None) or exc or type(exc).__name__)
    status = _int(getattr(binding, "lastRequestHttpStatusCode", None))
    status = status if status is not None and status >= 400 else None
    req_id = _str(getattr(binding, "lastRequestId", None))
    headers = {"cf-ai-req-id": req_id} if req_id else {}
    match = _CODE_RE.match(text)
    if match:
        entry = {"code": int(match.group(1)), "message": clean_message(match.group(2))}
        return error_from_payload({"errors": [entry]}, status, headers)
    if status is not None or "InferenceUpstreamError" in text or "AiError" in text:
        return error_from_payload({"errors": [{"message": text}]}, status, headers)
    return TransportError(f"The Workers AI binding failed ({type(exc).__name__}): {text}")


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _inputs(target: Target, body: Body) -> tuple[dict[str, Any], dict[str, str] | None]:
    """The model input object and the query options of a call."""
    if target.route.startswith("models-"):
        raise ConfigurationError("this client's backend (a binding) cannot call the models API")
    if target.route != "run":
        raise InvalidInputError(
            "The Workers AI binding serves only the native endpoint (endpoint='native')"
        )
    if not isinstance(body, RawBody):
        return body, None
    if "json" not in body.content_type:
        raise InvalidInputError(
            "Raw (non-JSON) request bodies cannot be sent over the binding; "
            "pass the model's JSON input to run() instead"
        )
    try:
        inputs = json.loads(body.data)
    except ValueError as exc:
        raise InvalidInputError(f"The JSON request body does not parse: {exc}") from exc
    return inputs, dict(body.query) if body.query else None


class BindingBackend:
    """``AsyncBackend`` over a Python Worker's ``env.AI`` (or any object that behaves so)."""

    def __init__(self, binding: Any, config: Config) -> None:
        if not callable(getattr(binding, "run", None)):
            raise ConfigurationError(
                "binding= must be the Workers AI binding (env.AI): an object with run()"
            )
        self.binding = binding
        self.config = config
        self.sleep: Callable[[float], Any] = asyncio.sleep
        self.random: Callable[[], float] = random.random
        self.clock: Callable[[], float] = time.monotonic

    def _meta(self, attempts: int) -> ResponseMeta:
        b = self.binding
        return ResponseMeta(
            status_code=_int(getattr(b, "lastRequestHttpStatusCode", None)) or 200,
            request_id=_str(getattr(b, "lastRequestId", None)),
            gateway_log_id=_str(getattr(b, "aiGatewayLogId", None)),
            attempts=attempts,
        )

    def _settings(self, options: RequestOptions | None) -> tuple[Timeouts, Attempts]:
        """The call's timeouts and its retry budget, spent within the call's deadline
        (``Config.deadline``, per call ``RequestOptions.deadline``) as over HTTP."""
        timeouts, retries = self.config.call_settings(options)
        deadline = Deadline(self.config.call_deadline(options), self.clock)
        return timeouts, Attempts(retries, deadline, self.random)

    async def _paced(
        self, options: RequestOptions | None, pace: Pace | None
    ) -> tuple[Timeouts, Attempts]:
        """The call's settings once its pacing slot (if any) has come: the wait for the
        slot is not part of the call. ``pace`` hears of 429s and the accepted attempt."""
        if wait := slot(pace):
            await asyncio.sleep(wait)
        timeouts, tries = self._settings(options)
        tries.pace = pace
        return timeouts, tries

    async def _run(
        self, model: str, inputs: dict[str, Any], opts: dict[str, Any], wait: float,
        tries: Attempts,
    ) -> Any:
        """The awaited result of ``run``: this backend's one retry loop, deciding as the
        HTTP twins do (:class:`~workersai._retry.Attempts`); each attempt is cut at the
        call's deadline, and no retry waits past it."""
        js_inputs, js_opts = to_js(inputs), to_js(opts)
        deadline = tries.deadline
        while True:
            left = deadline.check()
            try:
                call = awaited(self.binding.run(model, js_inputs, js_opts))
                result = await asyncio.wait_for(call, min(wait, left))
            except Exception as exc:  # JsException and friends
                if isinstance(exc, asyncio.TimeoutError) and deadline.remaining() <= 0:
                    raise deadline.error() from None
                err = binding_error(exc, self.binding)
                delay = tries.wait(err)
                if delay is None:
                    raise err from (None if err is exc else exc)
            else:
                tries.succeeded()
                return result
            await self.sleep(delay)

    async def send(
        self, target: Target, body: Body, options: RequestOptions | None, *,
        pace: Pace | None = None,
    ) -> tuple[Any, ResponseMeta]:
        """One call: the Python result, or :class:`Binary` for a media stream."""
        inputs, query = _inputs(target, body)
        timeouts, tries = await self._paced(options, pace)
        opts = binding_options(self.config, options, query)
        result = await self._run(target.model, inputs, opts, timeouts.read, tries)
        meta = self._meta(tries.made)
        if is_stream(result):  # a whole answer: read before the deadline
            content = await self._read_all(result, timeouts.read, tries.deadline)
            return Binary(content, target.media_type or "application/octet-stream"), meta
        value = to_py(result)
        if isinstance(value, (bytes, bytearray, memoryview)):
            return Binary(bytes(value), "application/octet-stream"), meta
        return value, meta

    async def _read_all(self, stream: Any, wait: float, deadline: Deadline) -> bytes:
        parts: list[bytes] = []
        async for chunk in self._chunks(stream, wait, lambda: deadline):
            parts.append(chunk)
        return b"".join(parts)

    async def _chunks(
        self, stream: Any, idle: float, deadline: Callable[[], Deadline | None]
    ) -> AsyncGenerator[bytes, None]:
        """The stream's chunks, each within ``idle`` seconds and, while ``deadline()``
        gives one, before it; JS errors become ours."""
        chunks = iter_stream(stream)
        try:
            while True:
                limit = deadline()
                wait = idle if limit is None else min(idle, limit.check())
                try:
                    chunk = await asyncio.wait_for(chunks.__anext__(), wait)
                except StopAsyncIteration:
                    return
                except Exception as exc:  # JsException mid-stream
                    if limit is not None and limit.remaining() <= 0:
                        raise limit.error() from None
                    raise binding_error(exc, self.binding) from exc
                yield chunk
        finally:
            await chunks.aclose()

    async def stream(
        self,
        target: Target,
        body: dict[str, Any],
        options: RequestOptions | None,
        info: StreamInfo,
        *,
        pace: Pace | None = None,
    ) -> AsyncGenerator[Any, None]:
        """Decoded SSE events of a ``stream: true`` call, until ``[DONE]`` or the end.
        As over HTTP, a failure before the first event is retried (``Attempts``); once
        events reached the caller, none is."""
        inputs, query = _inputs(target, body)
        timeouts, tries = await self._paced(options, pace)
        opts = binding_options(self.config, options, query)
        while True:
            result = await self._run(target.model, inputs, opts, timeouts.stream_idle, tries)
            info.meta = self._meta(tries.made)
            _require_stream(result, info.meta)
            reader = EventReader(timeouts.stream_idle, {}, self.clock, "")
            started = False
            try:
                async with aclosing(self._events(result, reader, timeouts.stream_idle,
                                                 tries)) as batches:
                    async for events in batches:
                        started = True
                        yield events
            except WorkersAIError as err:
                if started:
                    raise cut_stream(err) from err
                delay = tries.wait(err)
                if delay is None:
                    raise
            else:
                info.done = reader.done
                return
            await self.sleep(delay)

    async def _events(
        self, result: Any, reader: EventReader, idle: float, tries: Attempts
    ) -> AsyncGenerator[list[Any], None]:
        """The event batches of one streamed answer; as over HTTP, the call's deadline
        runs until the first event, then ``idle`` alone bounds each read."""
        deadline: Deadline | None = tries.deadline
        chunks = self._chunks(result, idle, lambda: deadline)
        try:
            async for chunk in chunks:
                events = reader.feed(chunk)
                if events:
                    deadline = None
                    yield events
                if reader.done:
                    return
            if tail := reader.flush():
                yield tail
        finally:
            await chunks.aclose()

    async def aclose(self) -> None:
        """Nothing to release: the Worker runtime owns the binding."""


def _require_stream(result: Any, meta: ResponseMeta) -> None:
    """Refuse a whole JSON answer to a stream request (a format error, not retried)."""
    if not is_stream(result):
        text = json.dumps(to_py(result), default=str).encode()
        raise format_error(
            "The Workers AI binding answered a stream request without a stream",
            meta.status_code, text, None,
        )


class SyncBindingGuard:
    """``SyncBackend`` for ``Client(binding=...)``: every call raises a clear error."""

    def send(
        self, target: Target, body: Body, options: RequestOptions | None, *,
        pace: Pace | None = None,
    ) -> tuple[Any, ResponseMeta]:
        raise ConfigurationError(SYNC_MESSAGE)

    def stream(
        self, target: Target, body: dict[str, Any], options: RequestOptions | None,
        info: StreamInfo, *, pace: Pace | None = None,
    ) -> Any:
        raise ConfigurationError(SYNC_MESSAGE)

    def close(self) -> None:
        """Nothing to release."""
