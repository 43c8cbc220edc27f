"""LangGraph and LangChain agent machinery against the emulator, unscripted."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, Field

from workersai.emulator import Emulator
from workersai.wire import chat_rules

from .conftest import GPT_OSS, LLAMA, QWEN3, flights, unscripted, weather

pytest.importorskip("langgraph")
pytest.importorskip("langchain.agents")
from langchain.agents import create_agent
from langchain.agents.structured_output import ToolStrategy
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.prebuilt import create_react_agent

from langchain_workersai import ChatWorkersAI

pytestmark = [pytest.mark.emulator,
              pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")]

TOOLS = [tool(weather), tool(flights)]
ASK = {"messages": [("user", "What is the weather in Lisbon?")]}


class Report(BaseModel):
    """A weather report."""

    city: str = Field(description="The city")
    temperature_c: int = Field(description="Temperature in Celsius")
    conditions: str = Field(description="The sky")


class Weather(Report):
    """A weather report, asked for as a tool (its name is a word of the question)."""


def _chat(kwargs: dict[str, Any], model: str = LLAMA) -> ChatWorkersAI:
    return ChatWorkersAI(model=model, **kwargs)


def _check_run(messages: list[Any]) -> None:
    kinds = [type(m) for m in messages]
    assert kinds == [HumanMessage, AIMessage, ToolMessage, AIMessage]
    assert messages[1].tool_calls[0]["name"] == "weather"
    assert messages[1].tool_calls[0]["args"] == {"city": "Lisbon"}
    assert messages[2].content == "Sunny, 21C in Lisbon"
    assert "Sunny, 21C in Lisbon" in messages[3].content


@pytest.mark.parametrize("model", [LLAMA, QWEN3, GPT_OSS])
def test_langgraph_react_agent(emu: Emulator, emu_kwargs: dict[str, Any], model: str) -> None:
    agent = create_react_agent(_chat(emu_kwargs, model), TOOLS)
    _check_run(agent.invoke(ASK)["messages"])
    unscripted(emu)


def test_langgraph_react_agent_streamed(emu_kwargs: dict[str, Any]) -> None:
    agent = create_react_agent(_chat(emu_kwargs), TOOLS)
    tokens = [chunk.content for chunk, _ in agent.stream(ASK, stream_mode="messages")
              if isinstance(chunk.content, str)]
    assert "Sunny, 21C in Lisbon" in "".join(tokens)


async def test_create_agent_plain_and_streamed(emu_kwargs: dict[str, Any]) -> None:
    agent = create_agent(_chat(emu_kwargs), TOOLS)
    _check_run(agent.invoke(ASK)["messages"])
    updates = [u async for u in agent.astream(ASK, stream_mode="updates")]
    assert [next(iter(u)) for u in updates] == ["model", "tools", "model"]


@pytest.mark.parametrize("model", [LLAMA, GPT_OSS])
def test_create_agent_structured_output_after_tools(
        emu: Emulator, emu_kwargs: dict[str, Any], model: str) -> None:
    agent = create_agent(_chat(emu_kwargs, model), TOOLS, response_format=Report)
    result = agent.invoke(ASK)
    assert result["structured_response"] == Report(city="Lisbon", temperature_c=21,
                                                   conditions="Sunny")
    last = json.loads(emu.requests[-1].body)
    assert last["messages"][-1]["role"] == "tool" and "response_format" in last
    unscripted(emu)


@pytest.mark.parametrize("model", [LLAMA, GPT_OSS])
def test_create_agent_tool_strategy_gathers_before_the_schema_tool(
        emu: Emulator, emu_kwargs: dict[str, Any], model: str) -> None:
    agent = create_agent(_chat(emu_kwargs, model), [tool(weather)],
                         response_format=ToolStrategy(Weather))
    result = agent.invoke(ASK)
    forced = json.loads(emu.requests[0].body).get("tool_choice")
    # sent where the model's published schema has tool_choice, else forced by instruction
    assert forced == ("required" if chat_rules(model).tool_choice else None)
    calls = [c["name"] for m in result["messages"] if isinstance(m, AIMessage)
             for c in m.tool_calls]
    assert calls == ["weather", "Weather"]  # "weather" in the question names both
    assert result["messages"][2].content == "Sunny, 21C in Lisbon"
    assert result["structured_response"] == Weather(city="Lisbon", temperature_c=21,
                                                    conditions="Sunny")
    unscripted(emu)


def test_classic_react_agent_with_plain_action_input(emu_kwargs: dict[str, Any]) -> None:
    agents = pytest.importorskip("langchain_classic.agents")
    from langchain_core.prompts import PromptTemplate

    template = (
        "Answer the question using these tools:\n\n{tools}\n\nUse this format:\n\n"
        "Question: the question to answer\nThought: think about what to do\n"
        "Action: the action to take, one of [{tool_names}]\nAction Input: the input\n"
        "Observation: the result\n... (repeat Thought/Action/Action Input/Observation)\n"
        "Thought: I now know the final answer\nFinal Answer: the answer\n\nBegin!\n\n"
        "Question: {input}\nThought:{agent_scratchpad}")
    agent = agents.create_react_agent(_chat(emu_kwargs), TOOLS,
                                      PromptTemplate.from_template(template))
    executor = agents.AgentExecutor(agent=agent, tools=TOOLS, return_intermediate_steps=True)
    out = executor.invoke({"input": "What is the weather in Lisbon?"})
    (action, observation), = out["intermediate_steps"]
    assert (action.tool, action.tool_input, observation) == (
        "weather", "Lisbon", "Sunny, 21C in Lisbon")
    assert out["output"] == "Sunny, 21C in Lisbon"


def test_history_aware_retriever_condenses(emu: Emulator, emu_kwargs: dict[str, Any]) -> None:
    chains = pytest.importorskip("langchain_classic.chains")
    from langchain_core.documents import Document
    from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder
    from langchain_core.runnables import RunnableLambda

    asked: list[str] = []

    def search(query: str) -> list[Document]:
        asked.append(query)
        return [Document(page_content="Lisbon has about 550,000 inhabitants.")]

    prompt = ChatPromptTemplate.from_messages([
        ("system", "Given the chat history and the latest question, write a standalone "
                   "question. Do not answer it."),
        MessagesPlaceholder("chat_history"), ("human", "{input}")])
    retriever = chains.create_history_aware_retriever(
        _chat(emu_kwargs), RunnableLambda(search), prompt)
    retriever.invoke({"input": "How many people live there?", "chat_history": [
        HumanMessage("Tell me about Lisbon."), AIMessage("Lisbon is in Portugal.")]})
    assert asked == ["How many people live in Lisbon?"]
