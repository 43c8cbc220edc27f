"""Model families as data: how to write a request for a model, and which shape came back.

Catalog first. A known model id's catalog ``family`` selects one row of
:data:`CHAT_RULES` (chat) or :data:`EMBED_FORMS` (embeddings); the row holds every
difference between families the converters act on, so no converter branches on a model
name. An id the catalog does not know gets the permissive chat-completions row
(:data:`UNKNOWN_CHAT`; new Workers AI models speak that shape) and its replies are read by
shape (:func:`reply_shape`), which is also how a known model's reply is read, because the
same model answers in different shapes on different endpoints (a classic model answers
with a ``chat.completion`` object on ``/ai/v1/chat/completions``).

gpt-oss is sent the chat-completions ``messages`` form, not the Responses ``input`` form.
Both are accepted by the service; ``messages`` carries every knob we expose under its
documented name (``stop``, ``seed``, penalties, ``response_format`` envelope,
``tool_choice``, ``parallel_tool_calls``, ``stream_options``, ``reasoning_effort``) and
streams ``chat.completion.chunk`` events (reference section 3.2), while Responses-form
streaming on ``/ai/run`` has been seen to answer with a plain JSON body (section 2.7,
family C quirk 1). Responses *replies* and stream events are still read
(``/ai/v1/responses``, or a service that answers in that form).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal, TypeAlias

from .. import catalog
from ..catalog import JsonMode, lookup
from ..catalog.facts import InputFacts, input_facts
from ..errors import InvalidInputError
from ..types import Endpoint

__all__ = [
    "ReplyShape",
    "ChatRules",
    "CHAT_RULES",
    "UNKNOWN_CHAT",
    "chat_rules",
    "reply_shape",
    "think_in_text",
    "EmbedForm",
    "EMBED_FORMS",
    "embed_form",
    "RERANK_FAMILIES",
]

ReplyShape: TypeAlias = Literal["classic", "chat", "responses"]


@dataclass(frozen=True, slots=True)
class ChatRules:
    """Everything the chat request builder needs to know about one model."""

    native_shape: ReplyShape
    """The reply shape the model sends on the native endpoint."""
    tool_choice: bool
    """Accepts ``tool_choice``/``parallel_tool_calls``; else ``tool_choice`` is emulated."""
    bare_json_schema: bool
    """``response_format.json_schema`` is the bare schema (classic), not the envelope."""
    fill_tool_descriptions: bool
    """Classic schema: ``description`` required on the tool and every property."""
    merge_same_role: bool
    """Consecutive same-role turns are rejected: merge them."""
    alnum_call_ids: bool
    """``tool_call_id`` must contain 9 alphanumerics (classic schemas)."""
    reasoning_effort: bool
    """Takes a top-level ``reasoning_effort``."""
    stream_usage: bool
    """Send ``stream_options: {"include_usage": true}`` with ``stream``."""
    image_detail: bool
    """Image parts may carry OpenAI's ``detail`` (classic ``image_url`` is ``{url}`` only)."""
    known: bool = True
    vision: bool = True
    lora: bool = True
    json_mode: JsonMode | None = "response_format"
    think: bool = False
    """Reasoning arrives in the text, ended by ``</think>`` (DeepSeek-R1 style)."""
    efforts: tuple[str, ...] = ()
    fields: frozenset[str] | None = None
    """Top-level fields the published input schema lists (``None``: unknown, send all)."""
    bounds: tuple[tuple[str, float | None, float | None], ...] = ()
    """``(field, minimum, maximum)`` from the published input schema."""
    parallel_tool_calls: bool = True
    """Takes ``parallel_tool_calls`` (else ``False`` is honoured on the client)."""
    image_field: bool = False
    """Images go as one top-level ``image`` (bytes as integers); content stays text."""
    effort_field: Literal["reasoning_effort", "reasoning"] = "reasoning_effort"
    """Where ``reasoning_effort`` goes: top level, or Responses-style ``reasoning.effort``."""

    def takes(self, name: str) -> bool:
        """Whether the model's published input schema has top-level field ``name``."""
        return self.fields is None or name in self.fields


_CLASSIC = ChatRules(
    native_shape="classic",
    tool_choice=False,
    bare_json_schema=True,
    fill_tool_descriptions=True,
    merge_same_role=True,
    alnum_call_ids=True,
    reasoning_effort=False,
    stream_usage=False,
    image_detail=False,
)
_CHAT = ChatRules(
    native_shape="chat",
    tool_choice=True,
    bare_json_schema=False,
    fill_tool_descriptions=False,
    merge_same_role=False,
    alnum_call_ids=False,
    reasoning_effort=True,
    stream_usage=True,
    image_detail=True,
)

CHAT_RULES: dict[str, ChatRules] = {
    "classic": _CLASSIC,
    "llama4": _CLASSIC,
    "chat": _CHAT,
    "gpt-oss": _CHAT,  # messages form, see the module docstring
}
"""Catalog family -> request rules (capabilities are filled in from the model's entry)."""

UNKNOWN_CHAT = replace(_CHAT, known=False)
"""Rules for an id the catalog does not know: chat-completions form, nothing refused."""


def _openai_endpoint(rules: ChatRules) -> ChatRules:
    return replace(
        rules, tool_choice=True, bare_json_schema=False, stream_usage=True, image_detail=True
    )


"""``/ai/v1/chat/completions`` speaks OpenAI for every model (reference section 8); the
message rules of the model's family (merging, text-only content, ids) still apply."""


def _json_mode(said: JsonMode | None, fields: frozenset[str]) -> JsonMode | None:
    """The catalog's JSON mode when the schema has its field, else the schema's own."""
    if said is not None and said in fields:
        return said
    for form in ("response_format", "guided_json"):
        if form in fields:
            return form
    return None


