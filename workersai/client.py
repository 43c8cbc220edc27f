"""``Client`` and ``AsyncClient``: the public core API (see ``docs/core-api.md``).

Both are thin twins: request bodies and reply parsing come from ``workersai.wire``, the
I/O from a backend (``_http`` by default), and the logic both twins share lives in the
helpers at the top of this module, so each method body is a few lines.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
from collections.abc import AsyncGenerator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import httpx
from pydantic import SecretStr

from ._backend import AsyncBackend, Binary, RawBody, StreamInfo, SyncBackend, Target
from ._http import AsyncHTTP, SyncHTTP
from ._ops import DEFAULT_MAX_CONCURRENCY  # noqa: F401  (re-exported)
from ._ops import EmbedPlan as _EmbedJob
from ._ops import Outcome as _Outcome
from ._ops import batch_failure as _batch_failure
from ._ops import build as _build  # noqa: F401  (kept importable here)
from ._ops import chat_call as _chat
from ._ops import chat_reply as _reply
from ._ops import full_id as _full_id
from ._ops import parse as _parse
from ._ops import rerank_body as _rerank_body
from ._ops import run_target as _run_target
from ._pacer import Paced, Pacing
from .binding import BindingBackend, SyncBindingGuard
from .config import Config, GatewayOptions, Limits, RequestOptions, Settings, Timeouts
from .errors import (
    InvalidInputError,
)
from .types import (
    ChatParams,
    EmbeddingResult,
    EmbedParams,
    Endpoint,
    Message,
    Reply,
    RerankResult,
    ResponseMeta,
    StreamDelta,
)
from .wire.rerank import parse_rerank_result
from .wire.stream import StreamAssembler, coalesce

if TYPE_CHECKING:
    from ._namespaces import AsyncBatch, AsyncTasks, Batch, Tasks
    from .models import AsyncModels, Models
    from .tasks._protocol import SupportsAsyncTasks, SupportsTasks

__all__ = ["AsyncClient", "Client", "RawReply", "RunResult"]



def _paced(pacing: Pacing | None, config: Config, model: str, *, bulk: bool) -> Paced | None:
    """The call's place in its ``(account, model)`` bucket, handed to the backend (whose
    retry loop waits for it and reports to it), or None. ``None`` pacing paces bulk
    embeddings, not chat (a single call should not wait)."""
    if pacing is None and not bulk:
        return None
    return Paced.plan(pacing, config.account_id or "", model)


@dataclass(slots=True)
class RunResult:
    """What :meth:`Client.run` returns: the model output (envelope removed; raw bytes
    for image or audio models) and what the HTTP layer learned."""

    result: Any
    meta: ResponseMeta = field(default_factory=ResponseMeta)


@dataclass(slots=True)
class RawReply:
    """What :meth:`Client.run_raw` returns. A JSON answer has ``result`` set (envelope
    removed) and empty ``content``; any other answer carries its bytes in ``content``."""

    content: bytes
    content_type: str
    result: Any
    meta: ResponseMeta


# --- logic shared by both twins ------------------------------------------------------------

def _config(config: Config | None, **settings: Any) -> Config:
    if config is None:
        return Config.resolve(**settings)
    given = sorted(name for name, value in settings.items() if value is not None)
    if given:
        raise InvalidInputError(f"pass either config= or settings, not both (got {given})")
    return config


def _feed(assembler: StreamAssembler, events: list[Any]) -> list[StreamDelta]:
    """The deltas of the events of one network read, neighbouring text merged (the
    per-token case, one event per read, is inlined by the stream loops)."""
    feed = assembler.feed
    if len(events) == 1:
        return feed(events[0])
    deltas: list[StreamDelta] = []
    for event in events:
        deltas += feed(event)
    return coalesce(deltas)


def _final(assembler: StreamAssembler, info: StreamInfo) -> StreamDelta:
    """The closing delta: ``finish_reason``, usage once, meta (or TruncatedStreamError)."""
    if info.done:
        assembler.done()
    delta = _parse(assembler.finish)
    delta.meta = info.meta
    return delta


def _raw_reply(result: Any, meta: ResponseMeta) -> RawReply:
    if isinstance(result, Binary):
        return RawReply(result.content, result.content_type, None, meta)
    return RawReply(b"", "application/json", result, meta)


def _run_result(result: Any, meta: ResponseMeta) -> RunResult:
    return RunResult(result.content if isinstance(result, Binary) else result, meta)


def _repr(kind: str, config: Config) -> str:
    return (
        f"{kind}(account_id={config.account_id!r}, base_url={config.base_url!r}, "
        f"gateway={config.gateway!r})"
    )


# --- the twins -----------------------------------------------------------------------------

S = TypeVar("S")
A = TypeVar("A")


class _Space(Generic[S, A]):
    """A namespace of both twins (``models``, ``tasks``, ``batch``): the sync class built
    on a ``Client``, the async one on an ``AsyncClient``; awaited there."""

    def __init__(self, module: str, sync: str, aio: str, doc: str) -> None:
        self._where = (module, sync, aio)
        self.__doc__ = doc

    @overload
    def __get__(self, twin: None, owner: type) -> _Space[S, A]: ...

    @overload
    def __get__(self, twin: Client, owner: type) -> S: ...

    @overload
    def __get__(self, twin: AsyncClient, owner: type) -> A: ...

    def __get__(self, twin: _Twin[Any, Any] | None, owner: type) -> Any:
        if twin is None:
            return self
        module, sync, aio = self._where
        kind = aio if isinstance(twin, AsyncClient) else sync
        return getattr(importlib.import_module(module, __package__), kind)(twin)


H = TypeVar("H", httpx.Client, httpx.AsyncClient)
"""The httpx client type a twin accepts as ``http_client``."""
B = TypeVar("B", SyncBackend, AsyncBackend)


class _Twin(Generic[H, B]):
    """The constructor both twins share: settings (or ``config``) and a backend.

    Each setting is also a :meth:`Config.resolve` parameter; ``http_client`` is the
    twin's httpx client type, ``binding`` a Python Worker's ``env.AI``.
    """

    _config: Config
    _backend: B
    _http_client: H | None
    _binding: Any

    def __init__(
        self,
        *,
        account_id: str | None = None,
        api_token: SecretStr | str | None = None,
        base_url: str | None = None,
        gateway: str | None = None,
        gateway_options: GatewayOptions | None = None,
        timeout: float | Timeouts | None = None,
        max_retries: int | None = None,
        default_headers: dict[str, str] | None = None,
        http_client: H | None = None,
        config: Config | None = None,
        binding: Any = None,
        limits: Limits | None = None,
        deadline: float | None = None,
        max_connections: int | None = None,
    ) -> None:
        self._config = _config(
            config, account_id=account_id, api_token=api_token, base_url=base_url,
            gateway=gateway, gateway_options=gateway_options, timeout=timeout,
            max_retries=max_retries, default_headers=default_headers, limits=limits,
            deadline=deadline, max_connections=max_connections,
        )
        self._http_client, self._binding = http_client, binding
        self._backend = self._make_backend(http_client, binding)

    @property
    def config(self) -> Config:
        """The settings, fixed at construction (use :meth:`with_options` to change them)."""
        return self._config

    def with_options(self, **settings: Any) -> Any:
        """A new client of the same kind: these constructor settings changed, the others
        (and an injected ``http_client`` or ``binding``) kept. It has its own pool."""
        return _with_options(self, settings)

    def __copy__(self) -> Any:
        """An independent client with the same settings (its own connection pool)."""
        return _with_options(self, {})

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return _with_options(self, {})

    def _make_backend(self, http_client: H | None, binding: Any) -> B:
        raise NotImplementedError

    models: _Space[Models, AsyncModels] = _Space(
        ".models", "Models", "AsyncModels",
        "The models API: ``search``, ``schema`` and ``refresh`` (the live catalog).")
    tasks: _Space[Tasks, AsyncTasks] = _Space(
        "._namespaces", "Tasks", "AsyncTasks",  # loads the task modules on first use
        "Images, speech, translation, classification, ...: ``client.tasks.translate(...)``.")
    batch: _Space[Batch, AsyncBatch] = _Space(
        "._namespaces", "Batch", "AsyncBatch",
        "The async batch queue: ``submit``, ``poll``, ``run``, ``chat``, ``embed``.")


def _settings_of(c: Config) -> Settings:
    """Every constructor setting of ``c``: a twin made from them equals the original."""
    return Settings(
        account_id=c.account_id, api_token=c.api_token, base_url=c.base_url,
        gateway=c.gateway, gateway_options=c.gateway_options, timeout=c.timeouts,
        max_retries=c.max_retries, default_headers=c.default_headers, limits=c.limits,
        deadline=c.deadline, max_connections=c.max_connections,
    )


def _with_options(twin: _Twin[Any, Any], settings: dict[str, Any]) -> Any:
    unknown = sorted(set(settings) - {*Settings.__optional_keys__, "http_client", "binding"})
    if unknown:
        raise InvalidInputError(f"with_options got unknown setting(s) {unknown}")
    current = {**_settings_of(twin.config), "http_client": twin._http_client,
               "binding": twin._binding}
    return type(twin)(**{**current, **settings})


class Client(_Twin[httpx.Client, SyncBackend]):
    """Blocking Workers AI client. Thread-safe; construction does no I/O.

    Example:
        .. code-block:: python

            from workersai import Client
            from workersai.types import Message

            with Client() as client:  # CLOUDFLARE_ACCOUNT_ID / CLOUDFLARE_API_TOKEN
                reply = client.chat("@cf/meta/llama-3.3-70b-instruct-fp8-fast",
                                    [Message("user", "Say hi")])
                print(reply.text)
    """

    def _make_backend(self, http_client: httpx.Client | None, binding: Any) -> SyncBackend:
        # a binding is async only: every call says so
        return SyncHTTP(self.config, http_client) if binding is None else SyncBindingGuard()

    def __repr__(self) -> str:
        return _repr("Client", self.config)

    def chat(
        self, model: str, messages: list[Message], params: ChatParams | None = None, *,
        endpoint: Endpoint = "native", options: RequestOptions | None = None,
        pacing: Pacing | None = None,
    ) -> Reply:
        """One chat completion; with ``pacing``, sent in its slot under the account's rate
        limit (off by default: a single call should not wait; bulk callers pass it)."""
        model = _full_id(model)
        target, body, params = _chat(model, messages, params, endpoint, stream=False)
        paced = _paced(pacing, self.config, model, bulk=False)
        result, meta = self._backend.send(target, body, options, pace=paced)
        return _reply(result, meta, model, params)

    def stream_chat(
        self, model: str, messages: list[Message], params: ChatParams | None = None, *,
        endpoint: Endpoint = "native", options: RequestOptions | None = None,
        pacing: Pacing | None = None,
    ) -> Iterator[StreamDelta]:
        """Deltas as they arrive; the last one has ``final=True`` (usage, meta). With
        ``pacing``, the stream opens in its slot of the bucket :meth:`chat` paces in."""
        model = _full_id(model)
        target, body, params = _chat(model, messages, params, endpoint, stream=True)
        assembler, info = StreamAssembler(model, params), StreamInfo()
        paced = _paced(pacing, self.config, model, bulk=False)
        source = self._backend.stream(target, body, options, info, pace=paced)
        feed = assembler.feed
        with contextlib.closing(source) as events:
            for batch in events:  # the events of one network read
                yield from feed(batch[0]) if len(batch) == 1 else _feed(assembler, batch)
        yield _final(assembler, info)

    def embed(
        self, model: str, texts: list[str], params: EmbedParams | None = None, *,
        batch_size: int | None = None, max_concurrency: int | None = None,
        options: RequestOptions | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        pacing: Pacing | None = None,
    ) -> EmbeddingResult:
        """Vectors in input order; batches run concurrently in a thread pool, paced under
        the account's rate limit (``pacing``: :class:`workersai.Pacing`, on by default).
        ``on_progress(done, total)`` is called as each batch finishes."""
        model = _full_id(model)
        if isinstance(texts, list | tuple) and not texts:
            return EmbeddingResult([])
        job = _EmbedJob.plan(model, texts, params, batch_size, max_concurrency, on_progress)
        paced = _paced(pacing, self.config, model, bulk=True)

        def one(batch: range) -> _Outcome:
            try:
                body = job.body(batch)
                sent = self._backend.send(job.target, body, options, pace=paced)
                return job.done(batch, job.parse(batch, *sent))
            except Exception as exc:  # any failure is this batch's; finished work is kept
                return job.done(batch, _batch_failure(exc))

        workers = min(job.concurrency, len(job.batches))
        if workers == 1:
            return job.collect([one(b) for b in job.batches])
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="workersai") as pool:
            return job.collect(list(pool.map(one, job.batches)))

    def rerank(
        self, model: str, query: str, documents: list[str], *, top_k: int | None = None,
        options: RequestOptions | None = None,
    ) -> list[RerankResult]:
        """Documents scored against ``query``, best first."""
        model = _full_id(model)
        if isinstance(documents, list) and not documents:
            return []
        body = _rerank_body(model, query, documents, top_k)
        result, _ = self._backend.send(Target(model), body, options)
        return _parse(parse_rerank_result, result, n_documents=len(documents), top_k=top_k)

    def run(
        self, model: str, inputs: dict[str, Any], *, options: RequestOptions | None = None
    ) -> RunResult:
        """Any model on the native ``/ai/run/{model}`` path (escape hatch)."""
        model = _full_id(model)
        return _run_result(*self._backend.send(_run_target(model), inputs, options))

    def run_raw(
        self, model: str, body: bytes, *, content_type: str,
        query: dict[str, str] | None = None, options: RequestOptions | None = None,
    ) -> RawReply:
        """Post a non-JSON body (audio, image) and get JSON or raw bytes back."""
        model = _full_id(model)
        raw = RawBody(body, content_type, query)
        return _raw_reply(*self._backend.send(_run_target(model), raw, options))

    def close(self) -> None:
        """Close the pooled HTTP client (an injected ``http_client`` stays open)."""
        self._backend.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(_Twin[httpx.AsyncClient, AsyncBackend]):
    """Asynchronous Workers AI client; one instance works across event loops.

    Example:
        .. code-block:: python

            import asyncio
            from workersai import AsyncClient
            from workersai.types import Message

            async def main() -> None:
                async with AsyncClient() as client:
                    async for delta in client.stream_chat(
                        "@cf/meta/llama-3.3-70b-instruct-fp8-fast", [Message("user", "Say hi")]
                    ):
                        print(delta.text, end="")

            asyncio.run(main())
    """

    def _make_backend(self, http_client: httpx.AsyncClient | None, binding: Any) -> AsyncBackend:
        # binding: a Python Worker's env.AI (workersai.binding)
        if binding is None:
            return AsyncHTTP(self.config, http_client)
        return BindingBackend(binding, self.config)

    def __repr__(self) -> str:
        return _repr("AsyncClient", self.config)

    async def chat(
        self, model: str, messages: list[Message], params: ChatParams | None = None, *,
        endpoint: Endpoint = "native", options: RequestOptions | None = None,
        pacing: Pacing | None = None,
    ) -> Reply:
        """One chat completion; ``pacing`` as in :meth:`Client.chat` (off by default)."""
        model = _full_id(model)
        target, body, params = _chat(model, messages, params, endpoint, stream=False)
        paced = _paced(pacing, self.config, model, bulk=False)
        result, meta = await self._backend.send(target, body, options, pace=paced)
        return _reply(result, meta, model, params)

    async def stream_chat(
        self, model: str, messages: list[Message], params: ChatParams | None = None, *,
        endpoint: Endpoint = "native", options: RequestOptions | None = None,
        pacing: Pacing | None = None,
    ) -> AsyncGenerator[StreamDelta, None]:
        """Deltas as they arrive; ``pacing`` as in :meth:`Client.stream_chat`."""
        model = _full_id(model)
        target, body, params = _chat(model, messages, params, endpoint, stream=True)
        assembler, info = StreamAssembler(model, params), StreamInfo()
        paced = _paced(pacing, self.config, model, bulk=False)
        events = self._backend.stream(target, body, options, info, pace=paced)
        feed = assembler.feed
        async with contextlib.aclosing(events):
            async for batch in events:  # the events of one network read
                for delta in feed(batch[0]) if len(batch) == 1 else _feed(assembler, batch):
                    yield delta
        yield _final(assembler, info)

    async def embed(
        self, model: str, texts: list[str], params: EmbedParams | None = None, *,
        batch_size: int | None = None, max_concurrency: int | None = None,
        options: RequestOptions | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        pacing: Pacing | None = None,
    ) -> EmbeddingResult:
        """Vectors in input order; at most ``max_concurrency`` batches in flight, paced
        under the account's rate limit (``pacing``, on by default).
        ``on_progress(done, total)`` is called as each batch finishes."""
        model = _full_id(model)
        if isinstance(texts, list | tuple) and not texts:
            return EmbeddingResult([])
        job = _EmbedJob.plan(model, texts, params, batch_size, max_concurrency, on_progress)
        gate = asyncio.Semaphore(job.concurrency)
        paced = _paced(pacing, self.config, model, bulk=True)

        async def one(batch: range) -> _Outcome:
            async with gate:
                try:
                    body = job.body(batch)
                    result, meta = await self._backend.send(job.target, body, options,
                                                            pace=paced)
                    return job.done(batch, job.parse(batch, result, meta))
                except Exception as exc:  # any failure is this batch's; finished work is kept
                    return job.done(batch, _batch_failure(exc))

        return job.collect(list(await asyncio.gather(*(one(b) for b in job.batches))))

    async def rerank(
        self, model: str, query: str, documents: list[str], *, top_k: int | None = None,
        options: RequestOptions | None = None,
    ) -> list[RerankResult]:
        """Documents scored against ``query``, best first."""
        model = _full_id(model)
        if isinstance(documents, list) and not documents:
            return []
        body = _rerank_body(model, query, documents, top_k)
        result, _ = await self._backend.send(Target(model), body, options)
        return _parse(parse_rerank_result, result, n_documents=len(documents), top_k=top_k)

    async def run(
        self, model: str, inputs: dict[str, Any], *, options: RequestOptions | None = None
    ) -> RunResult:
        """Any model on the native ``/ai/run/{model}`` path (escape hatch)."""
        model = _full_id(model)
        return _run_result(*await self._backend.send(_run_target(model), inputs, options))

    async def run_raw(
        self, model: str, body: bytes, *, content_type: str,
        query: dict[str, str] | None = None, options: RequestOptions | None = None,
    ) -> RawReply:
        """Post a non-JSON body (audio, image) and get JSON or raw bytes back."""
        model = _full_id(model)
        raw = RawBody(body, content_type, query)
        return _raw_reply(*await self._backend.send(_run_target(model), raw, options))

    async def aclose(self) -> None:
        """Close the pooled HTTP clients (an injected ``http_client`` stays open)."""
        await self._backend.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


if TYPE_CHECKING:  # mypy proves the twins keep satisfying what tasks and batch need

    def _conforms(sync: Client, aio: AsyncClient) -> tuple[SupportsTasks, SupportsAsyncTasks]:
        return sync, aio
