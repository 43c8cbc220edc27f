"""A bad connection knob is refused where it is set: at construction and at assignment
(``llm.timeout = -1``), on all six front-end classes, naming the class and the field; the
error comes before any call, and a good assignment still reaches the next request."""

from __future__ import annotations

import math
from typing import Any

import pytest
from pydantic import ValidationError

from langchain_workersai import ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker
from llamaindex_workersai import WorkersAI, WorkersAIEmbedding, WorkersAIRerank
from workersai import GatewayOptions, Limits, Timeouts
from workersai.errors import ConfigurationError, InvalidInputError

CLASSES = [ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker,
           WorkersAI, WorkersAIEmbedding, WorkersAIRerank]

BAD: list[tuple[str, Any, str]] = [
    ("timeout", -1, "positive, finite"),
    ("timeout", math.nan, "positive, finite"),
    ("timeout", math.inf, "positive, finite"),
    ("timeout", "10", "number of seconds"),
    ("timeout", [1], "number of seconds"),
    ("max_retries", -1, "integer from 0 to 100"),
    ("max_retries", 1.5, "integer from 0 to 100"),
    ("max_retries", "2", "integer from 0 to 100"),
    ("deadline", 0, "positive seconds"),
    ("deadline", math.nan, "positive seconds"),
    ("max_connections", 0, "positive int"),
    ("limits", 5, "workersai.Limits"),
    ("gateway_options", 3, "GatewayOptions"),
    ("gateway_options", {"no_such_option": 1}, "no_such_option"),
    ("base_url", "ftp://example.test", "http:// or https://"),
]

GOOD: list[tuple[str, Any]] = [
    ("timeout", 2.5), ("timeout", Timeouts(read=9.0)), ("timeout", None),
    ("max_retries", 0), ("deadline", math.inf), ("max_connections", 3),
    ("limits", Limits()), ("gateway_options", GatewayOptions(skip_cache=True)),
    ("base_url", "http://127.0.0.1:9/client/v4"),
]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@pytest.mark.parametrize(("field", "value", "says"), BAD, ids=lambda v: repr(v)[:20])
def test_a_bad_knob_is_refused_at_assignment_naming_the_field(
    cls: type, field: str, value: Any, says: str
) -> None:
    obj = cls()
    before = getattr(obj, field)
    with pytest.raises((InvalidInputError, ConfigurationError), match=says) as info:
        setattr(obj, field, value)
    assert str(info.value).startswith(f"{cls.__name__}.{field}: ")
    assert getattr(obj, field) == before  # the old value is kept


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@pytest.mark.parametrize(("field", "value", "says"),
                         [b for b in BAD if not isinstance(b[1], str)],
                         ids=lambda v: repr(v)[:20])
def test_a_bad_knob_is_refused_at_construction_naming_the_field(
    cls: type, field: str, value: Any, says: str
) -> None:
    with pytest.raises(ValidationError) as info:
        cls(**{field: value})
    assert info.value.errors()[0]["loc"][0] == field


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@pytest.mark.parametrize(("field", "value"), GOOD, ids=lambda v: repr(v)[:20])
def test_a_good_knob_is_kept_and_reaches_the_core_client(
    cls: type, field: str, value: Any
) -> None:
    obj = cls()
    setattr(obj, field, value)
    assert getattr(obj, field) == value
    config = obj._sync_client().config  # built from the fields, no I/O
    seen = {"timeout": config.timeouts, "max_retries": config.max_retries,
            "deadline": config.deadline, "max_connections": config.max_connections,
            "limits": config.limits, "gateway_options": config.gateway_options,
            "base_url": config.base_url}[field]
    if field == "timeout":
        assert seen == Timeouts.from_value(value)
    else:
        assert seen == value


def test_a_dict_of_gateway_options_is_stored_as_gateway_options() -> None:
    llm = ChatWorkersAI()
    llm.gateway_options = {"skip_cache": True}  # type: ignore[assignment]
    assert llm.gateway_options == GatewayOptions(skip_cache=True)
