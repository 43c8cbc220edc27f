"""Constructor fields shared by the chat model, the embeddings and the reranker.

Construction does no I/O and needs no credentials: missing values fall back to the
environment variables the core reads (``CLOUDFLARE_ACCOUNT_ID``, ``CLOUDFLARE_API_TOKEN``,
``WORKERSAI_BASE_URL``, ``CLOUDFLARE_AI_GATEWAY_ID``), and the core clients are built on
first use, once per instance. Pickles carry no token (see :class:`ClientFields`).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import ConfigDict, Field, PrivateAttr, SecretStr

from workersai._fields import PickleWithoutSecrets
from workersai.config import (
    GatewayOptions,
    RequestOptions,
    Timeouts,
    env_account_id,
    env_api_token,
    env_base_url,
    env_gateway,
)

if TYPE_CHECKING:
    from workersai import AsyncClient, Client

__all__ = ["ClientFields", "TRANSPORT_KEYS", "request_options"]

TRANSPORT_KEYS = (
    "timeout",
    "max_retries",
    "gateway",
    "gateway_options",
    "extra_headers",
    "session_affinity",
)
"""Per-call keyword arguments that become :class:`workersai.RequestOptions`."""

_LOCK = threading.Lock()


def request_options(values: dict[str, Any]) -> RequestOptions | None:
    """``RequestOptions`` from per-call keyword arguments (``None`` when none is set)."""
    given = {k: v for k, v in values.items() if k in TRANSPORT_KEYS and v is not None}
    if not given:
        return None
    gateway_options = given.get("gateway_options")
    if isinstance(gateway_options, dict):
        given["gateway_options"] = GatewayOptions(**gateway_options)
    return RequestOptions(**given)


class ClientFields(PickleWithoutSecrets):
    """Connection settings and the lazily built core clients.

    Pickling: a pickled instance holds no API token, no core client and none of the
    injected ``http_client``/``http_async_client``/``binding``; on load the token is read
    again from ``CLOUDFLARE_API_TOKEN`` (or ``CF_AI_API_TOKEN``), so multiprocessing
    workers configured by the environment still work, and clients are rebuilt on first use.
    """

    model_config = ConfigDict(
        populate_by_name=True, arbitrary_types_allowed=True, protected_namespaces=()
    )

    account_id: str | None = Field(default_factory=env_account_id)
    """Cloudflare account id (32 hex characters); env ``CLOUDFLARE_ACCOUNT_ID``."""
    api_token: SecretStr | None = Field(default_factory=env_api_token, alias="api_key")
    """API token with Workers AI permission; env ``CLOUDFLARE_API_TOKEN``."""
    base_url: str = Field(default_factory=env_base_url)
    """API base URL; env ``WORKERSAI_BASE_URL``, else ``https://api.cloudflare.com/client/v4``."""
    gateway: str | None = Field(default_factory=env_gateway)
    """AI Gateway id to route through; env ``CLOUDFLARE_AI_GATEWAY_ID``."""
    gateway_options: GatewayOptions | None = None
    """Default AI Gateway options (cache TTL, skip cache, metadata, ...)."""
    timeout: float | Timeouts | None = None
    """Seconds (read and stream-idle) or a ``workersai.Timeouts``; ``None``: core defaults."""
    max_retries: int | None = None
    """Retries on 429/5xx/connection errors (core default 2)."""
    default_headers: dict[str, str] | None = None
    """Extra headers sent with every request."""
    http_client: httpx.Client | None = Field(default=None, exclude=True)
    """An ``httpx.Client`` to send requests with (the caller keeps ownership)."""
    http_async_client: httpx.AsyncClient | None = Field(default=None, exclude=True)
    """An ``httpx.AsyncClient`` for the async methods (the caller keeps ownership)."""
    binding: Any = Field(default=None, exclude=True)
    """A Python Worker's Workers AI binding (``env.AI``) used instead of HTTP and credentials;
    async methods only (see ``docs/binding.md``)."""

    _client: Any = PrivateAttr(default=None)
    _aclient: Any = PrivateAttr(default=None)

    def _client_kwargs(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "api_token": self.api_token,
            "base_url": self.base_url,
            "gateway": self.gateway,
            "gateway_options": self.gateway_options,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "default_headers": self.default_headers,
            "binding": self.binding,
        }

    def _sync_client(self) -> Client:
        """The core client, built on first use."""
        if self._client is None:
            from workersai import Client  # imported on first use: keeps import time low

            with _LOCK:
                if self._client is None:
                    self._client = Client(**self._client_kwargs(), http_client=self.http_client)
        client: Client = self._client
        return client

    def _async_client(self) -> AsyncClient:
        """The async core client, built on first use (safe across event loops)."""
        if self._aclient is None:
            from workersai import AsyncClient

            with _LOCK:
                if self._aclient is None:
                    self._aclient = AsyncClient(
                        **self._client_kwargs(), http_client=self.http_async_client
                    )
        aclient: AsyncClient = self._aclient
        return aclient

    def close(self) -> None:
        """Close the sync client's connections (an injected ``http_client`` stays open)."""
        if self._client is not None:
            self._client.close()
            self._client = None

    async def aclose(self) -> None:
        """Close the async client's connections (an injected client stays open)."""
        if self._aclient is not None:
            await self._aclient.aclose()
            self._aclient = None
