"""Project-wide pytest configuration."""

import pytest

pytest_plugins = ["workersai.emulator.plugin"]


@pytest.fixture
def before_retirements(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run as of 2026-05-10, before the 2026-05-30 retirements: for tests that exercise
    request/reply handling of models Cloudflare has since retired (bart-large-cnn,
    uform-gen2, mistral-7b-instruct-v0.1, llama-3.1-8b-instruct, gemma-3-12b-it, ...).
    From the real date on, those models raise ModelRetiredError before sending
    (tests/unit/test_retired_models.py)."""
    import datetime as _dt

    from workersai import catalog

    monkeypatch.setattr(catalog, "_today", lambda: _dt.date(2026, 5, 10))


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Cloudflare settings from the developer's shell leak into a test."""
    from workersai.config import ACCOUNT_ID_ENV, API_TOKEN_ENV, BASE_URL_ENV, GATEWAY_ENV

    for name in (*ACCOUNT_ID_ENV, *API_TOKEN_ENV, BASE_URL_ENV, GATEWAY_ENV):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _fresh_pacer() -> None:
    """Each test starts with empty rate buckets: the process-wide pacer shares one bucket
    per (account, model), which would otherwise carry one test's requests into the next."""
    from workersai._pacer import PACER

    PACER.reset()
