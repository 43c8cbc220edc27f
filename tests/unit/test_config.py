"""Configuration: env fallbacks, credential checks, gateway headers."""

from __future__ import annotations

import pytest

from workersai.config import Config, GatewayOptions, Timeouts
from workersai.errors import ConfigurationError, InvalidInputError

ACCOUNT = "0123456789abcdef0123456789abcdef"


pytestmark = pytest.mark.usefixtures("clean_env")


def test_resolve_reads_primary_then_fallback_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CF_ACCOUNT_ID", "b" * 32)
    monkeypatch.setenv("CF_AI_API_TOKEN", "fallback-token")
    cfg = Config.resolve()
    assert cfg.account_id == "b" * 32
    assert cfg.api_token is not None and cfg.api_token.get_secret_value() == "fallback-token"
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", ACCOUNT)
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "primary-token")
    cfg = Config.resolve()
    assert cfg.account_id == ACCOUNT
    assert cfg.api_token is not None and cfg.api_token.get_secret_value() == "primary-token"


def test_base_url_and_gateway_env(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Config.resolve().base_url == "https://api.cloudflare.com/client/v4"
    monkeypatch.setenv("WORKERSAI_BASE_URL", "http://127.0.0.1:8787/client/v4/")
    monkeypatch.setenv("CLOUDFLARE_AI_GATEWAY_ID", "gw")
    cfg = Config.resolve()
    assert cfg.base_url == "http://127.0.0.1:8787/client/v4"
    assert cfg.gateway == "gw"


def test_missing_credentials_error_names_env_vars() -> None:
    cfg = Config.resolve()
    with pytest.raises(ConfigurationError, match="CLOUDFLARE_ACCOUNT_ID"):
        cfg.require_credentials()
    cfg = Config.resolve(account_id=ACCOUNT)
    with pytest.raises(ConfigurationError, match="CLOUDFLARE_API_TOKEN"):
        cfg.require_credentials()


@pytest.mark.parametrize("bad", ["abc", "g" * 32, ACCOUNT + "0", "my-account"])
def test_malformed_account_id(bad: str) -> None:
    cfg = Config.resolve(account_id=bad, api_token="t")
    with pytest.raises(ConfigurationError, match="32 hexadecimal"):
        cfg.require_credentials()


def test_token_not_in_repr() -> None:
    cfg = Config.resolve(account_id=ACCOUNT, api_token="s3cr3t-token-value")
    assert "s3cr3t" not in repr(cfg)
    assert "s3cr3t" not in str(cfg)


def test_timeout_number_sets_read_and_idle() -> None:
    t = Timeouts.from_value(5)
    assert (t.read, t.stream_idle, t.connect) == (5.0, 5.0, 5.0)
    with pytest.raises(InvalidInputError):
        Timeouts.from_value(0)


def test_gateway_headers() -> None:
    opts = GatewayOptions(cache_ttl=3600, skip_cache=True, cache_key="k",
                          metadata={"user": "u1", "n": 3}, collect_log=False, event_id="e1",
                          request_timeout_ms=1500, max_attempts=3, retry_delay_ms=200,
                          backoff="exponential")
    assert opts.headers() == {
        "cf-aig-cache-ttl": "3600",
        "cf-aig-skip-cache": "true",
        "cf-aig-cache-key": "k",
        "cf-aig-metadata": '{"user":"u1","n":3}',
        "cf-aig-collect-log": "false",
        "cf-aig-event-id": "e1",
        "cf-aig-request-timeout": "1500",
        "cf-aig-max-attempts": "3",
        "cf-aig-retry-delay": "200",
        "cf-aig-backoff": "exponential",
    }
    assert GatewayOptions().headers() == {}


@pytest.mark.parametrize("opts", [
    GatewayOptions(max_attempts=6),
    GatewayOptions(retry_delay_ms=6000),
    GatewayOptions(metadata={"a": {"nested": 1}}),  # type: ignore[dict-item]
    GatewayOptions(metadata={str(i): i for i in range(6)}),
])
def test_gateway_option_validation(opts: GatewayOptions) -> None:
    with pytest.raises(InvalidInputError):
        opts.headers()


def test_call_settings_resolve_options_once_for_every_backend() -> None:
    from workersai.config import DEFAULT_MAX_RETRIES, Config, RequestOptions, Timeouts
    from workersai.errors import InvalidInputError

    config = Config(max_retries=3, timeouts=Timeouts(read=9.0))
    assert config.call_settings(None) == (config.timeouts, 3)
    timeouts, retries = config.call_settings(RequestOptions(max_retries=0, timeout=1.5))
    assert retries == 0 and timeouts.read == 1.5
    assert config.call_settings(RequestOptions(gateway="g")) == (config.timeouts, 3)
    with pytest.raises(InvalidInputError, match="max_retries must be an integer from 0 to 100"):
        config.call_settings(RequestOptions(max_retries=-1))
    assert Config.resolve(max_retries=None).max_retries == DEFAULT_MAX_RETRIES


def test_resolve_takes_exactly_the_settings_the_clients_take() -> None:
    import inspect

    from workersai import AsyncClient, Client
    from workersai.config import Settings

    for twin in (Client, AsyncClient):
        params = set(inspect.signature(twin).parameters) - {"http_client", "config", "binding"}
        assert params == Settings.__optional_keys__, twin
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['acount_id'\]"):
        Config.resolve(acount_id=ACCOUNT)  # type: ignore[call-arg]
