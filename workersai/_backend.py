"""The seam between the clients and whatever carries a call: "send this input to this model".

``Client``/``AsyncClient`` speak only to a backend. The default backends are the HTTP
shells in ``_http`` (REST API, AI Gateway, emulator). A Python Worker ``env.AI`` binding
backend can be added later by implementing the same two methods; it would support the
``"run"`` route only (the binding has no OpenAI-compatible paths).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeAlias

from ._ids import model_path
from .config import RequestOptions
from .types import ResponseMeta

__all__ = [
    "AsyncBackend",
    "Binary",
    "Body",
    "RawBody",
    "Route",
    "StreamInfo",
    "SyncBackend",
    "Target",
    "rest_path",
]

Route: TypeAlias = Literal["run", "openai-chat", "openai-embeddings"]


@dataclass(slots=True, frozen=True)
class Target:
    """Which model, and which of its doors: native run or an OpenAI-compatible path."""

    model: str
    route: Route = "run"

    @property
    def enveloped(self) -> bool:
        """Native answers wrap the output in ``{"result", "success", ...}``."""
        return self.route == "run"


@dataclass(slots=True, frozen=True)
class RawBody:
    """A non-JSON request body (raw audio, an image), with optional query parameters."""

    data: bytes
    content_type: str
    query: Mapping[str, str] | None = None


Body: TypeAlias = dict[str, Any] | RawBody
"""A JSON input object, or a raw body."""


@dataclass(slots=True, frozen=True)
class Binary:
    """A model output that is not JSON (image, audio), exactly as received."""

    content: bytes
    content_type: str


@dataclass(slots=True)
class StreamInfo:
    """Filled by a backend while it streams: response meta, and whether ``[DONE]`` came."""

    meta: ResponseMeta = field(default_factory=ResponseMeta)
    done: bool = False


def rest_path(target: Target) -> str:
    """The REST path below ``{base_url}/accounts/{account_id}``: the model id is checked
    and escaped (``InvalidInputError`` for one that could reach another path)."""
    if target.route == "run":
        return f"/ai/run/{model_path(target.model)}"
    if target.route == "openai-chat":
        return "/ai/v1/chat/completions"
    return "/ai/v1/embeddings"


class SyncBackend(Protocol):
    """Blocking backend."""

    def send(
        self, target: Target, body: Body, options: RequestOptions | None
    ) -> tuple[Any, ResponseMeta]:
        """One call: the model output (envelope removed, or :class:`Binary`) and meta."""
        ...

    def stream(
        self,
        target: Target,
        body: dict[str, Any],
        options: RequestOptions | None,
        info: StreamInfo,
    ) -> Generator[Any, None, None]:
        """Decoded SSE events until ``[DONE]`` (sets ``info.done``) or the end, one list per
        network read (the events that arrived together)."""
        ...

    def close(self) -> None:
        """Release what the backend owns."""
        ...


class AsyncBackend(Protocol):
    """Asynchronous backend; same contract as :class:`SyncBackend`."""

    async def send(
        self, target: Target, body: Body, options: RequestOptions | None
    ) -> tuple[Any, ResponseMeta]:
        """One call: the model output (envelope removed, or :class:`Binary`) and meta."""
        ...

    def stream(
        self,
        target: Target,
        body: dict[str, Any],
        options: RequestOptions | None,
        info: StreamInfo,
    ) -> AsyncGenerator[Any, None]:
        """Decoded SSE events until ``[DONE]`` (sets ``info.done``) or the end, one list per
        network read (the events that arrived together)."""
        ...

    async def aclose(self) -> None:
        """Release what the backend owns."""
        ...
