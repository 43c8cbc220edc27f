"""The documented answering rules (module docstring of workersai.emulator._answer)."""

from __future__ import annotations

import json
from typing import Any

import pydantic

from workersai.emulator._app import Emulator

from .helpers import CLASSIC, GEMMA4, LLAMA4, MAGIC, QWEN3, WEATHER, run, tool, user

CUSTOMER = tool("create_customer", "Create a customer record",
                {"name": {"type": "string", "description": "customer name"}})


def _calls(emu: Emulator, body: dict[str, Any], model: str = QWEN3) -> list[tuple[str, Any]]:
    msg = run(emu, model, body).result["choices"][0]["message"]
    return [(c["function"]["name"], json.loads(c["function"]["arguments"]))
            for c in msg.get("tool_calls", [])]


def test_forced_any_calls_magic_function_with_the_number(emu: Emulator) -> None:
    body = {**user("What is the value of magic_function(3)? Use the tool."),
            "tools": [MAGIC], "tool_choice": "any"}
    assert _calls(emu, body) == [("magic_function", {"input": 3})]
    classic = run(emu, LLAMA4, {**body, "tool_choice": None}).result["tool_calls"]
    assert classic[0]["function"]["arguments"] == {"input": 3}


def test_named_tool_choice_is_honoured_even_without_a_match(emu: Emulator) -> None:
    body = {**user("Hello!"), "tools": [WEATHER, MAGIC],
            "tool_choice": {"type": "function", "function": {"name": "magic_function"}}}
    assert _calls(emu, body) == [("magic_function", {"input": 0})]


def test_required_picks_the_best_match_else_the_first(emu: Emulator) -> None:
    body = {**user("Please run the magic thing"), "tools": [WEATHER, MAGIC],
            "tool_choice": "required"}
    assert _calls(emu, body)[0][0] == "magic_function"
    body = {**user("Hello!"), "tools": [WEATHER, MAGIC], "tool_choice": "required"}
    assert _calls(emu, body)[0][0] == "get_weather"


def test_auto_calls_only_when_a_word_is_shared(emu: Emulator) -> None:
    assert _calls(emu, {**user("Hello!"), "tools": [WEATHER, MAGIC]}) == []
    by_description = {**user("How warm is the current temperature in Rome?"),
                      "tools": [WEATHER]}
    assert _calls(emu, by_description) == [("get_weather", {"location": "Rome"})]
    assert _calls(emu, {**user("Hello!"), "tools": [WEATHER], "tool_choice": "none"}) == []


