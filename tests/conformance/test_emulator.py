"""The emulator held to the published truth: requests checked against each model's input
schema (worded like the service), replies that validate against its output schema, and
neuron figures from the published prices."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.helpers import run, user
from workersai import catalog
from workersai.catalog import schemas
from workersai.emulator._app import Emulator
from workersai.emulator._schema_check import first_error

from ._schema import chat_models, input_validator, is_retired, output_validator, published

WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "Get the weather for a city",
    "parameters": {"type": "object", "required": ["city"], "properties": {
        "city": {"type": "string", "description": "the city"}}}}}
PROBES: list[Any] = [
    {}, {"prompt": "hi"}, {"prompt": ""}, {"prompt": 3}, {**user("hi")},
    {"prompt": "a", **user("b")}, {"messages": [{"role": "user"}]},
    {"messages": [{"role": "user", "content": [{"type": "text", "text": "x"}]}]},
    {**user("hi"), "temperature": 7}, {**user("hi"), "top_k": 2.5},
    {**user("hi"), "tools": [WEATHER]},
    {"requests": [{"prompt": "x"}]}, {"input": "hi"}, {"text": "x"}, {"text": ["a", ""]},
    {"text": ["x"] * 101}, {"queries": ["q"]}, {"query": "q", "contexts": [{"text": "a"}]},
    {"query": "q", "contexts": [{"text": "a"}], "top_k": 0}, {"image": [1, 2, 3]},
    {"prompt": "cat", "width": 64}, {"audio": "AAAA"}, {"text": "hi", "source_lang": "en"},
]


@pytest.mark.parametrize("model", sorted(m for m in schemas.published_ids()
                                         if schemas.input_schema(m)))
def test_the_emulator_validator_agrees_with_jsonschema(model: str) -> None:
    """Accepts exactly what ``jsonschema`` accepts, on every published input schema."""
    schema = schemas.input_schema(model)
    for body in PROBES:
        ours = first_error(schema, body)
        assert (ours is None) == input_validator(model).is_valid(body), (model, body, ours)


def test_bad_input_names_the_schema_path() -> None:
    emu = Emulator()
    cases = [
        ("@cf/meta/llama-3.1-8b-instruct", {"messages": [{"role": "user", "content": [
            {"type": "text", "text": "x"}]}]},
         "oneOf at '/' not met, 0 matches: required properties at '/' are 'prompt', "
         "Type mismatch of '/messages/0/content', 'array' not in 'string'"),
        ("@cf/black-forest-labs/flux-1-schnell", {"prompt": "cat", "width": 64},
         "Additional or unevaluated properties '/width' at '/' not allowed"),
        ("@cf/baai/bge-small-en-v1.5", {"text": ["x"] * 101},
         "Array at '/text' has more items than the maximum 100"),
    ]
    for model, body, detail in cases:
        reply = run(emu, model, body)
        assert reply.status == 400, (model, reply.raw)
        (error,) = reply.json["errors"]
        assert error["code"] == 5006 and error["message"].startswith(
            "AiError: Bad input: Error: "), reply.json
        assert detail in error["message"], error
        assert reply.json["success"] is False and reply.json["result"] == {}


def test_gpt_oss_takes_the_prompt_form_its_schema_has() -> None:
    reply = run(Emulator(), "@cf/openai/gpt-oss-120b", {"prompt": "Say hello"})
    assert reply.status == 200, reply.raw


# --- replies validate against the published output schema -------------------------------


def _conforms(model: str, result: Any, scenario: str) -> None:
    errors = list(output_validator(model).iter_errors(result))
    assert not errors, f"{model} [{scenario}]: {errors[0].message} at {list(errors[0].path)}"


def _chat_body(model: str, tools: bool) -> dict[str, Any]:
    body: dict[str, Any] = user("What is the weather in Lisbon?")
    if tools:
        body["tools"] = [WEATHER]
    if input_validator(model).is_valid(body):
        return body
    pytest.skip(f"{model} takes no {'tools' if tools else 'plain messages'} in this form")


@pytest.mark.parametrize("tools", [False, True], ids=["plain", "tools"])
@pytest.mark.parametrize("model", chat_models())
def test_chat_replies_validate_against_the_output_schema(model: str, tools: bool) -> None:
    emu = Emulator()
    body = _chat_body(model, tools)
    reply = run(emu, model, body)
    assert reply.status == 200, (model, reply.raw[:300])
    _conforms(model, reply.result, "tools" if tools else "plain")


@pytest.mark.parametrize("model", [m for m in published("Text Embeddings")
                                   if not is_retired(m)])
def test_embedding_replies_validate_against_the_output_schema(model: str) -> None:
    key = "queries" if "qwen3-embedding" in model else "text"
    reply = run(Emulator(), model, {key: ["first text", "second text"]})
    assert reply.status == 200, (model, reply.raw[:300])
    _conforms(model, reply.result, "embed")


@pytest.mark.parametrize("model", [m for m in published("Text Classification")
                                   if (catalog.lookup(m) or catalog.MODELS[0]).family
                                   == "reranker"] + ["@cf/baai/bge-m3"])
def test_rerank_replies_validate_against_the_output_schema(model: str) -> None:
    body = {"query": "cats", "contexts": [{"text": "cats purr"}, {"text": "dogs bark"}]}
    reply = run(Emulator(), model, body)
    assert reply.status == 200, (model, reply.raw[:300])
    _conforms(model, reply.result, "rerank")


# --- neurons from the published prices ---------------------------------------------------


@pytest.mark.parametrize("model", ["@cf/meta/llama-3.1-8b-instruct", "@cf/moonshotai/kimi-k2.5",
                                   "@cf/google/gemma-4-26b-a4b-it"])
def test_chat_neurons_come_from_the_published_prices(model: str) -> None:
    """Tokens times the catalog's published prices (kimi-k2.5: billed as its alias
    target kimi-k2.6 once the alias is in effect)."""
    reply = run(Emulator(), model, user("Hello there"))
    usage = reply.result["usage"]
    info = catalog.priced_as(model)
    assert info is not None and info.neurons_per_m_input and info.neurons_per_m_output
    expected = (usage["prompt_tokens"] * info.neurons_per_m_input
                + usage["completion_tokens"] * info.neurons_per_m_output) / 1e6
    assert usage["prompt_tokens"] > 0 and expected > 0
    assert float(reply.headers["cf-ai-neurons"]) == pytest.approx(expected, abs=1e-4)


def test_embedding_neurons_are_whole_tokens_at_the_published_price() -> None:
    model = "@cf/baai/bge-small-en-v1.5"
    reply = run(Emulator(), model, {"text": ["one", "two words"]})
    info = catalog.priced_as(model)
    assert info is not None and info.neurons_per_m_input
    tokens = float(reply.headers["cf-ai-neurons"]) * 1e6 / info.neurons_per_m_input
    assert tokens >= 2 and tokens == pytest.approx(round(tokens), abs=0.05)
