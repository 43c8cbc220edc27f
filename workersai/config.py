"""Configuration: credentials, endpoints, timeouts, retries and AI Gateway options.

Construction reads environment variables but does no I/O and needs no credentials; a
missing or malformed account id or token is reported by :meth:`Config.require_credentials`,
which the transport calls before its first request.
"""

from __future__ import annotations

import json
import math
import os
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict, Unpack

from pydantic import SecretStr

from ._deadline import DEFAULT_DEADLINE, check_deadline
from ._limits import Limits
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
    "Settings",
    "Limits",
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_CONNECTIONS",
    "env_account_id",
    "env_api_token",
    "env_base_url",
    "env_gateway",
    "check_base_url",
    "is_secret_header",
    "masked_headers",
    "MaskedHeaders",
    "MASK",
]

DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4"
ACCOUNT_ID_ENV = ("CLOUDFLARE_ACCOUNT_ID", "CF_ACCOUNT_ID")
API_TOKEN_ENV = ("CLOUDFLARE_API_TOKEN", "CF_AI_API_TOKEN")
BASE_URL_ENV = "WORKERSAI_BASE_URL"
GATEWAY_ENV = "CLOUDFLARE_AI_GATEWAY_ID"

DEFAULT_MAX_CONNECTIONS = 100
"""Requests in flight at once per client (and connections in its pool)."""

_ACCOUNT_ID_RE = re.compile(r"[0-9a-fA-F]{32}")


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
    return check_base_url(os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL, BASE_URL_ENV)


_BAD_URL_CHARS = re.compile(r"[\x00-\x20\x7f]")


def check_base_url(url: str, name: str = "base_url") -> str:
    """``url`` if it is an ``http(s)://host[:port][/path]`` URL, else a
    :class:`ConfigurationError` naming ``name`` (the text never repeats a password).

    A ``user:password@`` part is refused: httpx would turn it into Basic auth and silently
    replace the Bearer token, and it would show in every repr and dump.
    """
    if not isinstance(url, str):
        raise ConfigurationError(f"{name} must be a string, not {type(url).__name__}")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port  # raises ValueError for a bad port
    except ValueError as exc:
        raise ConfigurationError(f"{name} is not a valid URL ({exc})") from None
    if "@" in parts.netloc:
        host = parts.netloc.rpartition("@")[2]
        shown = urllib.parse.urlunsplit(parts._replace(netloc="***@" + host))
        raise ConfigurationError(
            f"{name} must not carry credentials (user:password@), got {shown!r}; "
            "pass the token as api_token and gateway tokens in default_headers."
        )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            f"{name} must be an http:// or https:// URL with a host, got {url!r}"
        )
    if _BAD_URL_CHARS.search(url) or parts.query or parts.fragment or port == 0:
        raise ConfigurationError(
            f"{name} must be a plain URL (no spaces, control characters, query or fragment),"
            f" got {url!r}"
        )
    return url


_SECRET_HEADER = re.compile(r"auth|token|key|secret|password|cookie|signature", re.IGNORECASE)
MASK = "**********"


def is_secret_header(name: str) -> bool:
    """Whether a header's value is a secret (``authorization``, ``cf-aig-authorization``,
    anything naming a token, key, secret, password, cookie or signature)."""
    return _SECRET_HEADER.search(name) is not None


class MaskedHeaders(dict[str, str]):
    """A header dict whose repr masks the secret values (they are still sent)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(masked_headers(dict(self)))

    __str__ = __repr__

    def __reduce__(self) -> Any:  # pickles and copies as a plain dict of the same class
        return (type(self), (dict(self),))


def masked_headers(headers: dict[str, str] | None) -> dict[str, str] | None:
    """``headers`` with every secret value replaced by ``**********`` (for reprs, dumps and
    serialized forms)."""
    if not headers:
        return headers
    return {k: MASK if is_secret_header(k) else v for k, v in headers.items()}


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
        seconds = _seconds(value, "timeout")
        return cls(connect=min(10.0, seconds), read=seconds, stream_idle=seconds)

    def __post_init__(self) -> None:
        for name in ("connect", "read", "write", "pool", "stream_idle"):
            _seconds(getattr(self, name), f"timeout {name}")


_MAX_SECONDS = 7 * 24 * 3600.0  # asyncio and sockets overflow on larger values


def _seconds(value: Any, what: str) -> float:
    """A positive, finite number of seconds (at most a week), else InvalidInputError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInputError(f"{what} must be a number of seconds, got {value!r}")
    seconds = float(value)
    if not (math.isfinite(seconds) and 0 < seconds <= _MAX_SECONDS):
        raise InvalidInputError(
            f"{what} must be a positive, finite number of seconds (at most {_MAX_SECONDS:.0f}),"
            f" got {value!r}"
        )
    return seconds


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


DEFAULT_MAX_RETRIES = 2
"""Retries of a retryable failure (429, 5xx, connection errors) when none is configured."""


