"""The front ends hand the core a typed :class:`workersai.config.Settings`, built by one
builder (``LazyClients._core_settings``) that both front ends inherit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from langchain_workersai import ChatWorkersAI, WorkersAIEmbeddings
from llamaindex_workersai import WorkersAI, WorkersAIRerank
from workersai import GatewayOptions, Limits, Timeouts
from workersai.config import Config, Settings
from workersai.integration import LazyClients

from ._mypy import strict_errors

USAGE = Path(__file__).with_name("settings_usage.py")
ACCOUNT = "0123456789abcdef0123456789abcdef"


def test_settings_builder_is_typed_and_refuses_unknown_keys(tmp_path: Path) -> None:
    """``mypy --strict`` accepts the usage file and, in the same run, rejects a misspelt
    setting and an unknown one (so the check can fail)."""
    bad = tmp_path / "bad_settings.py"
    bad.write_text(
        "from workersai.config import Settings\n"
        "from workersai.integration import LazyClients\n"
        "class Typo(LazyClients):\n"
        "    def _core_settings(self) -> Settings:\n"
        "        return {**super()._core_settings(), 'deadlin': 1.0}\n"
        "class Unknown(LazyClients):\n"
        "    def _core_settings(self) -> Settings:\n"
        "        return Settings(account_id='a', binding=None)\n"
    )
    status, lines, out = strict_errors(USAGE, bad)
    assert status == 1, out
    assert [line.split(":")[1] for line in lines] == ["5", "8"], out
    assert '"deadlin"' in lines[0] and '"binding"' in lines[1], out


KNOBS: dict[str, Any] = {
    "account_id": ACCOUNT, "api_key": "tok-1", "base_url": "http://127.0.0.1:9/client/v4",
    "gateway": "gw", "gateway_options": GatewayOptions(skip_cache=True),
    "timeout": Timeouts(read=7.0), "max_retries": 4, "default_headers": {"x-a": "1"},
    "session_affinity": "conv-1", "deadline": 12.5, "max_connections": 3,
    "limits": Limits(max_response_bytes=1 << 20),
}


@pytest.mark.parametrize("cls", [ChatWorkersAI, WorkersAIEmbeddings, WorkersAI, WorkersAIRerank],
                         ids=lambda c: c.__name__)
def test_both_front_ends_build_the_same_settings_with_the_shared_builder(cls: type) -> None:
    obj = cls(**KNOBS)
    assert type(obj)._core_settings is LazyClients._core_settings  # no per-front-end copy
    settings = obj._core_settings()
    assert set(settings) == Settings.__optional_keys__
    assert settings["default_headers"] == {"x-a": "1", "x-session-affinity": "conv-1"}
    config = obj._sync_client().config
    assert config == obj._async_client().config == Config.resolve(**settings)
    assert (config.deadline, config.max_connections, config.max_retries) == (12.5, 3, 4)
    assert config.limits.max_response_bytes == 1 << 20 and config.timeouts.read == 7.0
    assert config.api_token is not None and config.api_token.get_secret_value() == "tok-1"
    assert config.gateway == "gw" and config.gateway_options == GatewayOptions(skip_cache=True)
