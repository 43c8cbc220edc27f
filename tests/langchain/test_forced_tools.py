"""Forced tool use is never dropped: emulator runs of the README quickstart and of
structured output on models whose schemas have no ``tool_choice``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from langchain_core.tools import tool
from pydantic import BaseModel

from langchain_workersai import DEFAULT_CHAT_MODEL, ChatWorkersAI

from .conftest import collect

pytestmark = pytest.mark.emulator
SCOUT = "@cf/meta/llama-4-scout-17b-16e-instruct"
NO_JSON = "@cf/meta/llama-3.1-8b-instruct-fast"  # no tool_choice, no JSON mode


@tool
def get_weather(city: str) -> str:
    """Current weather for a city."""
    return "sunny"


class Person(BaseModel):
    """A person."""

    name: str
    age: int


def _last(emulator: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(emulator.requests[-1].body)
    return body


@pytest.mark.parametrize("model", [DEFAULT_CHAT_MODEL, SCOUT])
def test_readme_bind_tools_any_calls_the_tool_for_an_unrelated_prompt(
    make_chat: Callable[..., ChatWorkersAI], emulator: Any, model: str
) -> None:
    llm = make_chat(model=model).bind_tools([get_weather], tool_choice="any")
    msg = llm.invoke("hello there")
    assert [c["name"] for c in msg.tool_calls] == ["get_weather"]
    body = _last(emulator)
    assert "tool_choice" not in body  # not in these models' schemas
    assert body["messages"][0]["content"].startswith("Answer only by calling")
    _, full = collect(llm.stream("hello there"))
    assert [c["name"] for c in full.tool_calls] == ["get_weather"]


def test_structured_function_calling_uses_json_mode_without_tool_choice(
    make_chat: Callable[..., ChatWorkersAI], emulator: Any
) -> None:
    out = make_chat(model=DEFAULT_CHAT_MODEL).with_structured_output(
        Person, method="function_calling").invoke("Ada is 36.")
    assert isinstance(out, Person)
    assert "response_format" in _last(emulator) and "tools" not in _last(emulator)


def test_structured_function_calling_forces_by_instruction_without_json_mode(
    make_chat: Callable[..., ChatWorkersAI], emulator: Any
) -> None:
    out = make_chat(model=NO_JSON).with_structured_output(
        Person, method="function_calling").invoke("hello there")
    assert isinstance(out, Person)
    body = _last(emulator)
    assert [t["function"]["name"] for t in body["tools"]] == ["Person"]
    assert "`Person`" in body["messages"][0]["content"]
