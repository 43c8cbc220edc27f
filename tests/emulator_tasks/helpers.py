"""Call ``handle_task`` with JSON or raw bodies and read its replies."""

from __future__ import annotations

import json
from typing import Any

from workersai.emulator._tasks import handle_task


def call(model: str, inputs: Any = None, *, raw: bytes | None = None,
         content_type: str | None = None, task: str = "") -> tuple[int, dict[str, str], bytes]:
    if raw is None:
        body, ctype = json.dumps(inputs).encode(), content_type or "application/json"
    else:
        body, ctype = raw, content_type or "application/octet-stream"
    out = handle_task(model, task, body, ctype)
    assert out is not None, f"{model} not served"
    status, headers, data = out
    return status, dict(headers), data


def ok(model: str, inputs: Any = None, **kw: Any) -> Any:
    """The envelope ``result`` of a successful JSON reply."""
    status, headers, data = call(model, inputs, **kw)
    assert status == 200, data
    assert headers["content-type"] == "application/json"
    envelope = json.loads(data)
    assert envelope["success"] is True and envelope["errors"] == []
    return envelope["result"]


def bad(model: str, inputs: Any = None, **kw: Any) -> str:
    """The message of a 400 / 5006 reply."""
    status, headers, data = call(model, inputs, **kw)
    assert status == 400, data
    assert headers["content-type"] == "application/json"
    envelope = json.loads(data)
    assert envelope["success"] is False and envelope["result"] == {}
    (err,) = envelope["errors"]
    assert err["code"] == 5006
    assert err["message"].startswith("AiError: Bad input: Error: ")
    return str(err["message"])
