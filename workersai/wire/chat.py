"""Chat request bodies per model family, and chat replies of every shape -> :class:`Reply`.

Requests follow :func:`workersai.wire.families.chat_rules` (one table row per family,
narrowed to the fields of the model's published input schema: a field it lacks is not
sent, a value outside its range is refused; ``docs/conformance.md``):
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
from functools import lru_cache
from typing import Any

from .._json import loads
from ..errors import InvalidInputError, ResponseFormatError
from ..types import ChatParams, Endpoint, ForcedTool, Message, Reply, ToolCall, ToolSpec
from ._conform import (
    add_instruction,
    check_bound,
    check_forced,
    cut_at_stop,
    forced,
    forcing_instruction,
    lift_image,
)
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
    if rules.image_field:
        messages, image = lift_image(messages, model)
        if image is not None:
            body["image"] = image
    body["messages"] = messages_body(messages, rules)
    _add_sampling(body, params, rules, model)
    if params.stop and rules.takes("stop"):
        body["stop"] = list(params.stop)
    _add_tools(body, params, rules, model)
    _add_json_mode(body, params, rules, model)
    _add_model_options(body, params, rules, model)
    if stream:
        if not rules.takes("stream"):
            raise InvalidInputError(
                f"{model} does not stream (its published input schema has no stream "
                "field); call it without streaming"
            )
        body["stream"] = True
        if rules.stream_usage:
            body["stream_options"] = {"include_usage": True}
    body.update(params.extra)
    return body


def _add_sampling(body: dict[str, Any], params: ChatParams, rules: ChatRules, model: str) -> None:
    """Sampling fields the schema lists, within its bounds; one it lacks is refused
    unless ``params.extra`` sends it (explicit pass-through wins)."""
    bounds = _bounds(rules.bounds)
    for name in _SAMPLING:
        value = getattr(params, name)
        if value is None or name in params.extra:
            continue
        if not rules.takes(name):
            raise InvalidInputError(
                f"{model} does not take {name} (its published input schema has no such "
                "field); pass it in model_kwargs/extra to send it anyway"
            )
        if name in bounds:
            check_bound(model, name, value, *bounds[name])
        body[name] = value


@lru_cache(maxsize=256)
def _bounds(table: tuple[tuple[str, float | None, float | None], ...]
            ) -> dict[str, tuple[float | None, float | None]]:
    """A schema's sampling bounds by field name (one table per model, built once)."""
    return {name: (lo, hi) for name, lo, hi in table}


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


def _add_tools(
    body: dict[str, Any], params: ChatParams, rules: ChatRules, model: str
) -> None:
    tools = _tools_to_send(params, rules)
    if not tools:
        return
    if not rules.takes("tools"):
        raise InvalidInputError(
            f"{model} takes no tools (its published input schema has no tools field)"
        )
    body["tools"] = tool_specs_body(tools, fill=rules.fill_tool_descriptions)
    if params.parallel_tool_calls is not None and rules.parallel_tool_calls:
        body["parallel_tool_calls"] = params.parallel_tool_calls
    if params.tool_choice is None:
        return
    if rules.tool_choice:
        body["tool_choice"] = _choice_body(params.tool_choice)
    elif forced(params):
        add_instruction(body["messages"], forcing_instruction(tools, params.tool_choice))


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
    if params.lora is not None and "lora" not in params.extra:
        if not rules.lora:
            raise InvalidInputError(
                f"{model} does not take a LoRA adapter (no lora in its catalog entry or "
                "published input schema; pass lora in model_kwargs/extra to send it anyway)"
            )
        body["lora"] = params.lora
    effort = params.reasoning_effort
    if effort is not None:
        if not rules.reasoning_effort:
            raise InvalidInputError(f"{model} does not take reasoning_effort")
        if rules.efforts and effort not in rules.efforts:
            raise InvalidInputError(
                f"{model} takes reasoning_effort {', '.join(rules.efforts)}, not {effort!r}"
            )
        if rules.effort_field == "reasoning":
            body["reasoning"] = {"effort": effort}
        else:
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
    _client_side(reply, params, model)
    if params.response_format is not None and reply.parsed is None and reply.text:
        with contextlib.suppress(ValueError):
            reply.parsed = loads(reply.text)
    has_calls = bool(reply.tool_calls or reply.invalid_tool_calls)
    reply.finish_reason = finish_reason(reply.finish_reason, has_calls=has_calls)
    reply.model = reply.model or model
    return reply


def forcing_emulated(model: str) -> bool:
    """Whether forced tool use reaches ``model`` as an instruction (no ``tool_choice``)."""
    try:
        return not chat_rules(model).tool_choice
    except InvalidInputError:
        return False


def _client_side(reply: Reply, params: ChatParams, model: str) -> None:
    """What the model may not do itself: stop sequences, one call, forced calls."""
    if params.stop and reply.text:
        reply.text, stopped = cut_at_stop(reply.text, params.stop)
        if stopped:
            reply.finish_reason = "stop"
    if params.parallel_tool_calls is False and len(reply.tool_calls) > 1:
        reply.tool_calls = reply.tool_calls[:1]
    if params.tools:  # only an offered tool can have been forced
        has_calls = bool(reply.tool_calls or reply.invalid_tool_calls)
        check_forced(params, has_calls, model, emulated=forcing_emulated(model))


def _salvage(reply: Reply, params: ChatParams) -> None:
    """A call written as JSON text (object ``response`` or text) naming an offered tool."""
    if not params.tools or reply.tool_calls or reply.invalid_tool_calls:
        return  # no tool offered: nothing to salvage
    found = salvage_text_calls(
        reply.parsed if reply.parsed is not None else reply.text, offered_tools(params)
    )
    if found:
        reply.tool_calls = [
            ToolCall(mint_call_id(i, name, args), name, args)
            for i, (name, args) in enumerate(found)
        ]
        reply.text, reply.parsed = "", None
