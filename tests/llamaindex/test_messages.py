"""LlamaIndex messages and tools <-> neutral types (pure, no I/O)."""

from __future__ import annotations

import base64
import json

import pytest
from llama_index.core.base.llms.types import (
    AudioBlock,
    ChatMessage,
    ImageBlock,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)
from llama_index.core.tools import FunctionTool
from pydantic import BaseModel

from llamaindex_workersai._messages import (
    legacy_tool_calls,
    reply_to_response,
    resolve_tool_choice,
    to_message,
    to_messages,
    to_tool_spec,
    usage_dict,
)
from workersai.errors import InvalidInputError
from workersai.types import (
    ForcedTool,
    ImagePart,
    InvalidToolCall,
    Message,
    Reply,
    TextPart,
    ToolCall,
    ToolSpec,
    Usage,
)

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def test_roles_and_text() -> None:
    msgs = [
        ChatMessage(role="system", content="be brief"),
        ChatMessage(role="developer", content="dev"),
        ChatMessage(role="user", content="hi"),
        ChatMessage(role="assistant", content="hello"),
    ]
    out = to_messages(msgs)
    assert [m.role for m in out] == ["system", "system", "user", "assistant"]
    assert [m.content for m in out] == ["be brief", "dev", "hi", "hello"]


def test_multiple_text_blocks_join_like_llamaindex_content() -> None:
    msg = ChatMessage(role="user", blocks=[TextBlock(text="a"), TextBlock(text="b")])
    assert to_message(msg).content == msg.content == "a\nb"


def test_image_bytes_become_data_url_parts() -> None:
    msg = ChatMessage(role="user", blocks=[TextBlock(text="what?"), ImageBlock(image=PNG)])
    out = to_message(msg)
    assert isinstance(out.content, list)
    text, image = out.content
    assert text == TextPart("what?")
    assert isinstance(image, ImagePart)
    assert image.data_url.startswith("data:image/png;base64,")
    assert base64.b64decode(image.data_url.split(",", 1)[1]) == PNG


def test_data_url_passes_and_remote_url_is_refused() -> None:
    data_url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    out = to_message(ChatMessage(role="user", blocks=[ImageBlock(url=data_url)]))
    assert out.content == [ImagePart(data_url=data_url)]
    with pytest.raises(InvalidInputError, match="does not fetch image URLs"):
        to_message(ChatMessage(role="user", blocks=[ImageBlock(url="https://x.test/a.png")]))


def test_unsupported_block_raises_before_any_request() -> None:
    with pytest.raises(InvalidInputError, match="AudioBlock"):
        to_message(ChatMessage(role="user", blocks=[AudioBlock(audio=b"abc", format="mp3")]))


def test_thinking_blocks_are_not_replayed() -> None:
    msg = ChatMessage(
        role="assistant", blocks=[ThinkingBlock(content="hmm"), TextBlock(text="answer")]
    )
    assert to_message(msg) == Message(role="assistant", content="answer")


def test_tool_call_blocks_and_tool_results() -> None:
    assistant = ChatMessage(
        role="assistant",
        blocks=[
            TextBlock(text=""),
            ToolCallBlock(tool_call_id="c1", tool_name="add", tool_kwargs={"a": 1}),
            ToolCallBlock(tool_call_id="c2", tool_name="mul", tool_kwargs='{"b": 2}'),
        ],
    )
    tool = ChatMessage(role="tool", content="3", additional_kwargs={"tool_call_id": "c1"})
    a, t = to_messages([assistant, tool])
    assert a.content == ""
    assert a.tool_calls == [ToolCall("c1", "add", {"a": 1}), ToolCall("c2", "mul", {"b": 2})]
    assert t == Message(role="tool", content="3", tool_call_id="c1")


def test_legacy_tool_calls_in_additional_kwargs() -> None:
    openai_shaped = {
        "id": "x1", "type": "function",
        "function": {"name": "add", "arguments": json.dumps({"a": 1, "b": 2})},
    }
    flat = {"id": "x2", "name": "mul", "input": {"b": 3}}
    msg = ChatMessage(
        role="assistant", content="", additional_kwargs={"tool_calls": [openai_shaped, flat]}
    )
    assert to_message(msg).tool_calls == [
        ToolCall("x1", "add", {"a": 1, "b": 2}), ToolCall("x2", "mul", {"b": 3})
    ]


def test_legacy_tool_calls_accept_pydantic_objects() -> None:
    class Fn(BaseModel):
        name: str
        arguments: str

    class Call(BaseModel):
        id: str
        function: Fn

    calls = legacy_tool_calls([Call(id="z", function=Fn(name="f", arguments='{"q": "x"}'))])
    assert calls == [ToolCall("z", "f", {"q": "x"})]


def test_bad_tool_arguments_are_replayed_as_invalid() -> None:
    """An agent replays the model's invalid call (with the tool's error after it), so the
    call goes back marked invalid, never as a call without arguments."""
    from llamaindex_workersai import INVALID_ARGUMENTS

    msg = ChatMessage(
        role="assistant",
        blocks=[ToolCallBlock(tool_call_id="c", tool_name="f", tool_kwargs="{oops")],
    )
    [call] = to_message(msg).tool_calls
    assert list(call.arguments) == [INVALID_ARGUMENTS]
    assert call.arguments[INVALID_ARGUMENTS]["arguments"] == "{oops"


