"""The agent-protocol answer rules, one request at a time (no framework in between)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from workersai.emulator import Emulator

from ..emulator.helpers import CLASSIC, GPT_OSS, RERANKER, call, run

pytestmark = pytest.mark.emulator


def _text(emu: Emulator, messages: list[dict[str, Any]], **extra: Any) -> str:
    reply = run(emu, CLASSIC, {"messages": messages, **extra}).result
    return str(reply["response"])


def _user(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


CONDENSE = ("Rewrite the follow up as a standalone question.\n\nChat History:\n"
            "Human: Tell me about {topic}.\nAssistant: {topic} is lovely.\n"
            "Follow Up Input: {question}\nStandalone question:")


@pytest.mark.parametrize(("topic", "question", "expected"), [
    ("Lisbon", "How many people live there?", "How many people live in Lisbon?"),
    ("Lisbon", "What is its population?", "What is Lisbon's population?"),
    ("Lisbon", "Is Lisbon big?", "Is Lisbon big?"),
    ("Lisbon", "What about the population?", "What about the population about Lisbon?"),
    ("Ada Lovelace", "When was she born?", "When was Ada Lovelace born?"),
])
def test_condense_rewrites_the_follow_up(emu: Emulator, topic: str, question: str,
                                         expected: str) -> None:
    prompt = CONDENSE.format(topic=topic, question=question)
    assert _text(emu, _user(prompt)) == expected


def _selector(question: str, *, top: int | None = None, fmt: str = "Answer in JSON.") -> str:
    ask = f"the top choices (no more than {top})" if top else "the choice"
    return ("Some choices are given below.\n(1) Recipes for soups and stews.\n\n"
            "(2) Train timetables for European routes.\n\n(3) Soup history and stews.\n"
            f"Return {ask} most relevant to the question: '{question}'\n{fmt}")


def test_selector_answers_json_with_the_best_choice(emu: Emulator) -> None:
    out = json.loads(_text(emu, _user(_selector("When does the train to Paris leave?"))))
    assert [c["choice"] for c in out] == [2] and "train" in out[0]["reason"]


def test_multi_selector_lists_every_matching_choice_best_first(emu: Emulator) -> None:
    out = json.loads(_text(emu, _user(_selector("A soup or stews recipe?", top=2))))
    assert [c["choice"] for c in out] == [1, 3]


def test_selector_without_json_answers_a_numbered_line(emu: Emulator) -> None:
    out = _text(emu, _user(_selector("Any train routes?", fmt="")))
    assert out.startswith("2. ")


def test_pydantic_selector_tool_gets_the_one_based_index(emu: Emulator) -> None:
    tool = {"name": "SingleSelection", "description": "A single selection of a choice.",
            "parameters": {"type": "object", "required": ["index", "reason"], "properties": {
                "index": {"type": "integer", "description": "Index"},
                "reason": {"type": "string", "description": "Reason"}}}}
    reply = run(emu, CLASSIC, {"messages": _user(_selector("Any train routes?", fmt="")),
                               "tools": [tool]}).result
    assert reply["tool_calls"][0]["arguments"]["index"] == 2


def test_sub_questions_fall_back_to_the_best_tool(emu: Emulator) -> None:
    prompt = ("List sub-questions.\n<Tools>\n```json\n{\"soups\": \"Soup recipes\", "
              "\"trains\": \"Train timetables\"}\n```\n\n<User Question>\nTell me something"
              "\n\n<Output>\n")
    out = _text(emu, _user(prompt))
    assert out.startswith("```json\n") and out.endswith("\n```")
    items = json.loads(out[len("```json\n"):-len("\n```")])["items"]
    assert items == [{"sub_question": "Tell me something", "tool_name": "soups"}]


HANDOFF = {"name": "handoff", "description": "Hand off to another agent.",
           "parameters": {"type": "object", "required": ["to_agent", "reason"], "properties": {
               "to_agent": {"type": "string", "description": "Agent name"},
               "reason": {"type": "string", "description": "Why"}}}}


@pytest.mark.parametrize("listing", [
    "Agents:\n{'math_agent': 'Solves sums.', 'weather_agent': 'Knows the weather forecast.'}",
    "Agents:\n- math_agent: Solves sums.\n- weather_agent: Knows the weather forecast.",
])
def test_handoff_names_a_listed_agent(emu: Emulator, listing: str) -> None:
    tool = {**HANDOFF, "description": HANDOFF["description"] + "\n" + listing}
    reply = run(emu, CLASSIC, {"messages": _user("What is the weather forecast in Oslo?"),
                               "tools": [tool]}).result
    assert reply["tool_calls"][0]["arguments"]["to_agent"] == "weather_agent"


def test_enum_picks_the_best_matching_value(emu: Emulator) -> None:
    params = {"type": "object", "required": ["to_agent"], "properties": {"to_agent": {
        "type": "string", "description": "Agent", "enum": ["math_agent", "weather_agent"]}}}
    tool = {**HANDOFF, "parameters": params}
    reply = run(emu, CLASSIC, {"messages": _user("Weather forecast for Oslo, please"),
                               "tools": [tool], "tool_choice": "required"}).result
    assert reply["tool_calls"][0]["arguments"] == {"to_agent": "weather_agent"}


def test_after_a_handoff_the_new_agent_calls_its_tool(emu: Emulator) -> None:
    weather = {"name": "get_forecast", "description": "Weather forecast for a city.",
               "parameters": {"type": "object", "required": ["city"], "properties": {
                   "city": {"type": "string", "description": "City"}}}}
    messages = [*_user("What is the weather forecast in Oslo?"),
                {"role": "assistant", "content": "", "tool_calls": [{
                    "id": "c1", "type": "function", "function": {
                        "name": "transfer", "arguments": '{"to_agent": "weather_agent"}'}}]},
                {"role": "tool", "tool_call_id": "c1", "content": "Now weather_agent."}]
    reply = run(emu, CLASSIC, {"messages": messages, "tools": [weather]}).result
    assert reply["tool_calls"] == [{"name": "get_forecast", "arguments": {"city": "Oslo"}}]


def test_requested_json_wins_after_a_tool_result(emu: Emulator) -> None:
    schema = {"type": "object", "required": ["city", "temperature", "sky"], "properties": {
        "city": {"type": "string"}, "temperature": {"type": "integer"},
        "sky": {"type": "string"}}}
    messages = [*_user("Weather in Lisbon?"),
                {"role": "assistant", "content": "", "tool_calls": [{
                    "id": "c1", "type": "function", "function": {
                        "name": "get_weather", "arguments": '{"city": "Lisbon"}'}}]},
                {"role": "tool", "tool_call_id": "c1", "content": "Cloudy, 14°C"}]
    body = {"messages": messages, "response_format": {"type": "json_schema",
                                                      "json_schema": schema}}
    reply = run(emu, CLASSIC, body).result
    assert reply["response"] == {"city": "Lisbon", "temperature": 14, "sky": "Cloudy"}
    body["response_format"] = {"type": "json_object"}
    reply = run(emu, CLASSIC, body).result
    assert reply["response"] == {"answer": 'The tool returned: "Cloudy, 14°C".'}


REACT = ("Tools:\n> Tool Name: get_weather\nTool Description: Weather for a city.\n"
         'Tool Args: {"type": "object", "properties": {"city": {"type": "string"}}}\n\n'
         "Format:\nThought: ...\nAction: tool name (one of get_weather)\n"
         "Action Input: the input in JSON format\n")


def test_react_steps_follow_the_conversation(emu: Emulator) -> None:
    first = _text(emu, [{"role": "system", "content": REACT},
                        *_user("Weather in Lisbon and call get_weather please?")])
    assert first.splitlines()[1:] == ["Action: get_weather",
                                      'Action Input: {"city": "Lisbon"}']
    history = [{"role": "system", "content": REACT}, *_user("Weather in Lisbon?"),
               {"role": "assistant", "content": first},
               {"role": "user", "content": "Observation: Rain, 12C"}]
    assert _text(emu, history) == ("Thought: I can answer without using any more tools.\n"
                                   "Answer: Rain, 12C")


def test_responses_stream_wire_format(emu: Emulator) -> None:
    reply = call(emu, "/v1/responses", {"model": GPT_OSS, "input": "Hello", "stream": True})
    assert reply.headers["content-type"] == "text/event-stream"
    blocks = [b for b in reply.raw.decode().split("\n\n") if b]
    for block in blocks:
        event, data = block.split("\n")
        assert event[len("event: "):] == json.loads(data[len("data: "):])["type"]
    assert "[DONE]" not in reply.raw.decode()
    plain = call(emu, "/v1/responses", {"model": GPT_OSS, "input": "Hello"}).json
    last = json.loads(blocks[-1].split("\n")[1][len("data: "):])["response"]
    assert last["output_text"] == plain["output_text"]
    assert [i["type"] for i in last["output"]] == [i["type"] for i in plain["output"]]


@pytest.mark.parametrize("model", [CLASSIC, RERANKER])
def test_models_schema_carries_the_documented_fields(emu: Emulator, model: str) -> None:
    result = call(emu, "/models/schema", method="GET", query={"model": model}).result
    for side, noun in (("input", "input parameters"), ("output", "output format")):
        assert result[side]["type"] == "object"
        assert result[side]["additionalProperties"] is True
        assert result[side]["description"] == f"JSON Schema definition for the model's {noun}"
    assert "oneOf" in result["input"] or "properties" in result["input"]


def test_docs_snippet_runs() -> None:
    import re
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "emulator.md"
    block = re.findall(r"```python\n(.*?)```", doc.read_text(), re.DOTALL)[0]
    namespace: dict[str, object] = {}
    exec(block, namespace)
    assert str(namespace["step"]).startswith("Thought: ")


GET_WEATHER = {"name": "get_weather", "description": "Get the current weather for a city.",
               "parameters": {"type": "object", "required": ["city"], "properties": {
                   "city": {"type": "string"}}}}
WEATHER_SCHEMA = {"name": "Weather", "description": "A weather report.",
                  "parameters": {"type": "object",
                                 "required": ["city", "temperature_c", "conditions"],
                                 "properties": {"city": {"type": "string"},
                                                "temperature_c": {"type": "integer"},
                                                "conditions": {"type": "string"}}}}
ASKED = _user("What is the weather in Lisbon?")


def _after_call(name: str, args: str, result: str) -> list[dict[str, Any]]:
    return [{"role": "assistant", "content": "", "tool_calls": [{
                "id": "c1", "type": "function", "function": {"name": name, "arguments": args}}]},
            {"role": "tool", "tool_call_id": "c1", "content": result}]


def _described(tool: dict[str, Any]) -> dict[str, Any]:
    """The tool as the client sends it to a classic model: its published schema wants a
    description on every parameter (the client fills in the parameter's name)."""
    params = tool["parameters"]
    props = {k: {"description": k, **v} for k, v in params.get("properties", {}).items()}
    return {**tool, "parameters": {**params, "properties": props}}


def _calls(emu: Emulator, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
           **extra: Any) -> list[dict[str, Any]]:
    body = {"messages": messages, "tools": [_described(t) for t in tools], **extra}
    reply = run(emu, CLASSIC, body).result
    return list(reply.get("tool_calls") or [])


@pytest.mark.parametrize("schema_tool", [
    WEATHER_SCHEMA,
    {**WEATHER_SCHEMA, "name": "final_result", "description": "The final response."},
])
def test_schema_tool_waits_for_the_gathered_data(emu: Emulator,
                                                 schema_tool: dict[str, Any]) -> None:
    tools = [schema_tool, GET_WEATHER]  # listed first, and named by "weather": still second
    assert _calls(emu, ASKED, tools) == [{"name": "get_weather",
                                          "arguments": {"city": "Lisbon"}}]
    history = [*ASKED, *_after_call("get_weather", '{"city": "Lisbon"}', "Sunny, 21C in Lisbon")]
    assert _calls(emu, history, tools) == [{"name": schema_tool["name"], "arguments": {
        "city": "Lisbon", "temperature_c": 21, "conditions": "Sunny"}}]
    answered = [*history, *_after_call(schema_tool["name"], "{}", "Returning the report.")]
    assert _calls(emu, answered, tools) == []


def test_schema_tool_alone_or_without_a_gathering_match(emu: Emulator) -> None:
    # offered alone, a class-named tool is an ordinary tool: called at once
    assert [c["name"] for c in _calls(emu, ASKED, [WEATHER_SCHEMA])] == ["Weather"]
    flights = {**GET_WEATHER, "name": "search_flights", "description": "Search flights."}
    # nothing to gather: the schema tool answers, when it matches or a call is required
    assert [c["name"] for c in _calls(emu, ASKED, [flights, WEATHER_SCHEMA])] == ["Weather"]
    hello = _user("Hello")
    assert _calls(emu, hello, [flights, WEATHER_SCHEMA]) == []
    required = run(emu, GPT_OSS, {"messages": hello, "tool_choice": "required", "tools": [
        {"type": "function", "function": _described(t)} for t in (flights, WEATHER_SCHEMA)]}
        ).result
    call_names = [c["function"]["name"] for c in required["choices"][0]["message"]["tool_calls"]]
    assert call_names == ["Weather"]


def test_a_one_field_class_named_tool_is_ordinary(emu: Emulator) -> None:
    search = {"name": "Search", "description": "Search the weather archive.",
              "parameters": {"type": "object", "properties": {"query": {"type": "string"}}}}
    assert [c["name"] for c in _calls(emu, ASKED, [GET_WEATHER, search])] == ["get_weather"]
    assert [c["name"] for c in _calls(emu, _user("Search the archive"),
                                      [GET_WEATHER, search])] == ["Search"]


def test_rag_answer_resolves_the_follow_up_pronoun(emu: Emulator) -> None:
    context = ("Context:\nMadrid is the capital of Spain.\n"
               "Lisbon is the capital of Portugal.\n")
    messages = [{"role": "system", "content": context},
                *_user("Tell me about Lisbon."),
                {"role": "assistant", "content": "Lisbon is in Portugal."},
                *_user("What is its capital status?")]
    assert _text(emu, messages) == "Lisbon is the capital of Portugal."
    # without the history the pronoun stays open, and the first capital sentence wins
    assert _text(emu, [messages[0], messages[-1]]) == "Madrid is the capital of Spain."
