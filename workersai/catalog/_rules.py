"""Hand rules the published definitions cannot express, each naming its evidence.

Read only by the generator (``_derive``). Three tables:

- :data:`FAMILY_RULES`: the reply shape of a model id (ordered patterns, first match wins;
  without a match the family is read off the published output schema, see
  ``_derive.family_from_schema``).
- :data:`FILL`: values used only where the published definition is silent. Each entry says
  where the value comes from; a published value always wins.
- :data:`UNPUBLISHED`: ids the project supports that have no published definition (yet);
  they are listed with ``published=False`` and drop out of this table once Cloudflare
  publishes them (the generator then prefers the definition).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from ._info import Family, Reasoning, Task

__all__ = ["FAMILY_RULES", "FILL", "REASONING_BY_FAMILY", "THINK_IN_TEXT", "UNPUBLISHED",
           "family_rule"]

FAMILY_RULES: tuple[tuple[str, Family, str], ...] = (
    ("@cf/openai/gpt-oss-*", "gpt-oss",
     "input schema offers a Responses `input` branch; output schema has `output` items"),
    ("@cf/meta/llama-4-*", "llama4",
     "replies carry tool calls as {id, type, function} (reference 14.10) although the "
     "output schema still declares {name, arguments}"),
    ("@cf/ibm-granite/granite-4.0-h-micro", "chat",
     "no schema published; answers chat.completion objects (reference 13)"),
    ("@cf/swiss-ai/apertus-*", "chat",
     "no schema published; recent models answer chat.completion objects (unverified; "
     "the wire layer still detects the shape from the reply)"),
    ("@cf/utter-project/eurollm-*", "chat",
     "no schema published; as apertus (unverified)"),
    ("@cf/cloudflare/clef*", "other",
     "not a chat model: input {questions, images}, output {answers}"),
    ("@cf/baai/bge-reranker-*", "reranker",
     "input {query, contexts}; output {response: [{id, score}]}"),
    ("@cf/baai/bge-m3", "bge-m3",
     "input accepts {query, contexts} besides {text}; output adds `response`"),
)
"""(fnmatch pattern, family, evidence)."""

THINK_IN_TEXT: tuple[tuple[str, str], ...] = (
    ("@cf/deepseek-ai/deepseek-r1-distill-qwen-32b",
     "reasoning arrives inside `response`, closed by </think> (reference 14.11)"),
    ("@cf/qwen/qwq-32b", "same </think> split as R1 (reference 13)"),
)
"""Classic models whose reasoning is a ``</think>`` split inside the text."""


def family_rule(model_id: str) -> Family | None:
    """The hand family of ``model_id`` (``None``: read it from the schema)."""
    return next((fam for pat, fam, _ in FAMILY_RULES if fnmatchcase(model_id, pat)), None)


_REF = "wire reference 13 (docs model page)"
_PRICING = "pricing page (wire reference 11)"
_CARD = "model card (wire reference 4)"
_OLD = "hand table before the snapshot (neurons / 90,909; unverified)"

FILL: dict[str, dict[str, Any]] = {
    # -- capabilities the docs pages state but the published properties do not ------------
    "@cf/meta/llama-4-scout-17b-16e-instruct": {  # _REF: vision; async batch
        "vision": True, "async_queue": True},
    "@cf/mistralai/mistral-small-3.1-24b-instruct": {  # _REF: tools, vision
        "function_calling": True, "vision": True},
    "@cf/google/gemma-3-12b-it": {"function_calling": True, "vision": True},  # _REF
    "@cf/qwen/qwq-32b": {"function_calling": True},  # _REF
    "@cf/meta/llama-3.2-11b-vision-instruct": {  # _REF: image input; 128k context
        "vision": True, "context_window": 128000},
    "@cf/meta/m2m100-1.2b": {"async_queue": True},  # _REF (batch queue support)
    "@cf/baai/bge-m3": {  # _CARD: 1024 dimensions, 8192 tokens an input; _REF async
        "dimensions": 1024, "max_input_tokens": 8192, "async_queue": True},
    # -- context windows from the docs pages ----------------------------------------------
    "@cf/meta/llama-3.1-8b-instruct-fast": {  # _REF: 128k; _PRICING: 0.045 / 0.384
        "context_window": 128000,
        "prices": (("per M input tokens", 0.045, _PRICING),
                   ("per M output tokens", 0.384, _PRICING))},
    "@cf/meta/llama-3.2-1b-instruct": {  # _REF: 60k; _PRICING
        "context_window": 60000,
        "prices": (("per M input tokens", 0.027, _PRICING),
                   ("per M output tokens", 0.201, _PRICING))},
    "@cf/meta/llama-3.2-3b-instruct": {  # _REF: 128k, max_tokens 256; _PRICING
        "context_window": 128000, "default_max_tokens": 256,
        "prices": (("per M input tokens", 0.051, _PRICING),
                   ("per M output tokens", 0.335, _PRICING))},
    # -- prices only the pricing page lists -----------------------------------------------
    "@cf/meta/llama-3.1-8b-instruct-fp8": {
        "prices": (("per M input tokens", 0.152, _PRICING),
                   ("per M output tokens", 0.287, _PRICING))},
    "@cf/meta/llama-3.1-8b-instruct-awq": {
        "prices": (("per M input tokens", 0.123, _PRICING),
                   ("per M output tokens", 0.266, _PRICING))},
    "@cf/meta/llama-3.1-8b-instruct": {
        "prices": (("per M input tokens", 0.282, _PRICING),
                   ("per M output tokens", 0.827, _PRICING))},
    "@cf/mistral/mistral-7b-instruct-v0.1": {  # _REF; _PRICING
        "context_window": 2824, "lora": True, "default_max_tokens": 256,
        "prices": (("per M input tokens", 0.110, _PRICING),
                   ("per M output tokens", 0.190, _PRICING))},
    # -- embedding facts from the model cards ----------------------------------------------
    "@cf/qwen/qwen3-embedding-0.6b": {"dimensions": 1024, "max_input_tokens": 8192},  # _CARD
    "@cf/google/embeddinggemma-300m": {  # _CARD; no maxItems published: the client's cap
        "dimensions": 768, "max_input_tokens": 2048, "batch_limit": 100},
    "@cf/baai/bge-reranker-base": {"max_input_tokens": 512},  # _CARD
    # -- no schema published at all --------------------------------------------------------
    "@cf/ibm-granite/granite-4.0-h-micro": {  # _OLD: tools and response_format (unverified)
        "function_calling": True, "json_mode": "response_format"},
    # -- not yet in the snapshot (see UNPUBLISHED) -----------------------------------------
    "@cf/nvidia/nemotron-3-120b-a12b": {  # _REF; prices _OLD
        "context_window": 256000, "function_calling": True, "json_mode": "response_format",
        "reasoning": "content",
        "prices": (("per M input tokens", 0.5, _OLD), ("per M output tokens", 1.5, _OLD))},
    "@cf/deepseek-ai/deepseek-v4-pro-0813": {  # _REF (langchain-cloudflare changelog)
        "context_window": 1048576, "function_calling": True, "vision": True,
        "json_mode": "response_format", "reasoning": "content", "paid_only": True},
    "@cf/deepseek-ai/deepseek-v4-flash-0731": {  # _REF
        "context_window": 1048576, "function_calling": True, "json_mode": "response_format",
        "reasoning": "content", "paid_only": True},
    "@cf/pfnet/plamo-embedding-1b": {  # _CARD; prices _OLD
        "dimensions": 2048, "batch_limit": 100,
        "prices": (("per M input tokens", 0.019, _OLD),)},
    "@cf/baai/bge-reranker-v2-m3": {"max_input_tokens": 8192},  # _CARD
}
"""Model id -> field -> value, used only where the published definition is silent.
``prices`` entries are ``(unit, usd, source)``."""

UNPUBLISHED: dict[str, tuple[Task, Family, str]] = {
    # files Cloudflare lists but the shipped snapshot does not hold yet
    "@cf/nvidia/nemotron-3-120b-a12b": ("text-generation", "chat", "pending snapshot"),
    "@cf/deepseek-ai/deepseek-v4-pro-0813": ("text-generation", "chat", "pending snapshot"),
    "@cf/deepseek-ai/deepseek-v4-flash-0731": ("text-generation", "chat", "pending snapshot"),
    "@cf/meta/llama-3.2-3b-instruct": ("text-generation", "classic", "pending snapshot"),
    "@cf/mistral/mistral-7b-instruct-v0.1": ("text-generation", "classic", "pending snapshot"),
    "@cf/pfnet/plamo-embedding-1b": ("text-embeddings", "embedding", "pending snapshot"),
    "@cf/deepgram/nova-3": ("automatic-speech-recognition", "other", "pending snapshot"),
    # no definition at all: Cloudflare does not publish this reranker; kept because the
    # rerank API accepts any reranker id and users name it (served per its model card)
    "@cf/baai/bge-reranker-v2-m3": ("text-classification", "reranker", "not published"),
}
"""Model id -> (task, family, why unpublished)."""

REASONING_BY_FAMILY: dict[Family, Reasoning] = {
    "chat": "content", "gpt-oss": "responses", "classic": "think", "llama4": "think",
}
"""Where a model with the published ``reasoning`` property puts it, by family."""
