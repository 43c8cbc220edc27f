"""LangChain front end for Cloudflare Workers AI.

``ChatWorkersAI`` (chat, tools, streaming, structured output), ``WorkersAIEmbeddings``
and ``WorkersAIReranker`` (a document compressor), all over the ``workersai`` core.
Errors are raised as classes that inherit both the core's error and LangChain's
``langchain_core.exceptions.Model*Error``.
"""

from __future__ import annotations

from ._errors import (
    WorkersAIAPIError,
    WorkersAIAuthenticationError,
    WorkersAIBadRequestError,
    WorkersAIConflictError,
    WorkersAIConnectError,
    WorkersAIContextLengthError,
    WorkersAIDeprecatedModelError,
    WorkersAIInvalidInputError,
    WorkersAILoRANotSupportedError,
    WorkersAIModelNotFoundError,
    WorkersAINotFoundError,
    WorkersAIPermissionDeniedError,
    WorkersAIQuotaExceededError,
    WorkersAIRateLimitError,
    WorkersAIRequestTimeoutError,
    WorkersAIRequestTooLargeError,
    WorkersAIResponseFormatError,
    WorkersAIServerError,
    WorkersAIStreamError,
    WorkersAITimeoutError,
    WorkersAITransportError,
    WorkersAITruncatedStreamError,
)
from .callbacks import WorkersAICostHandler
from .chat_models import DEFAULT_CHAT_MODEL, ChatWorkersAI
from .embeddings import BGE_QUERY_INSTRUCTION, DEFAULT_EMBEDDING_MODEL, WorkersAIEmbeddings
from .rerankers import DEFAULT_RERANK_MODEL, WorkersAIReranker

__all__ = [
    "ChatWorkersAI",
    "WorkersAIEmbeddings",
    "WorkersAIReranker",
    "WorkersAICostHandler",
    "DEFAULT_CHAT_MODEL",
    "DEFAULT_EMBEDDING_MODEL",
    "DEFAULT_RERANK_MODEL",
    "BGE_QUERY_INSTRUCTION",
    "WorkersAIAPIError",
    "WorkersAIAuthenticationError",
    "WorkersAIBadRequestError",
    "WorkersAIConflictError",
    "WorkersAIConnectError",
    "WorkersAIContextLengthError",
    "WorkersAIDeprecatedModelError",
    "WorkersAIInvalidInputError",
    "WorkersAILoRANotSupportedError",
    "WorkersAIModelNotFoundError",
    "WorkersAINotFoundError",
    "WorkersAIPermissionDeniedError",
    "WorkersAIQuotaExceededError",
    "WorkersAIRateLimitError",
    "WorkersAIRequestTimeoutError",
    "WorkersAIRequestTooLargeError",
    "WorkersAIResponseFormatError",
    "WorkersAIServerError",
    "WorkersAIStreamError",
    "WorkersAITimeoutError",
    "WorkersAITransportError",
    "WorkersAITruncatedStreamError",
]
