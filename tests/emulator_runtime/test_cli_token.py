"""``python -m workersai.emulator``: enforces the token its banner prints (``--token``
sets another, ``--any-token`` accepts any), marks every reply, and says so in one line
when its port is taken."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from workersai.emulator import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN, EMULATOR_HEADER, Emulator
from workersai.emulator.__main__ import main as emulator_main
from workersai.emulator.transport import emulator_http_client

pytestmark = pytest.mark.emulator

RUN = f"/accounts/{DEFAULT_ACCOUNT_ID}/ai/run/@cf/meta/llama-3.3-70b-instruct-fp8-fast"


@pytest.fixture
def servers() -> Iterator[dict[str, tuple[str, str]]]:
    """Three loopback emulators started together: default, --token, --any-token."""
    options = {"default": [], "token": ["--token", "my-own-token"], "any": ["--any-token"]}
    procs = {name: subprocess.Popen(
        [sys.executable, "-m", "workersai.emulator", "--port", "0", *opts],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        for name, opts in options.items()}
    try:
        found = {}
        for name, proc in procs.items():
            assert proc.stdout is not None
            banner = "".join(proc.stdout.readline() for _ in range(5))
            url = re.search(r"(http://127\.0\.0\.1:\d+/client/v4)", banner)
            token = re.search(r"CLOUDFLARE_API_TOKEN=(\S+)", banner)
            assert url and token, banner
            found[name] = (url.group(1), token.group(1))
        yield found
    finally:
        for proc in procs.values():
            proc.terminate()
            proc.wait(timeout=10)


def _post(base_url: str, token: str) -> httpx.Response:
    return httpx.post(base_url + RUN, json={"prompt": "Hello"},
                      headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_tokens_over_loopback(servers: dict[str, tuple[str, str]]) -> None:
    url, printed = servers["default"]
    assert printed == DEFAULT_TOKEN
    assert _post(url, printed).status_code == 200
    refused = _post(url, "not-the-token")
    assert refused.status_code == 401
    assert refused.json()["errors"] == [{"code": 10000, "message": "Authentication error"}]
    assert refused.headers[EMULATOR_HEADER] == "1"

    url, printed = servers["token"]
    assert printed == "my-own-token"
    assert _post(url, "my-own-token").status_code == 200
    assert _post(url, DEFAULT_TOKEN).status_code == 401

    url, _ = servers["any"]
    assert _post(url, "whatever").status_code == 200


def test_every_reply_is_marked() -> None:
    with emulator_http_client(Emulator()) as client:
        ok = client.post("http://x/client/v4" + RUN, json={"prompt": "Hi"},
                         headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"})
        lost = client.get("http://x/client/v4/nowhere")
    assert ok.headers[EMULATOR_HEADER] == "1" and lost.headers[EMULATOR_HEADER] == "1"


def test_a_taken_port_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert emulator_main(["--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"port {port} on 127.0.0.1 is already in use" in err and "--port 0" in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_empty_token_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        emulator_main(["--token", " "])
    assert "--any-token" in capsys.readouterr().err
