"""LlamaIndex messages and tools <-> the core's neutral types (pure functions).

History arrives in either of LlamaIndex's forms: ``ToolCallBlock``s (current) or the
legacy ``additional_kwargs["tool_calls"]`` list; tool results carry
``additional_kwargs["tool_call_id"]``. Answers go back out in both forms.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from llama_index.core.base.llms.types import (
    CachePoint,
    ChatMessage,
    ChatResponse,
    ImageBlock,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)

from workersai.errors import InvalidInputError
from workersai.types import (
    ForcedTool,
    ImagePart,
    Message,
    Part,
    Reply,
    ResponseMeta,
    Role,
    TextPart,
    ToolCall,
    ToolChoice,
    ToolSpec,
    Usage,
)

__all__: list[str] = []

_ROLES: dict[MessageRole, Role] = {
    MessageRole.SYSTEM: "system",
    MessageRole.DEVELOPER: "system",
    MessageRole.USER: "user",
    MessageRole.ASSISTANT: "assistant",
    MessageRole.MODEL: "assistant",
    MessageRole.CHATBOT: "assistant",
    MessageRole.TOOL: "tool",
    MessageRole.FUNCTION: "tool",
}


# --- LlamaIndex -> neutral -----------------------------------------------------------------


def to_messages(messages: Sequence[ChatMessage]) -> list[Message]:
    """Convert a LlamaIndex chat history to neutral messages (the input is not touched)."""
    return [to_message(m) for m in messages]


def to_message(message: ChatMessage) -> Message:
    """One LlamaIndex message to a neutral :class:`Message`."""
    plain = _plain_text(message)
    if plain is not None:
        return plain
    role = _ROLES[MessageRole(message.role)]
    parts: list[Part] = []
    tool_calls: list[ToolCall] = []
    for block in message.blocks:
        if isinstance(block, TextBlock):
            parts.append(TextPart(block.text))
        elif isinstance(block, ImageBlock):
            parts.append(_image_part(block))
        elif isinstance(block, ToolCallBlock):
            tool_calls.append(_block_tool_call(block))
        elif isinstance(block, (ThinkingBlock, CachePoint)):
            continue  # reasoning is never replayed; cache points mean nothing here
        else:
            raise InvalidInputError(
                f"Workers AI chat does not take {type(block).__name__} content "
                "(text, images and tool calls are supported)."
            )
    if not tool_calls and role == "assistant":
        tool_calls = legacy_tool_calls(message.additional_kwargs.get("tool_calls"))
    extra = message.additional_kwargs if role == "tool" else {}
    return Message(
        role=role,
        content=_content(parts),
        tool_calls=tool_calls,
        tool_call_id=extra.get("tool_call_id") or extra.get("call_id"),
        name=extra.get("name"),
    )


def _plain_text(message: ChatMessage) -> Message | None:
    """The common turn, converted without the general walk: a user or system message of
    one text block (the same ``Message`` the walk builds); ``None`` for anything else."""
    blocks = message.blocks
    if len(blocks) != 1 or type(blocks[0]) is not TextBlock:
        return None
    role = _ROLES.get(message.role)
    return Message(role, blocks[0].text) if role == "user" or role == "system" else None


def _content(parts: list[Part]) -> str | list[Part]:
    if all(isinstance(p, TextPart) for p in parts):
        return "\n".join(p.text for p in parts if isinstance(p, TextPart))
    return parts


def _image_part(block: ImageBlock) -> ImagePart:
    url = str(block.url) if block.url is not None else None
    if block.image is None and block.path is None and url is not None:
        if url.startswith("data:"):
            return ImagePart(data_url=url, detail=block.detail)
        raise InvalidInputError(
            "Workers AI does not fetch image URLs; pass the image bytes, a path or a data: URL "
            f"instead of {url[:60]!r}."
        )
    try:
        data_url = block.inline_url()
    except (ValueError, OSError) as exc:
        raise InvalidInputError(f"Could not read the image block: {exc}") from exc
    if data_url.startswith("data:None;"):
        data_url = "data:image/png;" + data_url[len("data:None;") :]
    return ImagePart(data_url=data_url, detail=block.detail)


def _block_tool_call(block: ToolCallBlock) -> ToolCall:
    """A tool call replayed from history; one with unreadable arguments is replayed as
    invalid (see :data:`INVALID_ARGUMENTS`), never as a call without arguments."""
    args = block.tool_kwargs
    arguments = parse_tool_kwargs(args) if isinstance(args, str) else _args(args)
    return ToolCall(id=block.tool_call_id or "", name=block.tool_name, arguments=arguments)


def _args(value: Any) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str):
        if not value.strip():
            return {}
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as exc:
            raise InvalidInputError(f"Tool call arguments are not valid JSON: {exc}") from exc
        if isinstance(parsed, dict):
            return parsed
    if value is None:
        return {}
    raise InvalidInputError(f"Tool call arguments must be a JSON object, got {value!r:.80}")


def legacy_tool_calls(items: Any) -> list[ToolCall]:
    """Read ``additional_kwargs["tool_calls"]`` as older LlamaIndex agents and
    llama-index-llms-openai leave it: OpenAI-shaped entries (``{"id", "type",
    "function": {"name", "arguments"}}``, or ``"custom": {"name", "input"}``) as dicts,
    pydantic objects (``ChatCompletionMessageToolCall``, streamed ``ChoiceDeltaToolCall``)
    or plain objects with those attributes, and flat ``{"id", "name", "arguments"}`` ones.
    An entry naming no tool is refused (never sent as a call to ``"None"``)."""
    if not items:
        return []
    if isinstance(items, Mapping | str) or not isinstance(items, Sequence):
        items = [items]  # one call where a list was expected
    return [_legacy_call(item) for item in items]


def _get(entry: Any, key: str) -> Any:
    """``entry[key]`` for a mapping, ``entry.key`` for an object (``None`` when absent)."""
    if isinstance(entry, Mapping):
        return entry.get(key)
    return getattr(entry, key, None)


def _legacy_call(item: Any) -> ToolCall:
    if isinstance(item, str | bytes) or item is None:
        raise InvalidInputError(f"Unreadable tool_calls entry {item!r:.80}")
    fn = _get(item, "function") or _get(item, "custom") or item
    name = _get(fn, "name")
    if not isinstance(name, str) or not name:
        raise InvalidInputError(
            f"A tool_calls entry names no tool (expected a 'function' with a 'name'): "
            f"{item!r:.120}")
    raw_args = next((v for k in ("arguments", "input", "args")
                     if (v := _get(fn, k)) is not None), None)
    return ToolCall(id=str(_get(item, "id") or ""), name=name, arguments=_args(raw_args))


# --- tools -----------------------------------------------------------------------------------


def to_tool_spec(tool: Any, strict: bool | None = None) -> ToolSpec:
    """A LlamaIndex ``BaseTool`` (or a ``ToolSpec``, or an OpenAI-style tool dict) to a spec."""
    if isinstance(tool, ToolSpec):
        return tool
    metadata = getattr(tool, "metadata", None)
    if metadata is not None:
        fn = metadata.to_openai_tool(skip_length_check=True)["function"]
    elif isinstance(tool, Mapping):
        fn = tool.get("function", tool)
    else:
        raise InvalidInputError(f"Not a tool: {tool!r:.80}")
    return ToolSpec(
        name=fn["name"],
        description=fn.get("description") or "",
        parameters=dict(fn.get("parameters") or {}),
        strict=strict,
    )


def resolve_tool_choice(choice: Any, tool_required: bool = False) -> ToolChoice | None:
    """LlamaIndex ``tool_choice`` (a mode, a tool name or a dict) plus ``tool_required``."""
    if choice is None:
        return "required" if tool_required else None
    if isinstance(choice, ForcedTool):
        return choice
    if isinstance(choice, Mapping):
        fn = choice.get("function")
        name = fn.get("name") if isinstance(fn, Mapping) else choice.get("name")
        if not name:
            raise InvalidInputError(f"tool_choice dict names no tool: {choice!r}")
        return ForcedTool(str(name))
    if choice in ("auto", "none", "required"):
        return choice
    if choice == "any":
        return "required"
    if isinstance(choice, str) and choice:
        return ForcedTool(choice)
    raise InvalidInputError(f"Unsupported tool_choice {choice!r}")


# --- neutral -> LlamaIndex ---------------------------------------------------------------------


def usage_dict(usage: Usage | None) -> dict[str, int]:
    """Usage under the keys ``TokenCountingHandler`` reads (empty when not reported)."""
    if usage is None:
        return {}
    out = {
        "prompt_tokens": usage.input_tokens,
        "completion_tokens": usage.output_tokens,
        "total_tokens": usage.total_tokens or usage.input_tokens + usage.output_tokens,
    }
    if usage.reasoning_tokens is not None:
        out["reasoning_tokens"] = usage.reasoning_tokens
    if usage.cached_input_tokens is not None:
        out["cached_tokens"] = usage.cached_input_tokens
    return out


def legacy_tool_call_dicts(blocks: Sequence[ToolCallBlock]) -> list[dict[str, Any]]:
    """The legacy ``additional_kwargs["tool_calls"]`` form of some tool-call blocks."""
    out = []
    for block in blocks:
        args = block.tool_kwargs
        out.append(
            {
                "id": block.tool_call_id,
                "type": "function",
                "function": {
                    "name": block.tool_name,
                    "arguments": args if isinstance(args, str) else json.dumps(args),
                },
            }
        )
    return out


def invalid_call_dict(
    call_id: str | None, name: str | None, arguments: str | None, error: str
) -> dict[str, Any]:
    """How an unparseable tool call is reported in ``additional_kwargs["invalid_tool_calls"]``."""
    return {"id": call_id, "name": name, "arguments": arguments, "error": error}


def build_message(
    text: str, reasoning: str | None, tool_blocks: list[ToolCallBlock], extra: dict[str, Any]
) -> ChatMessage:
    """An assistant message: thinking (kept out of the text), text, then tool calls."""
    blocks: list[Any] = []
    if reasoning:
        blocks.append(ThinkingBlock(content=reasoning))
    blocks.append(TextBlock(text=text))
    blocks.extend(tool_blocks)
    kwargs = dict(extra)
    if tool_blocks:
        kwargs["tool_calls"] = legacy_tool_call_dicts(tool_blocks)
    return ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks, additional_kwargs=kwargs)


def response_raw(
    usage: Usage | None, finish_reason: str | None, model: str | None, rid: str | None,
    result: Any = None, parsed: Any = None, meta: ResponseMeta | None = None,
) -> dict[str, Any]:
    """``ChatResponse.raw``: the answer's facts, with ``usage`` where token counters look,
    and what the API reported about the call (neurons, request id, gateway cache)."""
    raw: dict[str, Any] = {"model": model, "id": rid, "finish_reason": finish_reason}
    if result is not None:
        raw["result"] = result
    if parsed is not None:
        raw["parsed"] = parsed
    usage_d = usage_dict(usage)
    if usage_d:
        raw["usage"] = usage_d
    neurons = meta.neurons if meta is not None and meta.neurons is not None else (
        usage.neurons if usage is not None else None)
    if neurons is not None:
        raw["neurons"] = float(neurons)
    if meta is not None:
        for key in ("request_id", "gateway_cache_status", "gateway_log_id"):
            if getattr(meta, key):
                raw[key] = getattr(meta, key)
    return raw


def reply_to_response(reply: Reply) -> ChatResponse:
    """A complete neutral :class:`Reply` as a LlamaIndex ``ChatResponse``."""
    if reply.tool_calls or reply.invalid_tool_calls or reply.reasoning:
        message = _message_with_calls(reply)
    else:  # text only: the same message build_message makes, without its walk
        message = ChatMessage(role=MessageRole.ASSISTANT, content=reply.text)
    raw = response_raw(
        reply.usage, reply.finish_reason, reply.model, reply.id, reply.raw, reply.parsed,
        reply.meta,
    )
    usage = raw.get("usage")  # usage_dict(reply.usage), computed once
    return ChatResponse(message=message, raw=raw,
                        additional_kwargs=dict(usage) if usage else {})


def _message_with_calls(reply: Reply) -> ChatMessage:
    """The assistant message of a reply with tool calls (valid or not) or reasoning."""
    blocks = [
        ToolCallBlock(tool_call_id=c.id, tool_name=c.name, tool_kwargs=c.arguments)
        for c in reply.tool_calls
    ]
    blocks += [
        ToolCallBlock(tool_call_id=c.id, tool_name=c.name or "", tool_kwargs=c.raw_arguments or "")
        for c in reply.invalid_tool_calls
    ]
    extra: dict[str, Any] = {}
    if reply.invalid_tool_calls:
        extra["invalid_tool_calls"] = [
            invalid_call_dict(c.id, c.name, c.raw_arguments, c.error)
            for c in reply.invalid_tool_calls
        ]
    return build_message(reply.text, reply.reasoning, blocks, extra)


INVALID_ARGUMENTS = (
    "error: the arguments of this tool call were not a JSON object; "
    "call the tool again with its arguments as one JSON object"
)
"""The one key of the ``tool_kwargs`` of a tool call whose arguments could not be read.

