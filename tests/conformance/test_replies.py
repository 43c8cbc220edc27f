"""Replies read right: every reply the published output schemas allow is parsed without a
crash and without losing what it carries.

For every text-generation, embeddings and reranker model in the snapshot that can be
called today, replies are drawn from the model's published output schema (``_gen``;
each draw is checked against the schema) and fed to ``parse_chat_reply``, to the
``StreamAssembler`` (as the stream events the same reply would arrive in), to
``parse_embed_result`` and to ``parse_rerank_result``.

What the parsers may do with a schema-valid reply:

* return a result, and then lose nothing: the text and reasoning the reply carries are
  in the result (``<think>`` tags and whitespace aside), every ``tool_calls`` item is
  a tool call or an invalid tool call, every vector and every scored id is kept;
* raise :class:`~workersai.errors.ResponseFormatError` (only that) when the reply is
  valid per the schema but carries nothing usable. The output schemas require almost
  nothing (gpt-oss's is ``{"type": "object"}``), so that is decided here, by shape: a
  chat-completions reply without a ``choices`` list (or whose first choice is not an
  object); an embeddings reply without a vector list (``{}``, the async
  ``{"request_id"}`` form), with vectors that are empty, ragged or of the wrong count;
  a rerank reply without a ``response`` list, or whose items lack an ``id``/``score``,
  repeat an id, or leave a document unscored. A classic reply with no ``response`` is a
  reply with no text (empty, not an error): its shape has nothing else to look for.

A streamed reply must read like the whole reply (same text and reasoning, same tool
calls), with one difference: JSON text naming an offered tool becomes a tool call in a
stream even when the reply also carries ``tool_calls`` of its own (a stream cannot know
they follow), while the whole reply then keeps that text as text.

Only the first choice of a chat completion is read (the client never asks for ``n`` >
1), so the checks look at ``choices[0]``.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from workersai import catalog
from workersai.catalog import schemas
from workersai.errors import ResponseFormatError
from workersai.types import ChatParams, Reply, ToolSpec
from workersai.wire import (
    StreamAssembler,
    parse_chat_reply,
    parse_embed_result,
    parse_rerank_result,
    reply_shape,
)
from workersai.wire._replies import text_of

from ._gen import from_output_schema, json_branch
from ._schema import is_retired, output_validator, published

SETTINGS = settings(max_examples=15, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])


def _callable(task: str) -> list[str]:
    return [m for m in published(task) if schemas.output_schema(m) and not is_retired(m)]


TEXT_MODELS = _callable("Text Generation")
EMBED_MODELS = _callable("Text Embeddings")
RERANK_MODELS = [m for m in _callable("Text Classification")
                 if (catalog.lookup(m) or catalog.MODELS[0]).family == "reranker"]
PARAMS = [ChatParams(), ChatParams(tools=[ToolSpec("lookup", "look up", {"type": "object"})])]


def _draw(data: st.DataObject, model: str) -> Any:
    schema = json_branch(dict(schemas.output_schema(model) or {}))
    value = data.draw(from_output_schema(schema))
    assume(output_validator(model).is_valid(value))  # a oneOf drawn into two branches
    return value


def test_the_model_lists_cover_the_snapshot() -> None:
    assert len(TEXT_MODELS) >= 40 and len(EMBED_MODELS) >= 5 and len(RERANK_MODELS) >= 1
    assert "@cf/openai/gpt-oss-120b" in TEXT_MODELS and "@cf/baai/bge-m3" in EMBED_MODELS


def test_the_generator_draws_schema_valid_replies() -> None:
    """A draw that misses the schema would test nothing: nearly all draws must pass."""
    for model in ("@cf/moonshotai/kimi-k2.6", "@cf/meta/llama-3.1-8b-instruct"):
        schema = json_branch(dict(schemas.output_schema(model) or {}))
        validator = output_validator(model)
        seen = _draws(schema, validator)
        assert sum(seen) >= len(seen) - 2, model


def _draws(schema: dict[str, Any], validator: Any) -> list[bool]:
    seen: list[bool] = []

    @settings(max_examples=20, deadline=None, database=None)
    @given(from_output_schema(schema))
    def draw(value: Any) -> None:
        seen.append(validator.is_valid(value))

    draw()
    return seen


# --- what a reply carries --------------------------------------------------------------


def _norm(text: str | None) -> str:
    return "".join((text or "").replace("<think>", "").replace("</think>", "").split())


def _carried(result: dict[str, Any]) -> tuple[str, Any] | None:
    """(text and reasoning, tool_calls) the reply carries, or ``None``: unusable."""
    if "choices" in result:
        choices = result["choices"]
        if not isinstance(choices, list):
            return None
        if not choices:
            return "", None
        choice = choices[0]
        if not isinstance(choice, dict):
            return None
        message = choice.get("message")
        if not isinstance(message, dict):
            return text_of(choice.get("text")), None
        reasoning = message.get("reasoning_content") or message.get("reasoning")
        reasoning = reasoning if isinstance(reasoning, str) else ""
        return reasoning + text_of(message.get("content")), message.get("tool_calls")
    response = result.get("response")
    text = response if isinstance(response, str) else (
        "" if response is None else json.dumps(response, ensure_ascii=False))
    reasoning = result.get("reasoning_content") or result.get("reasoning")
    reasoning = reasoning if isinstance(reasoning, str) else ""
    return reasoning + text, result.get("tool_calls")


def _unusable(result: Any, model: str) -> bool:
    """The documented cases where a chat reply carries nothing to read."""
    if not isinstance(result, dict):
        return True
    shape = reply_shape(result, model)
    if shape == "chat":
        choices = result.get("choices")
        return not isinstance(choices, list) or (bool(choices) and not isinstance(
            choices[0], dict))
    if shape == "responses":
        return not isinstance(result.get("output") or [], list)
    return False


def _check_chat(model: str, result: Any, params: ChatParams) -> Reply | None:
    try:
        reply = parse_chat_reply(result, model=model, params=params)
    except ResponseFormatError:
        assert _unusable(result, model), result
        return None
    if not isinstance(result, dict) or "output" in result or "output_text" in result:
        return reply  # Responses shape: only reachable through gpt-oss's bare object
    if not any(k in result for k in ("choices", "response", "tool_calls")):
        return reply  # no shape key: read in the model's native shape, carried nothing
    carried = _carried(result)
    assert carried is not None
    text, calls = carried
    if reply.tool_calls and not (isinstance(calls, list) and calls):
        # a call written as JSON text naming an offered tool became a tool call
        assert params.tools and reply.text == "", (result, reply)
        return reply
    assert _norm(text) == _norm((reply.reasoning or "") + reply.text), (result, reply)
    items = calls if isinstance(calls, list) else []
    assert len(reply.tool_calls) + len(reply.invalid_tool_calls) == len(items), result
    response = result.get("response")
    if "choices" not in result and response is not None and not isinstance(response, str):
        assert reply.parsed == response or reply.tool_calls, (result, reply)  # JSON mode
    return reply


@pytest.mark.parametrize("model", TEXT_MODELS)
@SETTINGS
@given(data=st.data(), params=st.sampled_from(PARAMS))
def test_chat_replies_parse_without_loss(model: str, data: st.DataObject,
                                         params: ChatParams) -> None:
    result = _draw(data, model)
    reply = _check_chat(model, result, params)
    if reply is not None and isinstance(result, dict) and "output" not in result:
        _check_stream(model, result, params, reply, data)


# --- the same reply, streamed ---------------------------------------------------------


def _pieces(text: str, data: st.DataObject) -> list[str]:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=3)))
    edges = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(edges) if text[a:b]]


def _chat_events(message: dict[str, Any], data: st.DataObject) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    reasoning = message.get("reasoning_content")
    if isinstance(reasoning, str):
        events += [{"reasoning_content": p} for p in _pieces(reasoning, data)]
    content = text_of(message.get("content"))
    events += [{"content": p} for p in _pieces(content, data)]
    for i, call in enumerate(message.get("tool_calls") or []):
        fn = call.get("function") if isinstance(call, dict) else None
        if isinstance(fn, dict):
            args = fn.get("arguments")
            text = args if isinstance(args, str) else json.dumps(args)
            events.append({"tool_calls": [{"index": i, "id": call.get("id"), "function": {
                "name": fn.get("name"), "arguments": text}}]})
    return [{"choices": [{"index": 0, "delta": delta}]} for delta in events]


def _events(result: dict[str, Any], data: st.DataObject) -> list[dict[str, Any]] | None:
    if "choices" in result:
        choice = result["choices"][0] if result["choices"] else {}
        message = choice.get("message")
        if not isinstance(message, dict):
            return None  # text_completion choices: not a stream form
        return _chat_events(message, data)
    response = result.get("response")
    if response is not None and not isinstance(response, str):
        return None  # JSON mode answers as one object, never streamed in pieces
    events: list[dict[str, Any]] = [{"response": p} for p in _pieces(response or "", data)]
    calls = result.get("tool_calls")
    if calls:
        events.append({"response": "", "tool_calls": calls})
    return events


def _check_stream(model: str, result: dict[str, Any], params: ChatParams, parsed: Reply,
                  data: st.DataObject) -> None:
    events = _events(result, data)
    if events is None or (parsed.tool_calls and not result.get("tool_calls") and not (
            result.get("choices") and result["choices"][0].get("message", {}).get(
                "tool_calls"))):
        return  # salvaged text calls are checked by the stream tests of their own
    asm = StreamAssembler(model, params)
    for event in events:
        asm.feed(event)
    asm.done()
    streamed = asm.reply()
    salvaged = len(streamed.tool_calls) > len(parsed.tool_calls) and bool(params.tools)
    if salvaged:
        # text that reads as a call to an offered tool streams into a tool call (the
        # stream cannot know real calls follow); the whole reply leaves it as text when
        # the reply also carries calls of its own. Either way nothing is lost.
        carried_calls = parsed.tool_calls or parsed.invalid_tool_calls
        assert streamed.text.strip() == "" and carried_calls, (result, events)
        assert {c.name for c in streamed.tool_calls} <= {"lookup"} | {
            c.name for c in parsed.tool_calls} | {c.name for c in parsed.invalid_tool_calls}
        return
    assert _norm((streamed.reasoning or "") + streamed.text) == _norm(
        (parsed.reasoning or "") + parsed.text), (result, events)
    names = sorted(c.name for c in parsed.tool_calls)
    assert sorted(c.name for c in streamed.tool_calls) == names, (result, events)


# --- embeddings and rerank ------------------------------------------------------------


def _vectors(result: Any) -> Any:
    if not isinstance(result, dict):
        return None
    data = result.get("data", result.get("response"))
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return None  # OpenAI items or rerank items: checked by their own rules below
    return data


@pytest.mark.parametrize("model", EMBED_MODELS)
@SETTINGS
@given(data=st.data())
def test_embedding_replies_keep_every_vector(model: str, data: st.DataObject) -> None:
    result = _draw(data, model)
    vectors = _vectors(result)
    expected = len(vectors) if isinstance(vectors, list) else 1
    try:
        got, _ = parse_embed_result(result, expected=expected)
    except ResponseFormatError:
        usable = (isinstance(vectors, list) and all(isinstance(v, list) and v for v in vectors)
                  and len({len(v) for v in vectors}) <= 1)
        assert not usable, result
        return
    assert got == vectors


@pytest.mark.parametrize("model", [*RERANK_MODELS, "@cf/baai/bge-m3"])
@SETTINGS
@given(data=st.data(), top_k=st.one_of(st.none(), st.integers(1, 5)))
def test_rerank_replies_keep_every_score(model: str, data: st.DataObject,
                                         top_k: int | None) -> None:
    result = _draw(data, model)
    items = result.get("response") if isinstance(result, dict) else None
    ids = [i.get("id") for i in items if isinstance(i, dict)] if isinstance(items, list) else []
    n = max([i for i in ids if isinstance(i, int) and i >= 0], default=-1) + 1
    try:
        got = parse_rerank_result(result, n_documents=n, top_k=top_k)
    except ResponseFormatError:
        usable = (isinstance(items, list) and len(ids) == len(items)
                  and all(isinstance(i, int) and i >= 0 for i in ids)
                  and len(set(ids)) == len(ids) == n
                  and all(isinstance(i.get("score"), int | float) for i in items))
        assert not usable, result
        return
    assert isinstance(items, list)
    scores = {i["id"]: float(i["score"]) for i in items}
    want = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:top_k]
    assert [(r.index, r.score) for r in got] == want
