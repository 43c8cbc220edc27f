"""The errors this package raises, as one tree.

::

    WorkersAIError
     ├── ConfigurationError            missing/malformed account id or token (no request made)
     ├── InvalidInputError             bad input caught before any request (also a ValueError)
     │    ├── UnexpectedArgumentError  an unknown per-call keyword argument (also a TypeError)
     │    └── ModelRetiredError        the model was retired on its deprecation date
     ├── TransportError                no HTTP answer
     │    ├── ConnectError             could not connect (retryable)
     │    └── TimeoutError             connect/read/stream-idle timeout (retryable)
     ├── StreamError                  a stream that did not finish properly
     │    └── TruncatedStreamError     closed without [DONE] or a finish reason
     ├── ResponseFormatError           a body we could not read (malformed JSON, wrong shape)
     │    └── ToolCallMissingError     a forced tool call did not come back
     │    └── ResponseTooLargeError    a body, SSE line/event or inflated size over its limit
     ├── APIError                      the API answered with an error (status, code, message)
     │    ├── BadRequestError          400 (5006 bad input, ...)
     │    │    ├── ContextLengthError  the input is longer than the model's context
     │    │    └── ModelNotFoundError  5007 / 3042: no such model
     │    ├── AuthenticationError      401 / 10000
     │    ├── PermissionDeniedError    403 (5016 terms, 5018, paid-only models)
     │    ├── NotFoundError            404 / 7000 / 7003 routing
     │    ├── LoRANotSupportedError    405 / 5005
     │    ├── RequestTimeoutError      408 / 3007 (retryable)
     │    ├── ConflictError            409 (retryable)
     │    ├── RequestTooLargeError     413 / 3006
     │    ├── RateLimitError           429 / 3040 capacity, 3021 RPM (retryable)
     │    │    └── QuotaExceededError  3036 / 4006 daily free allocation (not retryable)
     │    ├── DeprecatedModelError     5028
     │    └── ServerError              5xx / 3050 (retryable)
     └── BatchError                    some items of a batch failed; finished work is kept

Every ``APIError`` carries ``status_code``, ``code`` and ``codes``, ``message`` and
``messages``, ``request_id`` (``cf-ai-req-id`` or ``cf-ray``), ``retry_after`` (seconds)
and ``is_retryable``. No message ever contains the API token.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "WorkersAIError",
    "ConfigurationError",
    "InvalidInputError",
    "UnexpectedArgumentError",
    "ModelRetiredError",
    "TransportError",
    "ConnectError",
    "TimeoutError",
    "StreamError",
    "TruncatedStreamError",
    "ResponseFormatError",
    "ToolCallMissingError",
    "ResponseTooLargeError",
    "APIError",
    "BadRequestError",
    "ContextLengthError",
    "ModelNotFoundError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "LoRANotSupportedError",
    "RequestTimeoutError",
    "ConflictError",
    "RequestTooLargeError",
    "RateLimitError",
    "QuotaExceededError",
    "DeprecatedModelError",
    "ServerError",
    "BatchError",
    "MigrationWarning",
]


class WorkersAIError(Exception):
    """Base of every error this package raises."""

    is_retryable: bool = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigurationError(WorkersAIError, ValueError):
    """Configuration is missing or malformed; raised before any request."""


class InvalidInputError(WorkersAIError, ValueError):
    """The caller's input cannot be sent; raised before any request."""


class UnexpectedArgumentError(InvalidInputError, TypeError):
    """A per-call keyword argument nobody would read; refused rather than dropped.

    Also a ``TypeError``, the error Python raises for an unexpected keyword argument.
    """


class ModelRetiredError(InvalidInputError):
    """The model was retired (its deprecation date has passed); raised before any request.

    ``model``, ``date`` (ISO) and ``replacement`` (the model Cloudflare names, or ``None``)
    say which, when and what to use instead; ``task`` is the model's task, ``choose_from``
    the task to pick a successor from (``task`` unless none of its models is current) and
    ``recommended`` the models Cloudflare's changelog recommends where it names no
    per-model replacement.
    """

    def __init__(self, model: str, date: str | None = None,
                 replacement: str | None = None, *, task: str | None = None,
                 choose_from: str | None = None, recommended: tuple[str, ...] = ()) -> None:
        what = f"{task} model" if task else "model"
        super().__init__(model if date is None else
                         f"Workers AI {what} {model} was retired on {date}; "
                         f"{retired_advice(task, replacement, recommended, choose_from)}")
        self.model, self.date, self.replacement = model, date, replacement
        self.task, self.choose_from, self.recommended = task, choose_from or task, recommended


def retired_advice(task: str | None, replacement: str | None,
                   recommended: tuple[str, ...] = (), choose_from: str | None = None) -> str:
    """What to use instead of a retired model: its replacement, else the recommended
    models, else the catalog call listing current models of its task."""
    if replacement:
        return f"use {replacement} instead"
    pick = choose_from or task
    where = f"workersai.catalog.models_for_task({pick!r})" if pick else (
        "workersai.catalog.models_for_task(...)")
    lead = ""
    if task and pick and pick != task:
        lead = f"no {task} model is current, {pick} models do the job: "
    if recommended:
        return (f"{lead}Cloudflare recommends {', '.join(recommended)} "
                f"(or another current model from {where})")
    return f"{lead}pick a current model from {where}"


