"""Call the emulator directly (no httpx, no sockets) and read its replies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from workersai.emulator._app import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN, Emulator
from workersai.emulator._types import EmuRequest, EmuResponse

BASE = f"/client/v4/accounts/{DEFAULT_ACCOUNT_ID}/ai"
AUTH = {"authorization": f"Bearer {DEFAULT_TOKEN}", "content-type": "application/json"}
CLASSIC = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
LLAMA4 = "@cf/meta/llama-4-scout-17b-16e-instruct"
GEMMA4 = "@cf/google/gemma-4-26b-a4b-it"
QWEN3 = "@cf/qwen/qwen3-30b-a3b-fp8"
GPT_OSS = "@cf/openai/gpt-oss-120b"
R1 = "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b"
NEMOTRON = "@cf/nvidia/nemotron-3-120b-a12b"
BGE_SMALL = "@cf/baai/bge-small-en-v1.5"
BGE_BASE = "@cf/baai/bge-base-en-v1.5"
BGE_M3 = "@cf/baai/bge-m3"
QWEN3_EMB = "@cf/qwen/qwen3-embedding-0.6b"
RERANKER = "@cf/baai/bge-reranker-base"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    raw: bytes
    items: list[Any]

    @property
    def json(self) -> Any:
        return json.loads(self.raw)

    @property
    def result(self) -> Any:
        body = self.json
        assert body["success"] is True and body["errors"] == [] and body["messages"] == []
        return body["result"]

    @property
    def events(self) -> list[Any]:
        """The SSE data payloads, parsed (``[DONE]`` kept as the string)."""
        out: list[Any] = []
        for block in self.raw.decode().split("\n\n"):
            if not block:
                continue
            assert block.startswith("data: "), block
            data = block[len("data: "):]
            out.append(data if data == "[DONE]" else json.loads(data))
        return out

    def error(self) -> dict[str, Any]:
        body = self.json
        assert body["success"] is False
        return dict(body["errors"][0])


def collect(reply: EmuResponse) -> Reply:
    items = [reply.body] if isinstance(reply.body, bytes) else list(reply.body)
    raw = b"".join(i for i in items if isinstance(i, bytes))
    return Reply(reply.status, dict(reply.headers), raw, items)


def call(emu: Emulator, path: str, body: Any = None, *, method: str = "POST",
         query: dict[str, str] | None = None, headers: dict[str, str] | None = None,
         raw: bytes | None = None, base: str = BASE) -> Reply:
    data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
    request = EmuRequest(method, base + path, query or {}, {**AUTH, **(headers or {})}, data)
    return collect(emu.handle(request))


def run(emu: Emulator, model: str, body: Any, **kw: Any) -> Reply:
    return call(emu, f"/run/{model}", body, **kw)


def user(text: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}]}


def tool(name: str, description: str, properties: dict[str, Any],
         required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "function", "function": {
        "name": name, "description": description,
        "parameters": {"type": "object", "properties": properties,
                       "required": list(properties) if required is None else required}}}


WEATHER = tool("get_weather", "Get the current weather for a location",
               {"location": {"type": "string", "description": "City and state"}})
MAGIC = tool("magic_function", "Applies a magic function to an input.",
             {"input": {"type": "integer", "description": "the input"}})
