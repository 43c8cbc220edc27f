"""Near misses: "did you mean" for unknown model ids, and short ids made full.

Works on whatever :func:`workersai.catalog.lookup` knows (the shipped table, or the live
one once refreshed), never on particular entries.
"""

from __future__ import annotations

import difflib

from ._models import MODELS

__all__ = ["UnknownModelError", "did_you_mean", "resolve", "suggest"]

_PREFIXES = ("@cf/", "@hf/")
_CUTOFF = 0.6  # difflib's own default for get_close_matches
_MARGIN = 0.1  # suggestions within this of the best score are listed too
_FRAGMENT = 0.75  # the score of an id that contains the query (``bge-m3``, ``llama``)


class UnknownModelError(ValueError):
    """A model id that cannot be a Workers AI id (no ``@cf/`` / ``@hf/`` prefix) and does
    not name exactly one catalog model; ``suggestions`` holds the closest full ids."""

    def __init__(self, message: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.suggestions = suggestions


def _ids() -> list[str]:
    return [m.id for m in MODELS]  # the ids lookup() knows (a live refresh only updates them)


def _tail(model_id: str) -> str:
    """``llama-3.3-70b-instruct-fp8-fast`` for ``@cf/meta/llama-3.3-70b-instruct-fp8-fast``."""
    return model_id.rsplit("/", 1)[-1]


def _score(query: str, full: str) -> float:
    """Similarity of ``query`` to a full id: whole, by last part, or as a fragment of it."""
    whole = difflib.SequenceMatcher(None, query, full).ratio()
    tail = difflib.SequenceMatcher(None, _tail(query), _tail(full)).ratio()
    fragment = _FRAGMENT if len(query) >= 3 and query in full else 0.0
    return max(whole, tail, fragment)


def suggest(model_id: str, n: int = 3) -> list[str]:
    """The catalog ids closest to ``model_id`` (best first, at most ``n``), compared whole
    and by their last part, so ``llama-3.3-70b-instruct-fp8-fats`` finds the real one."""
    query = model_id.strip().lower()
    scored = {full: _score(query, full.lower()) for full in _ids()}
    best = max(scored.values(), default=0.0)
    floor = max(_CUTOFF, best - _MARGIN)  # a clear typo gets its one match, not a crowd
    ranked = sorted((i for i, s in scored.items() if s >= floor), key=lambda i: -scored[i])
    return ranked[:n]


def did_you_mean(model_id: str, n: int = 3) -> str:
    """``did you mean '@cf/...'?`` (or ``one of ...``) for ``model_id``; ``""`` when no
    catalog id is close."""
    found = suggest(model_id, n)
    if not found:
        return ""
    if len(found) == 1:
        return f"did you mean {found[0]!r}?"
    return "did you mean one of " + ", ".join(repr(f) for f in found) + "?"


def resolve(model_id: str) -> str:
    """The full id for ``model_id``.

    Full ids (``@cf/...``, ``@hf/...``, or any id with a ``/`` such as a gateway
    provider's ``vendor/model``) come back unchanged, known or not: the service decides.
    A short id (``llama-3.3-70b-instruct-fp8-fast``) becomes the one catalog id ending in
    it; when none or several do, :class:`UnknownModelError` names the candidates.
    """
    if model_id.startswith(_PREFIXES) or "/" in model_id or not model_id:
        return model_id
    matches = [full for full in _ids() if _tail(full) == model_id]
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = ", ".join(repr(m) for m in matches)
        raise UnknownModelError(
            f"model id {model_id!r} is ambiguous: pass the full id, one of {listed}", matches
        )
    hint = did_you_mean(model_id)
    found = suggest(model_id)
    raise UnknownModelError(
        f"{model_id!r} is not a Workers AI model id (full ids start with '@cf/' or '@hf/')"
        + (f"; {hint}" if hint else "; list them with 'workersai models'"),
        found,
    )
