"""LoRA: a fine-tuned adapter chosen per call reaches the request body; models without
LoRA are refused before any request (and by the API when forced through model_kwargs)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from langchain_core.exceptions import ModelInvalidRequestError

from langchain_workersai import (
    ChatWorkersAI,
    WorkersAIInvalidInputError,
    WorkersAILoRANotSupportedError,
)
from workersai import catalog

pytestmark = [pytest.mark.emulator, pytest.mark.usefixtures("before_retirements")]

LORA_MODEL = "@cf/mistral/mistral-7b-instruct-v0.1"
PLAIN_MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"


def test_catalog_facts_the_tests_rely_on() -> None:
    lora, plain = catalog.lookup(LORA_MODEL), catalog.lookup(PLAIN_MODEL)
    assert lora is not None and lora.lora and plain is not None and not plain.lora


@pytest.mark.parametrize("use_async", [False, True])
async def test_adapter_chosen_per_call_reaches_the_body(
    make_chat: Callable[..., ChatWorkersAI], emulator: Any, use_async: bool
) -> None:
    llm = make_chat(model=LORA_MODEL, lora="support-tone")
    if use_async:
        await llm.ainvoke("hi")
        await llm.ainvoke("hi", lora="legal-summaries")
    else:
        llm.invoke("hi")
        llm.invoke("hi", lora="legal-summaries")
    first, second = (json.loads(r.body) for r in emulator.requests)
    assert first["lora"] == "support-tone" and second["lora"] == "legal-summaries"
    assert emulator.requests[-1].path.endswith(f"/ai/run/{LORA_MODEL}")


def test_bound_adapter_streams_too(make_chat: Callable[..., ChatWorkersAI], emulator: Any) -> None:
    chunks = list(make_chat(model=LORA_MODEL).bind(lora="my-adapter").stream("hi"))
    assert chunks and json.loads(emulator.requests[-1].body)["lora"] == "my-adapter"


def test_model_without_lora_is_refused_before_any_request(
    make_chat: Callable[..., ChatWorkersAI], emulator: Any
) -> None:
    with pytest.raises(WorkersAIInvalidInputError, match="does not take a LoRA adapter"):
        make_chat(model=PLAIN_MODEL).invoke("hi", lora="my-adapter")
    assert emulator.requests == []


def test_forced_lora_gets_the_api_error_5005(
    make_chat: Callable[..., ChatWorkersAI], emulator: Any
) -> None:
    llm = make_chat(model=PLAIN_MODEL, model_kwargs={"lora": "my-adapter"}, max_retries=0)
    with pytest.raises(WorkersAILoRANotSupportedError) as err:
        llm.invoke("hi")
    assert err.value.code == 5005 and err.value.status_code == 405
    assert isinstance(err.value, ModelInvalidRequestError)
