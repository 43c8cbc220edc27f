"""The live catalog as data: snapshots of ``GET /ai/models/search``, their disk cache and
how they overlay the shipped table (reference section 10.1).

The fetch lives above the catalog, in ``client.models.refresh()`` (``workersai.models``),
which goes through the client's one path (retries included) and hands the entries to a
:class:`Refresh`: it caches them on disk (see ``_cache``) and merges them with the shipped
table (see ``_live_map``). A failed refresh never raises: it warns
(:class:`CatalogRefreshWarning`) and falls back to the cached copy, then to the shipped
table. :func:`refresh` / :func:`arefresh` are deprecated aliases of that method.

``apply=True`` (the default) makes :func:`workersai.catalog.lookup` answer with the live
facts for ids the shipped table knows. Ids only the live list knows are listed in the
snapshot but stay unknown to ``lookup``: the wire layer keeps detecting their family from
the reply instead of trusting a guess.
"""

from __future__ import annotations

import os
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeAlias

from ..config import Config
from ._cache import DEFAULT_TTL, CachedList, cache_path, read_cache, write_cache
from ._live_map import filter_models, merge_entries
from ._models import MODELS, ModelInfo
from ._table import BY_ID, changed

__all__ = [
    "CatalogRefreshWarning",
    "CatalogSnapshot",
    "arefresh",
    "load",
    "refresh",
    "reset_to_shipped",
    "apply_snapshot",
]


Source: TypeAlias = Literal["live", "cache", "shipped"]


class CatalogRefreshWarning(UserWarning):
    """The live model list could not be fetched or cached; an older copy is used."""


@dataclass(slots=True, frozen=True)
class CatalogSnapshot:
    """A merged model table and where its live facts came from.

    ``source`` is ``"live"`` (just fetched), ``"cache"`` (the on-disk copy; ``stale`` when
    older than the TTL) or ``"shipped"`` (the table in this package). ``live_ids`` are the
    ids the live list named.
    """

    models: tuple[ModelInfo, ...]
    source: Source
    fetched_at: float | None = None
    live_ids: frozenset[str] = field(default_factory=frozenset)
    stale: bool = False

    def lookup(self, model_id: str) -> ModelInfo | None:
        """The entry for ``model_id`` in this snapshot."""
        return next((m for m in self.models if m.id == model_id), None)

    def filter(self, *, task: str | None = None, capabilities: tuple[str, ...] = ()
               ) -> list[ModelInfo]:
        """Models of ``task`` having every one of ``capabilities``."""
        return filter_models(self.models, task=task, capabilities=capabilities)


SHIPPED = CatalogSnapshot(MODELS, "shipped")


def _from_cache(cached: CachedList, ttl: float) -> CatalogSnapshot:
    models, live_ids = merge_entries(cached.entries)
    return CatalogSnapshot(models, "cache", cached.fetched_at, live_ids,
                           stale=not cached.fresh(ttl))


class Refresh:
    """One refresh: the cache file, what is in it, and how each outcome becomes a snapshot
    (the fetch itself is ``client.models.search``, above the catalog)."""

    def __init__(self, base_url: str, ttl: float, force: bool,
                 cache_dir: str | os.PathLike[str] | None) -> None:
        self.base_url, self.ttl, self.force = base_url, ttl, force
        self.path: Path = cache_path(base_url, cache_dir)
        self.cached = read_cache(self.path)

    def cached_snapshot(self) -> CatalogSnapshot | None:
        """The cached copy when it is fresh and no refresh is forced."""
        if self.force or self.cached is None or not self.cached.fresh(self.ttl):
            return None
        return _from_cache(self.cached, self.ttl)

    def live(self, entries: list[dict[str, Any]]) -> CatalogSnapshot:
        now = time.time()
        try:
            write_cache(self.path, entries, self.base_url, now)
        except OSError as exc:
            _warn(f"could not write the models cache {self.path}: {exc}")
        models, live_ids = merge_entries(entries)
        return CatalogSnapshot(models, "live", now, live_ids)

    def fallback(self, exc: Exception) -> CatalogSnapshot:
        reason = f"{type(exc).__name__}: {exc}"
        if self.cached is not None:
            _warn(f"could not refresh the Workers AI model list ({reason}); "
                  f"using the copy cached at {self.path}")
            return _from_cache(self.cached, self.ttl)
        _warn(f"could not refresh the Workers AI model list ({reason}); "
              "using the table shipped with workersai")
        return SHIPPED

    @staticmethod
    def done(snapshot: CatalogSnapshot, apply: bool) -> CatalogSnapshot:
        """``snapshot``, applied to :func:`workersai.catalog.lookup` when ``apply``."""
        if apply:
            apply_snapshot(snapshot)
        return snapshot


def _warn(message: str) -> None:
    warnings.warn(message, CatalogRefreshWarning, stacklevel=4)


# --- deprecated aliases (one release) ------------------------------------------------------


def refresh(client: Any, **kwargs: Any) -> CatalogSnapshot:
    """Deprecated: use ``client.models.refresh(...)`` (same arguments, same fallbacks)."""
    _deprecated("refresh(client)", "client.models.refresh()")
    snapshot: CatalogSnapshot = client.models.refresh(**kwargs)
    return snapshot


async def arefresh(client: Any, **kwargs: Any) -> CatalogSnapshot:
    """Deprecated: use ``await client.models.refresh(...)`` on an ``AsyncClient``."""
    _deprecated("arefresh(client)", "await client.models.refresh()")
    snapshot: CatalogSnapshot = await client.models.refresh(**kwargs)
    return snapshot


def _deprecated(old: str, new: str) -> None:
    warnings.warn(f"workersai.catalog.{old} is deprecated; use {new}",
                  DeprecationWarning, stacklevel=3)


def load(
    *, base_url: str | None = None, cache_dir: str | os.PathLike[str] | None = None,
    ttl: float = DEFAULT_TTL,
) -> CatalogSnapshot:
    """Without any request: the cached list of ``base_url`` (any age), else the shipped
    table. ``base_url`` defaults to the configured one (``WORKERSAI_BASE_URL``)."""
    url = base_url or Config.resolve().base_url
    cached = read_cache(cache_path(url.rstrip("/"), cache_dir))
    return SHIPPED if cached is None else _from_cache(cached, ttl)


def apply_snapshot(snapshot: CatalogSnapshot) -> None:
    """Make :func:`workersai.catalog.lookup` answer with ``snapshot``'s facts for the ids
    the shipped table knows (others stay unknown; see the module docstring)."""
    shipped = {m.id for m in MODELS}
    BY_ID.update({m.id: m for m in snapshot.models if m.id in shipped})
    changed()


def reset_to_shipped() -> None:
    """Make :func:`workersai.catalog.lookup` answer from the shipped table again."""
    BY_ID.update({m.id: m for m in MODELS})
    changed()
