"""An httpx client that records each JSON request body and answers one canned chat reply
(native or ``/ai/v1`` shape by path), for tests that check what a call sent."""

from __future__ import annotations

import json
from typing import Any

import httpx

MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
USAGE = {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}
NATIVE_REPLY = {"success": True, "errors": [], "messages": [],
                "result": {"response": "hi", "usage": USAGE}}
OPENAI_REPLY = {"id": "c1", "object": "chat.completion", "model": MODEL, "usage": USAGE,
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": "hi"}}]}
FIELDS = {"model": MODEL, "account_id": "a" * 32, "api_token": "t", "max_tokens": 32}
"""Constructor fields both front ends take."""


def recording_client() -> tuple[httpx.Client, list[dict[str, Any]]]:
    """A client answering every chat request, and the list its request bodies go to."""
    sent: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.read()))
        openai = request.url.path.endswith("/chat/completions")
        return httpx.Response(200, json=OPENAI_REPLY if openai else NATIVE_REPLY)

    return httpx.Client(transport=httpx.MockTransport(answer)), sent
