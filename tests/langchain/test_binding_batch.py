"""LangChain classes over a Python Worker binding, and through the batch queue."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from langchain_core.exceptions import ModelInvalidRequestError, ModelRateLimitError
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from langchain_workersai import ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker
from tests.unit.test_binding_fakes import LLM, FakeBinding, InferenceUpstreamError, classic_stream
from workersai import errors
from workersai.emulator import Emulator

EMB = "@cf/baai/bge-base-en-v1.5"
pytestmark = pytest.mark.usefixtures("clean_env")


# --- binding --------------------------------------------------------------------------


async def test_chat_ainvoke_and_astream_over_binding() -> None:
    b = FakeBinding({"response": "Bonjour", "usage": {"prompt_tokens": 4,
                                                      "completion_tokens": 1,
                                                      "total_tokens": 5}},
                    classic_stream(9))
    llm = ChatWorkersAI(binding=b, model=LLM, temperature=0.2, gateway="gw")
    msg = await llm.ainvoke([SystemMessage("Be brief"), HumanMessage("Hello")])
    assert msg.content == "Bonjour" and msg.usage_metadata is not None
    assert msg.usage_metadata["total_tokens"] == 5
    model, inputs, options = b.calls[0]
    assert model == LLM and inputs["temperature"] == 0.2
    assert [m["role"] for m in inputs["messages"]] == ["system", "user"]
    assert options == {"gateway": {"id": "gw"}}
    chunks = [c async for c in llm.astream("Hi")]
    assert "".join(str(c.content) for c in chunks) == "Hello ✓"
    assert b.calls[1][1]["stream"] is True
    assert [c for c in chunks if c.usage_metadata][-1].usage_metadata["total_tokens"] == 7


def test_sync_paths_refuse_the_binding_clearly() -> None:
    b = FakeBinding({"response": "x"})
    with pytest.raises(errors.ConfigurationError, match="async"):
        ChatWorkersAI(binding=b).invoke("Hi")
    with pytest.raises(errors.ConfigurationError, match="async"):
        WorkersAIEmbeddings(binding=b).embed_query("Hi")
    assert b.calls == []


async def test_binding_errors_become_langchain_duals() -> None:
    b = FakeBinding(InferenceUpstreamError("3040: Capacity temporarily exceeded"))
    with pytest.raises(ModelRateLimitError) as info:
        await ChatWorkersAI(binding=b, max_retries=0).ainvoke("Hi")
    assert isinstance(info.value, errors.RateLimitError) and info.value.code == 3040


async def test_embeddings_and_reranker_over_binding() -> None:
    vec = {"shape": [2, 2], "data": [[1.0, 0.0], [0.0, 1.0]]}
    b = FakeBinding(vec)
    emb = WorkersAIEmbeddings(binding=b, model=EMB, query_instruction="Q: ")
    assert await emb.aembed_documents(["a", "b"]) == vec["data"]
    b.replies = [{"shape": [1, 2], "data": [[0.5, 0.5]]}]
    assert await emb.aembed_query("where") == [0.5, 0.5]
    assert b.inputs == {"text": ["Q: where"]}
    rb = FakeBinding({"response": [{"id": 1, "score": 0.8}, {"id": 0, "score": 0.2}]})
    ranked = await WorkersAIReranker(binding=rb).arerank(["x", "y"], "q")
    assert [r["index"] for r in ranked] == [1, 0]


def test_binding_is_not_serialized() -> None:
    llm = ChatWorkersAI(binding=FakeBinding())
    assert "binding" not in llm.model_dump()


# --- batch queue ----------------------------------------------------------------------


def test_batch_queued_against_emulator(make_chat: Callable[..., ChatWorkersAI],
                                       emulator: Emulator) -> None:
    llm = make_chat(model=LLM)
    seen: list[Any] = []
    out = llm.batch_queued(["Hello there", [HumanMessage("What is 2+2?")]], temperature=0.3,
                           poll_interval=0, on_progress=seen.append)
    assert all(isinstance(m, AIMessage) and m.content for m in out)
    assert seen[-1].status == "done"
    [submit] = [json.loads(r.body) for r in emulator.requests if b'"requests"' in r.body]
    assert [item["temperature"] for item in submit["requests"]] == [0.3, 0.3]
    assert submit["requests"][1]["messages"] == [{"role": "user", "content": "What is 2+2?"}]


def test_batch_queued_failures(make_chat: Callable[..., ChatWorkersAI],
                               emulator: Emulator) -> None:
    llm = make_chat(model=LLM)
    # the service refuses items (max_tokens=0 passes the published schema: no minimum)
    emulator.batches.fail_items(0, 1, code=5006, message="AiError: Bad input: Error: x")
    with pytest.raises(errors.BatchError) as info:
        llm.batch_queued(["a", "b"], poll_interval=0)
    assert info.value.results == [None, None] and info.value.failed_indices == [0, 1]
    out = llm.batch_queued(["a"], poll_interval=0, return_exceptions=True)
    assert isinstance(out[0], ModelInvalidRequestError)
    with pytest.raises(TypeError, match="no_such_knob"):  # like invoke(...)
        llm.batch_queued(["a"], no_such_knob=1)


class FlakyQueue:
    """A binding queue where item 1 fails; answers out of order."""

    def __call__(self, model: str, inputs: dict[str, Any], options: Any) -> dict[str, Any]:
        if "requests" in inputs:
            self.n = len(inputs["requests"])
            return {"status": "queued", "request_id": "j"}
        ok = [{"id": i, "success": True, "result": {"response": f"answer {i}"}}
              for i in range(self.n) if i != 1]
        bad = {"id": 1, "success": False, "errors": [{"code": 3040, "message": "Capacity"}]}
        return {"responses": [bad, *ok[::-1]]}


async def test_abatch_queued_over_binding_keeps_the_rest() -> None:
    llm = ChatWorkersAI(binding=FakeBinding(FlakyQueue()), model=LLM)
    out = await llm.abatch_queued(["a", "b", "c"], poll_interval=0, return_exceptions=True)
    assert [getattr(m, "content", None) for m in out] == ["answer 0", None, "answer 2"]
    assert isinstance(out[1], ModelRateLimitError)
    with pytest.raises(errors.BatchError) as info:
        await llm.abatch_queued(["a", "b", "c"], poll_interval=0)
    assert isinstance(info.value.results[2], AIMessage) and info.value.failed_indices == [1]


async def test_embed_documents_queued(
    make_embeddings: Callable[..., WorkersAIEmbeddings], emulator: Emulator
) -> None:
    emb = make_embeddings(model=EMB, batch_size=2)
    texts = [f"document {i}" for i in range(5)]
    queued = emb.embed_documents_queued(texts, poll_interval=0)
    assert queued == emb.embed_documents(texts)
    assert await emb.aembed_documents_queued(texts, poll_interval=0) == queued
    assert emb.embed_documents_queued([]) == []
    submits = [r for r in emulator.requests if b'"requests"' in r.body]
    assert len(submits) == 2 and len(json.loads(submits[0].body)["requests"]) == 3
    with pytest.raises(ModelInvalidRequestError):
        emb.embed_documents_queued(["x"], temperature=1)
