"""What the three classes put on the wire, and how failures surface (emulator only)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage
from llama_index.core.schema import NodeWithScore, TextNode

from llamaindex_workersai import WorkersAI, WorkersAIEmbedding, WorkersAIRerank
from workersai.emulator import CutStream, ErrorEvent, NoDone, RateLimited
from workersai.errors import (
    AuthenticationError,
    InvalidInputError,
    RateLimitError,
    TransportError,
    TruncatedStreamError,
)

from .conftest import Target

pytestmark = [pytest.mark.emulator, pytest.mark.usefixtures("before_retirements")]
HI = [ChatMessage(role="user", content="Say hello.")]
CLASSIC = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"


def body(target: Target, i: int = -1) -> dict[str, Any]:
    return json.loads(target.emu.requests[i].body)


def test_fields_and_per_call_overrides_change_the_request(emu_target: Target) -> None:
    llm = WorkersAI(model="@cf/meta/llama-3.2-11b-vision-instruct", temperature=0.0, max_tokens=40,
                    top_p=0.9, top_k=5, seed=11, repetition_penalty=1.2,
                    frequency_penalty=0.1, presence_penalty=0.2, stop=["END"], lora="my-lora",
                    additional_kwargs={"raw": True}, **emu_target.kwargs)
    llm.chat(HI)
    sent = body(emu_target)
    assert sent["temperature"] == 0  # zero is sent, not dropped
    assert (sent["max_tokens"], sent["top_p"], sent["top_k"], sent["seed"]) == (40, 0.9, 5, 11)
    assert (sent["repetition_penalty"], sent["frequency_penalty"], sent["presence_penalty"]) == (
        1.2, 0.1, 0.2
    )
    assert (sent["lora"], sent["raw"]) == ("my-lora", True)
    llm.chat(HI, temperature=0.5, max_tokens=9, seed=12, additional_kwargs={"raw": False})
    sent = body(emu_target)
    assert (sent["temperature"], sent["max_tokens"], sent["seed"], sent["raw"]) == (
        0.5, 9, 12, False
    )


def test_reasoning_effort_and_model_override(emu_target: Target) -> None:
    llm = WorkersAI(model="@cf/openai/gpt-oss-120b", reasoning_effort="low", **emu_target.kwargs)
    llm.chat(HI)
    assert "low" in json.dumps(body(emu_target))
    with pytest.raises(InvalidInputError, match="reasoning_effort"):
        llm.chat(HI, model=CLASSIC)  # checked against the overriding model, before sending
    assert len(emu_target.emu.requests) == 1
    llm.chat(HI, model=CLASSIC, reasoning_effort=None)
    assert emu_target.emu.requests[-1].path.endswith(CLASSIC)


def test_openai_endpoint(emu_target: Target) -> None:
    llm = WorkersAI(model="@cf/qwen/qwen3-30b-a3b-fp8", endpoint="openai", **emu_target.kwargs)
    assert llm.chat(HI).message.content
    assert emu_target.emu.requests[-1].path.endswith("/ai/v1/chat/completions")
    assert body(emu_target)["model"] == "@cf/qwen/qwen3-30b-a3b-fp8"
    items = list(llm.stream_chat(HI))
    assert items[-1].raw["usage"]["completion_tokens"] > 0


def test_gateway_and_per_call_gateway_options(emu_target: Target) -> None:
    llm = WorkersAI(gateway="my-gw", default_headers={"x-team": "a"}, **emu_target.kwargs)
    llm.chat(HI, gateway_options={"cache_ttl": 60, "skip_cache": True})
    headers = emu_target.emu.requests[-1].headers
    assert headers["cf-aig-gateway-id"] == "my-gw"
    assert (headers["cf-aig-cache-ttl"], headers["cf-aig-skip-cache"]) == ("60", "true")
    assert headers["x-team"] == "a"


def test_typed_errors_and_retries(emu_target: Target) -> None:
    emu_target.emu.script.error(429, 3040, "Capacity temporarily exceeded, please try again.")
    llm = WorkersAI(**emu_target.kwargs)
    with pytest.raises(RateLimitError) as info:
        llm.chat(HI)
    assert info.value.code == 3040
    emu_target.emu.faults.add(RateLimited(retry_after=0), times=1)
    retrying = WorkersAI(**{**emu_target.kwargs, "max_retries": 1})
    assert retrying.chat(HI).message.content


async def test_stream_failures_raise_typed_errors(emu_target: Target) -> None:
    llm = WorkersAI(**emu_target.kwargs)
    emu_target.emu.faults.add(NoDone(), times=1)
    with pytest.raises(TruncatedStreamError):
        list(llm.stream_chat(HI))
    emu_target.emu.faults.add(CutStream(after_events=2), times=1)
    with pytest.raises(TransportError):
        list(llm.stream_chat(HI))
    emu_target.emu.faults.add(ErrorEvent(after_events=1), times=1)
    with pytest.raises(RateLimitError):
        [r async for r in await llm.astream_chat(HI)]


def test_token_absent_from_requests_logs_and_errors(
    emu_target: Target, caplog: pytest.LogCaptureFixture
) -> None:
    from workersai.emulator import Emulator, emulator_http_client

    secret = "wrong-secret-token-987"
    caplog.set_level(logging.DEBUG)
    emu = Emulator(token="the-right-one")
    llm = WorkersAI(account_id=emu_target.kwargs["account_id"], api_token=secret,
                    http_client=emulator_http_client(emu), max_retries=0)
    with pytest.raises(AuthenticationError) as info:
        llm.chat(HI)
    for text in (str(info.value), repr(info.value), caplog.text, repr(llm), llm.to_json()):
        assert secret not in text
    assert all(secret.encode() not in r.body for r in emu.requests)
    assert emu.requests[0].headers["authorization"] == f"Bearer {secret}"


# --- embeddings -----------------------------------------------------------------------------


def emb_requests(target: Target) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in target.emu.requests]


def test_embedding_batches_follow_model_limit_and_keep_order(emu_target: Target) -> None:
    texts = [f"document number {i} about topic {i % 7}" for i in range(230)]
    emb = WorkersAIEmbedding(**emu_target.kwargs)
    vectors = emb.get_text_embedding_batch(texts, show_progress=True)
    sizes = [len(b["text"]) for b in emb_requests(emu_target)]
    assert sizes == [100, 100, 30]
    assert len(vectors) == 230 and len(vectors[0]) == 768
    assert vectors[5] == emb.get_text_embedding(texts[5])
    assert vectors[199] == emb.get_text_embedding(texts[199])


def test_embedding_batch_size_knob_and_qwen3_cap(emu_target: Target) -> None:
    emb = WorkersAIEmbedding(embed_batch_size=40, **emu_target.kwargs)
    emb.get_text_embedding_batch([f"t{i}" for i in range(90)])
    assert [len(b["text"]) for b in emb_requests(emu_target)] == [40, 40, 10]
    qwen = WorkersAIEmbedding(model_name="@cf/qwen/qwen3-embedding-0.6b", embed_batch_size=100,
                              **emu_target.kwargs)
    assert qwen.embed_batch_size == 32
    assert len(qwen.get_text_embedding_batch([f"t{i}" for i in range(33)])) == 33


def test_query_and_text_instructions_reach_the_request(emu_target: Target) -> None:
    emb = WorkersAIEmbedding(query_instruction="Represent this question: ",
                             text_instruction="Passage: ", **emu_target.kwargs)
    emb.get_query_embedding("what is up")
    emb.get_text_embedding("all is well")
    first, second = emb_requests(emu_target)
    assert first["text"] == ["Represent this question: what is up"]
    assert second["text"] == ["Passage: all is well"]


async def test_async_embeddings_native_and_ordered(emu_target: Target) -> None:
    texts = [f"async text {i}" for i in range(25)]
    emb = WorkersAIEmbedding(embed_batch_size=10, num_workers=2, **emu_target.kwargs)
    vectors = await emb.aget_text_embedding_batch(texts)
    assert [len(b["text"]) for b in emb_requests(emu_target)] == [10, 10, 5]
    assert vectors[13] == await emb.aget_text_embedding(texts[13])
    assert len(await emb.aget_query_embedding("q")) == 768


# --- reranker -------------------------------------------------------------------------------


def test_rerank_request_and_order(emu_target: Target) -> None:
    nodes = [NodeWithScore(node=TextNode(text=t, id_=t[:4])) for t in
             ["cats purr softly", "paris is the capital of france", "dogs bark loudly"]]
    rr = WorkersAIRerank(top_n=2, **emu_target.kwargs)
    out = rr.postprocess_nodes(nodes, query_str="what is the capital of france")
    assert out[0].node.node_id == "pari" and len(out) == 2
    assert out[0].score >= out[1].score
    sent = body(emu_target)
    assert sent["top_k"] == 2 and sent["query"] == "what is the capital of france"
    assert rr.postprocess_nodes([], query_str="q") == []
    assert len(emu_target.emu.requests) == 1


async def test_rerank_async(emu_target: Target) -> None:
    nodes = [NodeWithScore(node=TextNode(text=t)) for t in ["red apples", "blue sky above"]]
    rr = WorkersAIRerank(model="@cf/baai/bge-reranker-v2-m3", top_n=1, **emu_target.kwargs)
    out = await rr.apostprocess_nodes(nodes, query_str="why is the sky blue")
    assert [n.node.get_content() for n in out] == ["blue sky above"]
    assert emu_target.emu.requests[-1].path.endswith("@cf/baai/bge-reranker-v2-m3")


def test_missing_credentials_fail_at_first_call_without_a_request(
    emu_target: Target, clean_env: None
) -> None:
    from workersai.errors import ConfigurationError

    llm = WorkersAI(http_client=emu_target.kwargs["http_client"])  # constructs fine
    with pytest.raises(ConfigurationError, match="CLOUDFLARE_ACCOUNT_ID"):
        llm.chat(HI)
    assert emu_target.emu.requests == []


def test_one_async_client_serves_several_event_loops(emu_target: Target) -> None:
    import asyncio

    llm = WorkersAI(**emu_target.kwargs)

    async def ask() -> str | None:
        return (await llm.achat(HI)).message.content

    first, second = asyncio.run(ask()), asyncio.run(ask())
    assert first and first == second
    assert len(emu_target.emu.requests) == 2


def test_raw_carries_neurons_and_request_id_invoke_and_stream(emu_target: Target) -> None:
    llm = WorkersAI(model=CLASSIC, **emu_target.kwargs)
    raw = llm.chat(HI).raw
    assert raw is not None and raw["neurons"] > 0 and raw["request_id"]
    last = list(llm.stream_chat(HI))[-1].raw
    assert last is not None and last["neurons"] > 0 and last["request_id"]
