"""The front ends' connection knobs checked where they are set, not at the next call.

``ChatWorkersAI(timeout=-1)`` and ``llm.timeout = -1`` are refused at once, by the same
checks :meth:`workersai.Config.resolve` applies when the core client is built (one rule
per knob, kept in ``config``/``_deadline``); the error names the class and the field.
Construction goes through pydantic (a ``ValidationError`` naming the field); an
assignment raises the core's own ``InvalidInputError``/``ConfigurationError``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._deadline import check_deadline
from .config import (
    GatewayOptions,
    Timeouts,
    _connections,
    _limits,
    check_base_url,
    check_retries,
)
from .errors import ConfigurationError, InvalidInputError

__all__ = ["KNOBS", "check_knob", "checked_assignment"]


def _timeout(value: Any) -> Any:
    if value is not None and not isinstance(value, Timeouts):
        Timeouts.from_value(value)  # a positive, finite number of seconds
    return value


def _retries(value: Any) -> Any:
    return value if value is None else check_retries(value)


def _gateway_options(value: Any) -> Any:
    if value is None or isinstance(value, GatewayOptions):
        return value
    if isinstance(value, Mapping):
        try:
            return GatewayOptions(**value)
        except TypeError as exc:
            raise InvalidInputError(f"gateway_options: {exc}") from None
    raise InvalidInputError(
        f"gateway_options must be a workersai.GatewayOptions or a dict, "
        f"got {type(value).__name__}")


def _optional(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: value if value is None else (check(value), value)[1]


KNOBS: dict[str, Callable[[Any], Any]] = {
    "timeout": _timeout,
    "max_retries": _retries,
    "deadline": _optional(check_deadline),
    "max_connections": _optional(_connections),
    "limits": _optional(_limits),
    "base_url": check_base_url,
    "gateway_options": _gateway_options,
}
"""Each connection knob's check: the value to keep, or the core's error naming it."""


def check_knob(name: str, value: Any) -> Any:
    """``value`` (or its normal form) when it is a valid ``name``; else the core's error."""
    return KNOBS[name](value)


def checked_assignment(owner: object, name: str, value: Any) -> Any:
    """The value to store for ``owner.name = value``; a bad one raises the core's error,
    its message prefixed with the class and field (``ChatWorkersAI.timeout: ...``)."""
    try:
        return KNOBS[name](value)
    except (InvalidInputError, ConfigurationError) as err:
        raise type(err)(f"{type(owner).__name__}.{name}: {err}") from None
