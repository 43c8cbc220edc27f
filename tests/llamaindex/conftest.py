"""Shared fixtures for the LlamaIndex front-end tests."""

from __future__ import annotations

import pytest

from workersai.config import ACCOUNT_ID_ENV, API_TOKEN_ENV, BASE_URL_ENV, GATEWAY_ENV


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Cloudflare settings from the developer's shell leak into a test."""
    for name in (*ACCOUNT_ID_ENV, *API_TOKEN_ENV, BASE_URL_ENV, GATEWAY_ENV):
        monkeypatch.delenv(name, raising=False)
