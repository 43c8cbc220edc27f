"""What the task functions need from a client: JSON runs and raw-bytes runs.

``Client``/``AsyncClient`` satisfy these protocols structurally. ``run`` is the
documented escape hatch (JSON in, envelope ``result`` out). ``run_raw`` posts a body of
any media type and hands back a binary reply untouched, because some models take raw
audio or image bytes and some answer with raw PNG or MP3 bytes instead of JSON.
"""

from __future__ import annotations

from typing import Any, Protocol

from ..config import RequestOptions
from ..types import ResponseMeta

__all__ = [
    "RunResultLike",
    "RawReplyLike",
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


class SupportsTasks(Protocol):
    """A blocking client (``workersai.Client``)."""

    def run(
        self, model: str, inputs: dict[str, Any], *, options: RequestOptions | None = None
    ) -> RunResultLike: ...

    def run_raw(
        self,
        model: str,
        body: bytes,
        *,
        content_type: str,
        query: dict[str, str] | None = None,
        options: RequestOptions | None = None,
    ) -> RawReplyLike: ...


class SupportsAsyncTasks(Protocol):
    """An asynchronous client (``workersai.AsyncClient``)."""

    async def run(
        self, model: str, inputs: dict[str, Any], *, options: RequestOptions | None = None
    ) -> RunResultLike: ...

    async def run_raw(
        self,
        model: str,
        body: bytes,
        *,
        content_type: str,
        query: dict[str, str] | None = None,
        options: RequestOptions | None = None,
    ) -> RawReplyLike: ...

