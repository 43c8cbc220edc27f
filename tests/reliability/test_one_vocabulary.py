"""The two front ends speak one vocabulary: the core's sampling table, the core's default
models, and the same error for an unknown per-call argument."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from llama_index.core.base.llms.types import ChatMessage

import langchain_workersai
import llamaindex_workersai
from langchain_workersai import ChatWorkersAI
from langchain_workersai import _params as lc_params
from llamaindex_workersai import WorkersAI
from llamaindex_workersai import _params as li_params
from workersai import integration
from workersai.errors import InvalidInputError, UnexpectedArgumentError

# no request is ever made: the argument is refused first
OFFLINE: dict[str, Any] = {"account_id": "a" * 32, "api_token": "t",
                           "base_url": "http://127.0.0.1:9/client/v4", "max_retries": 0}


def test_one_sampling_table() -> None:
    assert lc_params.SAMPLING_FIELDS is integration.SAMPLING_FIELDS
    assert li_params.SAMPLING_FIELDS is integration.SAMPLING_FIELDS
    assert "stop" in integration.SAMPLING_FIELDS and "tools" not in integration.SAMPLING_FIELDS


@pytest.mark.parametrize("call", [
    lambda: ChatWorkersAI(**OFFLINE).invoke([HumanMessage("hi")], bogus=1),
    lambda: WorkersAI(**OFFLINE).chat([ChatMessage(role="user", content="hi")], bogus=1),
], ids=["langchain", "llamaindex"])
def test_unknown_per_call_argument_is_the_same_error(call: Any) -> None:
    with pytest.raises(UnexpectedArgumentError, match=r"\['bogus'\]") as info:
        call()
    assert isinstance(info.value, InvalidInputError) and isinstance(info.value, TypeError)

def test_both_default_to_the_same_chat_model() -> None:
    assert langchain_workersai.DEFAULT_CHAT_MODEL == integration.DEFAULT_CHAT_MODEL
    assert llamaindex_workersai.DEFAULT_CHAT_MODEL == integration.DEFAULT_CHAT_MODEL
    assert llamaindex_workersai.DEFAULT_MODEL == integration.DEFAULT_CHAT_MODEL  # old name
    assert ChatWorkersAI().model == WorkersAI().model == integration.DEFAULT_CHAT_MODEL
    assert langchain_workersai.DEFAULT_EMBED_MODEL == llamaindex_workersai.DEFAULT_EMBED_MODEL
    assert langchain_workersai.DEFAULT_EMBEDDING_MODEL == integration.DEFAULT_EMBED_MODEL
    assert langchain_workersai.DEFAULT_RERANK_MODEL == llamaindex_workersai.DEFAULT_RERANK_MODEL
