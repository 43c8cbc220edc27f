"""The public surface: ``__all__`` lists what exists, and every public module has one."""

from __future__ import annotations

import importlib

import pytest

import langchain_workersai

PUBLIC_MODULES = [
    "langchain_workersai.chat_models",
    "langchain_workersai.embeddings",
    "langchain_workersai.rerankers",
]


def test_package_all_is_importable() -> None:
    for name in langchain_workersai.__all__:
        assert hasattr(langchain_workersai, name), name
    assert {"ChatWorkersAI", "WorkersAIEmbeddings", "WorkersAIReranker"} <= set(
        langchain_workersai.__all__
    )


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_public_modules_declare_all(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert module.__all__
    for name in module.__all__:
        assert hasattr(module, name), name


def test_provider_translator_is_registered() -> None:
    from langchain_core.messages.block_translators import get_translator

    assert get_translator("workersai") is not None
