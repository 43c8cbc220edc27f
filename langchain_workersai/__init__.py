"""LangChain front end for Cloudflare Workers AI.

``ChatWorkersAI`` (chat, tools, streaming, structured output), ``WorkersAIEmbeddings``
and ``WorkersAIReranker`` (a document compressor), all over the ``workersai`` core.
Errors are raised as classes that inherit both the core's error and LangChain's
``langchain_core.exceptions.Model*Error``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workersai import __version__

from . import _require  # noqa: F401  # first: names the extra when LangChain is missing
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
    WorkersAIModelRetiredError,
    WorkersAINotFoundError,
    WorkersAIPermissionDeniedError,
    WorkersAIQuotaExceededError,
    WorkersAIRateLimitError,
    WorkersAIRequestTimeoutError,
    WorkersAIRequestTooLargeError,
    WorkersAIResponseFormatError,
    WorkersAIResponseTooLargeError,
    WorkersAIServerError,
    WorkersAIStreamError,
    WorkersAITimeoutError,
    WorkersAIToolCallMissingError,
    WorkersAITransportError,
    WorkersAITruncatedStreamError,
    WorkersAIUnexpectedArgumentError,
)
from .chat_models import DEFAULT_CHAT_MODEL, ChatWorkersAI
from .embeddings import (
    BGE_QUERY_INSTRUCTION,
    DEFAULT_EMBED_MODEL,
    DEFAULT_EMBEDDING_MODEL,
    WorkersAIEmbeddings,
)
from .rerankers import DEFAULT_RERANK_MODEL, WorkersAIReranker

__all__ = [
    "__version__",
    "ChatWorkersAI",
    "WorkersAIEmbeddings",
    "WorkersAIReranker",
    "WorkersAICostHandler",
    "DEFAULT_CHAT_MODEL",
    "DEFAULT_EMBED_MODEL",
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
    "WorkersAIUnexpectedArgumentError",
    "WorkersAIModelRetiredError",
    "WorkersAILoRANotSupportedError",
    "WorkersAIModelNotFoundError",
    "WorkersAINotFoundError",
    "WorkersAIPermissionDeniedError",
    "WorkersAIQuotaExceededError",
    "WorkersAIRateLimitError",
    "WorkersAIRequestTimeoutError",
    "WorkersAIRequestTooLargeError",
    "WorkersAIResponseFormatError",
    "WorkersAIToolCallMissingError",
    "WorkersAIResponseTooLargeError",
    "WorkersAIServerError",
    "WorkersAIStreamError",
    "WorkersAITimeoutError",
    "WorkersAITransportError",
    "WorkersAITruncatedStreamError",
]


def __getattr__(name: str) -> Any:
    # the cost handler pulls in the cost module: loaded when first asked for
    if name == "WorkersAICostHandler":
        from .callbacks import WorkersAICostHandler

        return WorkersAICostHandler
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    from .callbacks import WorkersAICostHandler
