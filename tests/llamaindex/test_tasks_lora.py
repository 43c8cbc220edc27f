"""LoRA with LlamaIndex: an adapter chosen per call reaches the request body; a model
without LoRA is refused before any request (and by the API when forced)."""

from __future__ import annotations

import json

import pytest
from llama_index.core.llms import ChatMessage

from llamaindex_workersai import WorkersAI
from workersai import catalog
from workersai import errors as wa

from .conftest import Target

pytestmark = [pytest.mark.emulator, pytest.mark.usefixtures("before_retirements")]

LORA_MODEL = "@cf/meta/llama-3.2-11b-vision-instruct"
PLAIN_MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
HI = [ChatMessage(role="user", content="hi")]


def test_catalog_facts_the_tests_rely_on() -> None:
    lora, plain = catalog.lookup(LORA_MODEL), catalog.lookup(PLAIN_MODEL)
    assert lora is not None and lora.lora and plain is not None and not plain.lora


@pytest.mark.parametrize("use_async", [False, True])
async def test_adapter_chosen_per_call_reaches_the_body(emu_target: Target,
                                                        use_async: bool) -> None:
    llm = WorkersAI(model=LORA_MODEL, lora="support-tone", **emu_target.kwargs)
    if use_async:
        await llm.achat(HI)
        await llm.achat(HI, lora="legal-summaries")
        await llm.acomplete("hi", lora="poetry")
    else:
        llm.chat(HI)
        llm.chat(HI, lora="legal-summaries")
        llm.complete("hi", lora="poetry")
    sent = [json.loads(r.body)["lora"] for r in emu_target.emu.requests]
    assert sent == ["support-tone", "legal-summaries", "poetry"]


def test_streamed_call_carries_the_adapter(emu_target: Target) -> None:
    llm = WorkersAI(model=LORA_MODEL, **emu_target.kwargs)
    assert list(llm.stream_chat(HI, lora="my-adapter"))
    assert json.loads(emu_target.emu.requests[-1].body)["lora"] == "my-adapter"


def test_model_without_lora_is_refused_before_any_request(emu_target: Target) -> None:
    llm = WorkersAI(model=PLAIN_MODEL, **emu_target.kwargs)
    with pytest.raises(wa.InvalidInputError, match="does not take a LoRA adapter"):
        llm.chat(HI, lora="my-adapter")
    assert emu_target.emu.requests == []


def test_forced_lora_gets_the_api_error_5005(emu_target: Target) -> None:
    llm = WorkersAI(model=PLAIN_MODEL, additional_kwargs={"lora": "x"}, **emu_target.kwargs)
    with pytest.raises(wa.LoRANotSupportedError) as err:
        llm.chat(HI)
    assert err.value.code == 5005 and err.value.status_code == 405
