"""LlamaIndex classes over a Python Worker binding, and embeddings through the batch queue."""

from __future__ import annotations

import json

import pytest
from llama_index.core.llms import ChatMessage
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from llamaindex_workersai import WorkersAI, WorkersAIEmbedding, WorkersAIRerank
from tests.unit.test_binding_fakes import LLM, FakeBinding, InferenceUpstreamError, classic_stream
from workersai import errors

from .conftest import Target

EMB = "@cf/baai/bge-base-en-v1.5"


async def test_llm_achat_astream_acomplete_over_binding(clean_env: None) -> None:
    b = FakeBinding({"response": "Paris"}, classic_stream(4),
                    {"response": "done"})
    llm = WorkersAI(binding=b, model=LLM, gateway="gw", max_retries=0)
    reply = await llm.achat([ChatMessage(role="user", content="Capital of France?")])
    assert reply.message.content == "Paris"
    assert b.calls[0][1]["messages"][-1] == {"role": "user", "content": "Capital of France?"}
    assert b.calls[0][2] == {"gateway": {"id": "gw"}}
    gen = await llm.astream_chat([ChatMessage(role="user", content="Hi")])
    responses = [r async for r in gen]
    assert responses[-1].message.content == "Hello ✓"
    assert (await llm.acomplete("Say done")).text == "done"


def test_sync_paths_refuse_the_binding(clean_env: None) -> None:
    b = FakeBinding({"response": "x"})
    with pytest.raises(errors.ConfigurationError, match="async"):
        WorkersAI(binding=b, model=LLM).complete("Hi")
    with pytest.raises(errors.ConfigurationError, match="async"):
        WorkersAIEmbedding(binding=b).get_query_embedding("Hi")
    assert b.calls == []


async def test_binding_error_is_typed(clean_env: None) -> None:
    b = FakeBinding(InferenceUpstreamError("5006: Bad input: messages too short"))
    with pytest.raises(errors.BadRequestError) as info:
        await WorkersAI(binding=b, model=LLM).acomplete("Hi")
    assert info.value.code == 5006 and info.value.request_id == "req-1"


async def test_embedding_and_rerank_over_binding(clean_env: None) -> None:
    b = FakeBinding({"shape": [1, 2], "data": [[0.6, 0.8]]})
    assert await WorkersAIEmbedding(binding=b).aget_text_embedding("x") == [0.6, 0.8]
    rb = FakeBinding({"response": [{"id": 1, "score": 0.9}, {"id": 0, "score": 0.1}]})
    nodes = [NodeWithScore(node=TextNode(text=t)) for t in ("cats", "dogs")]
    out = await WorkersAIRerank(binding=rb, top_n=1).apostprocess_nodes(
        nodes, QueryBundle("dogs"))
    assert [n.node.get_content() for n in out] == ["dogs"]


async def test_text_embedding_batch_queued(emu_target: Target) -> None:
    embed = WorkersAIEmbedding(model_name=EMB, embed_batch_size=2, **emu_target.kwargs)
    texts = [f"node {i}" for i in range(5)]
    seen: list[str] = []
    queued = embed.get_text_embedding_batch_queued(
        texts, poll_interval=0, on_progress=lambda p: seen.append(p.status))
    assert queued == embed.get_text_embedding_batch(texts)
    assert seen[0] == "queued" and seen[-1] == "done"
    assert await embed.aget_text_embedding_batch_queued(texts, poll_interval=0) == queued
    submits = [json.loads(r.body) for r in emu_target.emu.requests if b'"requests"' in r.body]
    assert [len(s["requests"]) for s in submits] == [3, 3]
    with pytest.raises(errors.InvalidInputError, match="unknown_knob"):
        embed.get_text_embedding_batch_queued(texts, unknown_knob=1)
