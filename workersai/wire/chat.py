"""Chat request bodies per model family, and chat replies of every shape -> :class:`Reply`.

Requests follow :func:`workersai.wire.families.chat_rules` (one table row per family):
``messages`` (see ``_messages``), sampling options only when set (``0`` is sent),
``stop``, tools in the accepted shape, ``tool_choice`` where the model takes it and
emulated where it does not (classic: ``"none"`` sends no tools, a named tool sends only
that tool), ``parallel_tool_calls``, JSON mode in the model's form (bare schema, OpenAI
envelope, or ``guided_json``), ``lora`` (refused for models without LoRA), and
``reasoning_effort``; ``params.extra`` is merged last and wins.

Replies are read by shape, then: reasoning split out of ``</think>`` text (see
``_reasoning``); a tool call written as JSON text becomes a tool call only when it names
an offered tool; JSON-mode text is parsed into ``Reply.parsed``; the finish reason is
normalised (classic: ``tool_calls`` with calls, ``length`` if reported, else ``stop``);
the model id falls back to the requested one.
"""

from __future__ import annotations

import contextlib
from typing import Any

from .._json import loads
from ..errors import InvalidInputError, ResponseFormatError
from ..types import ChatParams, Endpoint, ForcedTool, Message, Reply, ToolCall, ToolSpec
from ._messages import messages_body
from ._reasoning import split_think
from ._replies import READERS, finish_reason
from ._tools import mint_call_id, offered_tools, salvage_text_calls, tool_specs_body
from .families import ChatRules, chat_rules, reply_shape, think_in_text

__all__ = ["build_chat_request", "parse_chat_reply"]

_SAMPLING = (
    "max_tokens",
    "temperature",
    "top_p",
    "top_k",
    "seed",
    "repetition_penalty",
    "frequency_penalty",
    "presence_penalty",
)
"""ChatParams fields sent under the same name when not ``None``."""


def build_chat_request(
    model: str,
    messages: list[Message],
    params: ChatParams,
    *,
    stream: bool,
    endpoint: Endpoint,
) -> dict[str, Any]:
    """The JSON body for one chat call (``endpoint="openai"`` adds ``model``).

    Raises:
        InvalidInputError: the request cannot be sent to this model (LoRA on a model
            without LoRA, JSON mode or ``reasoning_effort`` it lacks, a forced tool that
            was not offered, bad messages).
    """
    rules = chat_rules(model, endpoint)
    body: dict[str, Any] = {"model": model} if endpoint == "openai" else {}
    body["messages"] = messages_body(messages, rules)
    for name in _SAMPLING:
        value = getattr(params, name)
        if value is not None:
            body[name] = value
    if params.stop:
        body["stop"] = list(params.stop)
    _add_tools(body, params, rules)
    _add_json_mode(body, params, rules, model)
    _add_model_options(body, params, rules, model)
    if stream:
        body["stream"] = True
        if rules.stream_usage:
            body["stream_options"] = {"include_usage": True}
    body.update(params.extra)
    return body


def _tools_to_send(params: ChatParams, rules: ChatRules) -> list[ToolSpec]:
    choice = params.tool_choice
    if isinstance(choice, ForcedTool):
        forced = [t for t in params.tools if t.name == choice.name]
        if not forced:
            raise InvalidInputError(f"tool_choice names {choice.name!r}, which is not offered")
        return params.tools if rules.tool_choice else forced
    if choice == "none" and not rules.tool_choice:
        return []
    return params.tools


def _choice_body(choice: Any) -> Any:
    if isinstance(choice, ForcedTool):
        return {"type": "function", "function": {"name": choice.name}}
    return choice


def _add_tools(body: dict[str, Any], params: ChatParams, rules: ChatRules) -> None:
    tools = _tools_to_send(params, rules)
    if not tools:
        return
    body["tools"] = tool_specs_body(tools, fill=rules.fill_tool_descriptions)
    if not rules.tool_choice:
        return
    if params.tool_choice is not None:
        body["tool_choice"] = _choice_body(params.tool_choice)
    if params.parallel_tool_calls is not None:
        body["parallel_tool_calls"] = params.parallel_tool_calls


def _add_json_mode(body: dict[str, Any], params: ChatParams, rules: ChatRules, model: str) -> None:
    fmt = params.response_format
    if fmt is None:
        return
    if rules.json_mode is None:
        raise InvalidInputError(f"{model} has no JSON mode; use tool calling instead")
    if fmt.kind == "json_schema" and not fmt.schema:
        raise InvalidInputError("response_format json_schema needs a schema")
    if rules.json_mode == "guided_json":
        body["guided_json"] = fmt.schema or {"type": "object"}
    elif fmt.kind == "json_object":
        body["response_format"] = {"type": "json_object"}
    elif rules.bare_json_schema:
        body["response_format"] = {"type": "json_schema", "json_schema": fmt.schema}
    else:
        envelope: dict[str, Any] = {"name": fmt.name or "response", "schema": fmt.schema}
        if fmt.strict is not None:
            envelope["strict"] = fmt.strict
        body["response_format"] = {"type": "json_schema", "json_schema": envelope}


def _add_model_options(
    body: dict[str, Any], params: ChatParams, rules: ChatRules, model: str
) -> None:
    if params.lora is not None:
        if not rules.lora:
            raise InvalidInputError(f"{model} does not take a LoRA adapter")
        body["lora"] = params.lora
    effort = params.reasoning_effort
    if effort is not None:
        if not rules.reasoning_effort:
            raise InvalidInputError(f"{model} does not take reasoning_effort")
        if rules.efforts and effort not in rules.efforts:
            raise InvalidInputError(
                f"{model} takes reasoning_effort {', '.join(rules.efforts)}, not {effort!r}"
            )
        body["reasoning_effort"] = effort


def parse_chat_reply(result: Any, *, model: str, params: ChatParams) -> Reply:
    """A chat reply of any family (the envelope's ``result``, or the bare OpenAI object).

    Raises:
        ResponseFormatError: ``result`` is not a chat reply of a known shape.
    """
    if not isinstance(result, dict):
        raise ResponseFormatError("chat reply is not a JSON object", body=repr(result))
    reply = READERS[reply_shape(result, model)](result)
    reply.raw = result
    if reply.reasoning is None:
        reply.reasoning, reply.text = split_think(reply.text, think_model=think_in_text(model))
    _salvage(reply, params)
    if params.response_format is not None and reply.parsed is None and reply.text:
        with contextlib.suppress(ValueError):
            reply.parsed = loads(reply.text)
    has_calls = bool(reply.tool_calls or reply.invalid_tool_calls)
    reply.finish_reason = finish_reason(reply.finish_reason, has_calls=has_calls)
    reply.model = reply.model or model
    return reply


def _salvage(reply: Reply, params: ChatParams) -> None:
    """A call written as JSON text (object ``response`` or text) naming an offered tool."""
    if reply.tool_calls or reply.invalid_tool_calls:
        return
    found = salvage_text_calls(
        reply.parsed if reply.parsed is not None else reply.text, offered_tools(params)
    )
    if found:
        reply.tool_calls = [
            ToolCall(mint_call_id(i, name, args), name, args)
            for i, (name, args) in enumerate(found)
        ]
        reply.text, reply.parsed = "", None
