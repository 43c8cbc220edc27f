"""``client.models``: the models API through the client's one path, and the live catalog.

:meth:`Models.search` reads every page of ``GET /ai/models/search``, :meth:`Models.schema`
one model's input/output JSON Schemas, and :meth:`Models.refresh` merges the live list
into the catalog (cached on disk). Every request goes through the client's backend, so
credentials, timeouts, retries and error decoding are the same as for any other call.
``AsyncModels`` is the twin for ``AsyncClient``; both share the pure pieces in
:mod:`workersai.wire.models` and :mod:`workersai.catalog`.
"""

from __future__ import annotations

import os
from typing import Any, Protocol

from ._backend import AsyncBackend, SyncBackend, Target
from .catalog import DEFAULT_TTL, CatalogSnapshot
from .catalog._live import Refresh
from .config import Config, RequestOptions
from .errors import ConfigurationError
from .wire.models import PER_PAGE, SearchPager, parse_schema, schema_query

__all__ = ["AsyncModels", "Models"]

_SEARCH = Target("", "models-search")
_SCHEMA = Target("", "models-schema")


class _SyncOwner(Protocol):
    _backend: SyncBackend

    @property
    def config(self) -> Config: ...


class _AsyncOwner(Protocol):
    _backend: AsyncBackend

    @property
    def config(self) -> Config: ...


def _send_of(backend: Any) -> Any:
    send = getattr(backend, "send", None)
    if not callable(send):
        raise ConfigurationError("this client's backend cannot call the models API")
    return send


def _filters(task: str | None, search: str | None, author: str | None) -> dict[str, str]:
    given = {"task": task, "search": search, "author": author}
    return {k: v for k, v in given.items() if v is not None}


class Models:
    """The models API of a :class:`~workersai.Client` (``client.models``)."""

    def __init__(self, owner: _SyncOwner) -> None:
        self._owner = owner

    def search(
        self, *, task: str | None = None, search: str | None = None,
        author: str | None = None, per_page: int = PER_PAGE,
        options: RequestOptions | None = None,
    ) -> list[dict[str, Any]]:
        """Every model the account can use (all pages), as the API describes them.

        ``task`` is a task name such as ``"Text Generation"``; ``search`` matches names.
        """
        pager = SearchPager(per_page, _filters(task, search, author))
        send = _send_of(self._owner._backend)
        while (params := pager.next_params()) is not None:
            payload, _ = send(_SEARCH, params, options)
            pager.add(payload)
        return pager.entries

    def schema(self, model: str, *, options: RequestOptions | None = None) -> dict[str, Any]:
        """``{"input": <JSON Schema>, "output": <JSON Schema>}`` of one model."""
        result, _ = _send_of(self._owner._backend)(_SCHEMA, schema_query(model), options)
        return parse_schema(result)

    def refresh(
        self, *, ttl: float = DEFAULT_TTL, force: bool = False,
        cache_dir: str | os.PathLike[str] | None = None, apply: bool = True,
        per_page: int = PER_PAGE, options: RequestOptions | None = None,
    ) -> CatalogSnapshot:
        """The catalog merged with the live model list; never raises for a failed fetch.

        Args:
            ttl: seconds a cached list is used without asking the API again.
            force: ask the API even when the cached list is fresh.
            cache_dir: where the list is cached (default: ``catalog.default_cache_dir()``).
            apply: make :func:`workersai.catalog.lookup` use the result.
            per_page: models asked for per page (the API allows at most 100).
            options: per-call transport options (timeout, retries, headers).

        Example:
            >>> from workersai import Client
            >>> snap = Client().models.refresh()  # doctest: +SKIP
        """
        SearchPager(per_page)  # a bad per_page raises here, before any fallback
        job = Refresh(self._owner.config.base_url, ttl, force, cache_dir)
        snapshot = job.cached_snapshot()
        if snapshot is None:
            try:
                entries = self.search(per_page=per_page, options=options)
            except Exception as exc:  # offline-safe by contract: any failure falls back
                snapshot = job.fallback(exc)
            else:
                snapshot = job.live(entries)
        return job.done(snapshot, apply)


class AsyncModels:
    """The models API of an :class:`~workersai.AsyncClient` (same methods, awaited)."""

    def __init__(self, owner: _AsyncOwner) -> None:
        self._owner = owner

    async def search(
        self, *, task: str | None = None, search: str | None = None,
        author: str | None = None, per_page: int = PER_PAGE,
        options: RequestOptions | None = None,
    ) -> list[dict[str, Any]]:
        """Every model the account can use (all pages); see :meth:`Models.search`."""
        pager = SearchPager(per_page, _filters(task, search, author))
        send = _send_of(self._owner._backend)
        while (params := pager.next_params()) is not None:
            payload, _ = await send(_SEARCH, params, options)
            pager.add(payload)
        return pager.entries

    async def schema(self, model: str, *, options: RequestOptions | None = None
                     ) -> dict[str, Any]:
        """``{"input": ..., "output": ...}`` of one model; see :meth:`Models.schema`."""
        result, _ = await _send_of(self._owner._backend)(_SCHEMA, schema_query(model), options)
        return parse_schema(result)

    async def refresh(
        self, *, ttl: float = DEFAULT_TTL, force: bool = False,
        cache_dir: str | os.PathLike[str] | None = None, apply: bool = True,
        per_page: int = PER_PAGE, options: RequestOptions | None = None,
    ) -> CatalogSnapshot:
        """The asynchronous twin of :meth:`Models.refresh` (same arguments, same fallbacks)."""
        SearchPager(per_page)  # a bad per_page raises here, before any fallback
        job = Refresh(self._owner.config.base_url, ttl, force, cache_dir)
        snapshot = job.cached_snapshot()
        if snapshot is None:
            try:
                entries = await self.search(per_page=per_page, options=options)
            except Exception as exc:  # offline-safe by contract: any failure falls back
                snapshot = job.fallback(exc)
            else:
                snapshot = job.live(entries)
        return job.done(snapshot, apply)
