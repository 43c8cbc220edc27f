"""One declaration per client operation: how a call is prepared and its answer read.

Pure (no I/O): the target and body of a chat call and how its answer becomes a ``Reply``;
an ``embed`` call cut into batches and merged back; a rerank body; a native run's target.
``Client``/``AsyncClient`` and the batch queue (``_batch_typed``) share these, so a queued
item is exactly the input a direct call would send, and its output is read the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from . import _errors_map, catalog
from ._backend import Route, Target
from .errors import BatchError, InvalidInputError, ResponseFormatError, WorkersAIError
from .types import (
    ChatParams,
    EmbeddingResult,
    EmbedParams,
    Endpoint,
    Message,
    Reply,
    ResponseMeta,
    Usage,
)
from .wire.chat import build_chat_request, parse_chat_reply
from .wire.embeddings import (
    build_embed_request,
    effective_batch_size,
    parse_embed_result,
    plan_batches,
    validate_texts,
)
from .wire.rerank import build_rerank_request
from .wire.stream import SHAPE_ERRORS

__all__ = [
    "BINARY_TYPES", "DEFAULT_MAX_CONCURRENCY", "EmbedPlan", "Outcome", "batch_failure", "build",
    "chat_call", "chat_reply", "full_id", "parse", "rerank_body", "run_target", "same_dimension",
    "sum_usage",
]

T = TypeVar("T")

# A "No such model" error names the closest catalog ids; the transport builds the error
# but knows no model facts, so the catalog's matcher is handed to it here (looked up on
# first use: difflib loads only when an id is unknown).
_errors_map.use_model_hints(lambda model: catalog.did_you_mean(model))
DEFAULT_MAX_CONCURRENCY = 4
"""Embedding batches in flight at once, unless ``max_concurrency`` says otherwise."""




def parse(fn: Callable[..., T], *args: Any, **kw: Any) -> T:
    """Run a wire parser; an unexpected answer shape becomes a ``ResponseFormatError``."""
    try:
        return fn(*args, **kw)
    except WorkersAIError:
        raise
    except SHAPE_ERRORS as exc:
        raise ResponseFormatError(f"Unexpected Workers AI answer: {exc}") from exc


def build(fn: Callable[..., T], *args: Any, **kw: Any) -> T:
    """Run a wire builder; a bad argument type or value becomes an ``InvalidInputError``
    (our own errors pass through unchanged)."""
    try:
        return fn(*args, **kw)
    except WorkersAIError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        raise InvalidInputError(f"Cannot build the Workers AI request: {exc}") from exc


def full_id(model: str) -> str:
    """The full id for a short one (``llama-3.3-70b-instruct-fp8-fast``), by the catalog's
    one resolver (the front ends use it too); a full id comes back unchanged. A short id
    naming no model (or several) is an ``InvalidInputError`` saying which ids were meant."""
    if not isinstance(model, str) or model.startswith("@"):
        return model  # the common case costs one test; a non-string fails where it is used
    try:
        return catalog.resolve(model)
    except catalog.UnknownModelError as err:
        raise InvalidInputError(str(err)) from err


def with_full_model(
    args: tuple[Any, ...], kw: dict[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """A call's arguments with its model (the first, or ``model=``) as a full id."""
    if args:
        return (full_id(args[0]), *args[1:]), kw
    if "model" in kw:
        return args, {**kw, "model": full_id(kw["model"])}
    return args, kw


def chat_call(
    model: str, messages: list[Message], params: ChatParams | None, endpoint: Endpoint,
    stream: bool,
) -> tuple[Target, dict[str, Any], ChatParams]:
    """Target, body and params of one chat call (warns once for a deprecated model)."""
    catalog.warn_if_deprecated(model)
    params = params if params is not None else ChatParams()
    if endpoint not in ("native", "openai"):
        raise InvalidInputError(f"endpoint must be 'native' or 'openai', got {endpoint!r}")
    body = build(build_chat_request, model, messages, params, stream=stream, endpoint=endpoint)
    route: Route = "run" if endpoint == "native" else "openai-chat"
    return Target(model, route), body, params


def chat_reply(result: Any, meta: ResponseMeta, model: str, params: ChatParams) -> Reply:
    reply = parse(parse_chat_reply, result, model=model, params=params)
    reply.meta = meta
    return reply


BINARY_TYPES = {"text-to-image": "image/png", "text-to-speech": "audio/mpeg"}
"""Content types of binary answers by task, for carriers that do not say (the binding)."""


def run_target(model: str) -> Target:
    """The target of a native run (warns once for a deprecated model)."""
    catalog.warn_if_deprecated(model)
    info = catalog.lookup(model)
    return Target(model, media_type=BINARY_TYPES.get(info.task) if info else None)


Outcome = tuple[list[list[float]], Usage | None, ResponseMeta] | WorkersAIError


