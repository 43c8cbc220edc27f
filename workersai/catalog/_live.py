"""Refreshing the catalog from ``GET /ai/models/search`` (reference section 10.1).

:func:`refresh` / :func:`arefresh` read every page of the live list through a
:class:`~workersai.Client` / :class:`~workersai.AsyncClient`, cache the raw entries on disk
(see ``_cache``) and merge them with the shipped table (see ``_live_map``). They never
raise for a failed refresh: any error warns (:class:`CatalogRefreshWarning`) and falls
back to the cached copy, then to the shipped table. The twins share :class:`_Refresh` and
:class:`_Pager`; each only sends its GETs.

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
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import httpx

from .. import _json
from .._errors_map import envelope_error, error_from_payload, error_from_response, format_error
from ..config import Config
from ..errors import ConfigurationError, ResponseFormatError
from ._cache import DEFAULT_TTL, CachedList, cache_path, read_cache, write_cache
from ._live_map import filter_models, merge_entries
from ._models import MODELS, ModelInfo

if TYPE_CHECKING:
    from ..client import AsyncClient, Client

__all__ = [
    "CatalogRefreshWarning",
    "CatalogSnapshot",
    "SEARCH_PATH",
    "arefresh",
    "load",
    "refresh",
    "reset_to_shipped",
    "apply_snapshot",
]

SEARCH_PATH = "/ai/models/search"
PER_PAGE = 100
MAX_PAGES = 50
"""A guard against an API that never says it is done (5,000 models)."""

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


# --- pure pieces both twins share ----------------------------------------------------------


class _Pager:
    """Which page to ask for next, and the entries read so far."""

    def __init__(self, per_page: int = PER_PAGE) -> None:
        if not 1 <= per_page <= PER_PAGE:
            raise ValueError(f"per_page must be between 1 and {PER_PAGE}, got {per_page}")
        self.per_page = per_page
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
        return {"page": str(self.page), "per_page": str(self.per_page)}

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


@dataclass(slots=True, frozen=True)
class _Get:
    """URL, headers and timeout of the models API; the token kept to scrub errors."""

    url: str
    headers: dict[str, str]
    timeout: httpx.Timeout
    secret: str

    @classmethod
    def of(cls, config: Config) -> _Get:
        from .._http import USER_AGENT

        account_id, token = config.require_credentials()
        headers = {"user-agent": USER_AGENT}
        headers.update({k.lower(): v for k, v in config.default_headers.items()})
        headers["authorization"] = f"Bearer {token}"
        t = config.timeouts
        timeout = httpx.Timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool)
        url = f"{config.base_url}/accounts/{account_id}{SEARCH_PATH}"
        return cls(url, headers, timeout, token)

    def decode(self, response: httpx.Response) -> Any:
        """The decoded page, or the typed error it carries."""
        status, content = response.status_code, response.content
        if not 200 <= status < 300:
            raise error_from_response(status, response.headers, content, secret=self.secret)
        try:
            payload = _json.loads(content)
        except ValueError:
            raise format_error("the models search answer is not JSON", status, content,
                               self.secret) from None
        if envelope_error(payload):
            raise error_from_payload(payload, status, response.headers, secret=self.secret)
        return payload


def _http_of(client: object) -> Any:
    """The pooled httpx client behind ``client`` (the core clients have no public GET)."""
    http = getattr(getattr(client, "_backend", None), "http", None)
    if not callable(http):
        raise ConfigurationError("this client's backend cannot call the models API")
    return http()


class _Refresh:
    """One refresh: the cache file, what is in it, and how each outcome becomes a snapshot."""

    def __init__(self, config: Config, ttl: float, force: bool,
                 cache_dir: str | os.PathLike[str] | None) -> None:
        self.base_url, self.ttl, self.force = config.base_url, ttl, force
        self.path: Path = cache_path(config.base_url, cache_dir)
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


def _warn(message: str) -> None:
    warnings.warn(message, CatalogRefreshWarning, stacklevel=4)


def _done(snapshot: CatalogSnapshot, apply: bool) -> CatalogSnapshot:
    if apply:
        apply_snapshot(snapshot)
    return snapshot


# --- the twins -------------------------------------------------------------------------------


def refresh(
    client: Client, *, ttl: float = DEFAULT_TTL, force: bool = False,
    cache_dir: str | os.PathLike[str] | None = None, apply: bool = True,
    per_page: int = PER_PAGE,
) -> CatalogSnapshot:
    """The catalog merged with the live model list; never raises for a failed fetch.

    Args:
        client: the client whose credentials and HTTP pool are used.
        ttl: seconds a cached list is used without asking the API again.
        force: ask the API even when the cached list is fresh.
        cache_dir: where the list is cached (default: :func:`default_cache_dir`).
        apply: make :func:`workersai.catalog.lookup` use the result (see :func:`apply_snapshot`).
        per_page: models asked for per page (the API allows at most 100).

    Example:
        >>> from workersai import Client, catalog
        >>> snap = catalog.refresh(Client())  # doctest: +SKIP
        >>> [m.id for m in snap.filter(task="text-generation", capabilities=("vision",))]
        ... # doctest: +SKIP
    """
    job, pager = _Refresh(client.config, ttl, force, cache_dir), _Pager(per_page)
    snapshot = job.cached_snapshot()
    if snapshot is None:
        try:
            get = _Get.of(client.config)
            http = _http_of(client)
            while (params := pager.next_params()) is not None:
                response = http.get(get.url, params=params, headers=get.headers,
                                    timeout=get.timeout, follow_redirects=False)
                pager.add(get.decode(response))
        except Exception as exc:  # offline-safe by contract: any failure falls back
            snapshot = job.fallback(exc)
        else:
            snapshot = job.live(pager.entries)
    return _done(snapshot, apply)


async def arefresh(
    client: AsyncClient, *, ttl: float = DEFAULT_TTL, force: bool = False,
    cache_dir: str | os.PathLike[str] | None = None, apply: bool = True,
    per_page: int = PER_PAGE,
) -> CatalogSnapshot:
    """The asynchronous twin of :func:`refresh` (same arguments, same fallbacks)."""
    job, pager = _Refresh(client.config, ttl, force, cache_dir), _Pager(per_page)
    snapshot = job.cached_snapshot()
    if snapshot is None:
        try:
            get = _Get.of(client.config)
            http = _http_of(client)
            while (params := pager.next_params()) is not None:
                response = await http.get(get.url, params=params, headers=get.headers,
                                          timeout=get.timeout, follow_redirects=False)
                pager.add(get.decode(response))
        except Exception as exc:  # offline-safe by contract: any failure falls back
            snapshot = job.fallback(exc)
        else:
            snapshot = job.live(pager.entries)
    return _done(snapshot, apply)


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
    from . import _BY_ID, _changed

    shipped = {m.id for m in MODELS}
    _BY_ID.update({m.id: m for m in snapshot.models if m.id in shipped})
    _changed()


def reset_to_shipped() -> None:
    """Make :func:`workersai.catalog.lookup` answer from the shipped table again."""
    from . import _BY_ID, _changed

    _BY_ID.update({m.id: m for m in MODELS})
    _changed()
