"""LlamaIndex front end for Cloudflare Workers AI.

``WorkersAI`` (a ``FunctionCallingLLM``), ``WorkersAIEmbedding`` (a ``BaseEmbedding``) and
``WorkersAIRerank`` (a ``BaseNodePostprocessor``), all on the core ``workersai`` client.
"""

from __future__ import annotations

from ._structured import StructuredOutputError
from ._task_transform import WorkersAIDocumentTranslator
from .callbacks import WorkersAICostEventHandler
from .embeddings import DEFAULT_EMBED_MODEL, WorkersAIEmbedding
from .llms import DEFAULT_MODEL, WorkersAI
from .postprocessor import DEFAULT_RERANK_MODEL, WorkersAIRerank
from .readers import WorkersAIAudioReader

__all__ = [
    "WorkersAI",
    "WorkersAIEmbedding",
    "WorkersAIRerank",
    "WorkersAICostEventHandler",
    "StructuredOutputError",
    "DEFAULT_MODEL",
    "DEFAULT_EMBED_MODEL",
    "DEFAULT_RERANK_MODEL",
    "WorkersAIAudioReader",
    "WorkersAIDocumentTranslator",
]
