"""The asynchronous batch flow, ``?queueRequest=true`` (reference 1.7).

Submit ``{"requests": [...]}`` (each item a normal model input, optional
``external_reference``) to a model with ``async_queue`` in the catalog: the reply is
``{"status": "queued", "request_id", "model"}``. Poll the same URL with
``{"request_id"}``: the first poll answers ``queued``, the second ``running``, every later
poll the finished ``{"responses": [...], "usage": {...}}`` (the same each time). The
items run when the job finishes: ``responses[i]`` is ``{"id": i, "result", "success":
true, "external_reference"}``, or for an invalid item ``{"id": i, "result": null,
"success": false, "errors": [{"code", "message"}], "external_reference"}``. Unknown
``request_id``: HTTP 404, code 5006.

On demand, for tests: ``emu.batches.fail_items(1, 3, code=3040)`` makes those items of
every later-finishing job fail with that code, and ``emu.batches.shuffle = True`` lists
``responses`` in reverse ``id`` order (the real service does not promise any order).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._errors import EmuError, bad_input

__all__ = ["BatchQueue", "ItemRunner", "POLLS_UNTIL_DONE"]

ItemRunner = Callable[[dict[str, Any]], tuple[Any, int, int]]
"""Runs one item: ``(result, prompt_tokens, completion_tokens)``; raises ``EmuError``."""

POLLS_UNTIL_DONE = 3
_STATES = {1: "queued", 2: "running"}


@dataclass
class _Job:
    model: str
    items: list[dict[str, Any]]
    polls: int = 0
    done: dict[str, Any] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def _run(job: _Job, runner: ItemRunner, failures: dict[int, EmuError],
         shuffle: bool) -> dict[str, Any]:
    responses, prompt, completion = [], 0, 0
    for i, item in enumerate(job.items):
        ref = item.get("external_reference")
        inputs = {k: v for k, v in item.items() if k not in ("external_reference", "stream")}
        try:
            if i in failures:
                raise failures[i]
            result, p, c = runner(inputs)
        except EmuError as exc:
            responses.append({"id": i, "result": None, "success": False,
                              "errors": [{"code": exc.code, "message": exc.message}],
                              "external_reference": ref})
            continue
        prompt, completion = prompt + p, completion + c
        responses.append({"id": i, "result": result, "success": True,
                          "external_reference": ref})
    usage = {"prompt_tokens": prompt, "completion_tokens": completion,
             "total_tokens": prompt + completion}
    if shuffle:
        responses.reverse()
    return {"responses": responses, "usage": usage}


class BatchQueue:
    """Submitted jobs by request id (thread-safe)."""

    def __init__(self) -> None:
        self._jobs: dict[str, _Job] = {}
        self._lock = threading.Lock()
        self._failures: dict[int, EmuError] = {}
        self.shuffle = False

    def fail_items(self, *indexes: int, code: int = 3040,
                   message: str = "AiError: Capacity temporarily exceeded, please try again.",
                   ) -> None:
        """Make the items at ``indexes`` fail (with ``code``) in jobs that finish later."""
        with self._lock:
            self._failures.update({i: EmuError(400, code, message) for i in indexes})

    def clear_failures(self) -> None:
        """Let every item run normally again."""
        with self._lock:
            self._failures.clear()

    def submit(self, model: str, body: dict[str, Any], request_id: str) -> dict[str, Any]:
        """Queue ``body["requests"]``; the submit reply's ``result``."""
        items = body.get("requests")
        if not isinstance(items, list) or not items:
            raise bad_input("Array at '/requests' has fewer items than the minimum 1")
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise bad_input(f"Type mismatch of '/requests/{i}', not an object")
        with self._lock:
            self._jobs[request_id] = _Job(model, items)
        return {"status": "queued", "request_id": request_id, "model": model}

    def poll(self, model: str, request_id: Any, runner: ItemRunner) -> dict[str, Any]:
        """Advance the job one poll; the poll reply's ``result``."""
        with self._lock:
            job = self._jobs.get(request_id) if isinstance(request_id, str) else None
        if job is None or job.model != model:
            raise EmuError(404, 5006, f"AiError: Bad input: Error: request_id "
                           f"'{request_id}' not found")
        with job.lock:
            job.polls += 1
            if job.polls < POLLS_UNTIL_DONE:
                return {"status": _STATES[job.polls], "request_id": request_id}
            if job.done is None:
                job.done = _run(job, runner, dict(self._failures), self.shuffle)
            return job.done
