"""Client-side halves of schema conformance: stop sequences, forced tool use, schema fixes."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from workersai.catalog import schemas
from workersai.errors import ToolCallMissingError
from workersai.types import ChatParams, ForcedTool, Message, ToolSpec
from workersai.wire import StreamAssembler, build_chat_request, parse_chat_reply
from workersai.wire._conform import FORCE_PREFIX, StopCutter, cut_at_stop

LLAMA33 = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
TOOLS = [ToolSpec("get_weather", "Weather"), ToolSpec("lookup", "Look up")]


def test_reply_text_is_cut_at_the_first_stop_sequence() -> None:
    reply = parse_chat_reply({"response": "one END two"}, model=LLAMA33,
                             params=ChatParams(stop=["END", "two"]))
    assert reply.text == "one " and reply.finish_reason == "stop"
    assert cut_at_stop("abc", ["x"]) == ("abc", False)


@pytest.mark.parametrize("size", [1, 2, 3, 100])
def test_stream_is_cut_even_when_the_stop_sequence_spans_tokens(size: int) -> None:
    text = "Hello wor" + "ld. STOP here and more"
    asm = StreamAssembler(LLAMA33, ChatParams(stop=["STOP"]))
    out = []
    for i in range(0, len(text), size):
        out += [d.text for d in asm.feed({"response": text[i:i + size]}) if d.text]
    asm.done()
    out.append(asm.finish().text)
    assert "".join(out) == "Hello world. " and asm.reply().text == "Hello world. "
    assert asm.finish().finish_reason == "stop"


def test_stop_cutter_holds_back_len_minus_one_and_flushes() -> None:
    cut = StopCutter(["ABC"])
    assert cut.feed("xyzAB") == "xyz"
    assert cut.flush() == "AB" and not cut.stopped


def _forced(choice: object) -> dict:
    params = ChatParams(tools=TOOLS, tool_choice=choice)  # type: ignore[arg-type]
    return build_chat_request(LLAMA33, [Message("user", "hello there")], params,
                              stream=False, endpoint="native")


def test_forced_tool_becomes_an_instruction_where_the_schema_has_no_tool_choice() -> None:
    body = _forced("required")
    assert "tool_choice" not in body
    assert body["messages"][0]["role"] == "system"
    assert body["messages"][0]["content"].startswith(FORCE_PREFIX)
    named = _forced(ForcedTool("lookup"))
    assert [t["function"]["name"] for t in named["tools"]] == ["lookup"]
    assert "`lookup`" in named["messages"][0]["content"]
    assert "system" not in [m["role"] for m in _forced("auto")["messages"]]


@pytest.mark.parametrize("choice", ["required", ForcedTool("lookup")])
def test_a_forced_reply_without_a_call_raises(choice: object) -> None:
    params = ChatParams(tools=TOOLS, tool_choice=choice)  # type: ignore[arg-type]
    with pytest.raises(ToolCallMissingError, match="without calling"):
        parse_chat_reply({"response": "Hi!"}, model=LLAMA33, params=params)
    asm = StreamAssembler(LLAMA33, params)
    asm.feed({"response": "Hi!"})
    asm.done()
    with pytest.raises(ToolCallMissingError):
        asm.finish()
    ok = parse_chat_reply({"response": "", "tool_calls": [{"name": "lookup", "arguments": {}}]},
                          model=LLAMA33, params=params)
    assert ok.tool_calls[0].name == "lookup"


def test_parallel_tool_calls_false_keeps_the_first_call_where_not_sent() -> None:
    calls = [{"name": "lookup", "arguments": {}}, {"name": "get_weather", "arguments": {}}]
    params = ChatParams(tools=TOOLS, parallel_tool_calls=False)
    reply = parse_chat_reply({"response": "", "tool_calls": calls}, model=LLAMA33, params=params)
    assert [c.name for c in reply.tool_calls] == ["lookup"]


def _valid(schema: dict[str, Any], value: Any) -> bool:
    return bool(jsonschema.validators.validator_for(schema)(schema).is_valid(value))


def test_every_schema_fix_is_applied_by_the_loader() -> None:
    """One list (``_fixes.FIXES``): each entry changes some published schema, and the
    loader's input schema refuses ``{}`` where the published one took it."""
    applied: dict[str, list[str]] = {fix.name: [] for fix in schemas.FIXES}
    for model in sorted(schemas.published_ids()):
        for part in ("input", "output"):
            for name in schemas.fixes_applied(model, part):
                applied[name].append(model)
    for fix in schemas.FIXES:
        assert applied[fix.name], f"fix {fix.name!r} changes no published schema (fixed upstream?)"
        for model in applied[fix.name] if fix.part == "input" else ():
            raw = (schemas.definition(model) or {})["schema"]["input"]
            fixed = schemas.input_schema(model)
            assert fixed is not None and fixed != raw, model
            assert _valid(raw, {}) and not _valid(fixed, {}), model


def test_the_output_fix_lets_real_replies_validate() -> None:
    """bge's output oneOf has the reply branch and the async branch, both requiring
    nothing: a real reply matches both and fails the published oneOf."""
    reply = {"shape": [1, 2], "data": [[0.1, 0.2]], "pooling": "cls"}
    for model in ("@cf/baai/bge-base-en-v1.5", "@cf/baai/bge-m3"):
        raw = (schemas.definition(model) or {})["schema"]["output"]
        fixed = schemas.output_schema(model)
        assert fixed is not None and schemas.fixes_applied(model, "output")
        assert not _valid(raw, reply) and _valid(fixed, reply), model
    bge = schemas.output_schema("@cf/baai/bge-base-en-v1.5") or {}
    assert not _valid(bge, {"data": "not a list"}) and _valid(bge, {"request_id": "r"})
    llama = "@cf/meta/llama-3.1-8b-instruct"
    call = {"response": None, "tool_calls": [{"name": "f", "arguments": {}}]}  # as captured
    raw = (schemas.definition(llama) or {})["schema"]["output"]
    fixed = schemas.output_schema(llama) or {}
    assert schemas.fixes_applied(llama, "output") == ("classic response null beside tool calls",)
    assert not _valid(raw, call) and _valid(fixed, call) and not _valid(fixed, {"response": 3})


def test_the_loader_and_the_fix_list_are_one() -> None:
    from workersai.catalog import _fixes

    assert schemas.FIXES is _fixes.FIXES
    raw = (schemas.definition("@cf/deepgram/aura-2-en") or {})["schema"]["input"]
    assert schemas.input_schema("@cf/deepgram/aura-2-en") == _fixes.validation_schema(
        "@cf/deepgram/aura-2-en", raw)
    assert schemas.fixes_applied("@cf/meta/llama-3.1-8b-instruct") == ()
    assert schemas.fixes_applied("@cf/not/in-the-snapshot") == ()


def test_every_chat_schema_rejects_a_body_without_input() -> None:
    for model in sorted(schemas.published_ids()):
        data = schemas.definition(model) or {}
        schema = schemas.input_schema(model)
        if data.get("task", {}).get("name") != "Text Generation" or schema is None:
            continue
        assert not jsonschema.validators.validator_for(schema)(schema).is_valid({"x": 1}), model
