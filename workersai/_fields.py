"""The framework-free half of the front ends' connection fields: lazy core clients,
``close``/``aclose``, pickling without secrets, and per-call transport options.

Both front ends declare the connection fields themselves (LangChain and LlamaIndex alias
and serialize the token differently) and inherit everything else from
:class:`LazyClients`. Construction does no I/O; the core ``Client``/``AsyncClient`` is
built on first use, once per instance, and an injected ``httpx`` client passes through.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PrivateAttr,
    SecretStr,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_validator,
)

from ._knobs import KNOBS, check_knob, checked_assignment
from .config import (
    DEFAULT_MAX_RETRIES,
    GatewayOptions,
    Limits,
    MaskedHeaders,
    RequestOptions,
    Settings,
    Timeouts,
    check_base_url,
    check_retries,
    env_api_token,
    is_secret_header,
    masked_headers,
)

if TYPE_CHECKING:
    import httpx

    from .client import AsyncClient, Client

__all__ = [
    "CONNECTION_FIELDS",
    "LazyClients",
    "LEFT_OUT_OF_PICKLES",
    "MODEL_NAMES",
    "MaxRetries",
    "TOKEN_NAMES",
    "TRANSPORT_KEYS",
    "TokenInput",
    "request_options",
]

if TYPE_CHECKING:
    TokenInput: TypeAlias = SecretStr | str | None
    """What type checkers accept for ``api_key=``/``api_token=``: a plain ``str`` too."""
else:  # what pydantic validates to: a str is wrapped, so the token never shows in a repr
    TokenInput = SecretStr | None

MODEL_NAMES = AliasChoices("model", "model_name")
"""``model`` is the constructor name type checkers see (the field's own name, so
``dataclass_transform`` reports it); ``model_name`` keeps working at runtime."""
TOKEN_NAMES = AliasChoices("api_key", "api_token")
"""Runtime names for the token; the fields also carry ``alias="api_key"`` so type checkers
accept ``api_key=`` (the name ChatOpenAI and LlamaIndex's OpenAI use)."""



def _retry_budget(value: Any) -> int:
    return DEFAULT_MAX_RETRIES if value is None else check_retries(value)


MaxRetries: TypeAlias = Annotated[int, BeforeValidator(_retry_budget)]
"""The type of a front end's ``max_retries`` field (default
:data:`~workersai.config.DEFAULT_MAX_RETRIES`): ``None`` means that default, and any other
value is checked at construction by the core's own :func:`~workersai.config.check_retries`
(an integer from 0 to 100), so a field, a ``Config`` and a per-call option accept the
same values."""

TRANSPORT_KEYS = (
    "timeout",
    "max_retries",
    "gateway",
    "gateway_options",
    "extra_headers",
    "session_affinity",
    "deadline",
)
"""Per-call keyword arguments that become :class:`workersai.RequestOptions` (not body
fields)."""

LEFT_OUT_OF_PICKLES = ("api_token", "http_client", "http_async_client", "binding")
"""Fields never pickled: the token (re-read from the environment on load) and the injected
objects, which belong to the process that made them. Secret ``default_headers`` values
(``cf-aig-authorization``, anything naming a token, key or secret) are left out too."""

CONNECTION_FIELDS = frozenset(
    (
        "account_id", "api_token", "base_url", "gateway", "gateway_options", "timeout",
        "max_retries", "default_headers", "http_client", "http_async_client", "binding",
    )
)
"""Fields the core clients are built from: assigning one drops the built clients, so the
next call uses the new value."""

_INJECTED = ("http_client", "http_async_client", "binding")
_CLIENT_ATTRS = ("_client", "_aclient")
_LOCK = threading.Lock()  # held only while a client is built; module-wide keeps pickles simple


def request_options(values: Mapping[str, Any]) -> RequestOptions | None:
    """``RequestOptions`` from per-call keyword arguments (``None`` when none is set)."""
    given = {k: v for k in TRANSPORT_KEYS if (v := values.get(k)) is not None}
    if not given:
        return None
    gateway_options = given.get("gateway_options")
    if isinstance(gateway_options, Mapping):
        given["gateway_options"] = GatewayOptions(**gateway_options)
    return RequestOptions(**given)


class LazyClients(BaseModel):
    """The core clients behind a front-end class, built on first use from its fields.

    Pickles carry no API token, no core client and none of the injected
    ``http_client``/``http_async_client``/``binding``; on load the token is read again
    from ``CLOUDFLARE_API_TOKEN`` / ``CF_AI_API_TOKEN`` (so multiprocessing workers
    configured by the environment still work) and the clients are rebuilt on first use.
    A subclass builds its pydantic validators when it is first constructed, not when its
    module is imported.
    """

    model_config = ConfigDict(defer_build=True)

    if TYPE_CHECKING:  # declared by each front end (aliases and serialization differ)
        account_id: str | None
        api_token: TokenInput
        base_url: str
        gateway: str | None
        gateway_options: GatewayOptions | None
        timeout: float | Timeouts | None
        max_retries: int | None
        default_headers: dict[str, str] | None
        http_client: httpx.Client | None
        http_async_client: httpx.AsyncClient | None
        binding: Any
        limits: Limits | None
        deadline: float | None
        max_connections: int | None

    _client: Any = PrivateAttr(default=None)
    _aclient: Any = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _foreign_arguments(cls, data: Any) -> Any:
        """Other integrations' argument names: renamed ones moved to ours (with a
        ``MigrationWarning``), others refused naming what to use (``workersai._migrate``)."""
        from ._migrate import check_arguments

        strict = cls.model_config.get("extra") == "forbid"
        return check_arguments(data, accepted_names(cls), cls.__name__, strict=strict)

    # The injected clients are declared ``Any`` by the front ends so that importing them
    # does not import httpx; these validators check the type, importing httpx only then.
    @field_validator("http_client", check_fields=False)
    @classmethod
    def _check_http_client(cls, value: Any) -> Any:
        return _instance_of(value, "Client", "http_client")

    @field_validator("http_async_client", check_fields=False)
    @classmethod
    def _check_http_async_client(cls, value: Any) -> Any:
        return _instance_of(value, "AsyncClient", "http_async_client")

    def __init__(self, /, **data: Any) -> None:
        url = data.get("base_url")
        if isinstance(url, str):  # before pydantic, whose error would quote the password
            check_base_url(url)
        super().__init__(**data)

    @field_validator("default_headers", check_fields=False)
    @classmethod
    def _hide_headers(cls, headers: dict[str, str] | None) -> dict[str, str] | None:
        return None if headers is None else MaskedHeaders(headers)

    @field_serializer("default_headers", check_fields=False)
    def _mask_headers(self, headers: dict[str, str] | None) -> dict[str, str] | None:
        return masked_headers(headers)

    def __repr_args__(self) -> Any:
        for name, value in super().__repr_args__():
            yield name, masked_headers(value) if name == "default_headers" else value

    @field_validator(*KNOBS, check_fields=False)
    @classmethod
    def _check_knob(cls, value: Any, info: ValidationInfo) -> Any:
        """A bad timeout, max_retries, deadline, ... is refused here, not at the first call
        (the core's own checks; pydantic names the field)."""
        return check_knob(str(info.field_name), value)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "api_token" and isinstance(value, str):
            value = SecretStr(value) if value else None  # never a plain str in a repr
        if name in KNOBS:  # checked at assignment too (no validate_assignment: too costly)
            value = checked_assignment(self, name, value)
        if name == "default_headers" and isinstance(value, dict):
            value = MaskedHeaders(value)
        super().__setattr__(name, value)
        if name in CONNECTION_FIELDS:
            self._forget_clients()

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Any:
        """A copy with its own clients; ``update`` values are checked like assignments
        (a token string becomes secret, header values are masked in reprs)."""
        copied = super().model_copy(deep=deep)
        for name, value in (update or {}).items():
            setattr(copied, name, value)
        return copied

    def __copy__(self) -> Any:
        """A copy with its own (not yet built) core clients: ``model_copy(update=...)``
        then sends with the copy's account, token, URL, timeouts and retries."""
        copied = super().__copy__()
        copied._forget_clients()
        return copied

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Any:
        """A deep copy; built clients are left behind (the copy builds its own) and the
        injected ``http_client``/``http_async_client``/``binding`` are shared, not copied."""
        memo = {} if memo is None else memo
        for name in _INJECTED:
            value = self.__dict__.get(name)
            if value is not None:
                memo.setdefault(id(value), value)
        private = self.__pydantic_private__ or {}
        for name in _CLIENT_ATTRS:
            client = private.get(name)
            if client is not None:
                memo.setdefault(id(client), None)
        copied = super().__deepcopy__(memo)
        copied._forget_clients()
        return copied

    def _forget_clients(self) -> None:
        """Drop the built clients (not closed: a call in another thread may still use them;
        their pools close when they are collected)."""
        private = self.__pydantic_private__
        if private is not None:
            for name in _CLIENT_ATTRS:
                if name in private:
                    private[name] = None

    @field_validator("model", "model_name", check_fields=False)
    @classmethod
    def _full_model_id(cls, value: Any) -> Any:
        """A short id (``llama-3.3-70b-instruct-fp8-fast``) becomes the one catalog id
        ending in it; none or several: a ``ValueError`` naming the closest full ids."""
        if isinstance(value, str) and value and not value.startswith("@"):
            from .catalog import resolve

            return resolve(value)
        return value

    def _core_settings(self) -> Settings:
        """The core client's settings from this instance's fields: the one builder both
        front ends (and any adapter) use, typed as :class:`~workersai.config.Settings` so
        a misspelt or unknown setting is a type error (and a ``TypeError`` at runtime)."""
        affinity: str | None = getattr(self, "session_affinity", None)
        headers = self.default_headers
        if affinity:  # x-session-affinity on every request (prompt caching on one replica)
            headers = {**(headers or {}), "x-session-affinity": affinity}
        # optional for an adapter: a subclass that does not declare them gets the defaults
        limits: Limits | None = getattr(self, "limits", None)
        deadline: float | None = getattr(self, "deadline", None)
        max_connections: int | None = getattr(self, "max_connections", None)
        return Settings(
            account_id=self.account_id, api_token=self.api_token, base_url=self.base_url,
            gateway=self.gateway, gateway_options=self.gateway_options, timeout=self.timeout,
            max_retries=self.max_retries, default_headers=headers, limits=limits,
            deadline=deadline, max_connections=max_connections,
        )

    def _sync_client(self) -> Client:
        """The core client, built on first use (read straight from pydantic's private
        storage: the attribute route costs more than the rest of a call's set-up)."""
        built = self.__pydantic_private__.get("_client")  # type: ignore[union-attr]
        if built is not None:
            return built
        if self._client is None:
            from .client import Client  # imported on first use: keeps import time low

            with _LOCK:
                if self._client is None:
                    self._client = Client(**self._core_settings(), http_client=self.http_client,
                                          binding=self.binding)
        client: Client = self._client
        return client

    def _async_client(self) -> AsyncClient:
        """The async core client, built on first use (safe across event loops)."""
        built = self.__pydantic_private__.get("_aclient")  # type: ignore[union-attr]
        if built is not None:
            return built
        if self._aclient is None:
            from .client import AsyncClient

            with _LOCK:
                if self._aclient is None:
                    self._aclient = AsyncClient(
                        **self._core_settings(), http_client=self.http_async_client,
                        binding=self.binding,
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

    def __getstate__(self) -> dict[str, Any]:
        state: dict[str, Any] = super().__getstate__()
        fields = state["__dict__"]
        state["__dict__"] = {k: v for k, v in fields.items() if k not in LEFT_OUT_OF_PICKLES}
        headers = fields.get("default_headers")
        if headers:
            kept = {k: v for k, v in headers.items() if not is_secret_header(k)}
            state["__dict__"]["default_headers"] = kept
        private = state.get("__pydantic_private__")
        if private:
            state["__pydantic_private__"] = {
                k: v for k, v in private.items() if k not in _CLIENT_ATTRS
            }
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for name in LEFT_OUT_OF_PICKLES:
            self.__dict__.setdefault(name, None)
        if self.__dict__["api_token"] is None:
            self.__dict__["api_token"] = env_api_token()
        private = self.__pydantic_private__
        if private is not None:
            for name in _CLIENT_ATTRS:
                private[name] = None


@functools.cache
def accepted_names(cls: type[BaseModel]) -> frozenset[str]:
    """Every constructor keyword ``cls`` takes: field names, aliases, alias choices."""
    names: set[str] = set()
    for name, info in cls.model_fields.items():
        names.add(name)
        if info.alias:
            names.add(info.alias)
        alias = info.validation_alias
        if isinstance(alias, str):
            names.add(alias)
        elif isinstance(alias, AliasChoices):
            names.update(c for c in alias.choices if isinstance(c, str))
    return frozenset(names)


def _instance_of(value: Any, kind: str, field: str) -> Any:
    if value is None:
        return None
    import httpx

    if not isinstance(value, getattr(httpx, kind)):
        raise ValueError(f"{field} must be an httpx.{kind}, not {type(value).__name__}")
    return value
