"""Pure converters between neutral types (``workersai.types``) and Workers AI JSON.

No I/O, no httpx, no framework imports. One module per concern:

- ``chat``: request bodies per model family and endpoint; reply parsing for every family.
- ``stream``: :class:`StreamAssembler`, SSE event dicts of any family -> neutral deltas.
- ``embeddings``: batch planning, request bodies and vector parsing per embedding family.
- ``rerank``: reranker request bodies and result parsing.
- ``families``: model families as data (catalog first, reply shape for unknown ids).
- ``models``: paging and answers of the models API; ``envelope``: the Cloudflare
  ``{"result", "success", "errors"}`` envelope (no catalog: the transport reads it).
- ``tasks``: the non-chat tasks (images, audio, translation, classification, detection,
  image-to-text, summaries): one request builder and one reply parser per task. Not
  imported here, so the chat path does not load it.

Private helpers: ``_messages`` (message arrays), ``_tools`` (tool specs, tool calls, ids,
JSON-text calls), ``_replies`` (one reader per reply shape), ``_reasoning`` (``</think>``
split), ``_stream_calls`` (streamed tool calls), ``_usage`` (usage objects).
"""

from __future__ import annotations

from .chat import build_chat_request, parse_chat_reply
from .embeddings import (
    build_embed_request,
    effective_batch_size,
    parse_embed_result,
    plan_batches,
    validate_texts,
)
from .families import chat_rules, embed_form, reply_shape
from .rerank import build_rerank_request, parse_rerank_result
from .stream import StreamAssembler

__all__ = [
    "build_chat_request",
    "parse_chat_reply",
    "StreamAssembler",
    "validate_texts",
    "effective_batch_size",
    "plan_batches",
    "build_embed_request",
    "parse_embed_result",
    "build_rerank_request",
    "parse_rerank_result",
    "chat_rules",
    "embed_form",
    "reply_shape",
]