@dataclass(slots=True)
class EmbedPlan:
    """One ``embed`` call split into batches; merges the batch outcomes in input order."""

    target: Target
    texts: list[str]
    params: EmbedParams
    batches: list[range]
    concurrency: int
    on_progress: Callable[[int, int], None] | None = None
    finished: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def plan(
        cls, model: str, texts: list[str], params: EmbedParams | None,
        batch_size: int | None, max_concurrency: int | None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> EmbedPlan:
        catalog.warn_if_deprecated(model)
        validate_texts(texts)
        if batch_size is not None and batch_size < 1:
            raise InvalidInputError(f"batch_size must be >= 1, got {batch_size}")
        concurrency = DEFAULT_MAX_CONCURRENCY if max_concurrency is None else max_concurrency
        if concurrency < 1:
            raise InvalidInputError(f"max_concurrency must be >= 1, got {max_concurrency}")
        size = effective_batch_size(model, batch_size)
        batches = plan_batches(len(texts), size)
        return cls(Target(model), texts, params or EmbedParams(), batches, concurrency,
                   on_progress)

    def done(self, batch: range, outcome: Outcome) -> Outcome:
        """Count a finished batch (success or failure) and report progress."""
        if self.on_progress is not None:
            with self.lock:
                self.finished += len(batch)
                self.on_progress(self.finished, len(self.texts))
        return outcome

    def body(self, batch: range) -> dict[str, Any]:
        texts = self.texts[batch.start : batch.stop]
        return build(build_embed_request, self.target.model, texts, self.params)

    def parse(self, batch: range, result: Any, meta: ResponseMeta) -> Outcome:
        vectors, usage = parse(parse_embed_result, result, expected=len(batch))
        return vectors, usage, meta

    def collect(self, outcomes: list[Outcome]) -> EmbeddingResult:
        outcomes = same_dimension(outcomes)
        n = len(self.texts)
        vectors: list[list[float] | None] = [None] * n
        failed: dict[int, WorkersAIError] = {}
        usages: list[Usage] = []
        metas: list[ResponseMeta] = []
        for batch, outcome in zip(self.batches, outcomes, strict=True):
            if isinstance(outcome, WorkersAIError):
                failed.update(dict.fromkeys(batch, outcome))
                continue
            vectors[batch.start : batch.stop] = outcome[0]
            if outcome[1] is not None:
                usages.append(outcome[1])
            metas.append(outcome[2])
        if failed:
            if len(failed) == n:  # nothing finished: the error itself says most
                first = outcomes[0]
                assert isinstance(first, WorkersAIError)
                raise first
            raise BatchError(
                f"{len(failed)} of {n} texts failed to embed "
                f"({len(self.batches) - len(metas)} of {len(self.batches)} batches)",
                results=vectors, failed=failed,
            )
        return EmbeddingResult([v for v in vectors if v is not None], sum_usage(usages), metas)


def same_dimension(outcomes: list[Outcome]) -> list[Outcome]:
    """Batches whose vectors differ in length from most of the others become failures
    (``ResponseFormatError``): one index cannot hold 3-d and 5-d vectors."""
    counts: dict[int, int] = {}
    for outcome in outcomes:
        if not isinstance(outcome, WorkersAIError) and outcome[0]:
            dim = len(outcome[0][0])
            counts[dim] = counts.get(dim, 0) + len(outcome[0])
    if len(counts) < 2:
        return outcomes
    usual = max(counts, key=lambda d: counts[d])  # the first of the most common on a tie
    seen = ", ".join(f"{d}-d ({k} texts)" for d, k in counts.items())
    return [
        ResponseFormatError(
            f"Workers AI returned vectors of different dimensions in one call ({seen}); "
            f"this batch's {len(o[0][0])}-d vectors were not kept"
        )
        if not isinstance(o, WorkersAIError) and o[0] and len(o[0][0]) != usual
        else o
        for o in outcomes
    ]


def batch_failure(exc: Exception) -> WorkersAIError:
    """A batch's failure as one of our errors (anything unexpected wrapped, cause kept)."""
    if isinstance(exc, WorkersAIError):
        return exc
    err = WorkersAIError(f"the batch failed unexpectedly ({type(exc).__name__}: {exc})")
    err.__cause__ = exc
    return err


def sum_usage(usages: list[Usage]) -> Usage | None:
    if not usages:
        return None
    neurons = [u.neurons for u in usages if u.neurons is not None]
    return Usage(
        input_tokens=sum(u.input_tokens for u in usages),
        output_tokens=sum(u.output_tokens for u in usages),
        total_tokens=sum(u.total_tokens for u in usages),
        neurons=sum(neurons) if neurons else None,
    )


def rerank_body(
    model: str, query: str, documents: list[str], top_k: int | None
) -> dict[str, Any]:
    catalog.warn_if_deprecated(model)
    return build(build_rerank_request, model, query, documents, top_k)
