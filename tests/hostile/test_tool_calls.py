"""LlamaIndex: tool-call arguments that are not a JSON object stay invalid.

They used to become ``ToolSelection(name, {})`` and an agent called the tool with no
arguments. Now the selection's only key is :data:`INVALID_ARGUMENTS`, a sentence the tool
refuses as an unexpected keyword; the agent hands that error to the model (as LangChain's
``invalid_tool_calls`` do), the tool never runs, and :func:`invalid_tool_arguments` gives
the raw text and the parse error to hand-written loops.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from llama_index.core.agent.workflow import FunctionAgent
from llama_index.core.tools import FunctionTool

from llamaindex_workersai import INVALID_ARGUMENTS, WorkersAI, invalid_tool_arguments

from .recorder import Recorded, Reply, json_reply, recorder

CFG: dict[str, Any] = {"account_id": "a" * 32, "api_token": "t" * 40, "max_retries": 0}
CHAT = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
RAN: list[str] = []


def get_weather(city: str) -> str:
    """Current weather for a city."""
    RAN.append(city)
    return f"Sunny in {city}"


def _tool_reply(arguments: str) -> Any:
    def reply(request: Recorded) -> Reply:
        body = request.json()
        if any(m.get("role") == "tool" for m in body.get("messages", [])):
            return json_reply({"result": {"response": "Sorry."}, "success": True})
        call = {"id": "call_1", "type": "function",
                "function": {"name": "get_weather", "arguments": arguments}}
        return json_reply({"result": {"response": None, "tool_calls": [call]},
                           "success": True})

    return reply


@pytest.mark.parametrize("arguments", ["{city: Lisbon", "[1, 2]", '"Lisbon"'])
def test_invalid_arguments_never_become_an_empty_call(arguments: str) -> None:
    tool = FunctionTool.from_defaults(get_weather)
    with recorder(_tool_reply(arguments)) as server:
        llm = WorkersAI(**CFG, base_url=server.url, model=CHAT)
        response = llm.chat_with_tools([tool], user_msg="Weather in Lisbon?")
    [selection] = llm.get_tool_calls_from_response(response)
    assert selection.tool_name == "get_weather"
    assert list(selection.tool_kwargs) == [INVALID_ARGUMENTS]
    info = invalid_tool_arguments(selection.tool_kwargs)
    assert info is not None and info["arguments"] == arguments and info["error"]
    assert response.message.additional_kwargs["invalid_tool_calls"][0]["arguments"] == arguments


def test_valid_arguments_are_unchanged() -> None:
    tool = FunctionTool.from_defaults(get_weather)
    with recorder(_tool_reply('{"city": "Lisbon"}')) as server:
        llm = WorkersAI(**CFG, base_url=server.url, model=CHAT)
        response = llm.chat_with_tools([tool], user_msg="Weather in Lisbon?")
    [selection] = llm.get_tool_calls_from_response(response)
    assert selection.tool_kwargs == {"city": "Lisbon"}
    assert invalid_tool_arguments(selection.tool_kwargs) is None


async def test_an_agent_reports_invalid_arguments_to_the_model() -> None:
    RAN.clear()
    tool = FunctionTool.from_defaults(get_weather)
    with recorder(_tool_reply("{city: Lisbon")) as server:
        llm = WorkersAI(**CFG, base_url=server.url, model=CHAT)
        agent = FunctionAgent(tools=[tool], llm=llm, streaming=False)
        answer = await agent.run(user_msg="Weather in Lisbon?")
    assert RAN == []  # the tool never ran with made-up (empty) arguments
    assert "Sorry." in str(answer)
    messages = server.requests[-1].json()["messages"]
    tool_turns = [m for m in messages if m.get("role") == "tool"]
    assert tool_turns and "not a JSON object" in json.dumps(tool_turns)

