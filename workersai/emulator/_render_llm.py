"""Render a :class:`~._answer.Plan` as each family's JSON reply (reference 2.7, 2.8, 8).

Shapes:

* ``classic``: ``{"response", "tool_calls":[{"name","arguments":{...}}], "usage"}``; on a
  call ``response`` is ``null`` and there is no id; JSON mode puts the object in
  ``response``; usage carries ``prompt_tokens_details.cached_tokens``.
* ``llama4``: classic, but calls are ``{"id","type":"function","function":{"name",
  "arguments":{...}}}`` (arguments an object) and ``response`` is ``""`` on a call.
* ``chat``: an OpenAI ``chat.completion`` (arguments a JSON string, ids
  ``chatcmpl-tool-<hex>``, ``reasoning_content`` — ``reasoning`` on nemotron —,
  ``refusal: null``, ``stop_reason``/``logprobs``/``prompt_logprobs``, usage with
  ``neurons``).
* ``text_completion``: ``choices[].text`` (chat-family models sent ``prompt``).
* ``responses``: an OpenAI Responses object (``reasoning`` / ``message`` /
  ``function_call`` output items, ``output_text``, ``input_tokens``/``output_tokens``).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from ..catalog import ModelInfo, priced_as
from ._answer import NO_JSON, Call, Plan
from ._jsonenc import dumps

__all__ = ["RenderCtx", "render_json", "usage_dict", "neurons", "tool_call_id",
           "args_text", "reasoning_key", "content_text"]

_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_REASONING_KEYS = {"@cf/nvidia/nemotron-3-120b-a12b": "reasoning"}


@dataclass(slots=True)
class RenderCtx:
    """Per-reply facts the renderers need: the echoed model id, the shape, ids."""

    model: str
    info: ModelInfo
    shape: str
    rng: random.Random
    created: int
    split_tool_calls: bool = True

    def hex(self, n: int) -> str:
        return f"{self.rng.getrandbits(4 * n):0{n}x}"


def neurons(info: ModelInfo, prompt_tokens: int, completion_tokens: int) -> float:
    """Neurons billed: the published prices (neurons per million tokens, from the catalog)
    times the counts; an aliased model bills at its replacement's prices once the alias
    is in effect (``catalog.priced_as``)."""
    info = priced_as(info.id) or info
    rate_in = info.neurons_per_m_input or 0.0
    rate_out = info.neurons_per_m_output or 0.0
    return (prompt_tokens * rate_in + completion_tokens * rate_out) / 1_000_000


def usage_dict(info: ModelInfo, prompt: int, completion: int, *, shape: str = "chat",
               reasoning: int = 0) -> dict[str, Any]:
    """A usage object of ``shape``'s kind (``classic`` omits ``neurons``)."""
    if shape == "responses":
        out: dict[str, Any] = {"input_tokens": prompt, "output_tokens": completion,
                               "total_tokens": prompt + completion}
        if reasoning:
            out["output_tokens_details"] = {"reasoning_tokens": reasoning}
        return out
    out = {"prompt_tokens": prompt, "completion_tokens": completion,
           "total_tokens": prompt + completion, "prompt_tokens_details": {"cached_tokens": 0}}
    if reasoning:
        out["completion_tokens_details"] = {"reasoning_tokens": reasoning}
    if shape != "classic":
        out["neurons"] = neurons(info, prompt, completion)
    return out


def tool_call_id(ctx: RenderCtx) -> str:
    """A call id: ``chatcmpl-tool-<16 hex>``, or 9 alphanumerics for llama-4."""
    if ctx.shape == "llama4":
        return "".join(ctx.rng.choice(_ALNUM) for _ in range(9))
    return f"chatcmpl-tool-{ctx.hex(16)}"


def args_text(call: Call) -> str:
    """Arguments as the JSON string the chat shapes carry."""
    return json.dumps(call.arguments, ensure_ascii=False)


def reasoning_key(model: str) -> str:
    """The message field reasoning goes in for ``model``."""
    return _REASONING_KEYS.get(model, "reasoning_content")


def content_text(plan: Plan) -> str:
    """The visible text: the JSON text in JSON mode, else the answer."""
    return dumps(plan.json_value).decode() if plan.json_value is not NO_JSON else plan.text


