"""Importing a front end stays cheap: the HTTP stack and the batch queue load on first use,
and pydantic builds each class's validators when it is first constructed, not at import;
injected clients are still type-checked."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest


@pytest.mark.parametrize("package", ["langchain_workersai", "llamaindex_workersai"])
def test_front_end_import_does_not_load_httpx(package: str) -> None:
    code = (f"import sys, {package}; "
            "heavy = [m for m in ('httpx', 'workersai.batch', 'workersai.client') "
            "if m in sys.modules]; assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True)


CLASSES = {"langchain_workersai": ["ChatWorkersAI", "WorkersAIEmbeddings", "WorkersAIReranker"],
           "llamaindex_workersai": ["WorkersAI", "WorkersAIEmbedding", "WorkersAIRerank"]}


@pytest.mark.parametrize("package", sorted(CLASSES))
def test_front_end_classes_build_validators_on_first_use(package: str) -> None:
    names = CLASSES[package]
    code = (f"import {package} as p\n"
            f"classes = [getattr(p, n) for n in {names!r}]\n"
            "assert not any(c.__pydantic_complete__ for c in classes), 'built at import'\n"
            "first = classes[0](account_id='0' * 32, api_key='t')\n"
            "assert classes[0].__pydantic_complete__ and first.account_id == '0' * 32\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_injected_clients_are_type_checked() -> None:
    from langchain_workersai import ChatWorkersAI
    from llamaindex_workersai import WorkersAI

    for cls in (ChatWorkersAI, WorkersAI):
        with pytest.raises(ValueError, match=r"http_client must be an httpx\.Client"):
            cls(http_client=httpx.AsyncClient())
        with pytest.raises(ValueError, match=r"http_async_client must be an httpx\.AsyncClient"):
            cls(http_async_client=httpx.Client())
        ok = cls(http_client=httpx.Client(), http_async_client=httpx.AsyncClient())
        assert isinstance(ok.http_client, httpx.Client)
