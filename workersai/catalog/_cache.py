"""The on-disk copy of the live model list: where it lives, reading it, writing it.

One JSON file per API base URL (so an emulator's list never shadows Cloudflare's),
holding the raw ``/ai/models/search`` entries and when they were fetched. Raw entries are
kept (not our mapping of them) so a newer version of this package maps them afresh.
Reading never raises: a missing, unreadable or malformed file is simply no cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "CACHE_DIR_ENV",
    "CACHE_VERSION",
    "DEFAULT_TTL",
    "CachedList",
    "cache_path",
    "default_cache_dir",
    "read_cache",
    "write_cache",
]

CACHE_DIR_ENV = "WORKERSAI_CACHE_DIR"
"""Environment variable naming the cache directory (overrides the platform default)."""
CACHE_VERSION = 1
DEFAULT_TTL = 24 * 3600.0
"""Seconds a fetched list stays fresh."""


@dataclass(slots=True, frozen=True)
class CachedList:
    """The raw entries of one fetch and its Unix time."""

    entries: tuple[dict[str, Any], ...]
    fetched_at: float

    def age(self, now: float | None = None) -> float:
        """Seconds since the fetch."""
        return (time.time() if now is None else now) - self.fetched_at

    def fresh(self, ttl: float, now: float | None = None) -> bool:
        """Whether the list is younger than ``ttl`` seconds (and not from the future)."""
        return 0 <= self.age(now) < ttl


def default_cache_dir() -> Path:
    """``$WORKERSAI_CACHE_DIR``, else the user cache dir: ``$XDG_CACHE_HOME/workersai``
    or ``~/.cache/workersai`` (``~/Library/Caches/workersai`` on macOS,
    ``%LOCALAPPDATA%\\workersai\\Cache`` on Windows)."""
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit).expanduser()
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "workersai" / "Cache"
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg).expanduser() / "workersai"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "workersai"
    return Path.home() / ".cache" / "workersai"


def cache_path(base_url: str, cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The cache file for the models list of ``base_url``."""
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    digest = hashlib.sha256(base_url.rstrip("/").encode()).hexdigest()[:16]
    return folder / f"models-{digest}.json"


def read_cache(path: Path) -> CachedList | None:
    """The cached list at ``path``, or ``None`` when there is no usable one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return None
    entries, fetched_at = data.get("models"), data.get("fetched_at")
    if not isinstance(entries, list) or not isinstance(fetched_at, (int, float)):
        return None
    return CachedList(tuple(e for e in entries if isinstance(e, dict)), float(fetched_at))


def write_cache(
    path: Path, entries: list[dict[str, Any]], base_url: str, now: float | None = None
) -> CachedList:
    """Write ``entries`` atomically (temporary file, then rename); raises ``OSError``."""
    fetched_at = time.time() if now is None else now
    payload = {"version": CACHE_VERSION, "base_url": base_url, "fetched_at": fetched_at,
               "models": entries}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".models-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return CachedList(tuple(entries), fetched_at)
