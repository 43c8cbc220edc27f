"""The runtime with the real Emulator: plugin fixtures, faults, the core client, the CLI."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import httpx
import pytest

from workersai import Client
from workersai.emulator import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_TOKEN,
    CutStream,
    Emulator,
    EmulatorServer,
    RateLimited,
    ServerBusy,
    plugin,
)
from workersai.emulator.__main__ import build_parser
from workersai.emulator.transport import emulator_http_client as in_process_client
from workersai.errors import RateLimitError

pytestmark = pytest.mark.emulator

MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
RUN = f"/accounts/{DEFAULT_ACCOUNT_ID}/ai/run/{MODEL}"
AUTH = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}


def test_emulator_fixture_is_fresh_with_a_fault_schedule(emulator: Emulator) -> None:
    assert emulator.requests == []
    assert emulator.faults.rules == ()


def test_sync_client_fixture(emulator: Emulator, emulator_http_client: httpx.Client) -> None:
    response = emulator_http_client.post(RUN, json={"prompt": "Hello"}, headers=AUTH)
    assert response.status_code == 200
    assert response.json()["success"] is True
    assert emulator.requests[0].path == "/client/v4" + RUN


async def test_async_client_fixture_streams(emulator: Emulator,
                                            emulator_async_http_client: httpx.AsyncClient
                                            ) -> None:
    body = {"prompt": "Hello", "stream": True}
    async with emulator_async_http_client.stream("POST", RUN, json=body,
                                                 headers=AUTH) as response:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    assert response.headers["content-type"].startswith("text/event-stream")
    assert raw.rstrip().endswith(b"data: [DONE]")
    assert len(emulator.requests) == 1


def test_faults_on_the_real_emulator(emulator: Emulator,
                                     emulator_http_client: httpx.Client) -> None:
    emulator.faults.add(RateLimited(retry_after=3), on=2, path="/ai/run/")
    search = f"/accounts/{DEFAULT_ACCOUNT_ID}/ai/models/search"
    statuses = [emulator_http_client.get(search, headers=AUTH).status_code]
    for _ in range(3):
        reply = emulator_http_client.post(RUN, json={"prompt": "Hi"}, headers=AUTH)
        statuses.append(reply.status_code)
        if reply.status_code == 429:
            assert reply.headers["retry-after"] == "3"
    assert statuses == [200, 200, 429, 200]


def test_cut_stream_on_real_sse(emulator: Emulator, emulator_http_client: httpx.Client) -> None:
    emulator.faults.add(CutStream(3), times=1)
    got: list[bytes] = []
    with pytest.raises(httpx.RemoteProtocolError), emulator_http_client.stream(
            "POST", RUN, json={"prompt": "Hi", "stream": True}, headers=AUTH) as response:
        got.extend(response.iter_raw())
    assert b"".join(got).count(b"\n\n") == 3


def test_server_fixture(emulator: Emulator, emulator_server: EmulatorServer) -> None:
    assert emulator_server.handler is emulator
    with httpx.Client(base_url=emulator_server.base_url) as client:
        response = client.post(RUN, json={"prompt": "Hello"}, headers=AUTH)
    assert response.status_code == 200 and "cf-ai-req-id" in response.headers


@pytest.fixture
def stray_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDFLARE_AI_GATEWAY_ID", "some-gateway")
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "a-real-looking-token")


def test_env_fixture_drives_the_core_client(stray_env: None, emulator: Emulator,
                                            emulator_env: EmulatorServer) -> None:
    assert os.environ["WORKERSAI_BASE_URL"] == emulator_env.base_url
    assert os.environ["CLOUDFLARE_ACCOUNT_ID"] == DEFAULT_ACCOUNT_ID
    assert os.environ["CLOUDFLARE_API_TOKEN"] == DEFAULT_TOKEN
    assert "CLOUDFLARE_AI_GATEWAY_ID" not in os.environ
    emulator.faults.add(RateLimited(), times=1)
    emulator.faults.add(ServerBusy(), on=2)
    with Client(max_retries=0) as client:
        with pytest.raises(RateLimitError):
            client.run(MODEL, {"prompt": "Hello"})
    with Client(max_retries=2, timeout=5.0) as client:
        result = client.run(MODEL, {"prompt": "Hello"})  # 503 on the 2nd, retried
    assert result is not None
    assert len(emulator.requests) == 3


def test_plugin_registers_the_emulator_marker() -> None:
    lines: list[tuple[str, str]] = []

    class Config:
        def addinivalue_line(self, name: str, line: str) -> None:
            lines.append((name, line))

    plugin.pytest_configure(Config())  # type: ignore[arg-type]
    assert lines and lines[0][0] == "markers" and lines[0][1].startswith("emulator:")


def test_cli_options_parse() -> None:
    args = build_parser().parse_args(["--port", "0", "--latency", "0.5", "--seed", "7",
                                      "--chunk-size", "16", "--host", "127.0.0.1"])
    assert (args.port, args.latency, args.seed, args.chunk_size) == (0, 0.5, 7, 16)
    defaults = build_parser().parse_args([])
    assert (defaults.host, defaults.port, defaults.latency) == ("127.0.0.1", 8787, 0.0)


def _start(*options: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "workersai.emulator", "--port", "0",
                             *options], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+/client/v4)", line)
    assert match, line
    return proc, match.group(1)


def _stream(base_url: str) -> list[bytes]:
    with httpx.Client(base_url=base_url) as client, client.stream(
            "POST", RUN, json={"prompt": "Hello there", "stream": True},
            headers=AUTH) as response:
        return list(response.iter_raw())


def test_cli_serves_and_exits_cleanly_on_sigterm() -> None:
    proc, base_url = _start()
    try:
        plain = _stream(base_url)
        assert b"".join(plain).rstrip().endswith(b"data: [DONE]")
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


def test_cli_knobs_change_the_replies() -> None:
    proc, base_url = _start("--chunk-size", "5", "--latency", "0.3", "--seed", "3")
    try:
        with httpx.Client(base_url=base_url) as client:
            served = client.post(RUN, json={"prompt": "Hello"}, headers=AUTH)
        start = time.perf_counter()
        pieces = _stream(base_url)
        assert time.perf_counter() - start >= 0.3  # --latency
        assert max(len(p) for p in pieces) <= 5  # --chunk-size
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    ids = {}
    for seed in (3, 4):
        with in_process_client(Emulator(seed=seed)) as client:
            reply = client.post(RUN, json={"prompt": "Hello"}, headers=AUTH)
            ids[seed] = reply.headers["cf-ai-req-id"]
    assert served.headers["cf-ai-req-id"] == ids[3] != ids[4]  # --seed
