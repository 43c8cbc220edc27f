"""A Client whose transport records each request body and answers a minimal reply."""

from __future__ import annotations

import json
from typing import Any

import httpx

from workersai import Client
from workersai.config import Config

ACCOUNT = "0123456789abcdef0123456789abcdef"
TOKEN = "conformance-token-0123456789"


class Capture:
    """Records bodies; answers a classic chat reply (a tool call when tools were sent)."""

    def __init__(self, reply: Any = None) -> None:
        self.bodies: list[Any] = []
        self.reply = reply

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.bodies.append(body)
        result = self.reply if self.reply is not None else _answer(body)
        if isinstance(body, dict) and body.get("stream"):
            events = [{"response": "ok"}, {"response": "", "tool_calls": result.get(
                "tool_calls", [])}] if "response" in result else [result]
            text = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
            return httpx.Response(200, text=text, headers={"content-type": "text/event-stream"})
        return httpx.Response(200, json={"result": result, "success": True, "errors": []})

    @property
    def last(self) -> Any:
        return self.bodies[-1]


def _answer(body: Any) -> dict[str, Any]:
    tools = body.get("tools") if isinstance(body, dict) else None
    if tools:
        fn = tools[0].get("function", tools[0])
        return {"response": "", "tool_calls": [{"name": fn["name"], "arguments": {}}]}
    return {"response": "ok"}


def capture_client(reply: Any = None) -> tuple[Client, Capture]:
    cap = Capture(reply)
    config = Config.resolve(account_id=ACCOUNT, api_token=TOKEN, max_retries=0)
    return Client(config=config, http_client=httpx.Client(transport=httpx.MockTransport(cap))), cap
