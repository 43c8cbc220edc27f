"""The seam between the clients and whatever carries a call: "send this input to this model".

``Client``/``AsyncClient`` speak only to a backend. The HTTP shells in ``_http`` carry
calls to the REST API, AI Gateway or the emulator; ``binding.BindingBackend`` carries them
through a Python Worker's ``env.AI`` (the ``"run"`` route only: the binding has no
OpenAI-compatible paths). Each implements ``send`` and ``stream`` below.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeAlias

from ._ids import model_path
from ._retry import Pace
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

Route: TypeAlias = Literal[
    "run", "openai-chat", "openai-embeddings", "models-search", "models-schema"
]
"""Where a call goes; the ``models-*`` routes are GETs whose body is the query."""


@dataclass(slots=True, frozen=True)
class Target:
    """Which model, and which of its doors: native run or an OpenAI-compatible path."""

    model: str
    route: Route = "run"
    media_type: str | None = None
    """Content type of a binary answer when the carrier does not say (the binding's
    streams); the client fills it from the catalog, so no backend consults it."""

    @property
    def enveloped(self) -> bool:
        """Native answers wrap the output in ``{"result", "success", ...}`` (the model
        list keeps its envelope: its ``result_info`` says how many pages there are)."""
        return self.route in ("run", "models-schema")

    @property
    def method(self) -> Literal["GET", "POST"]:
        """``GET`` for the models API (the body becomes the query), else ``POST``."""
        return "GET" if self.route.startswith("models-") else "POST"


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
    if target.route == "models-search":
        return "/ai/models/search"
    if target.route == "models-schema":
        return "/ai/models/schema"
    return "/ai/v1/embeddings"


class SyncBackend(Protocol):
    """Blocking backend. ``pace``: a paced call's place in its rate bucket, which the
    backend's one retry loop waits for and reports to (:class:`workersai._retry.Pace`)."""

    def send(
        self, target: Target, body: Body, options: RequestOptions | None, *,
        pace: Pace | None = None,
    ) -> tuple[Any, ResponseMeta]:
        """One call: the model output (envelope removed, or :class:`Binary`) and meta."""
        ...

    def stream(self, target: Target, body: dict[str, Any], options: RequestOptions | None,
               info: StreamInfo, *, pace: Pace | None = None) -> Generator[Any, None, None]:
        """Decoded SSE events until ``[DONE]`` (sets ``info.done``) or the end, one list per
        network read (the events that arrived together)."""
        ...

    def close(self) -> None:
        """Release what the backend owns."""
        ...


class AsyncBackend(Protocol):
    """Asynchronous backend: each method keeps the contract of its :class:`SyncBackend`
    counterpart (``aclose`` is ``close``)."""

    async def send(
        self, target: Target, body: Body, options: RequestOptions | None, *,
        pace: Pace | None = None,
    ) -> tuple[Any, ResponseMeta]: ...

    def stream(self, target: Target, body: dict[str, Any], options: RequestOptions | None,
               info: StreamInfo, *, pace: Pace | None = None) -> AsyncGenerator[Any, None]: ...

    async def aclose(self) -> None: ...
