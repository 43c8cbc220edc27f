"""The models API (reference section 10): ``GET /ai/models/search`` and ``/ai/models/schema``.

Pure: the query of each page and reading each answer. The client sends them through its
one path (``Client.models``); :mod:`workersai.catalog` merges the entries into its table.
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidInputError, ResponseFormatError

__all__ = ["MAX_PAGES", "PER_PAGE", "SearchPager", "parse_schema", "schema_query"]

PER_PAGE = 100
"""The most models the API returns per page."""
MAX_PAGES = 50
"""A guard against an API that never says it is done (5,000 models)."""


class SearchPager:
    """Which page of ``/ai/models/search`` to ask for next, and the entries read so far."""

    def __init__(self, per_page: int = PER_PAGE, filters: dict[str, str] | None = None) -> None:
        if not 1 <= per_page <= PER_PAGE:
            raise ValueError(f"per_page must be between 1 and {PER_PAGE}, got {per_page}")
        self.per_page = per_page
        self.filters = dict(filters or {})
        self.page = 0
        self.entries: list[dict[str, Any]] = []
        self.done = False

    def next_params(self) -> dict[str, str] | None:
        """Query parameters of the next page, or ``None`` when every page is read."""
        if self.done:
            return None
        if self.page >= MAX_PAGES:
            raise ResponseFormatError(f"the models list did not end after {MAX_PAGES} pages")
        self.page += 1
        return {**self.filters, "page": str(self.page), "per_page": str(self.per_page)}

    def add(self, payload: Any) -> None:
        """Take one decoded page; ends on a short page or when ``total_count`` is reached."""
        result = payload.get("result") if isinstance(payload, dict) else None
        if not isinstance(result, list):
            raise ResponseFormatError("the models search answer has no 'result' list")
        self.entries.extend(e for e in result if isinstance(e, dict))
        info = payload.get("result_info")
        total = info.get("total_count") if isinstance(info, dict) else None
        if isinstance(total, int) and not isinstance(total, bool):
            self.done = len(self.entries) >= total or not result
        else:
            self.done = len(result) < self.per_page


def schema_query(model: str) -> dict[str, str]:
    """The query of ``GET /ai/models/schema`` for one model id."""
    if not isinstance(model, str) or not model.strip():
        raise InvalidInputError(f"model must be a non-empty model id, got {model!r}")
    return {"model": model}


def parse_schema(result: Any) -> dict[str, Any]:
    """The ``{"input": ..., "output": ...}`` JSON Schemas of one model."""
    if not isinstance(result, dict) or not isinstance(result.get("input"), dict):
        raise ResponseFormatError("the models schema answer has no 'input' schema")
    return result
