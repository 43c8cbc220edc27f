"""Chat and embedding jobs on the batch queue: neutral types in, neutral types out.

The request bodies and reply parsing are those of ``Client.chat``/``Client.embed`` (the
same declarations in ``workersai._ops``), so a queued item is exactly the input a direct
call would send, and its output is read the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._batch_plan import BatchResult
from ._ops import EmbedPlan, Outcome, chat_call, chat_reply
from .errors import InvalidInputError, WorkersAIError
from .types import ChatParams, EmbeddingResult, EmbedParams, Message, ResponseMeta

__all__ = ["ChatJob", "EmbedJob"]


def _loose(kw: Mapping[str, Any]) -> dict[str, Any]:
    """The run's keyword arguments, collecting failures (they are raised after parsing)."""
    return {**kw, "raise_on_failure": False}


def _meta(result: BatchResult) -> ResponseMeta:
    return ResponseMeta(request_id=result.request_ids[0] if result.request_ids else None)


@dataclass(slots=True)
class ChatJob:
    """One chat body per conversation; the outputs parsed into ``Reply`` objects."""

    model: str
    params: ChatParams
    inputs: list[dict[str, Any]]

    @classmethod
    def plan(
        cls, model: str, conversations: list[list[Message]], params: ChatParams | None
    ) -> ChatJob:
        if not isinstance(conversations, list):
            raise InvalidInputError("conversations must be a list of message lists")
        params = params if params is not None else ChatParams()
        bodies = [chat_call(model, msgs, params, "native", stream=False)[1]
                  for msgs in conversations]
        return cls(model, params, bodies)

    @staticmethod
    def loose(kw: Mapping[str, Any]) -> dict[str, Any]:
        return _loose(kw)

    def replies(self, result: BatchResult, kw: Mapping[str, Any]) -> BatchResult:
        """``result`` with every output parsed (an unreadable one becomes a failure)."""
        meta = _meta(result)
        for i, raw in enumerate(result.results):
            if i in result.failed:
                continue
            try:
                result.results[i] = chat_reply(raw, meta, self.model, self.params)
            except WorkersAIError as err:
                result.results[i] = None
                result.failed[i] = err
        result.failed = dict(sorted(result.failed.items()))
        if kw.get("raise_on_failure"):
            result.raise_for_failures()
        return result


@dataclass(slots=True)
class EmbedJob:
    """Texts cut into embedding requests (the catalog batch limit), one queued item each."""

    job: EmbedPlan
    inputs: list[dict[str, Any]]

    @classmethod
    def plan(
        cls, model: str, texts: list[str], params: EmbedParams | None, batch_size: int | None
    ) -> EmbedJob | None:
        if isinstance(texts, list | tuple) and not texts:
            return None
        job = EmbedPlan.plan(model, texts, params, batch_size, None)
        return cls(job, [job.body(b) for b in job.batches])

    @staticmethod
    def loose(kw: Mapping[str, Any]) -> dict[str, Any]:
        return _loose(kw)

    def vectors(self, result: BatchResult) -> EmbeddingResult:
        """Vectors in text order; ``BatchError``/the error itself as ``Client.embed`` does."""
        meta = _meta(result)
        outcomes: list[Outcome] = []
        for i, batch in enumerate(self.job.batches):
            error = result.failed.get(i)
            if error is None:
                try:
                    outcomes.append(self.job.parse(batch, result.results[i], meta))
                    continue
                except WorkersAIError as err:
                    error = err
            outcomes.append(error)
        embedded = self.job.collect(outcomes)
        embedded.usage = embedded.usage or result.usage
        return embedded
