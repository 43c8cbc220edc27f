"""``max_retries`` is declared once: the six framework classes default to the core constant,
read ``None`` as that default, refuse what the core refuses (at construction, by the core's
own check), and hand the value to both core clients."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from langchain_workersai import ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker
from llamaindex_workersai import WorkersAI, WorkersAIEmbedding, WorkersAIRerank
from workersai import RequestOptions
from workersai.config import DEFAULT_MAX_RETRIES, Config
from workersai.errors import InvalidInputError

CLASSES = [ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker,
           WorkersAI, WorkersAIEmbedding, WorkersAIRerank]
KW = {"account_id": "0123456789abcdef0123456789abcdef", "api_key": "t"}
REFUSED = [-1, 101, True, 2.0, "3"]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_the_default_is_the_core_constant(cls: Any) -> None:
    assert DEFAULT_MAX_RETRIES == Config().max_retries == Config.resolve().max_retries == 2
    assert cls(**KW).max_retries == DEFAULT_MAX_RETRIES
    assert cls(**KW, max_retries=None).max_retries == DEFAULT_MAX_RETRIES


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("n", [0, 5, 100])
def test_the_field_reaches_both_core_clients(cls: Any, n: int) -> None:
    obj = cls(**KW, max_retries=n)
    assert obj.max_retries == n
    assert obj._sync_client().config.max_retries == n
    assert obj._async_client().config.max_retries == n


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("bad", REFUSED, ids=repr)
def test_what_the_core_refuses_the_field_refuses_at_construction(cls: Any, bad: Any) -> None:
    with pytest.raises(InvalidInputError, match="max_retries must be an integer from 0 to 100"):
        Config.resolve(max_retries=bad)
    with pytest.raises(InvalidInputError, match="max_retries must be an integer from 0 to 100"):
        Config().call_settings(RequestOptions(max_retries=bad))
    with pytest.raises(ValidationError, match="max_retries must be an integer from 0 to 100"):
        cls(**KW, max_retries=bad)


def test_a_refused_value_that_is_no_number_is_not_echoed() -> None:
    with pytest.raises(InvalidInputError) as info:
        Config.resolve(max_retries="sekrit-value")  # type: ignore[arg-type]
    assert "sekrit" not in str(info.value) and "got a str" in str(info.value)
