"""Errors re-raised with both parents: the core's error and LangChain's ``Model*Error``.

A caller can catch either family: ``except workersai.errors.RateLimitError`` and
``except langchain_core.exceptions.ModelRateLimitError`` both see
:class:`WorkersAIRateLimitError`. Every attribute of the original (status, Cloudflare
code, request id, retry_after) is kept; the original stays reachable as ``__cause__``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from langchain_core.exceptions import (
    ContextOverflowError,
    ModelAPIError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelError,
    ModelInvalidRequestError,
    ModelPermissionDeniedError,
    ModelRateLimitError,
    ModelTimeoutError,
)
from langchain_core.exceptions import ModelNotFoundError as _LCModelNotFoundError

from workersai import errors as wa

__all__ = [
    "WorkersAIInvalidInputError",
    "WorkersAIUnexpectedArgumentError",
    "WorkersAITransportError",
    "WorkersAIConnectError",
    "WorkersAITimeoutError",
    "WorkersAIStreamError",
    "WorkersAITruncatedStreamError",
    "WorkersAIResponseFormatError",
    "WorkersAIToolCallMissingError",
    "WorkersAIResponseTooLargeError",
    "WorkersAIAPIError",
    "WorkersAIBadRequestError",
    "WorkersAIContextLengthError",
    "WorkersAIModelNotFoundError",
    "WorkersAIAuthenticationError",
    "WorkersAIPermissionDeniedError",
    "WorkersAINotFoundError",
    "WorkersAILoRANotSupportedError",
    "WorkersAIRequestTimeoutError",
    "WorkersAIConflictError",
    "WorkersAIRequestTooLargeError",
    "WorkersAIRateLimitError",
    "WorkersAIQuotaExceededError",
    "WorkersAIDeprecatedModelError",
    "WorkersAIModelRetiredError",
    "WorkersAIServerError",
    "to_langchain_error",
    "reraise",
]


class WorkersAIInvalidInputError(wa.InvalidInputError, ModelInvalidRequestError):
    """Input that cannot be sent (raised before any request)."""


class WorkersAIUnexpectedArgumentError(wa.UnexpectedArgumentError, ModelInvalidRequestError):
    """An unknown per-call keyword argument (also a ``TypeError``)."""


class WorkersAIModelRetiredError(wa.ModelRetiredError, ModelInvalidRequestError):
    """The model was retired on its deprecation date (raised before any request)."""


class WorkersAITransportError(wa.TransportError, ModelConnectionError):
    """No (complete) HTTP answer: the connection failed or dropped."""


class WorkersAIConnectError(wa.ConnectError, ModelConnectionError):
    """Could not connect to Workers AI."""


class WorkersAITimeoutError(wa.TimeoutError, ModelTimeoutError):
    """A connect, read or stream-idle timeout expired."""


class WorkersAIStreamError(wa.StreamError, ModelAPIError):
    """A stream failed after it started."""


class WorkersAITruncatedStreamError(wa.TruncatedStreamError, ModelAPIError):
    """The stream closed without ``[DONE]`` or a finish reason."""


class WorkersAIResponseFormatError(wa.ResponseFormatError, ModelAPIError):
    """Workers AI answered with a body that could not be read."""


class WorkersAIToolCallMissingError(wa.ToolCallMissingError, ModelAPIError):
    """A forced tool call (``tool_choice`` any/required/named) did not come back."""
class WorkersAIResponseTooLargeError(wa.ResponseTooLargeError, ModelAPIError):
    """Workers AI answered with more bytes than a ``workersai.Limits`` setting allows."""


class WorkersAIAPIError(wa.APIError, ModelAPIError):
    """Workers AI answered with an error."""


class WorkersAIBadRequestError(wa.BadRequestError, ModelInvalidRequestError):
    """HTTP 400: the request was rejected."""


class WorkersAIContextLengthError(wa.ContextLengthError, ContextOverflowError):
    """The input does not fit the model's context window."""


