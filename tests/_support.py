"""Helpers the LangChain, LlamaIndex and example tests share."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_example(script: str, timeout: float) -> str:
    """Run ``examples/<script>`` as a user would, with no Cloudflare settings in the
    environment (so it picks the emulator); its stdout, after checking it exited 0."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CLOUDFLARE_", "CF_", "WORKERSAI_"))}
    # the packages of this checkout, not whichever copy is installed
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, str(ROOT / "examples" / script)], env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def spy_on_async_translate(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The keyword arguments ``AsyncClient.tasks.translate`` is called with (filled in as
    calls happen; the real call still runs)."""
    from workersai._namespaces import AsyncTasks, _Verb

    seen: dict[str, Any] = {}
    real = AsyncTasks.translate.afn

    async def spy(*args: Any, **kwargs: Any) -> Any:
        seen.update(kwargs)
        return await real(*args, **kwargs)

    monkeypatch.setattr(AsyncTasks, "translate", _Verb(AsyncTasks.translate.fn, spy))
    return seen


def spy_on_paced(monkeypatch: pytest.MonkeyPatch, doors: dict[str, str]) -> list[str]:
    """The labels of the requests the core hands an HTTP backend with a pacing slot, in
    order. ``doors`` maps a label to ``"<SyncHTTP|AsyncHTTP>.<send|stream>"``; the real
    backend still runs (and waits for the slot)."""
    from workersai import _http

    seen: list[str] = []
    for label, door in doors.items():
        cls_name, _, method = door.partition(".")
        cls = getattr(_http, cls_name)
        real = getattr(cls, method)

        def spy(self: Any, *args: Any, _real: Any = real, _label: str = label,
                **kw: Any) -> Any:
            if kw.get("pace") is not None:
                seen.append(_label)
            return _real(self, *args, **kw)

        monkeypatch.setattr(cls, method, spy)
    return seen
