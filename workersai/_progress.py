"""Progress for long jobs: a tqdm bar when tqdm is installed, else one plain stderr line.

tqdm is optional (never a dependency). :func:`progress` yields an ``on_progress(done,
total)`` callback for :meth:`workersai.Client.embed` (called from worker threads, so it
locks); :func:`queue_progress` turns a ``show_progress=True`` knob of the queued batch
methods into their ``on_progress(BatchProgress)`` callback.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._batch_plan import BatchProgress

__all__ = ["Progress", "progress", "queue_progress"]

MIN_INTERVAL = 0.5
"""Seconds between two plain-line updates (the last one is always written)."""


class Progress:
    """``done`` of ``total`` items, shown as a tqdm bar or a ``\\r``-rewritten line."""

    def __init__(self, desc: str, *, stream: IO[str] | None = None,
                 use_tqdm: bool | None = None, min_interval: float = MIN_INTERVAL) -> None:
        self.desc, self.min_interval = desc, min_interval
        self._stream = stream
        self._tqdm_class: Any = _tqdm_class() if use_tqdm is not False else None
        self._bar: Any = None
        self._lock = threading.Lock()
        self._last_write = 0.0
        self._wrote = False
        self.done = 0

    def __call__(self, done: int, total: int, status: str | None = None) -> None:
        with self._lock:
            self.done = done
            if self._tqdm_class is not None:
                self._tqdm(done, total, status)
            else:
                self._line(done, total, status)

    def _tqdm(self, done: int, total: int, status: str | None) -> None:
        if self._bar is None:
            self._bar = self._tqdm_class(total=total, desc=self.desc, file=self._stream)
        self._bar.total = total
        if status:
            self._bar.set_postfix_str(status, refresh=False)
        self._bar.update(done - self._bar.n)

    def _line(self, done: int, total: int, status: str | None) -> None:
        now = time.monotonic()
        if done < total and now - self._last_write < self.min_interval:
            return
        self._last_write = now
        percent = f" ({100 * done // total}%)" if total else ""
        extra = f" [{status}]" if status else ""
        stream = self._stream or sys.stderr
        stream.write(f"\r{self.desc}: {done}/{total}{percent}{extra}")
        stream.flush()
        self._wrote = True

    def close(self) -> None:
        """End the bar or the line."""
        with self._lock:
            if self._bar is not None:
                self._bar.close()
                self._bar = None
            elif self._wrote:
                (self._stream or sys.stderr).write("\n")
                self._wrote = False


def _tqdm_class() -> Any:
    try:
        from tqdm.auto import tqdm  # type: ignore[import-untyped]
    except ImportError:
        return None
    return tqdm


@contextmanager
def progress(show: bool, desc: str, *, stream: IO[str] | None = None
             ) -> Iterator[Progress | None]:
    """A :class:`Progress` to pass as ``on_progress`` (``None`` when ``show`` is false)."""
    if not show:
        yield None
        return
    bar = Progress(desc, stream=stream)
    try:
        yield bar
    finally:
        bar.close()


@contextmanager
def queue_progress(queue: dict[str, Any], desc: str) -> Iterator[dict[str, Any]]:
    """``queue`` without ``show_progress``; with it true, ``on_progress`` also drives a
    :class:`Progress` (any ``on_progress`` of the caller is still called first)."""
    knobs = dict(queue)
    show = bool(knobs.pop("show_progress", False))
    if not show:
        yield knobs
        return
    user: Callable[[BatchProgress], None] | None = knobs.get("on_progress")
    bar = Progress(desc)

    def on_progress(p: BatchProgress) -> None:
        if user is not None:
            user(p)
        bar(p.finished + p.failed, p.total, p.status)

    knobs["on_progress"] = on_progress
    try:
        yield knobs
    finally:
        bar.close()
