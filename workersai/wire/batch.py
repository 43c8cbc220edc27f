"""The async batch queue on the wire (``?queueRequest=true``, reference 1.7).

Two pairs: the submit body ``{"requests": [...]}`` and the poll body ``{"request_id"}``,
both answered by :func:`read_status` (queued, running, or done with ``responses``); and
each done job's ``responses`` (``{"id", "result", "success"}``, in any order), put back
in input order by :func:`read_responses`. An item is read with the envelope rules of
:mod:`workersai.wire.envelope`: an item error envelope is failed (its typed error comes
from the ``item_error`` the caller passes, so this module needs no transport), and so is
an item without a ``result`` or missing from the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import APIError, ResponseFormatError, WorkersAIError
from ..types import Usage
from ._usage import read_usage
from .envelope import has_result, is_error_envelope

__all__ = [
    "BatchStatus",
    "submit_body",
    "poll_body",
    "read_status",
    "unwrap",
    "read_responses",
]

_FAILED = frozenset({"failed", "error", "errored", "cancelled", "canceled"})
_OUTPUT_KEYS = ("response", "data", "choices", "output", "shape", "output_text")


@dataclass(slots=True)
class BatchStatus:
    """One poll's answer: ``done`` with ``responses`` (raw, by ``id``), or pending."""

    request_id: str
    status: str
    done: bool = False
    responses: list[dict[str, Any]] = field(default_factory=list)
    usage: Usage | None = None


def submit_body(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The submit body: every item is a normal model input."""
    return {"requests": list(items)}


def poll_body(request_id: str) -> dict[str, Any]:
    """The poll body for a submitted job."""
    return {"request_id": request_id}


def read_status(result: Any, request_id: str) -> BatchStatus:
    """A submit or poll answer (envelope removed) as a :class:`BatchStatus`.

    Raises:
        ResponseFormatError: neither ``responses`` nor a ``status``.
        APIError: the job's status says it failed or was cancelled.
    """
    if not isinstance(result, dict):
        raise ResponseFormatError(f"Unexpected batch answer: {type(result).__name__}")
    given = result.get("request_id")
    rid = given if isinstance(given, str) else request_id
    if isinstance(result.get("responses"), list):
        usage = read_usage(result.get("usage"))
        return BatchStatus(rid, "done", True, list(result["responses"]), usage)
    status = result.get("status")
    if not isinstance(status, str):
        raise ResponseFormatError(f"Batch answer has neither responses nor status: {result}")
    if status.lower() in _FAILED:
        raise APIError(f"Workers AI batch {rid} {status}", code=None)
    return BatchStatus(rid, status.lower())


def unwrap(result: Any) -> Any:
    """An item's output; the older nested ``{"result": {...}}`` form is unwrapped."""
    if (
        isinstance(result, dict) and "result" in result
        and not any(key in result for key in _OUTPUT_KEYS)
    ):
        return result["result"]
    return result


def _index(item: Any, n: int) -> int | None:
    idx = item.get("id") if isinstance(item, dict) else None
    if isinstance(idx, str) and idx.isdigit():
        idx = int(idx)
    return idx if isinstance(idx, int) and 0 <= idx < n else None


def read_responses(
    responses: list[Any], n: int, item_error: Callable[[dict[str, Any]], WorkersAIError],
) -> tuple[list[Any], dict[int, WorkersAIError]]:
    """The outputs of ``n`` submitted items by ``id``, in input order, and the error of
    each failed, result-less or missing item (``item_error`` types an item's error
    envelope). A repeated or out-of-range ``id`` is ignored."""
    results: list[Any] = [None] * n
    failed: dict[int, WorkersAIError] = {}
    seen: set[int] = set()
    for item in responses:
        idx = _index(item, n)
        if idx is None or idx in seen:
            continue
        seen.add(idx)
        if is_error_envelope(item):
            failed[idx] = item_error(item)
        elif not has_result(item):
            failed[idx] = ResponseFormatError(f"The batch answer holds no result for item {idx}")
        else:
            results[idx] = unwrap(item["result"])
    for idx in range(n):
        if idx not in seen:
            failed[idx] = ResponseFormatError(f"The batch answer has no response for item {idx}")
    return results, failed
