"""LangChain messages -> neutral messages (pure)."""

from __future__ import annotations

import pytest
from langchain_core.exceptions import ModelInvalidRequestError
from langchain_core.messages import (
    AIMessage,
    ChatMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)

from langchain_workersai._messages import content_parts, to_neutral_messages
from workersai.errors import InvalidInputError
from workersai.types import ImagePart, Message, TextPart, ToolCall

PNG_B64 = "iVBORw0KGgo="


def test_roles_and_plain_text() -> None:
    out = to_neutral_messages(
        [SystemMessage("be brief"), HumanMessage("hi", name="bob"), AIMessage("hello")]
    )
    assert out == [
        Message("system", "be brief"),
        Message("user", "hi"),  # names are dropped: classic schemas have no name field
        Message("assistant", "hello"),
    ]


def test_assistant_tool_calls_and_tool_result() -> None:
    ai = AIMessage(
        content=[
            {"type": "text", "text": "checking"},
            {"type": "tool_use", "id": "abc123", "name": "f", "input": {"x": 1}},
        ],
        tool_calls=[{"name": "f", "args": {"x": 1}, "id": "abc123", "type": "tool_call"}],
    )
    tool = ToolMessage('{"y": 2}', tool_call_id="abc123", name="f")
    out = to_neutral_messages([ai, tool])
    assert out[0] == Message(
        "assistant", "checking", tool_calls=[ToolCall("abc123", "f", {"x": 1})]
    )
    assert out[1] == Message("tool", '{"y": 2}', tool_call_id="abc123", name="f")


def test_assistant_with_only_tool_calls_has_empty_string_content() -> None:
    ai = AIMessage("", tool_calls=[{"name": "f", "args": {}, "id": None, "type": "tool_call"}])
    (msg,) = to_neutral_messages([ai])
    assert msg.content == ""
    assert msg.tool_calls == [ToolCall("call_0", "f", {})]


def test_tool_message_list_content_is_one_string() -> None:
    tool = ToolMessage([{"type": "text", "text": "a"}, {"k": 1}], tool_call_id="t")
    (msg,) = to_neutral_messages([tool])
    assert msg.content == 'a{"k": 1}'


def test_chat_message_roles() -> None:
    (dev,) = to_neutral_messages([ChatMessage(content="rules", role="developer")])
    assert dev.role == "system"
    with pytest.raises(InvalidInputError, match="role 'wizard'"):
        to_neutral_messages([ChatMessage(content="x", role="wizard")])


def test_text_only_list_collapses_to_string() -> None:
    assert content_parts([{"type": "text", "text": "a"}, "b"]) == "ab"


@pytest.mark.parametrize(
    "block",
    [
        {"type": "image", "base64": PNG_B64, "mime_type": "image/png"},
        {"type": "image", "source_type": "base64", "data": PNG_B64, "mime_type": "image/png"},
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG_B64}"}},
        {"type": "image_url", "image_url": f"data:image/png;base64,{PNG_B64}"},
        {"type": "image", "url": f"data:image/png;base64,{PNG_B64}"},
    ],
)
def test_image_blocks_become_data_urls(block: dict) -> None:
    parts = content_parts([{"type": "text", "text": "what is this?"}, block])
    assert parts == [TextPart("what is this?"), ImagePart(f"data:image/png;base64,{PNG_B64}")]


def test_image_detail_is_kept() -> None:
    url = f"data:image/png;base64,{PNG_B64}"
    parts = content_parts([{"type": "image_url", "image_url": {"url": url, "detail": "low"}}])
    assert parts == [ImagePart(url, "low")]


@pytest.mark.parametrize(
    "block",
    [
        {"type": "image", "url": "https://example.com/cat.png"},
        {"type": "image_url", "image_url": {"url": "http://example.com/cat.png"}},
        {"type": "image", "source_type": "url", "url": "https://example.com/cat.png"},
    ],
)
def test_remote_image_urls_get_a_clear_error(block: dict) -> None:
    with pytest.raises(InvalidInputError, match="does not fetch images from http"):
        to_neutral_messages([HumanMessage(content=[block])])


def test_unsupported_blocks_raise_a_dual_class_error() -> None:
    with pytest.raises(ModelInvalidRequestError, match="'audio'"):
        content_parts([{"type": "audio", "base64": "AAAA", "mime_type": "audio/wav"}])
    with pytest.raises(InvalidInputError, match="file ids"):
        content_parts([{"type": "image", "file_id": "f-1"}])


def test_system_message_cannot_carry_images() -> None:
    img = {"type": "image", "base64": PNG_B64, "mime_type": "image/png"}
    with pytest.raises(InvalidInputError, match="system message"):
        to_neutral_messages([SystemMessage(content=[img])])
