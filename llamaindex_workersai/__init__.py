"""LlamaIndex front end for Cloudflare Workers AI.

``WorkersAI`` (a ``FunctionCallingLLM``), ``WorkersAIEmbedding`` (a ``BaseEmbedding``) and
``WorkersAIRerank`` (a ``BaseNodePostprocessor``), all on the core ``workersai`` client.
"""

from __future__ import annotations

from ._structured import StructuredOutputError
from .embeddings import DEFAULT_EMBED_MODEL, WorkersAIEmbedding
from .llms import DEFAULT_MODEL, WorkersAI
from .postprocessor import DEFAULT_RERANK_MODEL, WorkersAIRerank

__all__ = [
    "WorkersAI",
    "WorkersAIEmbedding",
    "WorkersAIRerank",
    "StructuredOutputError",
    "DEFAULT_MODEL",
    "DEFAULT_EMBED_MODEL",
    "DEFAULT_RERANK_MODEL",
]