def test_input_history_is_not_mutated() -> None:
    history = [ChatMessage(role="user", content="hi")]
    before = [m.model_copy(deep=True) for m in history]
    to_messages(history)
    assert history == before


def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


def test_tool_spec_from_function_tool() -> None:
    spec = to_tool_spec(FunctionTool.from_defaults(fn=add), strict=True)
    assert spec.name == "add"
    assert "Add two integers" in spec.description
    assert spec.parameters["type"] == "object"
    assert set(spec.parameters["properties"]) == {"a", "b"}
    assert spec.parameters["required"] == ["a", "b"]
    assert spec.strict is True
    same = ToolSpec(name="x")
    assert to_tool_spec(same) is same
    with pytest.raises(InvalidInputError):
        to_tool_spec(42)


@pytest.mark.parametrize(
    ("choice", "required", "expected"),
    [
        (None, False, None),
        (None, True, "required"),
        ("auto", True, "auto"),
        ("none", False, "none"),
        ("required", False, "required"),
        ("any", False, "required"),
        ("add", False, ForcedTool("add")),
        ({"type": "function", "function": {"name": "add"}}, False, ForcedTool("add")),
        (ForcedTool("mul"), False, ForcedTool("mul")),
    ],
)
def test_resolve_tool_choice(choice: object, required: bool, expected: object) -> None:
    assert resolve_tool_choice(choice, required) == expected


def test_resolve_tool_choice_rejects_garbage() -> None:
    with pytest.raises(InvalidInputError):
        resolve_tool_choice(3)


def test_reply_to_response_carries_everything() -> None:
    reply = Reply(
        text="",
        reasoning="let me think",
        tool_calls=[ToolCall("c1", "add", {"a": 1, "b": 2})],
        invalid_tool_calls=[InvalidToolCall("c2", "mul", "{bad", "Expecting value")],
        usage=Usage(input_tokens=10, output_tokens=5, total_tokens=15, reasoning_tokens=3),
        finish_reason="tool_calls",
        model="m",
        id="r1",
    )
    resp = reply_to_response(reply)
    msg = resp.message
    assert msg.role == MessageRole.ASSISTANT
    assert msg.content == ""  # reasoning never leaks into the text
    assert isinstance(msg.blocks[0], ThinkingBlock) and msg.blocks[0].content == "let me think"
    calls = [b for b in msg.blocks if isinstance(b, ToolCallBlock)]
    assert [(c.tool_call_id, c.tool_name, c.tool_kwargs) for c in calls] == [
        ("c1", "add", {"a": 1, "b": 2}), ("c2", "mul", "{bad")
    ]
    legacy = msg.additional_kwargs["tool_calls"]
    assert legacy[0]["function"] == {"name": "add", "arguments": '{"a": 1, "b": 2}'}
    assert msg.additional_kwargs["invalid_tool_calls"][0]["error"] == "Expecting value"
    assert resp.raw["usage"] == {
        "prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15, "reasoning_tokens": 3
    }
    assert resp.raw["finish_reason"] == "tool_calls"
    assert resp.additional_kwargs["prompt_tokens"] == 10


def test_plain_reply_has_text_and_no_tool_kwargs() -> None:
    resp = reply_to_response(Reply(text="hi"))
    assert resp.message.content == "hi"
    assert "tool_calls" not in resp.message.additional_kwargs
    assert "usage" not in resp.raw


def test_usage_dict_fills_total() -> None:
    assert usage_dict(Usage(input_tokens=2, output_tokens=3))["total_tokens"] == 5
    assert usage_dict(None) == {}


@pytest.mark.parametrize("role", ["user", "system", "developer", "assistant", "tool"])
def test_one_text_block_converts_as_the_general_walk_does(role: str) -> None:
    """The quick path for one-text-block user/system turns builds the very Message the
    block walk builds (the walk is what two text blocks take)."""
    kwargs = {"tool_call_id": "c1", "name": "t"} if role == "tool" else {"name": "ignored"}
    one = to_message(ChatMessage(role=role, content="hi", additional_kwargs=kwargs))
    walked = to_message(ChatMessage(role=role, blocks=[TextBlock(text="hi")],
                                    additional_kwargs=kwargs))
    two = to_message(ChatMessage(role=role, blocks=[TextBlock(text="h"), TextBlock(text="i")],
                                 additional_kwargs=kwargs))
    assert one == walked
    assert (one.role, one.tool_calls, one.tool_call_id, one.name) == (
        two.role, two.tool_calls, two.tool_call_id, two.name)
    assert (one.content, two.content) == ("hi", "h\ni")


@pytest.mark.parametrize("text", ["hi", ""])
@pytest.mark.parametrize("usage", [None, Usage(3, 1, 4, reasoning_tokens=2)])
def test_text_only_reply_builds_the_general_message(text: str, usage: Usage | None) -> None:
    """A text-only reply skips the tool-call walk but gives the same response: one text
    block, no extra kwargs, usage under TokenCountingHandler's keys (a copy of raw's)."""
    from llamaindex_workersai._messages import build_message

    response = reply_to_response(Reply(text=text, usage=usage, finish_reason="stop"))
    assert response.message == build_message(text, None, [], {})
    assert response.additional_kwargs == usage_dict(usage)
    assert response.raw.get("usage", {}) == usage_dict(usage)
    if usage is not None:
        assert response.additional_kwargs is not response.raw["usage"]
