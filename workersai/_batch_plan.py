"""Pure logic of the async batch queue (``?queueRequest=true``, reference 1.7).

No I/O here: splitting the inputs into submits, the poll backoff schedule, and
:class:`BatchRun`, the state of one queued run that the sync and async twins in
``workersai.batch`` drive with a few lines each. The bodies and the answers on the wire
(submit, poll, per-item replies) are :mod:`workersai.wire.batch`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import _json
from ._errors_map import error_from_payload
from .errors import (
    APIError,
    BatchError,
    InvalidInputError,
    ResponseFormatError,
    TimeoutError,
    WorkersAIError,
)
from .types import Usage
from .wire._usage import add_usage
from .wire.batch import BatchStatus, read_responses, read_status, submit_body

__all__ = [
    "BatchJob",
    "BatchProgress",
    "BatchResult",
    "BatchRun",
    "BatchTimeoutError",
    "Settings",
    "collect_responses",
    "plan_chunks",
    "poll_delay",
]

MAX_PAYLOAD_BYTES = 9_500_000
"""A little under the documented 10 MB limit for one queued submit."""


# --- public value types ------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class BatchJob:
    """A submitted job: poll it with ``workersai.batch.poll`` (also to resume later)."""

    request_id: str
    model: str
    size: int = 0
    status: str = "queued"


@dataclass(slots=True, frozen=True)
class BatchProgress:
    """What ``on_progress`` receives after the submit and after every poll round."""

    status: str
    """``"queued"``, ``"running"`` or ``"done"`` (over all jobs of the run)."""
    total: int
    finished: int
    failed: int
    polls: int
    elapsed: float
    request_ids: tuple[str, ...]


@dataclass(slots=True)
class BatchResult:
    """Outputs in input order: ``results[i]`` or ``None`` where ``failed[i]`` says why."""

    results: list[Any]
    failed: dict[int, WorkersAIError] = field(default_factory=dict)
    usage: Usage | None = None
    request_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every item finished."""
        return not self.failed

    def raise_for_failures(self) -> BatchResult:
        """``self``, or a :class:`~workersai.errors.BatchError` carrying both halves."""
        if self.failed:
            raise BatchError(
                f"{len(self.failed)} of {len(self.results)} queued items failed",
                results=self.results, failed=dict(self.failed),
            )
        return self


class BatchTimeoutError(TimeoutError):
    """``max_wait`` passed before every job finished; ``jobs`` can still be polled."""

    def __init__(self, message: str, *, jobs: list[BatchJob]) -> None:
        super().__init__(message)
        self.jobs = jobs


@dataclass(slots=True, frozen=True)
class Settings:
    """Polling knobs of one run (see ``workersai.batch.run_batch``)."""

    poll_interval: float = 1.0
    backoff: float = 1.5
    max_interval: float = 30.0
    max_wait: float = 3600.0
    on_progress: Callable[[BatchProgress], None] | None = None
    raise_on_failure: bool = False
    max_payload_bytes: int = MAX_PAYLOAD_BYTES

    def __post_init__(self) -> None:
        if self.poll_interval < 0 or self.max_interval < 0:
            raise InvalidInputError("poll_interval and max_interval must be >= 0")
        if self.backoff < 1:
            raise InvalidInputError(f"backoff must be >= 1, got {self.backoff}")
        if self.max_wait <= 0:
            raise InvalidInputError(f"max_wait must be > 0, got {self.max_wait}")
        if self.max_payload_bytes < 1:
            raise InvalidInputError("max_payload_bytes must be >= 1")


# --- pure functions ----------------------------------------------------------------------


def poll_delay(polls: int, s: Settings) -> float:
    """Seconds before poll round ``polls + 1``: ``poll_interval * backoff**polls``, capped."""
    return min(s.max_interval, s.poll_interval * s.backoff ** min(polls, 64))


def _item_error(item: dict[str, Any]) -> WorkersAIError:
    if item.get("errors") or item.get("error"):
        return error_from_payload(item, None, {})
    return APIError("Workers AI reported this batch item as failed")


def collect_responses(
    responses: list[Any], n: int
) -> tuple[list[Any], dict[int, WorkersAIError]]:
    """Outputs by ``id`` in input order, and the typed error of each failed or missing
    item (:func:`workersai.wire.batch.read_responses` with the transport's error map)."""
    return read_responses(responses, n, _item_error)


def plan_chunks(items: Sequence[dict[str, Any]], max_bytes: int) -> list[range]:
    """Consecutive spans of ``items`` whose submit bodies stay under ``max_bytes``."""
    spans: list[range] = []
    start, size = 0, 0
    for i, item in enumerate(items):
        n = len(_json.dumps(item)) + 1
        if i > start and size + n > max_bytes:
            spans.append(range(start, i))
            start, size = i, 0
        size += n
    if start < len(items):
        spans.append(range(start, len(items)))
    return spans


