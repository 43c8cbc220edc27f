"""What the task functions need from a client: JSON runs and raw-bytes runs.

``Client``/``AsyncClient`` satisfy these protocols structurally. ``run`` is the
documented escape hatch (JSON in, envelope ``result`` out). ``run_raw`` posts a body of
any media type and hands back a binary reply untouched, because some models take raw
audio or image bytes and some answer with raw PNG or MP3 bytes instead of JSON.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol, TypeAlias, TypeVar

from ..config import RequestOptions
from ..types import ResponseMeta

__all__ = [
    "RunResultLike",
    "RawReplyLike",
    "Runs",
    "SupportsTasks",
    "SupportsAsyncTasks",
]


class RunResultLike(Protocol):
    """``RunResult``: the envelope's ``result`` and what the HTTP layer learned."""

    @property
    def result(self) -> Any: ...

    @property
    def meta(self) -> ResponseMeta: ...


class RawReplyLike(Protocol):
    """The answer to ``run_raw``.

    A JSON reply (``content_type`` ``application/json``) has had its envelope parsed by
    the transport: ``result`` holds the envelope's ``result`` and ``content`` is empty.
    Any other reply leaves ``result`` as ``None`` and carries the body in ``content``.
    Error statuses never reach here: the transport raises its typed errors.
    """

    @property
    def content(self) -> bytes: ...

    @property
    def content_type(self) -> str: ...

    @property
    def result(self) -> Any: ...

    @property
    def meta(self) -> ResponseMeta: ...


R_co = TypeVar("R_co", covariant=True)
W_co = TypeVar("W_co", covariant=True)


class Runs(Protocol[R_co, W_co]):
    """A client's ``run`` answering ``R_co`` and ``run_raw`` answering ``W_co``: the
    replies themselves (blocking) or awaitables of them (asynchronous)."""

    def run(
        self, model: str, inputs: dict[str, Any], *, options: RequestOptions | None = None
    ) -> R_co: ...

    def run_raw(
        self,
        model: str,
        body: bytes,
        *,
        content_type: str,
        query: dict[str, str] | None = None,
        options: RequestOptions | None = None,
    ) -> W_co: ...


SupportsTasks: TypeAlias = Runs[RunResultLike, RawReplyLike]
"""A blocking client (``workersai.Client``)."""

SupportsAsyncTasks: TypeAlias = Runs[Awaitable[RunResultLike], Awaitable[RawReplyLike]]
"""An asynchronous client (``workersai.AsyncClient``): ``async def run``/``run_raw``."""
