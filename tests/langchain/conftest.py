"""Fixtures: LangChain classes wired to the in-process emulator (no sockets)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from langchain_core.messages import AIMessageChunk

from langchain_workersai import ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker

EMU_BASE_URL = "http://emulator.local/client/v4"


def collect(chunks: Any) -> tuple[list[AIMessageChunk], AIMessageChunk]:
    """The chunks of a stream and their sum."""
    items = list(chunks)
    full = items[0]
    for c in items[1:]:
        full = full + c
    return items, full


def emulator_kwargs(
    http_client: httpx.Client, http_async_client: httpx.AsyncClient
) -> dict[str, Any]:
    """Constructor arguments that point a model at an in-process emulator."""
    from workersai.emulator import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN

    return {
        "account_id": DEFAULT_ACCOUNT_ID,
        "api_token": DEFAULT_TOKEN,
        "base_url": EMU_BASE_URL,
        "http_client": http_client,
        "http_async_client": http_async_client,
    }


@pytest.fixture
def emu_kwargs(
    emulator_http_client: httpx.Client, emulator_async_http_client: httpx.AsyncClient
) -> dict[str, Any]:
    return emulator_kwargs(emulator_http_client, emulator_async_http_client)


@pytest.fixture
def make_chat(emu_kwargs: dict[str, Any]) -> Callable[..., ChatWorkersAI]:
    def make(**kw: Any) -> ChatWorkersAI:
        return ChatWorkersAI(**{**emu_kwargs, **kw})

    return make


@pytest.fixture
def make_embeddings(emu_kwargs: dict[str, Any]) -> Callable[..., WorkersAIEmbeddings]:
    def make(**kw: Any) -> WorkersAIEmbeddings:
        return WorkersAIEmbeddings(**{**emu_kwargs, **kw})

    return make


@pytest.fixture
def make_reranker(emu_kwargs: dict[str, Any]) -> Callable[..., WorkersAIReranker]:
    def make(**kw: Any) -> WorkersAIReranker:
        return WorkersAIReranker(**{**emu_kwargs, **kw})

    return make
