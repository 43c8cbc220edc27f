"""``max_connections`` is also the size of the pool the client builds (README's
configuration table: "also the pool size"), for both twins, default 100."""

from __future__ import annotations

import pytest

from workersai import AsyncClient, Client

ACCOUNT = "0" * 32


@pytest.mark.parametrize("cls", [Client, AsyncClient], ids=lambda c: c.__name__)
@pytest.mark.parametrize(("given", "pool"), [(None, 100), (7, 7)])
def test_pool_holds_max_connections(cls: type, given: int | None, pool: int) -> None:
    client = cls(account_id=ACCOUNT, api_token="t", max_connections=given)
    limits = client._backend.client_kwargs()["limits"]
    assert limits.max_connections == pool
    assert limits.max_keepalive_connections == pool


def test_built_sync_client_uses_those_limits() -> None:
    with Client(account_id=ACCOUNT, api_token="t", max_connections=3) as client:
        http = client._backend.http()
        assert http._transport._pool._max_connections == 3  # httpcore's pool
