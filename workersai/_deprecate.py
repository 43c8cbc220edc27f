"""Deprecated aliases of moved calls: one warning per call, then the call itself."""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, cast

from ._ops import with_full_model

__all__ = ["deprecated_alias"]

P = ParamSpec("P")
R = TypeVar("R")


def deprecated_alias(fn: Callable[P, R], old: str, new: str, *,
                     model: bool = True) -> Callable[P, R]:
    """``fn(client, ...)`` behind a ``DeprecationWarning`` saying ``workersai.<old>`` became
    ``<new>``. With ``model``, the argument after the client is a model id and may be a
    short one, resolved as the namespace verb resolves it (for an ``async def``, when the
    call is awaited, as there).

    An ``async def`` keeps working: the alias returns its coroutine.
    """
    aio = inspect.iscoroutinefunction(fn)

    def resolved(args: tuple[Any, ...], kw: dict[str, Any]) -> Any:
        if model and args:
            rest, kw = with_full_model(args[1:], kw)
            args = (args[0], *rest)
        return fn(*args, **kw)

    async def aresolved(args: tuple[Any, ...], kw: dict[str, Any]) -> Any:
        return await resolved(args, kw)

    @functools.wraps(fn)
    def alias(*args: P.args, **kwargs: P.kwargs) -> R:
        warnings.warn(f"workersai.{old}(client, ...) is deprecated; use {new}(...)",
                      DeprecationWarning, stacklevel=2)
        return cast(R, aresolved(args, kwargs) if aio else resolved(args, kwargs))

    return alias
