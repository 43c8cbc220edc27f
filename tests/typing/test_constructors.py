"""The constructors type-check as people write them, and the other spellings still work."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from pydantic import SecretStr

from langchain_workersai import ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker
from llamaindex_workersai import WorkersAI, WorkersAIEmbedding, WorkersAIRerank

from ._mypy import strict_errors

USAGE = Path(__file__).with_name("constructors_usage.py")
CLASSES = [ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker,
           WorkersAI, WorkersAIEmbedding, WorkersAIRerank]


def test_usage_file_passes_mypy_strict(tmp_path: Path) -> None:
    """``mypy --strict`` accepts the usage file and, in the same run, rejects a misspelled
    keyword (so the check can fail). The cache under ``.mypy_cache`` keeps reruns fast."""
    bad = tmp_path / "bad_usage.py"
    bad.write_text("from langchain_workersai import ChatWorkersAI\n"
                   "ChatWorkersAI(modle='@cf/x')\n")
    status, lines, out = strict_errors(USAGE, bad)
    assert status == 1, out
    assert len(lines) == 1 and "bad_usage.py:2: error" in lines[0], out
    assert 'Unexpected keyword argument "modle"' in lines[0]


def test_usage_file_runs() -> None:
    usage = importlib.import_module("tests.typing.constructors_usage")
    assert usage.model_ids[0] == "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
    for obj in (usage.chat, usage.embeddings, usage.llm, usage.embedding, usage.rerank):
        assert isinstance(obj.api_token, SecretStr)
        assert obj.api_token.get_secret_value() == "a-token"
        assert "a-token" not in repr(obj)
    assert usage.embeddings.max_concurrency == 2 and usage.embedding.num_workers == 2


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_other_spellings_still_work_at_runtime(cls: type) -> None:
    model_id = "@acme/custom-model"  # unknown ids are taken as given
    obj = cls(model_name=model_id, api_token="tok-1")
    assert obj.model == model_id
    assert obj.api_token.get_secret_value() == "tok-1"
    same = cls(model=model_id, api_key="tok-1")
    assert same.api_token.get_secret_value() == "tok-1"


def test_langchain_embeddings_take_num_workers() -> None:
    assert WorkersAIEmbeddings(num_workers=3).max_concurrency == 3