class TransportError(WorkersAIError):
    """No HTTP answer was received."""

    is_retryable = True


class ConnectError(TransportError):
    """Could not connect to the API."""


class TimeoutError(TransportError):
    """A connect, read or stream-idle timeout expired."""


class StreamError(WorkersAIError):
    """A stream failed after it started. Never retried: events reached the caller."""


class TruncatedStreamError(StreamError):
    """The stream closed without ``[DONE]`` or a finish reason: the text is incomplete."""

    def __init__(self, message: str, *, partial_text: str = "") -> None:
        super().__init__(message)
        self.partial_text = partial_text


class ResponseFormatError(WorkersAIError):
    """The API answered with a body this package could not read."""

    def __init__(self, message: str, *, status_code: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body[:500]


class ToolCallMissingError(ResponseFormatError):
    """A tool call was forced (``tool_choice`` any/required/named) but none came back."""
class ResponseTooLargeError(ResponseFormatError):
    """The answer outgrew a size limit (``workersai.Limits``); reading stopped there.

    ``limit`` is the limit in bytes and ``setting`` the ``Limits`` field that sets it.
    Not retryable: the same request would get the same answer.
    """

    def __init__(self, message: str, *, limit: int, setting: str,
                 status_code: int | None = None) -> None:
        super().__init__(message, status_code=status_code)
        self.limit = limit
        self.setting = setting


class APIError(WorkersAIError):
    """The API answered with an error envelope or an error status."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        code: int | None = None,
        codes: list[int] | None = None,
        messages: list[str] | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
        is_retryable: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.codes = codes if codes is not None else ([code] if code is not None else [])
        self.messages = messages if messages is not None else [message]
        self.request_id = request_id
        self.retry_after = retry_after
        if is_retryable is not None:
            self.is_retryable = is_retryable

    def __str__(self) -> str:
        parts = [self.message]
        details = []
        if self.status_code is not None:
            details.append(f"status {self.status_code}")
        if self.code is not None:
            details.append(f"code {self.code}")
        if self.request_id:
            details.append(f"request id {self.request_id}")
        if details:
            parts.append(f"({', '.join(details)})")
        return " ".join(parts)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self.__dict__))


def _rebuild(cls: type[APIError], message: str, state: dict[str, Any]) -> APIError:
    err = cls.__new__(cls)
    WorkersAIError.__init__(err, message)
    err.__dict__.update(state)
    return err


class BadRequestError(APIError):
    """HTTP 400: the API rejected the input (code 5006 for schema validation)."""


class ContextLengthError(BadRequestError):
    """The input does not fit the model's context window."""


class ModelNotFoundError(BadRequestError):
    """No such model (code 5007 or 3042)."""


class AuthenticationError(APIError):
    """HTTP 401 or code 10000: the token is missing, wrong or lacks permission."""


class PermissionDeniedError(APIError):
    """HTTP 403: the account may not use this model (terms, paid plan, private model)."""


class NotFoundError(APIError):
    """HTTP 404 or routing codes 7000/7003 (often a wrong account id)."""


class LoRANotSupportedError(APIError):
    """Code 5005: the model does not take a LoRA adapter."""


class RequestTimeoutError(APIError):
    """HTTP 408 or code 3007: the API timed out the request."""

    is_retryable = True


class ConflictError(APIError):
    """HTTP 409."""

    is_retryable = True


class RequestTooLargeError(APIError):
    """HTTP 413 or code 3006."""


class RateLimitError(APIError):
    """HTTP 429: capacity (3040) or per-minute limit (3021). Retried with backoff."""

    is_retryable = True


class QuotaExceededError(RateLimitError):
    """Codes 3036/4006: the daily free allocation is used up. Not retried."""

    is_retryable = False


class DeprecatedModelError(APIError):
    """Code 5028: the model was deprecated and no longer answers."""


class ServerError(APIError):
    """HTTP 5xx or code 3050."""

    is_retryable = True


class BatchError(WorkersAIError):
    """Some items of a batch failed after retries. Finished work is kept.

    ``results`` holds one entry per input, in input order: the finished value, or
    ``None`` where the item failed. ``failed`` maps each failed input index to its error.
    """

    def __init__(
        self, message: str, *, results: list[Any], failed: dict[int, WorkersAIError]
    ) -> None:
        super().__init__(message)
        self.results = results
        self.failed = failed

    @property
    def failed_indices(self) -> list[int]:
        return sorted(self.failed)


class MigrationWarning(DeprecationWarning):
    """An argument name from another integration (``cloudflare_api_token``,
    ``request_timeout``, ...), accepted under our name; the message names the new one."""
