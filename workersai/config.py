"""Configuration: credentials, endpoints, timeouts, retries and AI Gateway options.

Construction reads environment variables but does no I/O and needs no credentials; a
missing or malformed account id or token is reported by :meth:`Config.require_credentials`,
which the transport calls before its first request.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import SecretStr

from .errors import ConfigurationError, InvalidInputError

__all__ = [
    "DEFAULT_BASE_URL",
    "ACCOUNT_ID_ENV",
    "API_TOKEN_ENV",
    "BASE_URL_ENV",
    "GATEWAY_ENV",
    "Timeouts",
    "GatewayOptions",
    "RequestOptions",
    "Config",
    "env_account_id",
    "env_api_token",
    "env_base_url",
    "env_gateway",
]

DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4"
ACCOUNT_ID_ENV = ("CLOUDFLARE_ACCOUNT_ID", "CF_ACCOUNT_ID")
API_TOKEN_ENV = ("CLOUDFLARE_API_TOKEN", "CF_AI_API_TOKEN")
BASE_URL_ENV = "WORKERSAI_BASE_URL"
GATEWAY_ENV = "CLOUDFLARE_AI_GATEWAY_ID"

_ACCOUNT_ID_RE = re.compile(r"^[0-9a-fA-F]{32}$")


def _first_env(names: tuple[str, ...]) -> str | None:
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return None


def env_account_id() -> str | None:
    """The account id from ``CLOUDFLARE_ACCOUNT_ID``, then ``CF_ACCOUNT_ID``."""
    return _first_env(ACCOUNT_ID_ENV)


def env_api_token() -> SecretStr | None:
    """The API token from ``CLOUDFLARE_API_TOKEN``, then ``CF_AI_API_TOKEN``."""
    value = _first_env(API_TOKEN_ENV)
    return SecretStr(value) if value else None


def env_base_url() -> str:
    """The base URL from ``WORKERSAI_BASE_URL``, else Cloudflare's API."""
    return os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL


def env_gateway() -> str | None:
    """The AI Gateway id from ``CLOUDFLARE_AI_GATEWAY_ID``."""
    return os.environ.get(GATEWAY_ENV) or None


@dataclass(slots=True, frozen=True)
class Timeouts:
    """Seconds. ``stream_idle`` is the longest wait between two SSE events."""

    connect: float = 10.0
    read: float = 120.0
    write: float = 30.0
    pool: float = 30.0
    stream_idle: float = 60.0

    @classmethod
    def from_value(cls, value: float | Timeouts | None) -> Timeouts:
        """A single number sets read and stream-idle; ``None`` keeps the defaults."""
        if value is None:
            return cls()
        if isinstance(value, Timeouts):
            return value
        seconds = float(value)
        if seconds <= 0:
            raise InvalidInputError(f"timeout must be positive, got {value!r}")
        return cls(connect=min(10.0, seconds), read=seconds, stream_idle=seconds)


Backoff = Literal["constant", "linear", "exponential"]


@dataclass(slots=True, frozen=True)
class GatewayOptions:
    """Per-call AI Gateway options, sent as the documented ``cf-aig-*`` headers."""

    cache_ttl: int | None = None
    skip_cache: bool | None = None
    cache_key: str | None = None
    metadata: dict[str, str | int | float | bool] | None = None
    collect_log: bool | None = None
    event_id: str | None = None
    request_timeout_ms: int | None = None
    max_attempts: int | None = None
    retry_delay_ms: int | None = None
    backoff: Backoff | None = None

    def headers(self) -> dict[str, str]:
        """The ``cf-aig-*`` headers for these options (only those that are set)."""
        out: dict[str, str] = {}
        if self.cache_ttl is not None:
            out["cf-aig-cache-ttl"] = str(int(self.cache_ttl))
        if self.skip_cache is not None:
            out["cf-aig-skip-cache"] = _bool(self.skip_cache)
        if self.cache_key is not None:
            out["cf-aig-cache-key"] = self.cache_key
        if self.metadata is not None:
            _check_metadata(self.metadata)
            out["cf-aig-metadata"] = json.dumps(self.metadata, separators=(",", ":"))
        if self.collect_log is not None:
            out["cf-aig-collect-log"] = _bool(self.collect_log)
        if self.event_id is not None:
            out["cf-aig-event-id"] = self.event_id
        if self.request_timeout_ms is not None:
            out["cf-aig-request-timeout"] = str(int(self.request_timeout_ms))
        if self.max_attempts is not None:
            if not 1 <= self.max_attempts <= 5:
                raise InvalidInputError("gateway max_attempts must be between 1 and 5")
            out["cf-aig-max-attempts"] = str(self.max_attempts)
        if self.retry_delay_ms is not None:
            if not 0 <= self.retry_delay_ms <= 5000:
                raise InvalidInputError("gateway retry_delay_ms must be between 0 and 5000")
            out["cf-aig-retry-delay"] = str(int(self.retry_delay_ms))
        if self.backoff is not None:
            out["cf-aig-backoff"] = self.backoff
        return out


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _check_metadata(metadata: dict[str, Any]) -> None:
    if len(metadata) > 5:
        raise InvalidInputError("gateway metadata takes at most 5 entries")
    for key, value in metadata.items():
        if not isinstance(value, (str, int, float, bool)):
            raise InvalidInputError(
                f"gateway metadata value for {key!r} must be a string, number or boolean"
            )


