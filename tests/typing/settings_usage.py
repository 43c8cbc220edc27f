"""An adapter's use of the shared settings builder as a type checker sees it;
``tests/typing/test_core_settings.py`` runs ``mypy --strict`` on this file.

``LazyClients._core_settings()`` is a :class:`workersai.config.Settings`: it unpacks into
``Config.resolve`` and the clients' constructors, and a subclass adding a setting the core
does not take is refused.
"""

from __future__ import annotations

from workersai import AsyncClient, Client
from workersai.config import Config, Settings
from workersai.integration import LazyClients


def config_of(fields: LazyClients) -> Config:
    return Config.resolve(**fields._core_settings())


def clients_of(fields: LazyClients) -> tuple[Client, AsyncClient]:
    settings: Settings = fields._core_settings()
    return Client(**settings), AsyncClient(**settings)


class Tighter(LazyClients):
    """An adapter narrowing a setting: still a ``Settings``."""

    def _core_settings(self) -> Settings:
        return {**super()._core_settings(), "max_retries": 0}
