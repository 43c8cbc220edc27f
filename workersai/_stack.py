"""Where a warning should point: the first frame of the caller's own code (a leaf module).

Shared by the catalog's deprecation warnings and the constructors' migration hints, so
both skip the same library frames.
"""

from __future__ import annotations

import sys

__all__ = ["LIBRARY_PREFIXES", "user_stacklevel"]

LIBRARY_PREFIXES = ("workersai", "langchain_workersai", "llamaindex_workersai",
                    "langchain_core", "langchain_classic", "llama_index", "asyncio",
                    "concurrent", "contextlib", "threading")
"""Modules whose frames are plumbing, not the caller's code."""


def user_stacklevel(skip: tuple[str, ...] = LIBRARY_PREFIXES) -> int:
    """The ``stacklevel``, seen from the function that calls this one, of the first frame
    outside the modules named by ``skip``."""
    frame, level = sys._getframe(1), 1
    while frame.f_back is not None and str(frame.f_globals.get("__name__", "")).startswith(
            skip):
        frame, level = frame.f_back, level + 1
    return level
