"""Deprecated aliases of moved calls: one warning per call, then the call itself."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["deprecated_alias"]

P = ParamSpec("P")
R = TypeVar("R")


def deprecated_alias(fn: Callable[P, R], old: str, new: str) -> Callable[P, R]:
    """``fn`` behind a ``DeprecationWarning`` saying ``workersai.<old>`` became ``<new>``.

    An ``async def`` keeps working: the alias returns its coroutine.
    """

    @functools.wraps(fn)
    def alias(*args: P.args, **kwargs: P.kwargs) -> R:
        warnings.warn(f"workersai.{old}(client, ...) is deprecated; use {new}(...)",
                      DeprecationWarning, stacklevel=2)
        return fn(*args, **kwargs)

    return alias
