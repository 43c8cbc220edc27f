"""The sync/async shells that send task requests, and the twins made from one plan.

The request and reply shapes and every body and parser are pure and live in
:mod:`workersai.wire.tasks`; the code here is the only code of the tasks that touches a
client. A task is declared once, as a *plan* (check the arguments, build the request, say
how to read the reply); :func:`twins` makes its blocking and its awaited call from it.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar

from ..config import RequestOptions
from ..errors import BatchError, WorkersAIError
from ..wire.tasks import TaskReply, TaskRequest, read_raw
from ._protocol import RawReplyLike, SupportsAsyncTasks, SupportsTasks

__all__ = [
    "TaskRequest",
    "TaskReply",
    "Planned",
    "twins",
    "send",
    "asend",
    "send_all",
    "asend_all",
]

T = TypeVar("T")
P = ParamSpec("P")


def _from_raw(raw: RawReplyLike) -> TaskReply:
    return read_raw(raw.content_type, raw.content, raw.result, raw.meta)


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


@dataclass(slots=True, frozen=True)
class Planned(Generic[T]):
    """One checked task call: the request, how to read its reply, the transport options."""

    request: TaskRequest
    parse: Callable[[TaskReply], T]
    options: RequestOptions | None = None


def twins(
    name: str, plan: Callable[P, Planned[T]]
) -> tuple[Callable[Concatenate[SupportsTasks, P], T],
           Callable[Concatenate[SupportsAsyncTasks, P], Coroutine[Any, Any, T]]]:
    """The blocking call ``name(client, ...)`` and the awaited ``a<name>(client, ...)`` of
    ``plan`` (whose docstring and parameters they show, after ``client``)."""

    def call(client: SupportsTasks, *args: P.args, **kwargs: P.kwargs) -> T:
        planned = plan(*args, **kwargs)
        return planned.parse(send(client, planned.request, planned.options))

    async def acall(client: SupportsAsyncTasks, *args: P.args, **kwargs: P.kwargs) -> T:
        planned = plan(*args, **kwargs)
        return planned.parse(await asend(client, planned.request, planned.options))

    _present(call, name, plan, plan.__doc__, "SupportsTasks")
    _present(acall, "a" + name, plan, f"Async :func:`{name}`.", "SupportsAsyncTasks")
    return call, acall


def _present(fn: Callable[..., Any], name: str, plan: Callable[..., Any], doc: str | None,
             client_type: str) -> None:
    sig = inspect.signature(plan)
    client = inspect.Parameter("client", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                               annotation=client_type)
    ret = sig.return_annotation
    ret = ret.removeprefix("Planned[").removesuffix("]") if isinstance(ret, str) else ret
    fn.__name__ = fn.__qualname__ = name
    fn.__module__ = plan.__module__
    fn.__doc__ = doc
    fn.__signature__ = sig.replace(  # type: ignore[attr-defined]
        parameters=[client, *sig.parameters.values()], return_annotation=ret)
