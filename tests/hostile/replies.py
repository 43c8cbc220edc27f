"""Plausible Workers AI answers for the recorder, chosen from the request body alone
(chat, streamed chat, embeddings, rerank), plus helpers to read what was recorded."""

from __future__ import annotations

import json
from typing import Any

from .recorder import Recorded, Reply, json_reply

__all__ = ["auth", "account", "ok", "failing", "sse"]


def _envelope(result: Any) -> dict[str, Any]:
    return {"result": result, "success": True, "errors": [], "messages": []}


def sse(*events: Any, done: bool = True) -> Reply:
    body = b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events)
    if done:
        body += b"data: [DONE]\n\n"
    return Reply(200, [("content-type", "text/event-stream")], body)


def ok(request: Recorded) -> Reply:
    """A well-formed answer to a chat, stream, embeddings or rerank request."""
    body = request.json()
    if "contexts" in body:
        n = len(body["contexts"])
        ranked = [{"id": i, "score": 1.0 - i / (n + 1)} for i in range(n)]
        return json_reply(_envelope({"response": ranked}))
    texts = body.get("text")
    if texts is not None:
        texts = texts if isinstance(texts, list) else [texts]
        vectors = [[float(len(t)), 1.0, 0.5] for t in texts]
        return json_reply(_envelope({"shape": [len(vectors), 3], "data": vectors}))
    if body.get("stream"):
        return sse({"response": "ok"}, {"response": "", "usage": {"prompt_tokens": 1}})
    return json_reply(_envelope({"response": "ok"}))


def failing(request: Recorded) -> Reply:
    """HTTP 500 with an error envelope (retryable)."""
    envelope = {"success": False, "errors": [{"code": 3050, "message": "boom"}]}
    return json_reply(envelope, status=500)


def auth(request: Recorded) -> str:
    return request.headers.get("authorization", "")


def account(request: Recorded) -> str:
    """The account id in ``/accounts/{id}/...``."""
    parts = request.path.split("/")
    return parts[parts.index("accounts") + 1]
