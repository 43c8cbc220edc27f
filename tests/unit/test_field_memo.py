"""FieldMemo: one result per instance, rebuilt when a keyed field is replaced, changed in
place, or cannot be compared."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, PrivateAttr

from workersai.integration import FieldMemo


class Owner(BaseModel):
    a: int = 1
    b: list[int] = [1]
    c: Any = None
    _p: Any = PrivateAttr(default=None)


MEMO: FieldMemo[tuple[Any, ...]] = FieldMemo("_m", ("a", "b", "c"))


def _built(owner: Owner, log: list[int]) -> tuple[Any, ...]:
    def build() -> tuple[Any, ...]:
        log.append(1)
        return (owner.a, list(owner.b), owner.c)

    return MEMO.get(owner, build)


def test_kept_until_a_field_is_replaced_or_changed_in_place() -> None:
    owner, log = Owner(), []
    first = _built(owner, log)
    assert _built(owner, log) is first and len(log) == 1
    owner.a = 2
    assert _built(owner, log) == (2, [1], None) and len(log) == 2
    owner.b.append(5)
    assert _built(owner, log) == (2, [1, 5], None) and len(log) == 3
    owner.c = {"k": [1]}
    _built(owner, log)
    owner.c["k"].append(2)  # nested in-place change
    assert _built(owner, log) == (2, [1, 5], {"k": [1, 2]}) and len(log) == 5
    MEMO.forget(owner)
    _built(owner, log)
    assert len(log) == 6


def test_deep_copies_rebuild_and_uncomparable_values_are_never_trusted() -> None:
    owner, log = Owner(), []
    _built(owner, log)
    _built(owner.model_copy(deep=True), log)
    assert len(log) == 2

    class NoCopy:
        def __deepcopy__(self, memo: Any) -> Any:
            raise TypeError("no")

    owner.c = NoCopy()
    _built(owner, log)
    _built(owner, log)
    assert len(log) == 4


def test_needs_two_names() -> None:
    with pytest.raises(ValueError, match="two field names"):
        FieldMemo("_m", ("a",))


def test_a_memo_carried_to_a_copy_is_not_trusted_there() -> None:
    """Whatever a copy carries over (pydantic 2.14's deep copy keeps the memo pointing at the
    copy's own values), the copy builds its own."""
    owner, log = Owner(), []
    _built(owner, log)
    clone = owner.model_copy()  # the same field objects
    clone.__pydantic_private__ = dict(owner.__pydantic_private__ or {})
    _built(clone, log)
    assert len(log) == 2
    _built(clone, log)
    assert len(log) == 2  # and keeps it
