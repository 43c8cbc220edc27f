"""Legacy tool calls in ``additional_kwargs["tool_calls"]`` (older LlamaIndex agents,
llama-index-llms-openai): every form they take is read as tool calls, in history sent to
the service and by ``get_tool_calls_from_response``; an entry naming no tool is refused."""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage, ChatResponse
from openai.types.chat import ChatCompletionMessageFunctionToolCall
from openai.types.chat.chat_completion_chunk import (
    ChoiceDeltaToolCall,
    ChoiceDeltaToolCallFunction,
)
from openai.types.chat.chat_completion_message_custom_tool_call import (
    ChatCompletionMessageCustomToolCall,
    Custom,
)
from openai.types.chat.chat_completion_message_function_tool_call import Function

from llamaindex_workersai import WorkersAI
from llamaindex_workersai._messages import to_message
from workersai.errors import InvalidInputError
from workersai.types import ToolCall

from .conftest import Target

ARGS = '{"city": "Paris"}'
WANT = [ToolCall(id="call_1", name="weather", arguments={"city": "Paris"})]


@dataclass
class _Fn:
    name: str
    arguments: str


@dataclass
class _Call:  # an object with the OpenAI attributes and no model_dump
    id: str
    function: _Fn
    type: str = "function"


FORMS: dict[str, Any] = {
    "dict": {"id": "call_1", "type": "function",
             "function": {"name": "weather", "arguments": ARGS}},
    "dict, arguments as a dict": {"id": "call_1", "type": "function",
                                  "function": {"name": "weather", "arguments": {"city": "Paris"}}},
    "flat dict": {"id": "call_1", "name": "weather", "arguments": ARGS},
    "dict holding a function object": {"id": "call_1", "type": "function",
                                       "function": Function(name="weather", arguments=ARGS)},
    "openai object": ChatCompletionMessageFunctionToolCall(
        id="call_1", type="function", function=Function(name="weather", arguments=ARGS)),
    "openai streamed object": ChoiceDeltaToolCall(
        index=0, id="call_1", type="function",
        function=ChoiceDeltaToolCallFunction(name="weather", arguments=ARGS)),
    "openai custom tool object": ChatCompletionMessageCustomToolCall(
        id="call_1", type="custom", custom=Custom(name="weather", input=ARGS)),
    "plain object": _Call(id="call_1", function=_Fn(name="weather", arguments=ARGS)),
    "namespace": SimpleNamespace(id="call_1", function=SimpleNamespace(
        name="weather", arguments=ARGS)),
}


def _legacy(entry: Any) -> ChatMessage:
    return ChatMessage(role="assistant", content=None, additional_kwargs={"tool_calls": [entry]})


@pytest.mark.parametrize("form", FORMS)
def test_each_legacy_form_is_read_as_a_tool_call(form: str) -> None:
    assert to_message(_legacy(FORMS[form])).tool_calls == WANT


@pytest.mark.parametrize("form", FORMS)
def test_get_tool_calls_from_response_reads_each_form(form: str) -> None:
    selections = WorkersAI().get_tool_calls_from_response(
        ChatResponse(message=_legacy(FORMS[form])))
    assert [(s.tool_id, s.tool_name, s.tool_kwargs) for s in selections] == [
        ("call_1", "weather", {"city": "Paris"})]


@pytest.mark.parametrize("entry", [
    {"id": "c", "type": "function", "function": {"arguments": ARGS}},
    SimpleNamespace(id="c", function=SimpleNamespace(arguments=ARGS)),
    "weather",
    None,
])
def test_an_entry_naming_no_tool_is_refused_clearly(entry: Any) -> None:
    with pytest.raises(InvalidInputError, match="tool_calls entry"):
        to_message(_legacy(entry))


@pytest.mark.emulator
@pytest.mark.parametrize("form", ["dict", "openai object", "plain object"])
def test_a_legacy_history_reaches_the_service_as_tool_calls(emu_target: Target,
                                                            form: str) -> None:
    llm = WorkersAI(model="@cf/meta/llama-4-scout-17b-16e-instruct", **emu_target.kwargs)
    history = [
        ChatMessage(role="user", content="Weather in Paris?"),
        _legacy(FORMS[form]),
        ChatMessage(role="tool", content="sunny",
                    additional_kwargs={"tool_call_id": "call_1", "name": "weather"}),
    ]
    assert llm.chat(history).message.content
    sent = emu_target.chat_requests()[-1]["messages"]
    call = sent[1]["tool_calls"][0]
    assert call["function"]["name"] == "weather"
    assert sent[2]["tool_call_id"] == call["id"]  # the result answers that call
    assert json.loads(call["function"]["arguments"]) == {"city": "Paris"}
