"""Refresh the published-definitions snapshot from the models API, then regenerate.

Usage (from the repository root, with ``CLOUDFLARE_ACCOUNT_ID``/``CLOUDFLARE_API_TOKEN``)::

    python -m workersai._sync_live

Every model of ``client.models.search()`` is stored with its ``client.models.schema()``
(the client's one path: credentials, timeouts, retries, error decoding), then
``workersai.catalog._sync`` regenerates the catalog, the README table and
``docs/models.md``. It lives above the client because the catalog itself does no I/O.
"""

from __future__ import annotations

import sys
from typing import Any, Protocol

from .catalog import _sync

__all__ = ["fetch_definitions", "main"]


class _ModelsAPI(Protocol):
    def search(self) -> list[dict[str, Any]]: ...

    def schema(self, model: str) -> dict[str, Any]: ...


def fetch_definitions(models: _ModelsAPI) -> dict[str, dict[str, Any]]:
    """``name`` -> the model's listing entry with its ``schema``, for every listed model."""
    found: dict[str, dict[str, Any]] = {}
    for entry in models.search():
        name = str(entry.get("name", ""))
        found[name] = {**entry, "schema": models.schema(name)}
    return found


def main() -> int:
    """Command line: see the module docstring."""
    from .client import Client

    with Client() as client:
        count = _sync.snapshot_from_entries(fetch_definitions(client.models))
    print(f"{count} definitions fetched", file=sys.stderr)
    _sync.regenerate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
