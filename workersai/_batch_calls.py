"""The batch queue calls (``?queueRequest=true``): what ``client.batch`` runs.

Implementations of :mod:`workersai.batch` (see its docstring for the knobs). They need
only a client's ``run_raw``, so any object satisfying ``SupportsTasks`` /
``SupportsAsyncTasks`` works, including a binding-backed ``AsyncClient``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from . import _json
from ._batch_plan import (
    BatchJob,
    BatchProgress,
    BatchResult,
    BatchRun,
    Settings,
    check_inputs,
)
from ._batch_typed import ChatJob, EmbedJob
from .config import RequestOptions
from .errors import InvalidInputError, WorkersAIError
from .types import ChatParams, EmbeddingResult, EmbedParams, Message
from .wire.batch import BatchStatus, poll_body, read_status, submit_body

if TYPE_CHECKING:
    from .tasks._protocol import SupportsAsyncTasks, SupportsTasks

# A private module: its public names are listed once, in ``workersai.batch.__all__``.

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


def _post(
    client: SupportsTasks, model: str, body: dict[str, Any], options: RequestOptions | None
) -> Any:
    raw = client.run_raw(model, _json.dumps(body), content_type="application/json",
                         query=_QUEUE, options=options)
    return raw.result


async def _apost(
    client: SupportsAsyncTasks, model: str, body: dict[str, Any], options: RequestOptions | None
) -> Any:
    raw = await client.run_raw(model, _json.dumps(body), content_type="application/json",
                               query=_QUEUE, options=options)
    return raw.result


# --- primitives ----------------------------------------------------------------------------


def submit_batch(
    client: SupportsTasks, model: str, inputs: list[dict[str, Any]], *,
    options: RequestOptions | None = None,
) -> BatchJob:
    """Queue ``inputs`` (model input objects) as one job; poll it with :func:`poll`."""
    items = check_inputs(inputs)
    status = read_status(_post(client, model, submit_body(items), options), "")
    return BatchJob(status.request_id, model, len(items), status.status)


async def asubmit_batch(
    client: SupportsAsyncTasks, model: str, inputs: list[dict[str, Any]], *,
    options: RequestOptions | None = None,
) -> BatchJob:
    """Async twin of :func:`submit_batch`."""
    items = check_inputs(inputs)
    status = read_status(await _apost(client, model, submit_body(items), options), "")
    return BatchJob(status.request_id, model, len(items), status.status)


def poll(
    client: SupportsTasks, job: BatchJob, *, options: RequestOptions | None = None
) -> BatchStatus:
    """One poll: pending (``queued``/``running``) or ``done`` with the raw responses."""
    return read_status(_post(client, job.model, poll_body(job.request_id), options),
                       job.request_id)


async def apoll(
    client: SupportsAsyncTasks, job: BatchJob, *, options: RequestOptions | None = None
) -> BatchStatus:
    """Async twin of :func:`poll`."""
    result = await _apost(client, job.model, poll_body(job.request_id), options)
    return read_status(result, job.request_id)


# --- one call ------------------------------------------------------------------------------


def run_batch(
    client: SupportsTasks, model: str, inputs: list[dict[str, Any]], **kw: Unpack[BatchOptions]
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
    client: SupportsAsyncTasks, model: str, inputs: list[dict[str, Any]], **kw: Unpack[BatchOptions]
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
    client: SupportsTasks, model: str, conversations: list[list[Message]],
    params: ChatParams | None = None, **kw: Unpack[BatchOptions],
) -> BatchResult:
    """One chat completion per conversation through the queue: ``results`` are
    ``Reply`` objects (``None`` where ``failed`` says why)."""
    job = ChatJob.plan(model, conversations, params)
    return job.replies(run_batch(client, model, job.inputs, **job.loose(kw)), kw)


async def achat_batch(
    client: SupportsAsyncTasks, model: str, conversations: list[list[Message]],
    params: ChatParams | None = None, **kw: Unpack[BatchOptions],
) -> BatchResult:
    """Async twin of :func:`chat_batch`."""
    job = ChatJob.plan(model, conversations, params)
    return job.replies(await arun_batch(client, model, job.inputs, **job.loose(kw)), kw)


def embed_batch(
    client: SupportsTasks, model: str, texts: list[str], params: EmbedParams | None = None, *,
    batch_size: int | None = None, **kw: Unpack[BatchOptions],
) -> EmbeddingResult:
    """Vectors in input order through the queue (each queued item embeds up to
    ``batch_size`` texts); raises ``BatchError`` like ``Client.embed`` when some fail."""
    job = EmbedJob.plan(model, texts, params, batch_size)
    if job is None:
        return EmbeddingResult([])
    return job.vectors(run_batch(client, model, job.inputs, **job.loose(kw)))


async def aembed_batch(
    client: SupportsAsyncTasks, model: str, texts: list[str], params: EmbedParams | None = None, *,
    batch_size: int | None = None, **kw: Unpack[BatchOptions],
) -> EmbeddingResult:
    """Async twin of :func:`embed_batch`."""
    job = EmbedJob.plan(model, texts, params, batch_size)
    if job is None:
        return EmbeddingResult([])
    return job.vectors(await arun_batch(client, model, job.inputs, **job.loose(kw)))
