"""One request shape for every task, and the sync/async shells that send it.

Task modules build :class:`TaskRequest` values and parse :class:`TaskReply` values with
pure functions; the two short twins here are the only code that touches a client.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from .. import _json
from ..config import RequestOptions
from ..errors import BatchError, WorkersAIError
from ..types import ResponseMeta
from ._protocol import RawReplyLike, SupportsAsyncTasks, SupportsTasks

__all__ = [
    "TaskRequest",
    "TaskReply",
    "send",
    "asend",
    "send_all",
    "asend_all",
]

T = TypeVar("T")
JSON_TYPE = "application/json"


@dataclass(slots=True, frozen=True)
class TaskRequest:
    """One call to ``/ai/run/{model}``: a JSON ``inputs`` object or a raw ``data`` body.

    ``binary_reply`` says the model may answer with raw bytes instead of a JSON envelope,
    so the call goes through ``run_raw`` even when the body is JSON.
    ``query`` holds query parameters (Deepgram options on a raw audio body).
    """

    model: str
    inputs: dict[str, Any] | None = None
    data: bytes | None = None
    content_type: str = JSON_TYPE
    binary_reply: bool = False
    query: dict[str, str] | None = None

    @property
    def needs_raw(self) -> bool:
        """Whether ``run`` (JSON in, JSON out) cannot carry this call."""
        return self.data is not None or self.binary_reply or bool(self.query)

    def body(self) -> bytes:
        """The request body as bytes."""
        if self.data is not None:
            return self.data
        return _json.dumps(self.inputs or {})


@dataclass(slots=True)
class TaskReply:
    """A model's answer: the envelope ``result`` (JSON) or the raw ``data`` (binary)."""

    result: Any = None
    data: bytes | None = None
    content_type: str = JSON_TYPE
    meta: ResponseMeta | None = None

    @property
    def response_meta(self) -> ResponseMeta:
        """The meta, or an empty one when the client reported none."""
        return self.meta if self.meta is not None else ResponseMeta()


def _from_raw(raw: RawReplyLike) -> TaskReply:
    ctype = (raw.content_type or "").split(";")[0].strip().lower()
    if ctype == JSON_TYPE:
        return TaskReply(result=raw.result, content_type=ctype, meta=raw.meta)
    return TaskReply(data=bytes(raw.content), content_type=ctype, meta=raw.meta)


def send(client: SupportsTasks, req: TaskRequest, options: RequestOptions | None) -> TaskReply:
    """Send one request with a blocking client."""
    if not req.needs_raw:
        out = client.run(req.model, req.inputs or {}, options=options)
        return TaskReply(result=out.result, meta=out.meta)
    raw = client.run_raw(
        req.model, req.body(), content_type=req.content_type, query=req.query, options=options
    )
    return _from_raw(raw)


async def asend(
    client: SupportsAsyncTasks, req: TaskRequest, options: RequestOptions | None
) -> TaskReply:
    """Send one request with an asynchronous client."""
    if not req.needs_raw:
        out = await client.run(req.model, req.inputs or {}, options=options)
        return TaskReply(result=out.result, meta=out.meta)
    raw = await client.run_raw(
        req.model, req.body(), content_type=req.content_type, query=req.query, options=options
    )
    return _from_raw(raw)


def _finish(results: list[T | None], failed: dict[int, WorkersAIError], what: str) -> list[T]:
    if failed:
        raise BatchError(
            f"{len(failed)} of {len(results)} {what} requests failed",
            results=results,
            failed=failed,
        )
    return [r for r in results if r is not None]


def send_all(
    client: SupportsTasks,
    reqs: Sequence[TaskRequest],
    parse: Callable[[TaskReply], T],
    options: RequestOptions | None,
) -> list[T]:
    """Send requests one after another; raise ``BatchError`` (keeping finished work) if
    any failed, or re-raise the error itself when there was only one request."""
    results: list[T | None] = []
    failed: dict[int, WorkersAIError] = {}
    for i, req in enumerate(reqs):
        try:
            results.append(parse(send(client, req, options)))
        except WorkersAIError as exc:
            if len(reqs) == 1:
                raise
            results.append(None)
            failed[i] = exc
    return _finish(results, failed, "task")


async def asend_all(
    client: SupportsAsyncTasks,
    reqs: Sequence[TaskRequest],
    parse: Callable[[TaskReply], T],
    options: RequestOptions | None,
    max_concurrency: int = 4,
) -> list[T]:
    """Send requests concurrently (at most ``max_concurrency`` in flight); same error
    contract as :func:`send_all`."""
    gate = asyncio.Semaphore(max(1, max_concurrency))
    results: list[T | None] = [None] * len(reqs)
    failed: dict[int, WorkersAIError] = {}

    async def one(i: int, req: TaskRequest) -> None:
        async with gate:
            try:
                results[i] = parse(await asend(client, req, options))
            except WorkersAIError as exc:
                if len(reqs) == 1:
                    raise
                failed[i] = exc

    await asyncio.gather(*(one(i, r) for i, r in enumerate(reqs)))
    return _finish(results, failed, "task")
