"""langchain-tests integration suites, against the in-process emulator and (opt-in) live.

Emulator runs (marker ``emulator``) build every model from ``chat_model_params`` with
httpx clients answered in process by one shared emulator: no sockets, no network. The
suite's image tests download a picture with module-level ``httpx.get``; that call is
served a small PNG made here. Live runs (marker ``live``) need ``CLOUDFLARE_ACCOUNT_ID``
and ``CLOUDFLARE_API_TOKEN`` and are skipped without them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from typing import Any

import httpx
import pytest
from langchain_core.messages import AIMessage
from langchain_tests.integration_tests import (
    ChatModelIntegrationTests,
    EmbeddingsIntegrationTests,
)

from langchain_workersai import ChatWorkersAI, WorkersAIEmbeddings

from ._png import tiny_png
from .conftest import emulator_kwargs

LIVE = bool(os.environ.get("CLOUDFLARE_ACCOUNT_ID") and os.environ.get("CLOUDFLARE_API_TOKEN"))
live_only = pytest.mark.skipif(not LIVE, reason="needs CLOUDFLARE_ACCOUNT_ID/_API_TOKEN")

TOOLS_MODEL = "@cf/google/gemma-4-26b-a4b-it"
CHAT_MODEL = "@cf/google/gemma-4-26b-a4b-it"
KIMI_MODEL = "@cf/moonshotai/kimi-k2.6"
OVERRIDE_MODEL = "@cf/meta/llama-4-scout-17b-16e-instruct"


@cache
def _emulator_clients() -> tuple[httpx.Client, httpx.AsyncClient]:
    """One emulator per test session, shared by every model the suites build."""
    from workersai.emulator import Emulator, emulator_async_http_client, emulator_http_client

    emu = Emulator()
    return emulator_http_client(emu), emulator_async_http_client(emu)


def emulator_params() -> dict[str, Any]:
    return emulator_kwargs(*_emulator_clients())


@pytest.fixture(autouse=True)
def _local_image_downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Serve the suite's image downloads (module-level ``httpx.get``) from local bytes."""
    png = tiny_png()

    def fake_get(url: str, **_: Any) -> httpx.Response:
        return httpx.Response(200, content=png, request=httpx.Request("GET", url))

    monkeypatch.setattr(httpx, "get", fake_get)
    yield


class _ChatSuite(ChatModelIntegrationTests):
    """Capability flags shared by every run of the chat suite."""

    model_id = TOOLS_MODEL
    endpoint = "openai"

    @property
    def chat_model_class(self) -> type[ChatWorkersAI]:
        return ChatWorkersAI

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"model": self.model_id, "endpoint": self.endpoint, **emulator_params()}

    @property
    def has_tool_calling(self) -> bool:
        return True

    @property
    def has_tool_choice(self) -> bool:
        return True

    @property
    def has_structured_output(self) -> bool:
        return True

    @property
    def supports_json_mode(self) -> bool:
        return True

    @property
    def returns_usage_metadata(self) -> bool:
        return True

    @property
    def supports_image_inputs(self) -> bool:
        return True

    @property
    def model_override_value(self) -> str:
        return OVERRIDE_MODEL

    @property
    def supported_usage_metadata_details(self) -> dict[str, list[Any]]:
        return {"invoke": ["cache_read_input"], "stream": ["cache_read_input"]}

    def invoke_with_cache_read_input(self, *, stream: bool = False) -> AIMessage:
        model = self.chat_model_class(**self.chat_model_params)
        return _invoke(model, "Repeat after me: the cache is warm.", stream=stream)


def _invoke(model: ChatWorkersAI, prompt: str, *, stream: bool) -> AIMessage:
    if not stream:
        return model.invoke(prompt)
    full: Any = None
    for chunk in model.stream(prompt):
        full = chunk if full is None else full + chunk
    assert isinstance(full, AIMessage)  # an AIMessageChunk is an AIMessage
    return full


@pytest.mark.emulator
class TestChatFunctionCallingEmulator(_ChatSuite):
    """llama-4-scout (OpenAI-ish tool calls), structured output by forced tool call."""

    @property
    def structured_output_kwargs(self) -> dict[str, Any]:
        return {"method": "function_calling"}


@pytest.mark.emulator
class TestChatJsonSchemaEmulator(_ChatSuite):
    """gemma-4 (chat-completions family, reasoning), structured output by native JSON."""

    model_id = CHAT_MODEL
    endpoint = "native"

    @property
    def structured_output_kwargs(self) -> dict[str, Any]:
        return {"method": "json_schema"}

    @property
    def supported_usage_metadata_details(self) -> dict[str, list[Any]]:
        return {
            "invoke": ["cache_read_input", "reasoning_output"],
            "stream": ["cache_read_input", "reasoning_output"],
        }

    def invoke_with_reasoning_output(self, *, stream: bool = False) -> AIMessage:
        model = self.chat_model_class(**self.chat_model_params)
        return _invoke(model, "Think step by step: what is 17 * 23?", stream=stream)


@pytest.mark.emulator
class TestChatJsonModeEmulator(_ChatSuite):
    """mistral-small-3.1 (classic family), structured output by JSON-object mode."""

    model_id = KIMI_MODEL
    endpoint = "native"

    @property
    def structured_output_kwargs(self) -> dict[str, Any]:
        return {"method": "json_mode"}


@pytest.mark.emulator
class TestEmbeddingsEmulator(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[WorkersAIEmbeddings]:
        return WorkersAIEmbeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"model": "@cf/baai/bge-small-en-v1.5", **emulator_params()}


def live_params() -> dict[str, Any]:
    return {
        "account_id": os.environ.get("CLOUDFLARE_ACCOUNT_ID"),
        "api_token": os.environ.get("CLOUDFLARE_API_TOKEN"),
    }


@pytest.mark.live
@live_only
class TestChatLive(_ChatSuite):
    """The function-calling run against the real API (opt-in)."""

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"model": self.model_id, **live_params()}

    @property
    def supported_usage_metadata_details(self) -> dict[str, list[Any]]:
        return {"invoke": [], "stream": []}


@pytest.mark.live
@live_only
class TestChatJsonSchemaLive(TestChatLive):
    model_id = CHAT_MODEL

    @property
    def structured_output_kwargs(self) -> dict[str, Any]:
        return {"method": "json_schema"}


@pytest.mark.live
@live_only
class TestEmbeddingsLive(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[WorkersAIEmbeddings]:
        return WorkersAIEmbeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return live_params()
