"""The Workers AI async batch queue (``?queueRequest=true``) behind one call.

For large offline jobs: submit a list of model inputs, poll with backoff until the queue
has run them, and get the outputs back in input order, with per-item failures kept apart
instead of failing the whole run. Works with ``Client`` (``run_batch``, ...) and
``AsyncClient`` (``arun_batch``, ...), also over a Python Worker binding.

Example:
    .. code-block:: python

        from workersai import Client
        from workersai.batch import run_batch, embed_batch

        with Client() as client:
            out = run_batch(client, "@cf/baai/bge-m3",
                            [{"text": ["a story"]}, {"text": ["another"]}],
                            on_progress=lambda p: print(p.status, p.finished, p.total))
            print(out.results, out.failed)        # results[i] is None where failed[i]
            vectors = embed_batch(client, "@cf/baai/bge-base-en-v1.5", texts).vectors

Primitives: :func:`submit_batch` / :func:`poll` (and ``asubmit_batch`` / ``apoll``).
High level: :func:`run_batch`; typed helpers :func:`chat_batch` (``Reply`` per
conversation) and :func:`embed_batch` (an ``EmbeddingResult``, like ``Client.embed``).
Knobs (keyword arguments of every high-level call): ``poll_interval`` (first wait,
seconds, default 1), ``backoff`` (multiplier per poll round, default 1.5),
``max_interval`` (cap, default 30), ``max_wait`` (give up with
:class:`BatchTimeoutError`, default 3600), ``on_progress`` (called with a
:class:`BatchProgress`), ``raise_on_failure`` (raise ``BatchError`` carrying results and
failures instead of returning them), ``max_payload_bytes`` (split into several jobs
above this submit size; the API takes < 10 MB) and ``options`` (``RequestOptions``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, TypedDict, Unpack

from . import _json
from ._batch_plan import (
    BatchJob,
    BatchProgress,
    BatchResult,
    BatchRun,
    BatchStatus,
    BatchTimeoutError,
    Settings,
    check_inputs,
    poll_body,
    read_status,
    submit_body,
)
from ._batch_typed import ChatJob, EmbedJob
from .client import AsyncClient, Client
from .config import RequestOptions
from .errors import InvalidInputError, WorkersAIError
from .types import ChatParams, EmbeddingResult, EmbedParams, Message

__all__ = [
    "BatchJob",
    "BatchOptions",
    "BatchProgress",
    "BatchResult",
    "BatchStatus",
    "BatchTimeoutError",
    "achat_batch",
    "aembed_batch",
    "apoll",
    "arun_batch",
    "asubmit_batch",
    "chat_batch",
    "embed_batch",
    "poll",
    "run_batch",
    "submit_batch",
]

_QUEUE = {"queueRequest": "true"}


class BatchOptions(TypedDict, total=False):
    """Keyword arguments of the high-level calls (see the module docstring)."""

    poll_interval: float
    backoff: float
    max_interval: float
    max_wait: float
    on_progress: Callable[[BatchProgress], None] | None
    raise_on_failure: bool
    max_payload_bytes: int
    options: RequestOptions | None


def _split(kw: BatchOptions) -> tuple[Settings, RequestOptions | None]:
    values: dict[str, Any] = dict(kw)
    unknown = sorted(set(values) - set(BatchOptions.__annotations__))
    if unknown:
        raise InvalidInputError(f"unexpected batch keyword argument(s): {', '.join(unknown)}")
    options: RequestOptions | None = values.pop("options", None)
    return Settings(**values), options


def _post(client: Client, model: str, body: dict[str, Any], options: RequestOptions | None) -> Any:
    raw = client.run_raw(model, _json.dumps(body), content_type="application/json",
                         query=_QUEUE, options=options)
    return raw.result


async def _apost(
    client: AsyncClient, model: str, body: dict[str, Any], options: RequestOptions | None
) -> Any:
    raw = await client.run_raw(model, _json.dumps(body), content_type="application/json",
                               query=_QUEUE, options=options)
    return raw.result


# --- primitives ----------------------------------------------------------------------------


def submit_batch(
    client: Client, model: str, inputs: list[dict[str, Any]], *,
    options: RequestOptions | None = None,
) -> BatchJob:
    """Queue ``inputs`` (model input objects) as one job; poll it with :func:`poll`."""
    items = check_inputs(inputs)
    status = read_status(_post(client, model, submit_body(items), options), "")
    return BatchJob(status.request_id, model, len(items), status.status)


async def asubmit_batch(
    client: AsyncClient, model: str, inputs: list[dict[str, Any]], *,
    options: RequestOptions | None = None,
) -> BatchJob:
    """Async twin of :func:`submit_batch`."""
    items = check_inputs(inputs)
    status = read_status(await _apost(client, model, submit_body(items), options), "")
    return BatchJob(status.request_id, model, len(items), status.status)


def poll(client: Client, job: BatchJob, *, options: RequestOptions | None = None) -> BatchStatus:
    """One poll: pending (``queued``/``running``) or ``done`` with the raw responses."""
    return read_status(_post(client, job.model, poll_body(job.request_id), options),
                       job.request_id)


async def apoll(
    client: AsyncClient, job: BatchJob, *, options: RequestOptions | None = None
) -> BatchStatus:
    """Async twin of :func:`poll`."""
    result = await _apost(client, job.model, poll_body(job.request_id), options)
    return read_status(result, job.request_id)


# --- one call ------------------------------------------------------------------------------


def run_batch(
    client: Client, model: str, inputs: list[dict[str, Any]], **kw: Unpack[BatchOptions]
) -> BatchResult:
    """Submit, poll with backoff until done, and return the outputs in input order."""
    settings, options = _split(kw)
    run = BatchRun(model, check_inputs(inputs), settings, time.monotonic)
    if not run.inputs:
        return BatchResult([])

    def call(body: dict[str, Any]) -> Any:
        try:
            return _post(client, model, body, options)
        except WorkersAIError as err:
            return err

    for chunk, body in run.submits():
        run.submitted(chunk, call(body))
    run.report()
    while run.pending():
        time.sleep(run.next_delay())
        for chunk in run.pending():
            run.polled(chunk, call(poll_body(chunk.request_id or "")))
        run.round_done()
    return run.finish()


async def arun_batch(
    client: AsyncClient, model: str, inputs: list[dict[str, Any]], **kw: Unpack[BatchOptions]
) -> BatchResult:
    """Async twin of :func:`run_batch` (the jobs of one round are polled concurrently)."""
    settings, options = _split(kw)
    run = BatchRun(model, check_inputs(inputs), settings, time.monotonic)
    if not run.inputs:
        return BatchResult([])

    async def call(body: dict[str, Any]) -> Any:
        try:
            return await _apost(client, model, body, options)
        except WorkersAIError as err:
            return err

    for chunk, body in run.submits():
        run.submitted(chunk, await call(body))
    run.report()
    while run.pending():
        await asyncio.sleep(run.next_delay())
        pending = run.pending()
        outcomes = await asyncio.gather(*(call(poll_body(c.request_id or "")) for c in pending))
        for chunk, outcome in zip(pending, outcomes, strict=True):
            run.polled(chunk, outcome)
        run.round_done()
    return run.finish()


# --- typed helpers -------------------------------------------------------------------------


def chat_batch(
    client: Client, model: str, conversations: list[list[Message]],
    params: ChatParams | None = None, **kw: Unpack[BatchOptions],
) -> BatchResult:
    """One chat completion per conversation through the queue: ``results`` are
    ``Reply`` objects (``None`` where ``failed`` says why)."""
    job = ChatJob.plan(model, conversations, params)
    return job.replies(run_batch(client, model, job.inputs, **job.loose(kw)), kw)


async def achat_batch(
    client: AsyncClient, model: str, conversations: list[list[Message]],
    params: ChatParams | None = None, **kw: Unpack[BatchOptions],
) -> BatchResult:
    """Async twin of :func:`chat_batch`."""
    job = ChatJob.plan(model, conversations, params)
    return job.replies(await arun_batch(client, model, job.inputs, **job.loose(kw)), kw)


def embed_batch(
    client: Client, model: str, texts: list[str], params: EmbedParams | None = None, *,
    batch_size: int | None = None, **kw: Unpack[BatchOptions],
) -> EmbeddingResult:
    """Vectors in input order through the queue (each queued item embeds up to
    ``batch_size`` texts); raises ``BatchError`` like ``Client.embed`` when some fail."""
    job = EmbedJob.plan(model, texts, params, batch_size)
    if job is None:
        return EmbeddingResult([])
    return job.vectors(run_batch(client, model, job.inputs, **job.loose(kw)))


async def aembed_batch(
    client: AsyncClient, model: str, texts: list[str], params: EmbedParams | None = None, *,
    batch_size: int | None = None, **kw: Unpack[BatchOptions],
) -> EmbeddingResult:
    """Async twin of :func:`embed_batch`."""
    job = EmbedJob.plan(model, texts, params, batch_size)
    if job is None:
        return EmbeddingResult([])
    return job.vectors(await arun_batch(client, model, job.inputs, **job.loose(kw)))