class WorkersAIModelNotFoundError(wa.ModelNotFoundError, _LCModelNotFoundError):
    """No such model."""


class WorkersAIAuthenticationError(wa.AuthenticationError, ModelAuthenticationError):
    """HTTP 401: the token is missing, wrong or lacks permission."""


class WorkersAIPermissionDeniedError(wa.PermissionDeniedError, ModelPermissionDeniedError):
    """HTTP 403: the account may not use this model."""


class WorkersAINotFoundError(wa.NotFoundError, _LCModelNotFoundError):
    """HTTP 404 or a routing error (often a wrong account id)."""


class WorkersAILoRANotSupportedError(wa.LoRANotSupportedError, ModelInvalidRequestError):
    """The model does not take a LoRA adapter."""


class WorkersAIRequestTimeoutError(wa.RequestTimeoutError, ModelTimeoutError):
    """HTTP 408: the API timed out the request."""


class WorkersAIConflictError(wa.ConflictError, ModelAPIError):
    """HTTP 409."""


class WorkersAIRequestTooLargeError(wa.RequestTooLargeError, ModelInvalidRequestError):
    """HTTP 413: the request body is too large."""


class WorkersAIRateLimitError(wa.RateLimitError, ModelRateLimitError):
    """HTTP 429: capacity or per-minute limit."""


class WorkersAIQuotaExceededError(wa.QuotaExceededError, ModelRateLimitError):
    """The daily free allocation is used up (not retryable)."""


class WorkersAIDeprecatedModelError(wa.DeprecatedModelError, _LCModelNotFoundError):
    """The model was deprecated and no longer answers."""


class WorkersAIServerError(wa.ServerError, ModelAPIError):
    """HTTP 5xx."""


_DUALS: tuple[type[wa.WorkersAIError], ...] = (
    WorkersAIInvalidInputError,
    WorkersAIUnexpectedArgumentError,
    WorkersAIModelRetiredError,
    WorkersAITransportError,
    WorkersAIConnectError,
    WorkersAITimeoutError,
    WorkersAIStreamError,
    WorkersAITruncatedStreamError,
    WorkersAIResponseFormatError,
    WorkersAIToolCallMissingError,
    WorkersAIResponseTooLargeError,
    WorkersAIAPIError,
    WorkersAIBadRequestError,
    WorkersAIContextLengthError,
    WorkersAIModelNotFoundError,
    WorkersAIAuthenticationError,
    WorkersAIPermissionDeniedError,
    WorkersAINotFoundError,
    WorkersAILoRANotSupportedError,
    WorkersAIRequestTimeoutError,
    WorkersAIConflictError,
    WorkersAIRequestTooLargeError,
    WorkersAIRateLimitError,
    WorkersAIQuotaExceededError,
    WorkersAIDeprecatedModelError,
    WorkersAIServerError,
)
# Each dual class's first base is the core class it stands for.
_BY_CORE: dict[type[wa.WorkersAIError], type[wa.WorkersAIError]] = {
    cls.__bases__[0]: cls for cls in _DUALS
}


def to_langchain_error(exc: wa.WorkersAIError) -> wa.WorkersAIError:
    """The dual-class twin of ``exc`` with the same attributes (``exc`` if none fits).

    The most specific core class in ``exc``'s MRO decides; a core subclass we do not
    know (added later) still maps through its nearest known parent.
    """
    if isinstance(exc, ModelError):
        return exc
    for klass in type(exc).__mro__:
        dual = _BY_CORE.get(klass)
        if dual is not None:
            twin = dual.__new__(dual)
            twin.args = exc.args
            twin.__dict__.update(exc.__dict__)
            return twin
    return exc


@contextmanager
def reraise() -> Iterator[None]:
    """Turn core errors raised inside the block into their LangChain dual classes."""
    try:
        yield
    except wa.WorkersAIError as exc:
        twin = to_langchain_error(exc)
        if twin is exc:
            raise
        raise twin from exc
