"""LlamaIndex machinery against the emulator, unscripted: every reply comes from the rules."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from workersai.emulator import Emulator

from .conftest import GPT_OSS, LLAMA, QWEN3, R1, flights, unscripted, weather

pytest.importorskip("llama_index.core")
from llama_index.core import Document, Settings, VectorStoreIndex
from llama_index.core.agent.workflow import AgentWorkflow, FunctionAgent, ReActAgent
from llama_index.core.embeddings import MockEmbedding
from llama_index.core.llms import ChatMessage
from llama_index.core.query_engine import RouterQueryEngine, SubQuestionQueryEngine
from llama_index.core.question_gen import LLMQuestionGenerator
from llama_index.core.selectors import (
    LLMMultiSelector,
    LLMSingleSelector,
    PydanticMultiSelector,
    PydanticSingleSelector,
)
from llama_index.core.tools import QueryEngineTool, ToolMetadata

from llamaindex_workersai import WorkersAI

pytestmark = pytest.mark.emulator

CITIES = "Lisbon is the capital of Portugal. It has about 550,000 inhabitants."
PYTHON = "Python is a programming language created by Guido van Rossum."


def _bodies(emu: Emulator) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in emu.requests]


@pytest.fixture
def llm(emu_kwargs: dict[str, Any]) -> WorkersAI:
    return WorkersAI(**emu_kwargs)


@pytest.fixture
def settings(llm: WorkersAI) -> Iterator[None]:
    saved = dict(vars(Settings))
    Settings.llm, Settings.embed_model = llm, MockEmbedding(embed_dim=8)
    yield
    vars(Settings).update(saved)


@pytest.mark.parametrize("model", [LLAMA, QWEN3, GPT_OSS, R1])
async def test_react_agent_calls_the_tool_and_answers(
        emu: Emulator, emu_kwargs: dict[str, Any], model: str) -> None:
    agent = ReActAgent(tools=[weather, flights], llm=WorkersAI(model=model, **emu_kwargs))
    result = await agent.run("What is the weather in Lisbon?")
    assert str(result) == "Sunny, 21C in Lisbon"
    unscripted(emu)
    assert len(emu.requests) == 2  # one Action step, then the Answer from the Observation


async def test_react_agent_answers_directly_when_no_tool_matches(
        emu: Emulator, llm: WorkersAI) -> None:
    result = await ReActAgent(tools=[weather], llm=llm).run("Tell me about rivers")
    assert str(result) == "Here is a short answer about rivers."
    assert len(emu.requests) == 1


async def test_agent_workflow_hands_off_to_a_named_agent(emu: Emulator, llm: WorkersAI) -> None:
    weather_agent = FunctionAgent(
        name="weather_agent", description="Answers questions about the weather.",
        tools=[weather], llm=llm, system_prompt="You are the weather agent.")
    travel_agent = FunctionAgent(
        name="travel_agent", description="Books flights and travel.", tools=[flights],
        llm=llm, system_prompt="You are the travel agent.", can_handoff_to=["weather_agent"])
    workflow = AgentWorkflow(agents=[travel_agent, weather_agent], root_agent="travel_agent")
    result = await workflow.run(user_msg="What is the weather in Lisbon?")
    calls = [c["function"] for m in _bodies(emu)[-1]["messages"]
             for c in m.get("tool_calls") or []]
    assert calls[0]["name"] == "handoff"
    assert json.loads(calls[0]["arguments"])["to_agent"] == "weather_agent"
    assert calls[1] == {"name": "weather", "arguments": '{"city":"Lisbon"}'}
    assert "Sunny, 21C in Lisbon" in str(result)
    unscripted(emu)


@pytest.mark.usefixtures("settings")
def test_condense_question_chat_engine_rewrites_the_follow_up(emu: Emulator) -> None:
    index = VectorStoreIndex.from_documents([Document(text=CITIES),
                                             Document(text="Madrid is the capital of Spain.")])
    engine = index.as_chat_engine(chat_mode="condense_question")
    history = [ChatMessage(role="user", content="Tell me about Lisbon."),
               ChatMessage(role="assistant", content="Lisbon is the capital of Portugal.")]
    reply = engine.chat("How many people live there?", chat_history=history)
    query = _bodies(emu)[1]["messages"][-1]["content"]
    assert "Query: How many people live in Lisbon?" in query
    assert "Lisbon" in str(reply)


@pytest.mark.usefixtures("settings")
def test_condense_plus_context_answers_from_the_right_context(emu: Emulator) -> None:
    index = VectorStoreIndex.from_documents([Document(text="Madrid is the capital of Spain."),
                                             Document(text=CITIES)])
    engine = index.as_chat_engine(chat_mode="condense_plus_context")
    history = [ChatMessage(role="user", content="Tell me about Lisbon."),
               ChatMessage(role="assistant", content="Lisbon is in Portugal.")]
    reply = engine.chat("How many people live there?", chat_history=history)
    final = _bodies(emu)[-1]["messages"]
    assert final[-1]["content"] == "How many people live there?"  # the original follow-up
    assert "Madrid is the capital of Spain." in final[0]["content"]  # both in the context
    assert str(reply) == "Lisbon is the capital of Portugal."
    unscripted(emu)


def _engines() -> list[QueryEngineTool]:
    cities = VectorStoreIndex.from_documents([Document(text=CITIES)]).as_query_engine()
    code = VectorStoreIndex.from_documents([Document(text=PYTHON)]).as_query_engine()
    return [QueryEngineTool(query_engine=cities, metadata=ToolMetadata(
                name="cities", description="Facts about European cities and their population.")),
            QueryEngineTool(query_engine=code, metadata=ToolMetadata(
                name="programming", description="Facts about programming languages."))]


@pytest.mark.usefixtures("settings")
@pytest.mark.parametrize("selector", ["llm", "pydantic", "llm_multi", "pydantic_multi"])
@pytest.mark.parametrize(("question", "source"), [
    ("Who created the Python programming language?", PYTHON),
    ("What is the capital of Portugal and which European cities are big?", CITIES)])
def test_router_query_engine_picks_the_matching_engine(
        llm: WorkersAI, selector: str, question: str, source: str) -> None:
    make = {"llm": lambda: LLMSingleSelector.from_defaults(llm=llm),
            "pydantic": lambda: PydanticSingleSelector.from_defaults(llm=llm),
            "llm_multi": lambda: LLMMultiSelector.from_defaults(llm=llm),
            "pydantic_multi": lambda: PydanticMultiSelector.from_defaults(llm=llm)}
    engine = RouterQueryEngine(selector=make[selector](), query_engine_tools=_engines())
    answer = str(engine.query(question))
    assert answer in source


@pytest.mark.usefixtures("settings")
def test_sub_question_engine_gets_its_json_list(emu: Emulator, llm: WorkersAI) -> None:
    engine = SubQuestionQueryEngine.from_defaults(
        query_engine_tools=_engines(), question_gen=LLMQuestionGenerator.from_defaults(llm=llm))
    engine.query("What is the population of Lisbon and who created the programming language?")
    contexts = [b["messages"][-1]["content"] for b in _bodies(emu)]
    final = contexts[-1]
    assert "Sub question: What is the population of Lisbon?" in final
    assert "Sub question: Who created the programming language?" in final
    assert PYTHON in final and "Lisbon is the capital of Portugal." in final