@dataclass(slots=True, frozen=True)
class RequestOptions:
    """Per-call transport options; every field overrides the client's setting."""

    timeout: float | Timeouts | None = None
    max_retries: int | None = None
    gateway: str | None = None
    gateway_options: GatewayOptions | None = None
    session_affinity: str | None = None
    extra_headers: dict[str, str] | None = None


@dataclass(slots=True, frozen=True)
class Config:
    """Everything the transport needs. Build with :meth:`Config.resolve` to read env vars."""

    account_id: str | None = None
    api_token: SecretStr | None = field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    gateway: str | None = None
    gateway_options: GatewayOptions | None = None
    timeouts: Timeouts = field(default_factory=Timeouts)
    max_retries: int = 2
    default_headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def resolve(
        cls,
        *,
        account_id: str | None = None,
        api_token: SecretStr | str | None = None,
        base_url: str | None = None,
        gateway: str | None = None,
        gateway_options: GatewayOptions | None = None,
        timeout: float | Timeouts | None = None,
        max_retries: int | None = None,
        default_headers: dict[str, str] | None = None,
    ) -> Config:
        """Fill unset values from the environment. Does no I/O and never fails on
        missing credentials (that is checked at the first request)."""
        token = SecretStr(api_token) if isinstance(api_token, str) else api_token
        retries = 2 if max_retries is None else max_retries
        if retries < 0:
            raise InvalidInputError(f"max_retries must be >= 0, got {retries}")
        return cls(
            account_id=account_id or env_account_id(),
            api_token=token or env_api_token(),
            base_url=(base_url or env_base_url()).rstrip("/"),
            gateway=gateway or env_gateway(),
            gateway_options=gateway_options,
            timeouts=Timeouts.from_value(timeout),
            max_retries=retries,
            default_headers=dict(default_headers or {}),
        )

    def require_credentials(self) -> tuple[str, str]:
        """The account id and token, or a :class:`ConfigurationError` naming the env vars."""
        if not self.account_id:
            raise ConfigurationError(
                "No Cloudflare account id: pass account_id=... or set "
                f"{ACCOUNT_ID_ENV[0]} (or {ACCOUNT_ID_ENV[1]})."
            )
        if not _ACCOUNT_ID_RE.match(self.account_id):
            raise ConfigurationError(
                "The Cloudflare account id must be 32 hexadecimal characters "
                f"(got {len(self.account_id)} characters); copy it from the dashboard's "
                "Workers AI page or the URL dash.cloudflare.com/<account id>."
            )
        token = self.api_token.get_secret_value() if self.api_token is not None else ""
        if not token:
            from ._migrate import env_token_hint  # names foreign variables that are set

            raise ConfigurationError(
                "No Cloudflare API token: pass api_token=... or set "
                f"{API_TOKEN_ENV[0]} (or {API_TOKEN_ENV[1]}){env_token_hint()}."
            )
        return self.account_id, token

    def account_url(self) -> str:
        """``{base_url}/accounts/{account_id}`` (credentials checked first)."""
        account_id, _ = self.require_credentials()
        return f"{self.base_url}/accounts/{account_id}"
