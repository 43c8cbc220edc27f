"""Work derived from a pydantic model's fields, done once until a field changes.

A front end resolves the same call options from its fields on every call that passes no
per-call arguments. :class:`FieldMemo` keeps the last result on the instance and gives
it back while every field it was built from is still the very object it was built from
(an assignment, ``model_copy(update=...)`` or a deep copy puts new objects there) and no
mutable value (a ``stop`` list, a ``model_kwargs`` dict) has been changed in place since
(each is compared with a deep copy taken when the result was built). Anything that
cannot be compared that way is simply rebuilt on every call. A memo belongs to the
instance that built it: a copy rebuilds its own, even where the copy carried the memo
over with its fields (pydantic 2.14's ``model_copy(deep=True)`` copies the private
attributes and the fields in one pass, so the carried memo points at the copy's values).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from operator import is_, itemgetter
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

__all__ = ["FieldMemo"]

T = TypeVar("T")

_IMMUTABLE = (str, int, float, bool, bytes, type(None))


class FieldMemo(Generic[T]):
    """One memoised result per model instance, keyed on the fields ``names``."""

    __slots__ = ("_get", "_key")

    def __init__(self, key: str, names: Sequence[str]) -> None:
        if len(names) < 2:
            raise ValueError("FieldMemo needs at least two field names")
        self._key = key
        self._get = itemgetter(*names)

    def get(self, owner: BaseModel, build: Callable[[], T]) -> T:
        """The memoised result for ``owner``'s current fields, built now if stale."""
        private = owner.__pydantic_private__
        try:
            values: tuple[Any, ...] = self._get(owner.__dict__)
        except KeyError:  # a field missing (model_construct without it): no memo
            return build()
        memo = private.get(self._key) if private is not None else None
        home = id(owner.__dict__)  # the instance the memo was built on (copies differ)
        if memo is not None and memo[3] == home and _unchanged(memo, values):
            kept: T = memo[2]
            return kept
        result = build()
        if private is not None:
            private[self._key] = (values, _snapshot(values), result, home)
        return result

    def forget(self, owner: BaseModel) -> None:
        """Drop ``owner``'s memo (the next call rebuilds it)."""
        private = owner.__pydantic_private__
        if private is not None:
            private.pop(self._key, None)


def _snapshot(values: tuple[Any, ...]) -> list[tuple[int, Any]] | None:
    """Deep copies of the values that could change in place (``None``: not memoisable)."""
    out = []
    for i, value in enumerate(values):
        if not isinstance(value, _IMMUTABLE):
            try:
                out.append((i, copy.deepcopy(value)))
            except Exception:  # an uncopyable value: never trust a memo built on it
                return None
    return out


def _unchanged(memo: tuple[Any, Any, Any, int], values: tuple[Any, ...]) -> bool:
    old, snapshot, _, _ = memo
    if snapshot is None or not all(map(is_, old, values)):
        return False
    try:
        for i, copied in snapshot:
            if values[i] != copied:
                return False
    except Exception:  # a value whose == does not answer a bool (an array): rebuild
        return False
    return True
