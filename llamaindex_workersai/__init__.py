"""LlamaIndex front end for Cloudflare Workers AI.

``WorkersAI`` (a ``FunctionCallingLLM``), ``WorkersAIEmbedding`` (a ``BaseEmbedding``) and
``WorkersAIRerank`` (a ``BaseNodePostprocessor``), all on the core ``workersai`` client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from workersai import __version__

from . import _require  # noqa: F401  # first: names the extra when LlamaIndex is missing
from ._structured import StructuredOutputError
from .embeddings import DEFAULT_EMBED_MODEL, WorkersAIEmbedding
from .llms import (
    DEFAULT_CHAT_MODEL,
    DEFAULT_MODEL,
    INVALID_ARGUMENTS,
    WorkersAI,
    invalid_tool_arguments,
)
from .postprocessor import DEFAULT_RERANK_MODEL, WorkersAIRerank

_LAZY = {  # the cost handler and the task wrappers load when first asked for
    "WorkersAICostEventHandler": ".callbacks",
    "WorkersAIAudioReader": ".readers",
    "WorkersAIDocumentTranslator": "._task_transform",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)


if TYPE_CHECKING:
    from ._task_transform import WorkersAIDocumentTranslator
    from .callbacks import WorkersAICostEventHandler
    from .readers import WorkersAIAudioReader

__all__ = [
    "__version__",
    "WorkersAI",
    "WorkersAIEmbedding",
    "WorkersAIRerank",
    "WorkersAICostEventHandler",
    "StructuredOutputError",
    "DEFAULT_CHAT_MODEL",
    "DEFAULT_MODEL",
    "DEFAULT_EMBED_MODEL",
    "DEFAULT_RERANK_MODEL",
    "INVALID_ARGUMENTS",
    "invalid_tool_arguments",
    "WorkersAIAudioReader",
    "WorkersAIDocumentTranslator",
]