An agent calls the tool with it; the tool refuses the unknown keyword and the agent hands
that error (which quotes this key) back to the model, which can retry. The value holds
the raw arguments and the parse error (see :func:`invalid_tool_arguments`)."""


def parse_tool_kwargs(value: dict[str, Any] | str) -> dict[str, Any]:
    """Tool arguments from a finished block: a dict, or a JSON object string.

    Anything else (``"{city: Lisbon"``, ``[1, 2]``) is never turned into ``{}`` (a call
    with no arguments): it becomes ``{INVALID_ARGUMENTS: {"arguments": raw, "error": ...}}``.
    """
    if isinstance(value, dict):
        return value
    if not value.strip():
        return {}
    try:
        parsed = json.loads(value)
    except ValueError as exc:
        return {INVALID_ARGUMENTS: {"arguments": value, "error": str(exc)}}
    if not isinstance(parsed, dict):
        error = f"the arguments are a JSON {type(parsed).__name__}, not an object"
        return {INVALID_ARGUMENTS: {"arguments": value, "error": error}}
    return parsed


def invalid_tool_arguments(tool_kwargs: Mapping[str, Any]) -> dict[str, str] | None:
    """``{"arguments": raw, "error": why}`` when a ``ToolSelection``'s arguments could not
    be read (for hand-written agent loops), else ``None``."""
    value = tool_kwargs.get(INVALID_ARGUMENTS)
    return value if isinstance(value, dict) else None