def render_json(plan: Plan, ctx: RenderCtx) -> dict[str, Any]:
    """The reply object (the native envelope's ``result``, or the bare OpenAI object)."""
    if ctx.shape in ("classic", "llama4"):
        return _classic(plan, ctx)
    if ctx.shape == "text_completion":
        return _text_completion(plan, ctx)
    if ctx.shape == "responses":
        return _responses(plan, ctx)
    return _chat(plan, ctx)


def _classic(plan: Plan, ctx: RenderCtx) -> dict[str, Any]:
    calls: list[dict[str, Any]]
    if ctx.shape == "llama4":
        calls = [{"id": tool_call_id(ctx), "type": "function",
                  "function": {"name": c.name, "arguments": c.arguments}} for c in plan.calls]
    else:
        calls = [{"name": c.name, "arguments": c.arguments} for c in plan.calls]
    response: Any = plan.json_value if plan.json_value is not NO_JSON else plan.text
    if plan.calls:
        response = "" if ctx.shape == "llama4" else None
    usage = usage_dict(ctx.info, plan.prompt_tokens, plan.completion_tokens, shape="classic")
    return {"response": response, "tool_calls": calls, "usage": usage}


def _chat_usage(plan: Plan, ctx: RenderCtx) -> dict[str, Any]:
    return usage_dict(ctx.info, plan.prompt_tokens, plan.completion_tokens,
                      reasoning=len(plan.reasoning_pieces))


def _chat(plan: Plan, ctx: RenderCtx) -> dict[str, Any]:
    # ``refusal`` is required by the published chat-completion output schemas
    message: dict[str, Any] = {"role": "assistant", "content": content_text(plan),
                               "refusal": None}
    if plan.reasoning_pieces:
        message[reasoning_key(ctx.model)] = plan.reasoning
    if plan.calls:
        message["tool_calls"] = [
            {"id": tool_call_id(ctx), "type": "function",
             "function": {"name": c.name, "arguments": args_text(c)}} for c in plan.calls]
    choice = {"index": 0, "message": message, "finish_reason": plan.finish,
              "stop_reason": None, "logprobs": None}
    return {"id": f"chatcmpl-{ctx.hex(32)}", "object": "chat.completion",
            "created": ctx.created, "model": ctx.model, "choices": [choice],
            "usage": _chat_usage(plan, ctx), "prompt_logprobs": None}


def _text_completion(plan: Plan, ctx: RenderCtx) -> dict[str, Any]:
    choice = {"index": 0, "text": content_text(plan), "finish_reason": plan.finish,
              "stop_reason": None, "logprobs": None}
    return {"id": f"cmpl-{ctx.hex(32)}", "object": "text_completion", "created": ctx.created,
            "model": ctx.model, "choices": [choice], "usage": _chat_usage(plan, ctx)}


def _responses(plan: Plan, ctx: RenderCtx) -> dict[str, Any]:
    output: list[dict[str, Any]] = []
    if plan.reasoning_pieces:
        output.append({"type": "reasoning", "id": f"rs_{ctx.hex(32)}", "summary": [],
                       "content": [{"type": "reasoning_text", "text": plan.reasoning}]})
    for call in plan.calls:
        output.append({"type": "function_call", "id": f"fc_{ctx.hex(32)}",
                       "call_id": f"call_{ctx.hex(24)}", "name": call.name,
                       "arguments": args_text(call), "status": "completed"})
    text = content_text(plan)
    if not plan.calls:
        output.append({"type": "message", "id": f"msg_{ctx.hex(32)}", "role": "assistant",
                       "status": "completed",
                       "content": [{"type": "output_text", "text": text, "annotations": []}]})
    incomplete = plan.finish == "length"
    return {"id": f"resp_{ctx.hex(32)}", "object": "response", "created_at": ctx.created,
            "model": ctx.model, "status": "incomplete" if incomplete else "completed",
            "incomplete_details": {"reason": "max_output_tokens"} if incomplete else None,
            "output": output, "output_text": "" if plan.calls else text,
            "usage": usage_dict(ctx.info, plan.prompt_tokens, plan.completion_tokens,
                                shape="responses", reasoning=len(plan.reasoning_pieces))}