def check_retries(value: Any) -> int:
    """``value`` when it is a valid retry budget (the one place that checks it)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        got = repr(value) if isinstance(value, int | float) else f"a {type(value).__name__}"
        raise InvalidInputError(f"max_retries must be an integer from 0 to 100, got {got}")
    return value


@dataclass(slots=True, frozen=True)
class RequestOptions:
    """Per-call transport options; every field overrides the client's setting."""

    timeout: float | Timeouts | None = None
    max_retries: int | None = None
    gateway: str | None = None
    gateway_options: GatewayOptions | None = None
    session_affinity: str | None = None
    extra_headers: dict[str, str] | None = None
    deadline: float | None = None



class Settings(TypedDict, total=False):
    """The keyword arguments of :meth:`Config.resolve` (and of the clients' constructors);
    each left out or ``None`` is taken from the environment or the default."""

    account_id: str | None
    api_token: SecretStr | str | None
    base_url: str | None
    gateway: str | None
    gateway_options: GatewayOptions | None
    timeout: float | Timeouts | None
    max_retries: int | None
    default_headers: dict[str, str] | None
    limits: Limits | None
    deadline: float | None
    max_connections: int | None

@dataclass(slots=True, frozen=True)
class Config:
    """Everything the transport needs. Build with :meth:`Config.resolve` to read env vars."""

    account_id: str | None = None
    api_token: SecretStr | None = field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    gateway: str | None = None
    gateway_options: GatewayOptions | None = None
    timeouts: Timeouts = field(default_factory=Timeouts)
    max_retries: int = DEFAULT_MAX_RETRIES
    default_headers: dict[str, str] = field(default_factory=dict, repr=False)
    limits: Limits = field(default_factory=Limits)
    deadline: float = DEFAULT_DEADLINE
    max_connections: int = DEFAULT_MAX_CONNECTIONS

    def call_settings(self, options: RequestOptions | None) -> tuple[Timeouts, int]:
        """The timeouts and retry budget of one call: this config's, overridden by
        ``options``. Resolved once per call, the same way for every backend."""
        if options is None:
            return self.timeouts, self.max_retries
        timeouts = self.timeouts if options.timeout is None else Timeouts.from_value(
            options.timeout)
        retries = self.max_retries if options.max_retries is None else check_retries(
            options.max_retries)
        return timeouts, retries

    def call_deadline(self, options: RequestOptions | None) -> float:
        """The total deadline of one call, in seconds: ``options.deadline`` if set, else
        this config's (the same rule for every backend)."""
        if options is None or options.deadline is None:
            return self.deadline
        return check_deadline(options.deadline) or self.deadline

    @classmethod
    def resolve(cls, **settings: Unpack[Settings]) -> Config:
        """Fill unset values from the environment. Does no I/O and never fails on
        missing credentials (that is checked at the first request)."""
        unknown = sorted(set(settings) - Settings.__optional_keys__)
        if unknown:
            raise TypeError(f"Config.resolve() got unexpected keyword argument(s) {unknown}")
        api_token, max_retries, base_url = (
            settings.get("api_token"), settings.get("max_retries"), settings.get("base_url"))
        token = SecretStr(api_token) if isinstance(api_token, str) else api_token
        retries = check_retries(DEFAULT_MAX_RETRIES if max_retries is None else max_retries)
        url = check_base_url(base_url) if base_url else env_base_url()
        return cls(
            account_id=settings.get("account_id") or env_account_id(),
            api_token=token or env_api_token(),
            base_url=url.rstrip("/"),
            gateway=settings.get("gateway") or env_gateway(),
            gateway_options=settings.get("gateway_options"),
            timeouts=Timeouts.from_value(settings.get("timeout")),
            max_retries=retries,
            default_headers=dict(settings.get("default_headers") or {}),
            limits=_limits(settings.get("limits")),
            deadline=_or(check_deadline(settings.get("deadline")), DEFAULT_DEADLINE),
            max_connections=_connections(settings.get("max_connections")),
        )

    def require_credentials(self) -> tuple[str, str]:
        """The account id and token, or a :class:`ConfigurationError` naming the env vars."""
        if not self.account_id:
            raise ConfigurationError(
                "No Cloudflare account id: pass account_id=... or set "
                f"{ACCOUNT_ID_ENV[0]} (or {ACCOUNT_ID_ENV[1]})."
            )
        if not _ACCOUNT_ID_RE.fullmatch(self.account_id):
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


def _limits(value: Limits | None) -> Limits:
    if value is None:
        return Limits()
    if not isinstance(value, Limits):
        raise InvalidInputError(f"limits must be a workersai.Limits, got {type(value).__name__}")
    return value


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


def _connections(value: int | None) -> int:
    if value is None:
        return DEFAULT_MAX_CONNECTIONS
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInputError(f"max_connections must be a positive int, got {value!r}")
    return value
