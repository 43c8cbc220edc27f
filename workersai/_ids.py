"""Checks on the identifiers that go into a request's URL or headers, so a call can
never leave ``/accounts/{id}/ai/run/`` or smuggle a header.

Model ids take the documented forms ``@cf/<author>/<name>`` and ``@hf/<author>/<name>``
(every id in the catalog has one of them; LoRA finetunes are named in the body, not the
path). Each segment is letters, digits and ``. _ + -`` and never ``.`` or ``..``; ids with
``?``, ``#``, ``%``, whitespace or control characters are refused before anything is sent,
and every segment is percent-escaped anyway.
"""

from __future__ import annotations

import re
import urllib.parse

from .errors import InvalidInputError

__all__ = ["check_header_value", "model_path"]

_SEGMENT = re.compile(r"[A-Za-z0-9_+-][A-Za-z0-9._+-]*")
_FORBIDDEN = {"?": "'?'", "#": "'#'", "%": "'%'", "\\": "a backslash"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _problem(model: str) -> str | None:
    """What is wrong with a model id (``None``: nothing)."""
    for char, name in _FORBIDDEN.items():
        if char in model:
            return f"it contains {name}"
    if _CONTROL.search(model):
        return "it contains a control character"
    if any(c.isspace() for c in model):
        return "it contains whitespace"
    parts = model.split("/")
    if ".." in parts or "." in parts:
        return "it contains a '.' or '..' path segment"
    if len(parts) != 3 or parts[0] not in ("@cf", "@hf"):
        return "it is not of the form @cf/<author>/<name> or @hf/<author>/<name>"
    if not all(_SEGMENT.fullmatch(p) for p in parts[1:]):
        return "author and name may only hold letters, digits and . _ + -"
    return None


def model_path(model: object) -> str:
    """The escaped ``@cf/author/name`` path of a model id, or ``InvalidInputError``."""
    if not isinstance(model, str):
        raise InvalidInputError(f"model id must be a string, got {type(model).__name__}")
    problem = _problem(model)
    if problem is not None:
        raise InvalidInputError(f"Invalid model id {model!r}: {problem}.")
    return "/".join(urllib.parse.quote(p, safe="@") for p in model.split("/"))


def check_header_value(name: str, value: str) -> str:
    """``value`` if it is safe in an HTTP header (no CR, LF or other control character)."""
    if _CONTROL.search(value.replace("\t", " ")):
        raise InvalidInputError(
            f"{name} {value!r} contains a line break or control character; refusing to send it."
        )
    return value
