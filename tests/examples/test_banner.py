"""The main job names the service it talks to after its first reply: EMULATOR for any
emulator (in-process or loopback, however it was configured), LIVE only for Cloudflare."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from workersai.emulator.server import EmulatorServer

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))

import _connect

pytestmark = pytest.mark.emulator


def test_loopback_emulator_through_the_environment_says_emulator(
    emulator_env: EmulatorServer,
) -> None:
    conn = _connect.connect()
    assert conn.banner.startswith("Mode: EMULATOR") and not conn.live
    assert emulator_env.base_url in conn.banner
    assert conn.kwargs == {}  # the classes read the same environment


def test_no_credentials_uses_the_embedded_emulator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLOUDFLARE_ACCOUNT_ID", raising=False)
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN", raising=False)
    conn = _connect.connect()
    assert conn.banner.startswith("Mode: EMULATOR") and "http_client" in conn.kwargs


def test_a_service_without_the_mark_is_live(
    emulator_env: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same server with its replies' mark removed stands in for Cloudflare."""
    handle = emulator_env.handler.handle

    def unmarked(request):  # type: ignore[no-untyped-def]
        reply = handle(request)
        reply.headers = [(k, v) for k, v in reply.headers if k != "x-workersai-emulator"]
        return reply

    monkeypatch.setattr(emulator_env.handler, "handle", unmarked)
    conn = _connect.connect()
    assert conn.banner.startswith("Mode: LIVE") and conn.live