def check_inputs(inputs: Any) -> list[dict[str, Any]]:
    """The inputs as a list of dicts, or an ``InvalidInputError`` before any request."""
    if not isinstance(inputs, (list, tuple)):
        raise InvalidInputError("inputs must be a list of model input objects")
    for i, item in enumerate(inputs):
        if not isinstance(item, dict):
            raise InvalidInputError(f"inputs[{i}] must be a dict, got {type(item).__name__}")
    return list(inputs)


# --- one run -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Chunk:
    span: range
    request_id: str | None = None
    status: str = "new"
    done: bool = False
    error: WorkersAIError | None = None


Outcome = Any  # an answer's ``result``, or the WorkersAIError the call raised


class BatchRun:
    """The state of one run: submit each chunk, poll the pending ones, then collect."""

    def __init__(
        self, model: str, inputs: list[dict[str, Any]], settings: Settings,
        clock: Callable[[], float],
    ) -> None:
        self.model, self.inputs, self.settings, self.clock = model, inputs, settings, clock
        self.chunks = [_Chunk(span) for span in plan_chunks(inputs, settings.max_payload_bytes)]
        self.results: list[Any] = [None] * len(inputs)
        self.failed: dict[int, WorkersAIError] = {}
        self.usage: Usage | None = None
        self.polls = 0
        self.started = clock()

    def submits(self) -> list[tuple[_Chunk, dict[str, Any]]]:
        """Each chunk with its submit body."""
        return [(c, submit_body(self.inputs[c.span.start : c.span.stop])) for c in self.chunks]

    def submitted(self, chunk: _Chunk, outcome: Outcome) -> None:
        if isinstance(outcome, WorkersAIError):
            chunk.error = outcome
            return
        try:
            status = read_status(outcome, "")
        except WorkersAIError as err:
            chunk.error = err
            return
        if status.done:  # answered at once
            self._finish(chunk, status)
        elif not status.request_id:
            chunk.error = ResponseFormatError(f"The batch submit answer has no request_id: "
                                              f"{outcome}")
        chunk.request_id, chunk.status = status.request_id or None, status.status

    def pending(self) -> list[_Chunk]:
        """Chunks still waiting for their results."""
        return [c for c in self.chunks if c.request_id and not c.done and c.error is None]

    def next_delay(self) -> float:
        """Seconds to sleep before the next poll round; raises once ``max_wait`` is over."""
        elapsed = self.clock() - self.started
        remaining = self.settings.max_wait - elapsed
        if remaining <= 0:
            jobs = [BatchJob(c.request_id, self.model, len(c.span), c.status)
                    for c in self.pending() if c.request_id]
            ids = ", ".join(j.request_id for j in jobs)
            raise BatchTimeoutError(
                f"Queued batch not finished after {elapsed:.1f}s (max_wait "
                f"{self.settings.max_wait:g}s); poll request id(s) {ids} later",
                jobs=jobs,
            )
        return min(poll_delay(self.polls, self.settings), remaining)

    def polled(self, chunk: _Chunk, outcome: Outcome) -> None:
        if isinstance(outcome, WorkersAIError):
            if not outcome.is_retryable:  # a retryable one: keep polling until max_wait
                chunk.error = outcome
            return
        try:
            status = read_status(outcome, chunk.request_id or "")
        except WorkersAIError as err:
            chunk.error = err
            return
        chunk.status = status.status
        if status.done:
            self._finish(chunk, status)

    def round_done(self) -> None:
        """One poll round is over: count it and report progress."""
        self.polls += 1
        self.report()

    def _finish(self, chunk: _Chunk, status: BatchStatus) -> None:
        results, failed = collect_responses(status.responses, len(chunk.span))
        self.results[chunk.span.start : chunk.span.stop] = results
        self.failed.update({chunk.span.start + i: err for i, err in failed.items()})
        if status.usage is not None:
            self.usage = status.usage if self.usage is None else add_usage(self.usage,
                                                                           status.usage)
        chunk.done, chunk.status = True, "done"

    def report(self) -> None:
        callback = self.settings.on_progress
        if callback is None:
            return
        statuses = {c.status for c in self.chunks if c.error is None}
        overall = ("done" if not self.pending()
                   else "running" if "running" in statuses else "queued")
        finished = sum(len(c.span) for c in self.chunks if c.done)
        callback(BatchProgress(
            status=overall, total=len(self.inputs), finished=finished,
            failed=len(self.failed) + sum(len(c.span) for c in self.chunks if c.error),
            polls=self.polls, elapsed=self.clock() - self.started,
            request_ids=tuple(c.request_id for c in self.chunks if c.request_id),
        ))

    def finish(self) -> BatchResult:
        """The result; a job-level error is raised when no chunk got anywhere."""
        errored = [c for c in self.chunks if c.error is not None]
        if errored and len(errored) == len(self.chunks):
            raise errored[0].error  # type: ignore[misc]
        for c in errored:
            self.failed.update(dict.fromkeys(c.span, c.error))  # type: ignore[arg-type]
        result = BatchResult(
            self.results, dict(sorted(self.failed.items())), self.usage,
            [c.request_id for c in self.chunks if c.request_id],
        )
        if self.settings.raise_on_failure:
            result.raise_for_failures()
        return result
