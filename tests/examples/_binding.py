"""A Workers AI binding (``env.AI``) answered by the emulator the environment points at,
for the docs' Python Worker snippets: ``run(model, inputs)`` posts to ``/ai/run/{model}``
and returns the result, or a ``ReadableStream`` of the SSE bytes when streaming."""

from __future__ import annotations

import json
import os
from typing import Any

import httpx

from tests.unit.test_binding_fakes import FakeStream


class EmulatorBinding:
    lastRequestId: str | None = None
    aiGatewayLogId: str | None = None

    async def run(self, model: str, inputs: Any, options: Any = None) -> Any:
        url = (f"{os.environ['WORKERSAI_BASE_URL']}/accounts/"
               f"{os.environ['CLOUDFLARE_ACCOUNT_ID']}/ai/run/{model}")
        headers = {"Authorization": f"Bearer {os.environ['CLOUDFLARE_API_TOKEN']}"}
        async with httpx.AsyncClient(timeout=30) as client:
            reply = await client.post(url, json=inputs, headers=headers)
        reply.raise_for_status()
        self.lastRequestId = reply.headers.get("cf-ai-req-id")
        if isinstance(inputs, dict) and inputs.get("stream"):
            return FakeStream([reply.content])
        return json.loads(reply.content)["result"]
