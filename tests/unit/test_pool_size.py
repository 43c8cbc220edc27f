"""``max_connections`` is also the size of the pool the client builds (README's
configuration table: "also the pool size"), for both twins, default 100; the pool keeps
at most ``IDLE_CONNECTIONS`` (20) idle connections alive, because httpcore's pool costs
CPU per idle connection on every request."""

from __future__ import annotations

import pytest

from workersai import AsyncClient, Client
from workersai._http_shell import IDLE_CONNECTIONS

ACCOUNT = "0" * 32


@pytest.mark.parametrize("cls", [Client, AsyncClient], ids=lambda c: c.__name__)
@pytest.mark.parametrize(("given", "pool", "idle"), [(None, 100, 20), (7, 7, 7), (30, 30, 20)])
def test_pool_holds_max_connections(cls: type, given: int | None, pool: int,
                                    idle: int) -> None:
    client = cls(account_id=ACCOUNT, api_token="t", max_connections=given)
    limits = client._backend.client_kwargs()["limits"]
    assert limits.max_connections == pool
    assert limits.max_keepalive_connections == idle == min(pool, IDLE_CONNECTIONS)


def test_built_sync_client_uses_those_limits() -> None:
    with Client(account_id=ACCOUNT, api_token="t", max_connections=3) as client:
        http = client._backend.http()
        assert http._transport._pool._max_connections == 3  # httpcore's pool
