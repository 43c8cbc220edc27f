"""Constructors as people write them; ``tests/typing/test_constructors.py`` runs
``mypy --strict`` on this file and also executes it (construction does no I/O).

Each class takes the conventional names: ``model``, ``api_key`` (a plain ``str``),
``base_url``, ``timeout``, ``max_retries``; the LlamaIndex embedding ``num_workers``, the
LangChain one ``max_concurrency`` (LangChain's name for it).
"""

from __future__ import annotations

from langchain_workersai import ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker
from llamaindex_workersai import WorkersAI, WorkersAIEmbedding, WorkersAIRerank

MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
KEY = "a-token"
URL = "http://127.0.0.1:8787/client/v4"

chat = ChatWorkersAI(model=MODEL, api_key=KEY, base_url=URL, timeout=3.0, max_retries=1)
embeddings = WorkersAIEmbeddings(
    model="@cf/baai/bge-base-en-v1.5", api_key=KEY, base_url=URL, timeout=3.0,
    max_retries=1, max_concurrency=2,
)
reranker = WorkersAIReranker(
    model="@cf/baai/bge-reranker-base", api_key=KEY, base_url=URL, timeout=3.0, max_retries=1
)
llm = WorkersAI(model=MODEL, api_key=KEY, base_url=URL, timeout=3.0, max_retries=1)
embedding = WorkersAIEmbedding(
    model="@cf/baai/bge-base-en-v1.5", api_key=KEY, base_url=URL, timeout=3.0,
    max_retries=1, num_workers=2,
)
rerank = WorkersAIRerank(
    model="@cf/baai/bge-reranker-base", api_key=KEY, base_url=URL, timeout=3.0, max_retries=1
)

model_ids: list[str] = [chat.model, embeddings.model, reranker.model, llm.model,
                        embedding.model_name, rerank.model]