def test_agent_loop_unforced_then_tool_result(emu: Emulator) -> None:
    body = {**user("What is the weather in San Francisco, CA?"), "tools": [WEATHER]}
    assert _calls(emu, body, LLAMA4 if False else QWEN3) == [
        ("get_weather", {"location": "San Francisco, CA"})]
    follow = {"tools": [WEATHER], "messages": [
        {"role": "user", "content": "What is the weather in San Francisco, CA?"},
        {"role": "assistant", "content": "", "tool_calls": [{
            "id": "abc123", "type": "function",
            "function": {"name": "get_weather", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "abc123", "name": "get_weather",
         "content": "It's sunny, 22C."}]}
    result = run(emu, CLASSIC, follow).result
    assert result["tool_calls"] == []
    assert "It's sunny, 22C." in result["response"]


def test_cjk_names_are_carried_through(emu: Emulator) -> None:
    for name in ("你好啊集团", "こんにちは株式会社"):
        body = {**user(f"Create a customer named '{name}'."), "tools": [CUSTOMER],
                "tool_choice": "required"}
        assert _calls(emu, body) == [("create_customer", {"name": name})]
        unquoted = {**user(f"Create a customer named {name} now"), "tools": [CUSTOMER]}
        assert _calls(emu, unquoted) == [("create_customer", {"name": name})]


def test_arguments_follow_the_schema(emu: Emulator) -> None:
    schema = {"type": "object", "required": ["city", "days", "units", "detail", "tags"],
              "properties": {
                  "city": {"type": "string"}, "days": {"type": "integer", "maximum": 7},
                  "units": {"enum": ["celsius", "fahrenheit"]},
                  "detail": {"type": "object", "required": ["hourly"],
                             "properties": {"hourly": {"type": "boolean"}}},
                  "tags": {"type": "array", "items": {"type": "string"}},
                  "note": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}
    forecast = {"type": "function", "function": {
        "name": "forecast", "description": "Weather forecast", "parameters": schema}}
    body = {**user("Forecast for Lisbon for 10 days in fahrenheit, true"), "tools": [forecast]}
    # a chat-completions model: its schema takes any JSON Schema as tool parameters (the
    # classic/qwen3 schemas want a description on every parameter)
    ((name, args),) = _calls(emu, body, GEMMA4)
    assert name == "forecast"
    assert args == {"city": "Lisbon", "days": 7, "units": "fahrenheit",
                    "detail": {"hourly": True}, "tags": [args["tags"][0]]}
    assert isinstance(args["tags"][0], str) and args["tags"][0]


def test_required_strings_are_never_empty(emu: Emulator) -> None:
    style = tool("greet", "Greeting generator",
                 {"answer_style": {"type": "string", "description": "the style"}})
    body = {**user("make a greeting"), "tools": [style], "tool_choice": "required"}
    ((_, args),) = _calls(emu, body)
    assert isinstance(args["answer_style"], str) and args["answer_style"]
    pirate = {**user("Using the tool, generate a Pirate greeting."), "tools": [style]}
    assert _calls(emu, pirate) == [("greet", {"answer_style": "Pirate"})]


def test_tool_without_parameters_gets_empty_arguments(emu: Emulator) -> None:
    bare = {"type": "function", "function": {"name": "ping", "description": "Ping"}}
    # gemma-4's schema takes a tool without parameters (qwen3's requires them)
    body = {**user("hi"), "tools": [bare], "tool_choice": "required"}
    assert _calls(emu, body, GEMMA4) == [("ping", {})]


def test_json_schema_answer_validates() -> None:
    class Joke(pydantic.BaseModel):
        setup: str
        punchline: str
        rating: int | None = None

    emu = Emulator()
    body = {**user("Tell me a joke about cats."), "response_format": {
        "type": "json_schema", "json_schema": {"name": "Joke", "schema":
                                               Joke.model_json_schema()}}}
    content = run(emu, GEMMA4, body).result["choices"][0]["message"]["content"]
    joke = Joke.model_validate_json(content)
    assert joke.setup and joke.punchline


def test_json_object_uses_quoted_keys(emu: Emulator) -> None:
    prompt = ("Tell me a joke about cats. Return the result as a JSON with 'setup' and "
              "'punchline' keys. Return nothing other than JSON.")
    body = {**user(prompt), "response_format": {"type": "json_object"}}
    response = run(emu, CLASSIC, body).result["response"]
    assert set(response) == {"setup", "punchline"}
    plain = run(emu, CLASSIC, {**user("Describe Rome"),
                               "response_format": {"type": "json_object"}}).result["response"]
    assert set(plain) == {"answer"}
    guided = run(emu, "@cf/mistralai/mistral-small-3.1-24b-instruct", {
        **user("Describe Rome"), "guided_json": {
            "type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}})
    assert guided.result["response"] == {"n": 0}


def test_rag_prompt_answers_with_the_best_context_sentence(emu: Emulator) -> None:
    prompt = ("Context:\nThe Eiffel Tower is in Paris. The Colosseum stands in Rome. "
              "Bananas are rich in potassium.\n\nQuestion: Where does the Colosseum stand?")
    assert run(emu, CLASSIC, user(prompt)).result["response"] == \
        "The Colosseum stands in Rome."
    system = {"messages": [
        {"role": "system", "content": "Use this context. Bananas are rich in potassium. "
                                      "Paris is the capital of France."},
        {"role": "user", "content": "What is the capital of France?"}]}
    assert run(emu, CLASSIC, system).result["response"] == "Paris is the capital of France."


def test_plain_prompt_mentions_key_words(emu: Emulator) -> None:
    text = run(emu, CLASSIC, user("Write me 2 haikus about Autumn leaves")).result["response"]
    assert "Autumn" in text and "haikus" in text
    assert run(emu, CLASSIC, user("Hello")).result["response"] == \
        "Hello! How can I help you today?"


def test_max_tokens_truncates_with_length(emu: Emulator) -> None:
    body = {**user("Write me 2 haikus about Autumn leaves"), "max_tokens": 3}
    classic = run(emu, CLASSIC, body).result
    assert classic["response"] == "Here is a" and classic["usage"]["completion_tokens"] == 3
    chat = run(emu, QWEN3, {**body, "chat_template_kwargs": {"enable_thinking": False}}).result
    assert chat["choices"][0]["finish_reason"] == "length"
    assert chat["usage"]["completion_tokens"] == 3
    full = run(emu, QWEN3, user("Write me 2 haikus")).result
    assert full["choices"][0]["finish_reason"] == "stop"


def test_catalog_default_max_tokens_applies() -> None:
    emu = Emulator()
    # a RAG answer longer than the budget: the context sentence has 301 words
    sentence = " ".join(f"alpha{i}" for i in range(300)) + " zeta."
    prompt = f"{sentence}\nQuestion: what is zeta?"
    result = run(emu, CLASSIC, user(prompt)).result
    assert result["usage"]["completion_tokens"] == 256  # catalog default_max_tokens
    assert len(result["response"].split()) == 256


def test_stop_sequences_cut_the_text(emu: Emulator) -> None:
    result = run(emu, CLASSIC, {**user("Tell me about cats"), "stop": ["short"]}).result
    assert result["response"] == "Here is a "
    result = run(emu, CLASSIC, {**user("Tell me about cats"), "stop": "answer"}).result
    assert result["response"] == "Here is a short "


def test_usage_counts_are_consistent(emu: Emulator) -> None:
    body = {"messages": [{"role": "system", "content": "You are terse."},
                         {"role": "user", "content": "Name three colors please"}]}
    usage = run(emu, CLASSIC, body).result["usage"]
    assert usage["prompt_tokens"] == 7
    text = run(emu, CLASSIC, body).result["response"]
    assert usage["completion_tokens"] == len(text.split())


def test_model_id_is_echoed(emu: Emulator) -> None:
    assert run(emu, GEMMA4, user("hi")).result["model"] == GEMMA4


def test_bare_object_schema_is_treated_like_json_object(emu: Emulator) -> None:
    body = {**user("Return JSON with 'setup' and 'punchline' keys about cats."),
            "guided_json": {"type": "object"}}
    response = run(emu, LLAMA4, body).result["response"]
    assert set(response) == {"setup", "punchline"}


def test_two_named_tools_are_called_one_per_turn_then_both_results(emu: Emulator) -> None:
    task = "Use get_weather for Lisbon and then magic_function on 7."
    history: list[dict[str, Any]] = [{"role": "user", "content": task}]
    body = {"tools": [MAGIC, WEATHER], "messages": history}
    first = _calls(emu, body)
    assert [name for name, _ in first] == ["magic_function"]  # offered first, named
    history += [{"role": "assistant", "content": "", "tool_calls": [{
        "id": "c1", "type": "function",
        "function": {"name": "magic_function", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "c1", "name": "magic_function", "content": "49"}]
    second = _calls(emu, body)
    assert [name for name, _ in second] == ["get_weather"]
    history += [{"role": "assistant", "content": "", "tool_calls": [{
        "id": "c2", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "c2", "name": "get_weather", "content": "Sunny"}]
    final = run(emu, CLASSIC, body).result
    assert final["tool_calls"] == []
    assert final["response"] == ('The magic_function tool returned: "49". '
                                 'The get_weather tool returned: "Sunny".')


def test_a_new_user_message_resets_the_called_tools(emu: Emulator) -> None:
    history = [{"role": "user", "content": "Run magic_function on 2"},
               {"role": "assistant", "content": "", "tool_calls": [{
                   "id": "c1", "type": "function",
                   "function": {"name": "magic_function", "arguments": "{}"}}]},
               {"role": "tool", "tool_call_id": "c1", "name": "magic_function", "content": "4"},
               {"role": "user", "content": "Now run magic_function on 3"}]
    assert _calls(emu, {"tools": [MAGIC], "messages": history}) == [
        ("magic_function", {"input": 3})]


def test_asking_for_n_words_gets_exactly_n(emu: Emulator) -> None:
    body = {**user("Write 2,000 words about rivers and mountains."), "max_tokens": 5000}
    text = run(emu, CLASSIC, body).result["response"]
    assert len(text.split()) == 2000
    assert set(text.rstrip(".").split()) <= {"Write", "000", "words", "rivers", "mountains"}
    capped = run(emu, CLASSIC, {**body, "max_tokens": 10}).result
    assert len(capped["response"].split()) == 10
    assert capped["usage"]["completion_tokens"] == 10


def test_enum_fields_take_distinct_mentioned_values() -> None:
    from workersai.emulator._args import MessageValues, fill_schema

    currency = {"type": "string", "enum": ["EUR", "GBP", "USD"]}
    schema = {"type": "object", "required": ["amount", "source", "target"],
              "properties": {"amount": {"type": "number"}, "source": currency,
                             "target": currency}}
    filled = fill_schema(schema, MessageValues.parse("What is 120 USD in EUR?"))
    assert filled == {"amount": 120, "source": "USD", "target": "EUR"}
    # nothing mentioned: the first allowed value
    assert fill_schema(currency, MessageValues.parse("convert money")) == "EUR"
