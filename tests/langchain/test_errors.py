"""Every core error maps to a class that inherits both the core and LangChain error."""

from __future__ import annotations

import pickle

import pytest
from langchain_core import exceptions as lc

from langchain_workersai import _errors
from langchain_workersai._errors import reraise, to_langchain_error
from workersai import errors as wa

EXPECTED: list[tuple[type[wa.WorkersAIError], type[lc.ModelError]]] = [
    (wa.InvalidInputError, lc.ModelInvalidRequestError),
    (wa.UnexpectedArgumentError, lc.ModelInvalidRequestError),
    (wa.ModelRetiredError, lc.ModelInvalidRequestError),
    (wa.TransportError, lc.ModelConnectionError),
    (wa.ConnectError, lc.ModelConnectionError),
    (wa.TimeoutError, lc.ModelTimeoutError),
    (wa.StreamError, lc.ModelAPIError),
    (wa.TruncatedStreamError, lc.ModelAPIError),
    (wa.ResponseFormatError, lc.ModelAPIError),
    (wa.ToolCallMissingError, lc.ModelAPIError),
    (wa.ResponseTooLargeError, lc.ModelAPIError),
    (wa.APIError, lc.ModelAPIError),
    (wa.BadRequestError, lc.ModelInvalidRequestError),
    (wa.ContextLengthError, lc.ContextOverflowError),
    (wa.ModelNotFoundError, lc.ModelNotFoundError),
    (wa.AuthenticationError, lc.ModelAuthenticationError),
    (wa.PermissionDeniedError, lc.ModelPermissionDeniedError),
    (wa.NotFoundError, lc.ModelNotFoundError),
    (wa.LoRANotSupportedError, lc.ModelInvalidRequestError),
    (wa.RequestTimeoutError, lc.ModelTimeoutError),
    (wa.ConflictError, lc.ModelAPIError),
    (wa.RequestTooLargeError, lc.ModelInvalidRequestError),
    (wa.RateLimitError, lc.ModelRateLimitError),
    (wa.QuotaExceededError, lc.ModelRateLimitError),
    (wa.DeprecatedModelError, lc.ModelNotFoundError),
    (wa.ServerError, lc.ModelAPIError),
]


def make(cls: type[wa.WorkersAIError]) -> wa.WorkersAIError:
    if issubclass(cls, wa.APIError):
        return cls("boom", status_code=429, code=3040, request_id="ray-1", retry_after=2.0)
    if cls in (wa.ResponseFormatError, wa.ToolCallMissingError):
        return cls("bad body", status_code=200, body="<html>")
    if cls is wa.ResponseTooLargeError:
        return cls("too big", limit=10, setting="max_response_bytes", status_code=200)
    if cls is wa.TruncatedStreamError:
        return cls("cut", partial_text="Hel")
    return cls("boom")


@pytest.mark.parametrize(("core", "langchain"), EXPECTED)
def test_dual_class(core: type[wa.WorkersAIError], langchain: type[lc.ModelError]) -> None:
    original = make(core)
    twin = to_langchain_error(original)
    assert type(twin) is not core
    assert isinstance(twin, core) and isinstance(twin, langchain)
    assert twin.__dict__ == original.__dict__
    assert str(twin) == str(original)
    assert twin.is_retryable == original.is_retryable


def test_every_core_error_class_is_covered() -> None:
    covered = {core for core, _ in EXPECTED}
    skipped = {wa.WorkersAIError, wa.ConfigurationError, wa.BatchError}
    for name in wa.__all__:
        cls = getattr(wa, name)
        if issubclass(cls, Warning):
            continue  # warnings are not raised, so they have no LangChain twin
        assert cls in covered or cls in skipped, name


def test_api_attributes_survive() -> None:
    twin = to_langchain_error(make(wa.RateLimitError))
    assert isinstance(twin, wa.RateLimitError)
    assert (twin.status_code, twin.code, twin.request_id, twin.retry_after) == (
        429,
        3040,
        "ray-1",
        2.0,
    )
    assert twin.is_retryable is True
    assert isinstance(pickle.loads(pickle.dumps(twin)), _errors.WorkersAIRateLimitError)


def test_unknown_subclass_maps_through_its_parent() -> None:
    class NewServerError(wa.ServerError):
        pass

    twin = to_langchain_error(NewServerError("x", status_code=503))
    assert isinstance(twin, lc.ModelAPIError) and isinstance(twin, wa.ServerError)


def test_reraise_keeps_cause_and_passes_others() -> None:
    original = wa.AuthenticationError("bad token", status_code=401, code=10000)
    with pytest.raises(lc.ModelAuthenticationError) as info:
        with reraise():
            raise original
    assert info.value.__cause__ is original
    with pytest.raises(wa.ConfigurationError):  # not a model error: raised as is
        with reraise():
            raise wa.ConfigurationError("no account")
    with pytest.raises(KeyError):
        with reraise():
            raise KeyError("x")