def _with_facts(rules: ChatRules, facts: InputFacts) -> ChatRules:
    """``rules`` narrowed to what the model's published input schema lists."""
    f = facts.fields
    effort_field: Literal["reasoning_effort", "reasoning"] = (
        "reasoning" if "reasoning_effort" not in f and "reasoning" in f else "reasoning_effort"
    )
    return replace(
        rules,
        fields=f,
        bounds=tuple((k, lo, hi) for k, (lo, hi) in sorted(facts.bounds.items())),
        tool_choice="tool_choice" in f,
        parallel_tool_calls="parallel_tool_calls" in f,
        stream_usage=rules.stream_usage and "stream_options" in f,
        fill_tool_descriptions=rules.fill_tool_descriptions or facts.tool_descriptions,
        json_mode=_json_mode(rules.json_mode, f),
        lora=rules.lora and "lora" in f,
        reasoning_effort=rules.reasoning_effort and bool({"reasoning_effort", "reasoning"} & f),
        effort_field=effort_field,
        image_field=rules.vision and "image" in f,
    )


@lru_cache(maxsize=512)
def chat_rules(model: str, endpoint: Endpoint = "native") -> ChatRules:
    """The request rules for ``model`` on ``endpoint``.

    On the native endpoint, a model with a published input schema (see
    :mod:`workersai.catalog.facts`) gets only the fields that schema lists: the rest is
    not sent (``stop`` is then applied on the client, forced tool use by instruction;
    see ``docs/conformance.md``).

    Raises:
        InvalidInputError: ``model`` is a known model of another task (e.g. embeddings).
    """
    info = lookup(model)
    facts = input_facts(model) if endpoint == "native" else None
    if facts is not None and "messages" not in facts.fields:
        facts = None  # not a chat schema (prompt-only or another task)
    if info is None:
        return UNKNOWN_CHAT if facts is None else _with_facts(UNKNOWN_CHAT, facts)
    base = CHAT_RULES.get(info.family)
    if base is None or info.task != "text-generation":
        raise InvalidInputError(f"{model} is a {info.task} model, not a chat model")
    rules = replace(
        base,
        vision=info.vision,
        lora=info.lora,
        json_mode=info.json_mode,
        think=info.reasoning == "think",
        efforts=info.reasoning_efforts,
    )
    if endpoint == "openai":
        return _openai_endpoint(rules)
    return rules if facts is None else _with_facts(rules, facts)


_SHAPE_KEYS: tuple[tuple[str, ReplyShape], ...] = (
    ("choices", "chat"),
    ("output", "responses"),
    ("output_text", "responses"),
    ("response", "classic"),
    ("tool_calls", "classic"),
)


def reply_shape(result: Any, model: str) -> ReplyShape:
    """Which family's shape ``result`` has: by its keys, else the catalog's native shape."""
    if isinstance(result, dict):
        for key, shape in _SHAPE_KEYS:
            if key in result:
                return shape
        if result.get("object") == "response":
            return "responses"
    info = lookup(model)
    rules = CHAT_RULES.get(info.family) if info is not None else None
    return rules.native_shape if rules is not None else "classic"


def think_in_text(model: str) -> bool:
    """Whether the catalog says ``model`` writes its reasoning before ``</think>``."""
    info = lookup(model)
    return info is not None and info.reasoning == "think"


@dataclass(frozen=True, slots=True)
class EmbedForm:
    """How one embedding model takes its texts and options."""

    query_key: str = "text"
    document_key: str = "text"
    instruction_field: bool = False
    """The instruction is sent as ``instruction`` (qwen3); else it prefixes each text."""
    pooling: bool = False
    truncate_inputs: bool = False
    batch_limit: int = 100
    known: bool = True


EMBED_FORMS: dict[str, EmbedForm] = {
    "bge": EmbedForm(pooling=True),
    "bge-m3": EmbedForm(truncate_inputs=True),
    "embedding": EmbedForm(),
    "qwen3": EmbedForm(query_key="queries", document_key="documents", instruction_field=True),
}
"""Embedding form by catalog family (``qwen3`` by id prefix, see :data:`_FORM_BY_PREFIX`)."""

_FORM_BY_PREFIX: tuple[tuple[str, str], ...] = (("@cf/qwen/qwen3-embedding", "qwen3"),)
"""The catalog family ``embedding`` groups models whose request keys differ."""

_UNKNOWN_EMBED = EmbedForm(pooling=True, truncate_inputs=True, known=False)
_DEFAULT_BATCH = 100

RERANK_FAMILIES = frozenset({"reranker", "bge-m3"})
"""Catalog families that take ``{"query", "contexts"}`` and answer ``[{id, score}]``."""


@lru_cache(maxsize=256)
def embed_form(model: str) -> EmbedForm:
    """The embedding form for ``model`` (permissive for unknown ids).

    Raises:
        InvalidInputError: ``model`` is a known model of another task.
    """
    info = lookup(model)
    if info is None:
        return _UNKNOWN_EMBED
    if info.task != "text-embeddings":
        raise InvalidInputError(f"{model} is a {info.task} model, not an embedding model")
    family: str = info.family
    for prefix, form_name in _FORM_BY_PREFIX:
        if model.startswith(prefix):
            family = form_name
    form = EMBED_FORMS.get(family, EMBED_FORMS["embedding"])
    return replace(form, batch_limit=info.batch_limit or _DEFAULT_BATCH)


def _clear_caches() -> None:
    chat_rules.cache_clear()
    embed_form.cache_clear()


catalog.on_change(_clear_caches)
