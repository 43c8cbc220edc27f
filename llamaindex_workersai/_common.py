"""Connection fields shared by the LlamaIndex classes (the lazy core clients, ``close``,
``aclose`` and pickling come from :class:`workersai._fields.LazyClients`).

Every class takes the same constructor fields and environment variables as the LangChain
front end. Construction does no I/O; the core ``Client``/``AsyncClient`` is built on first
use, once per instance, and an injected ``httpx`` client is passed through untouched.
"""

from __future__ import annotations

from typing import Any

from pydantic import (
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
)

from workersai.config import (
    DEFAULT_MAX_RETRIES,
    GatewayOptions,
    Limits,
    Timeouts,
    env_account_id,
    env_api_token,
    env_base_url,
    env_gateway,
)
from workersai.integration import TOKEN_NAMES, LazyClients, MaxRetries, TokenInput

__all__: list[str] = []


class ClientFields(LazyClients):
    """Credentials, endpoint, gateway and transport knobs, plus the lazy core clients
    (pickled without the token, the core clients or the injected ones: see
    :class:`workersai.integration.LazyClients`)."""

    model_config = ConfigDict(
        arbitrary_types_allowed=True,
        extra="forbid",  # unknown arguments are refused, not silently ignored
        hide_input_in_errors=True,  # a mistyped api_tokn= must not print the token
    )

    account_id: str | None = Field(
        default_factory=env_account_id,
        description="Cloudflare account id (env CLOUDFLARE_ACCOUNT_ID or CF_ACCOUNT_ID).",
    )
    api_token: TokenInput = Field(
        default_factory=env_api_token,
        alias="api_key",  # the name type checkers see; api_token works too
        validation_alias=TOKEN_NAMES,
        exclude=True,
        repr=False,
        description="API token (env CLOUDFLARE_API_TOKEN or CF_AI_API_TOKEN). Never serialized.",
    )
    base_url: str = Field(
        default_factory=env_base_url,
        description="API base URL (env WORKERSAI_BASE_URL).",
    )
    gateway: str | None = Field(
        default_factory=env_gateway,
        description="AI Gateway id to route through (env CLOUDFLARE_AI_GATEWAY_ID).",
    )
    gateway_options: GatewayOptions | None = Field(
        default=None, description="Default AI Gateway options (cache, metadata, logs, ...)."
    )
    timeout: float | Timeouts | None = Field(
        default=None, description="Seconds (read and stream idle) or a full Timeouts."
    )
    max_retries: MaxRetries = Field(default=DEFAULT_MAX_RETRIES, description="Retries on "
                                    "429/5xx/connection errors (0 to 100; None: the default).")
    session_affinity: str | None = Field(
        default=None,
        description="Sent as x-session-affinity on every request (prompt caching on one "
        "replica); also per call. langchain-cloudflare's session_id.",
    )
    default_headers: dict[str, str] | None = Field(
        default=None, description="Headers added to every request."
    )
    deadline: float | None = Field(
        default=None,
        description="Seconds one call may take in all, retries and waits included (core "
        "default 300; for a stream: until its first event).",
    )
    max_connections: int | None = Field(
        default=None, description="Calls in flight at once per client (core default 100)."
    )
    limits: Limits | None = Field(
        default=None,
        description="Size limits on answers (workersai.Limits; default 64 MiB per answer, "
        "4 MiB per stream event).",
    )
    http_client: Any = Field(  # an httpx.Client (checked by LazyClients)
        default=None, exclude=True, repr=False, description="Injected httpx.Client (you own it)."
    )
    http_async_client: Any = Field(  # an httpx.AsyncClient (checked)
        default=None,
        exclude=True,
        repr=False,
        description="Injected httpx.AsyncClient (you own it).",
    )
    binding: Any = Field(
        default=None,
        exclude=True,
        repr=False,
        description="A Python Worker's Workers AI binding (env.AI), used instead of HTTP and "
        "credentials; async methods only (see docs/binding.md).",
    )

    @field_validator("api_token", mode="before")
    @classmethod
    def _token_from_str(cls, value: Any) -> Any:
        if isinstance(value, str):
            return SecretStr(value) if value else None
        return value
