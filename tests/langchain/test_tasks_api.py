"""The task modules' public surface, a tool-calling round trip, and the vision example."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest

from langchain_workersai import ChatWorkersAI
from langchain_workersai.tools import WorkersAIImageGenerationTool, WorkersAITranslationTool
from tests._support import run_example

MODULES = ["langchain_workersai.tools", "langchain_workersai.document_loaders",
           "langchain_workersai.document_transformers"]


@pytest.mark.parametrize("name", MODULES)
def test_public_task_modules_declare_all(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__all__ and all(hasattr(module, item) for item in module.__all__)


def test_tools_have_distinct_names_and_agent_descriptions() -> None:
    tools = importlib.import_module("langchain_workersai.tools")
    classes = [getattr(tools, n) for n in tools.__all__ if n.endswith("Tool")]
    names = {cls.model_fields["name"].default for cls in classes}
    assert len(names) == len(classes) == 8
    assert all(len(cls.model_fields["description"].default) > 60 for cls in classes)


@pytest.mark.emulator
def test_chat_model_calls_a_task_tool_and_reads_its_result(
    make_chat: Callable[..., ChatWorkersAI], emu_kwargs: dict[str, Any], emulator: Any
) -> None:
    tools = [WorkersAIImageGenerationTool(**emu_kwargs), WorkersAITranslationTool(**emu_kwargs)]
    llm = make_chat(model="@cf/meta/llama-4-scout-17b-16e-instruct").bind_tools(tools)
    emulator.script.tool_call("translate_text", {"text": "Hello", "target_lang": "it"})
    reply = llm.invoke("Say hello in Italian")
    (call,) = reply.tool_calls
    sent = emulator.requests[-1].body.decode()
    assert '"generate_image"' in sent and '"translate_text"' in sent
    result = tools[1].invoke(call)
    assert result.content == "[it] Hello" and result.tool_call_id == call["id"]


@pytest.mark.emulator
def test_vision_example_runs_offline() -> None:
    out = run_example("vision_chat.py", timeout=120)
    assert out.startswith("Mode: EMULATOR") and "Drew image-" in out
    assert out.count("@cf/meta/llama-4-scout-17b-16e-instruct: ") == 2
    assert "The image shows a lighthouse on a rocky coast at sunset." in out
