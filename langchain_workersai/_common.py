"""Constructor fields shared by the chat model, the embeddings and the reranker.

Construction does no I/O and needs no credentials: missing values fall back to the
environment variables the core reads (``CLOUDFLARE_ACCOUNT_ID``, ``CLOUDFLARE_API_TOKEN``,
``WORKERSAI_BASE_URL``, ``CLOUDFLARE_AI_GATEWAY_ID``), and the core clients are built on
first use, once per instance (:class:`workersai._fields.LazyClients`). Pickles carry no
token (see :class:`ClientFields`).
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import ConfigDict, Field

from workersai.config import (
    DEFAULT_MAX_RETRIES,
    GatewayOptions,
    Limits,
    Timeouts,
    env_account_id,
    env_api_token,
    env_base_url,
    env_gateway,
    masked_headers,
)
from workersai.integration import MODEL_NAMES, TOKEN_NAMES, LazyClients, MaxRetries, TokenInput

__all__ = ["ClientFields", "MODEL_NAMES", "mask_serialized_headers"]

S = TypeVar("S")


def mask_serialized_headers(data: S) -> S:
    """``to_json`` output with the secret ``default_headers`` values masked."""
    kwargs = data.get("kwargs") if isinstance(data, dict) else None
    if isinstance(kwargs, dict) and isinstance(kwargs.get("default_headers"), dict):
        kwargs["default_headers"] = masked_headers(kwargs["default_headers"])
    return data


class ClientFields(LazyClients):
    """Connection settings and the lazily built core clients (pickled without the token,
    the core clients or the injected ones: see :class:`workersai.integration.LazyClients`).
    """

    model_config = ConfigDict(
        populate_by_name=True, arbitrary_types_allowed=True, protected_namespaces=(),
        hide_input_in_errors=True,  # a mistyped api_tokn= must not print the token
    )

    account_id: str | None = Field(default_factory=env_account_id)
    """Cloudflare account id (32 hex characters); env ``CLOUDFLARE_ACCOUNT_ID``."""
    api_token: TokenInput = Field(
        default_factory=env_api_token, alias="api_key", validation_alias=TOKEN_NAMES
    )
    """API token with Workers AI permission; env ``CLOUDFLARE_API_TOKEN``."""
    base_url: str = Field(default_factory=env_base_url)
    """API base URL; env ``WORKERSAI_BASE_URL``, else ``https://api.cloudflare.com/client/v4``."""
    gateway: str | None = Field(default_factory=env_gateway)
    """AI Gateway id to route through; env ``CLOUDFLARE_AI_GATEWAY_ID``."""
    gateway_options: GatewayOptions | None = None
    """Default AI Gateway options (cache TTL, skip cache, metadata, ...)."""
    timeout: float | Timeouts | None = None
    """Seconds (read and stream-idle) or a ``workersai.Timeouts``; ``None``: core defaults."""
    max_retries: MaxRetries = DEFAULT_MAX_RETRIES
    """Retries on 429/5xx/connection errors (0 to 100; ``None``: the core default, 2)."""
    session_affinity: str | None = None
    """Sent as ``x-session-affinity`` on every request, so a conversation's requests reach
    the same replica and reuse its prompt cache (per call too); langchain-cloudflare's
    ``session_id``."""
    default_headers: dict[str, str] | None = None
    """Extra headers sent with every request."""
    deadline: float | None = None
    """Seconds one call may take in all, retries and waits included (core default 300;
    for a stream: until its first event). Per call: ``deadline=...``."""
    max_connections: int | None = None
    """Calls in flight at once per client, the rest queue (core default 100)."""
    limits: Limits | None = None
    """Size limits on answers (a ``workersai.Limits``; core default 64 MiB per answer,
    4 MiB per stream event)."""
    http_client: Any = Field(default=None, exclude=True)  # httpx.Client, checked on input
    """An ``httpx.Client`` to send requests with (the caller keeps ownership)."""
    http_async_client: Any = Field(default=None, exclude=True)  # httpx.AsyncClient
    """An ``httpx.AsyncClient`` for the async methods (the caller keeps ownership)."""
    binding: Any = Field(default=None, exclude=True)
    """A Python Worker's Workers AI binding (``env.AI``) used instead of HTTP and credentials;
    async methods only (see ``docs/binding.md``)."""
