"""Neutral replies and stream deltas -> LangChain messages (the response direction).

One function per neutral shape, shared by the sync and async twins:

* :func:`reply_to_result` for a complete ``Reply``;
* :func:`delta_to_chunk` for one ``StreamDelta`` (usage and every per-response string go
  on the final delta's chunk only, which also gets ``chunk_position="last"``), and
  :func:`deltas_to_chunks` / :func:`adeltas_to_chunks` for a whole stream of them;
* :func:`reply_to_chunk` for a reply that must be delivered as a one-chunk stream.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.messages.ai import InputTokenDetails, OutputTokenDetails, UsageMetadata
from langchain_core.messages.tool import invalid_tool_call, tool_call, tool_call_chunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from workersai.types import Reply, ResponseMeta, StreamDelta, Usage

__all__ = [
    "PROVIDER",
    "REASONING_KEY",
    "usage_metadata",
    "response_metadata",
    "reply_to_message",
    "reply_to_result",
    "delta_to_chunk",
    "deltas_to_chunks",
    "adeltas_to_chunks",
    "reply_to_chunk",
]

PROVIDER = "workersai"
"""``response_metadata["model_provider"]`` and ``ls_provider``."""
REASONING_KEY = "reasoning_content"
"""``additional_kwargs`` key for reasoning text (core turns it into v1 reasoning blocks)."""


def usage_metadata(usage: Usage | None) -> UsageMetadata | None:
    """LangChain usage with cached-input and reasoning details when the API reported them."""
    if usage is None:
        return None
    out = UsageMetadata(
        input_tokens=int(usage.input_tokens),
        output_tokens=int(usage.output_tokens),
        total_tokens=int(usage.total_tokens or usage.input_tokens + usage.output_tokens),
    )
    if usage.cached_input_tokens is not None:
        out["input_token_details"] = InputTokenDetails(cache_read=int(usage.cached_input_tokens))
    if usage.reasoning_tokens is not None:
        out["output_token_details"] = OutputTokenDetails(reasoning=int(usage.reasoning_tokens))
    return out


def response_metadata(
    *,
    model: str,
    finish_reason: str | None,
    meta: ResponseMeta | None,
    usage: Usage | None,
    response_id: str | None = None,
) -> dict[str, Any]:
    """Per-response metadata: model, finish reason, request id, neurons, gateway facts."""
    out: dict[str, Any] = {"model_name": model, "model_provider": PROVIDER}
    if finish_reason is not None:
        out["finish_reason"] = finish_reason
    if response_id:
        out["response_id"] = response_id
    neurons = usage.neurons if usage is not None else None
    if meta is not None:
        if meta.request_id:
            out["request_id"] = meta.request_id
        if meta.neurons is not None:
            neurons = meta.neurons
        if meta.gateway_cache_status:
            out["gateway_cache_status"] = meta.gateway_cache_status
        if meta.gateway_log_id:
            out["gateway_log_id"] = meta.gateway_log_id
    if neurons is not None:
        out["neurons"] = float(neurons)
    return out


def _reply_text(reply: Reply) -> str:
    if reply.text or reply.parsed is None:
        return reply.text
    return json.dumps(reply.parsed, ensure_ascii=False)


def reply_to_message(reply: Reply, *, requested_model: str) -> AIMessage:
    """A complete ``AIMessage``: text, reasoning, tool calls (valid and invalid), usage.
    Empty fields are left to their defaults (the same message; validating empty lists
    costs more than the rest of the message)."""
    fields: dict[str, Any] = {}
    if reply.reasoning:
        fields["additional_kwargs"] = {REASONING_KEY: reply.reasoning}
    if reply.tool_calls:
        fields["tool_calls"] = [
            tool_call(name=c.name, args=c.arguments, id=c.id) for c in reply.tool_calls]
    if reply.invalid_tool_calls:
        fields["invalid_tool_calls"] = [
            invalid_tool_call(name=c.name, args=c.raw_arguments, id=c.id, error=c.error)
            for c in reply.invalid_tool_calls
        ]
    if reply.id is not None:
        fields["id"] = reply.id
    return AIMessage(
        content=_reply_text(reply),
        usage_metadata=usage_metadata(reply.usage),
        response_metadata=response_metadata(
            model=reply.model or requested_model,
            finish_reason=reply.finish_reason,
            meta=reply.meta,
            usage=reply.usage,
        ),
        **fields,
    )


def reply_to_result(reply: Reply, *, requested_model: str) -> ChatResult:
    """``ChatResult`` with one generation; ``llm_output`` carries model name and usage."""
    message = reply_to_message(reply, requested_model=requested_model)
    info = {"finish_reason": reply.finish_reason} if reply.finish_reason else None
    llm_output: dict[str, Any] = {"model_name": message.response_metadata["model_name"]}
    if message.usage_metadata is not None:
        llm_output["token_usage"] = dict(message.usage_metadata)
    return ChatResult(
        generations=[ChatGeneration(message=message, generation_info=info)],
        llm_output=llm_output,
    )


def delta_to_chunk(
    delta: StreamDelta, *, requested_model: str, stream_usage: bool = True
) -> ChatGenerationChunk:
    """One ``AIMessageChunk`` per neutral delta.

    Text goes to ``content``, reasoning to ``additional_kwargs["reasoning_content"]``, a
    tool-call fragment to ``tool_call_chunks`` (its index kept). Only the final delta adds
    usage and the per-response strings, so merging chunks never doubles them.

    A text-only chunk carries nothing but its text: ``model_provider`` (which picks our
    block translator) goes on the chunks whose blocks need it (reasoning, tool calls) and
    on the final one, so the merged message has it once; a text chunk's standard blocks
    are the same either way.
    """
    if delta.text and _text_only(delta):  # the per-token hot path: defaults left unset
        return ChatGenerationChunk(message=AIMessageChunk(content=delta.text))
    chunks = []
    if delta.tool_call is not None:
        frag = delta.tool_call
        chunks.append(
            tool_call_chunk(
                name=frag.name, args=frag.arguments or None, id=frag.id, index=frag.index
            )
        )
    extra: dict[str, Any] = {REASONING_KEY: delta.reasoning} if delta.reasoning else {}
    metadata: dict[str, Any] = {"model_provider": PROVIDER}
    usage = None
    if delta.final:
        metadata = response_metadata(
            model=delta.model or requested_model,
            finish_reason=delta.finish_reason,
            meta=delta.meta,
            usage=delta.usage,
        )
        usage = usage_metadata(delta.usage) if stream_usage else None
    message = AIMessageChunk(
        content=delta.text,
        additional_kwargs=extra,
        tool_call_chunks=chunks,
        usage_metadata=usage,
        response_metadata=metadata,
        id=delta.id if delta.final else None,
        chunk_position="last" if delta.final else None,
    )
    return ChatGenerationChunk(message=message)


def deltas_to_chunks(
    deltas: Iterable[StreamDelta], *, requested_model: str, stream_usage: bool = True
) -> Iterator[ChatGenerationChunk]:
    """:func:`delta_to_chunk` over a stream, the per-token text chunk built inline (one
    Python call less per token than going through :func:`delta_to_chunk`)."""
    for delta in deltas:
        if delta.text and not (delta.final or delta.reasoning or delta.tool_call is not None):
            yield ChatGenerationChunk(message=AIMessageChunk(content=delta.text))
        else:
            yield delta_to_chunk(delta, requested_model=requested_model,
                                 stream_usage=stream_usage)


async def adeltas_to_chunks(
    deltas: AsyncIterable[StreamDelta], *, requested_model: str, stream_usage: bool = True
) -> AsyncIterator[ChatGenerationChunk]:
    """The async twin of :func:`deltas_to_chunks`."""
    async for delta in deltas:
        if delta.text and not (delta.final or delta.reasoning or delta.tool_call is not None):
            yield ChatGenerationChunk(message=AIMessageChunk(content=delta.text))
        else:
            yield delta_to_chunk(delta, requested_model=requested_model,
                                 stream_usage=stream_usage)


def _text_only(delta: StreamDelta) -> bool:
    """Only text: no reasoning, tool-call fragment or final-delta fields."""
    return not (delta.final or delta.reasoning or delta.tool_call is not None)


def reply_to_chunk(
    reply: Reply, *, requested_model: str, stream_usage: bool = True
) -> ChatGenerationChunk:
    """A whole reply as one final chunk (for requests that cannot stream, e.g. JSON mode).

    Tool calls become ``tool_call_chunks`` with their position as index, so the
    aggregate parses back to the same calls.
    """
    message = reply_to_message(reply, requested_model=requested_model)
    chunks = [
        tool_call_chunk(name=c.name, args=json.dumps(c.arguments), id=c.id, index=i)
        for i, c in enumerate(reply.tool_calls)
    ]
    chunks += [
        tool_call_chunk(name=c.name, args=c.raw_arguments, id=c.id, index=len(chunks) + i)
        for i, c in enumerate(reply.invalid_tool_calls)
    ]
    return ChatGenerationChunk(
        message=AIMessageChunk(
            content=message.content,
            additional_kwargs=message.additional_kwargs,
            tool_call_chunks=chunks,
            usage_metadata=message.usage_metadata if stream_usage else None,
            response_metadata=message.response_metadata,
            id=message.id,
            chunk_position="last",
        )
    )
