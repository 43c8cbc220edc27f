"""Neutral types shared by the wire converters, the transport and both front ends.

Nothing here knows a JSON key of the Workers AI wire format or a framework class.
Adapters translate framework types to these; ``workersai.wire`` translates these to and
from the JSON each model family speaks.

All classes are plain ``dataclass(slots=True)`` so that building one per streamed token
costs next to nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

__all__ = [
    "Role",
    "TextPart",
    "ImagePart",
    "Part",
    "ToolCall",
    "InvalidToolCall",
    "Message",
    "ToolSpec",
    "ForcedTool",
    "ToolChoice",
    "ResponseFormat",
    "SamplingParams",
    "ChatParams",
    "Usage",
    "ResponseMeta",
    "Reply",
    "ToolCallFragment",
    "StreamDelta",
    "EmbedParams",
    "EmbeddingResult",
    "RerankResult",
    "Endpoint",
]

Role: TypeAlias = Literal["system", "user", "assistant", "tool"]
Endpoint: TypeAlias = Literal["native", "openai"]


@dataclass(slots=True, frozen=True)
class TextPart:
    """A piece of text inside a multi-part message."""

    text: str


@dataclass(slots=True, frozen=True)
class ImagePart:
    """An image inside a message, always carried as a ``data:`` URL.

    Workers AI rejects http(s) image URLs; adapters turn raw bytes or base64 into a data
    URL and refuse remote URLs with a clear error before any request is made.
    """

    data_url: str
    detail: str | None = None


Part: TypeAlias = TextPart | ImagePart


@dataclass(slots=True)
class ToolCall:
    """A tool call the model made (or that history replays), with parsed arguments."""

    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(slots=True)
class InvalidToolCall:
    """A tool call whose arguments could not be parsed; kept, never dropped."""

    id: str | None
    name: str | None
    raw_arguments: str | None
    error: str


@dataclass(slots=True)
class Message:
    """One chat turn.

    ``content`` is a string or a list of parts. An assistant turn may carry
    ``tool_calls``; a ``tool`` turn carries ``tool_call_id`` (and optionally the tool's
    ``name``).
    """

    role: Role
    content: str | list[Part] = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    tool_call_id: str | None = None
    name: str | None = None


@dataclass(slots=True, frozen=True)
class ToolSpec:
    """A tool the model may call: name, description and a JSON Schema for arguments."""

    name: str
    description: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)
    strict: bool | None = None


@dataclass(slots=True, frozen=True)
class ForcedTool:
    """``tool_choice`` naming one tool that must be called."""

    name: str


ToolChoice: TypeAlias = Literal["auto", "none", "required"] | ForcedTool


@dataclass(slots=True, frozen=True)
class ResponseFormat:
    """JSON mode. ``kind="json_schema"`` needs ``schema``; ``json_object`` does not."""

    kind: Literal["json_object", "json_schema"]
    schema: dict[str, Any] | None = None
    name: str | None = None
    strict: bool | None = None


@dataclass(slots=True)
class SamplingParams:
    """The sampling options every text-producing model takes. ``None`` means "not sent"."""

    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    seed: int | None = None
    repetition_penalty: float | None = None
    frequency_penalty: float | None = None
    presence_penalty: float | None = None


@dataclass(slots=True)
class ChatParams(SamplingParams):
    """Sampling and tool options for one chat request. ``None`` means "not sent"."""

    stop: list[str] | None = None
    lora: str | None = None
    reasoning_effort: str | None = None
    tools: list[ToolSpec] = field(default_factory=list)
    tool_choice: ToolChoice | None = None
    parallel_tool_calls: bool | None = None
    response_format: ResponseFormat | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    """Extra top-level body fields (``model_kwargs``), sent as given."""


@dataclass(slots=True)
class Usage:
    """Token counts as the API reported them (never estimated here)."""

    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    cached_input_tokens: int | None = None
    reasoning_tokens: int | None = None
    neurons: float | None = None


@dataclass(slots=True)
class ResponseMeta:
    """What the HTTP layer learned about a call, from headers and status."""

    status_code: int | None = None
    request_id: str | None = None
    neurons: float | None = None
    gateway_cache_status: str | None = None
    gateway_log_id: str | None = None
    attempts: int = 1


@dataclass(slots=True)
class Reply:
    """A complete chat answer in neutral form."""

    text: str = ""
    reasoning: str | None = None
    tool_calls: list[ToolCall] = field(default_factory=list)
    invalid_tool_calls: list[InvalidToolCall] = field(default_factory=list)
    usage: Usage | None = None
    finish_reason: str | None = None
    model: str | None = None
    id: str | None = None
    parsed: Any = None
    """The JSON value when the model answered in JSON mode with an object."""
    raw: Any = None
    """The model's output object as received (the ``result`` of the envelope)."""
    meta: ResponseMeta = field(default_factory=ResponseMeta)


@dataclass(slots=True)
class ToolCallFragment:
    """A piece of a streamed tool call. ``id`` and ``name`` come on the first piece."""

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""


@dataclass(slots=True)
class StreamDelta:
    """One neutral stream event.

    Text and reasoning deltas arrive as they stream. The *last* delta of a stream (and
    only it) has ``final=True`` and carries ``finish_reason``, ``model``, ``usage`` (the
    final cumulative figure, counted once) and ``meta``.
    """

    text: str = ""
    reasoning: str = ""
    tool_call: ToolCallFragment | None = None
    final: bool = False
    finish_reason: str | None = None
    model: str | None = None
    id: str | None = None
    usage: Usage | None = None
    meta: ResponseMeta | None = None


@dataclass(slots=True)
class EmbedParams:
    """Embedding options. ``kind`` selects query or document handling where it differs."""

    kind: Literal["query", "document"] = "document"
    pooling: Literal["mean", "cls"] | None = None
    truncate_inputs: bool | None = None
    instruction: str | None = None
    """Prefix or instruction for this kind (bge query prefix, qwen3 ``instruction``)."""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class EmbeddingResult:
    """Vectors in input order, with what the calls reported."""

    vectors: list[list[float]]
    usage: Usage | None = None
    meta: list[ResponseMeta] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class RerankResult:
    """One scored document: ``index`` into the caller's list, higher score is better."""

    index: int
    score: float
