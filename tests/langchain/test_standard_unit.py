"""langchain-tests standard unit suites (no network)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from langchain_tests.unit_tests import ChatModelUnitTests, EmbeddingsUnitTests

from langchain_workersai import ChatWorkersAI, WorkersAIEmbeddings

ACCOUNT = "0123456789abcdef0123456789abcdef"
ENV = {"CLOUDFLARE_ACCOUNT_ID": ACCOUNT, "CLOUDFLARE_API_TOKEN": "env-token"}


load_module = importlib.import_module("langchain_core.load.load")
LC_PATH = ("langchain_workersai", "chat_models", "ChatWorkersAI")


@pytest.fixture(autouse=True)
def _allow_our_class_in_load(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """langchain-core's ``load(allowed_objects="all")`` only admits classes listed in its
    own mapping, so no out-of-tree partner can pass ``test_serdes`` as written. Users of
    this package pass ``allowed_objects=[ChatWorkersAI]`` instead (tested in
    test_chat_unit.py); here the suite's "all" set is widened by exactly our class."""
    base = load_module._get_default_allowed_class_paths

    def widened(mode: Any) -> set[tuple[str, ...]]:
        paths = set(base(mode))
        if mode == "all":
            paths.add(LC_PATH)
        return paths

    monkeypatch.setattr(load_module, "_get_default_allowed_class_paths", widened)
    yield


class TestChatWorkersAIUnit(ChatModelUnitTests):
    @property
    def chat_model_class(self) -> type[ChatWorkersAI]:
        return ChatWorkersAI

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"model": "@cf/meta/llama-3.3-70b-instruct-fp8-fast", "account_id": ACCOUNT}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return ENV, {}, {"account_id": ACCOUNT, "api_token": "env-token"}


class TestWorkersAIEmbeddingsUnit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[WorkersAIEmbeddings]:
        return WorkersAIEmbeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"model": "@cf/baai/bge-base-en-v1.5", "account_id": ACCOUNT}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return ENV, {}, {"account_id": ACCOUNT, "api_token": "env-token"}
