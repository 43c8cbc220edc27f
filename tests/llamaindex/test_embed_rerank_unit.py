"""WorkersAIEmbedding and WorkersAIRerank against a recording fake core client (no I/O)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.callbacks import CallbackManager, CBEventType
from llama_index.core.callbacks.base_handler import BaseCallbackHandler
from llama_index.core.instrumentation import get_dispatcher
from llama_index.core.instrumentation.event_handlers import BaseEventHandler
from llama_index.core.instrumentation.events import BaseEvent
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from llamaindex_workersai import WorkersAIEmbedding, WorkersAIRerank
from workersai.types import EmbeddingResult, EmbedParams, RerankResult

from ._fakes import FakeAsyncClient, FakeClient

TOKEN = "sekrit-token-value-456"


def test_mro() -> None:
    assert BaseEmbedding.__name__ in [b.__name__ for b in WorkersAIEmbedding.__mro__]
    assert BaseNodePostprocessor.__name__ in [b.__name__ for b in WorkersAIRerank.__mro__]
    assert not WorkersAIEmbedding.__abstractmethods__
    assert not WorkersAIRerank.__abstractmethods__


# --- embeddings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "given", "expected"),
    [
        ("@cf/baai/bge-base-en-v1.5", None, 100),
        ("@cf/baai/bge-base-en-v1.5", 500, 100),
        ("@cf/baai/bge-base-en-v1.5", 7, 7),
        ("@cf/qwen/qwen3-embedding-0.6b", None, 32),
        ("@cf/qwen/qwen3-embedding-0.6b", 64, 32),
        ("@cf/acme/unknown-embedder", None, 10),
    ],
)
def test_batch_size_defaults_to_and_is_capped_by_model_limit(
    model: str, given: int | None, expected: int
) -> None:
    kwargs: dict[str, Any] = {"model_name": model}
    if given is not None:
        kwargs["embed_batch_size"] = given
    assert WorkersAIEmbedding(**kwargs).embed_batch_size == expected


def test_model_alias_and_secret_hygiene() -> None:
    emb = WorkersAIEmbedding(model="@cf/baai/bge-m3", api_token=TOKEN)
    assert emb.model_name == emb.model == "@cf/baai/bge-m3"
    for text in (repr(emb), emb.to_json(), str(emb.to_payload())):
        assert TOKEN not in text


def embedder(**fields: Any) -> tuple[WorkersAIEmbedding, FakeClient, FakeAsyncClient]:
    emb = WorkersAIEmbedding(**fields)
    sync, asyn = FakeClient(), FakeAsyncClient()
    emb._client, emb._aclient = sync, asyn
    return emb, sync, asyn


def test_query_and_text_params_and_batches_in_order() -> None:
    emb, fake, _ = embedder(embed_batch_size=2, query_instruction="Q: ", text_instruction="D: ",
                            pooling="cls", truncate_inputs=True, additional_kwargs={"k": 1})
    assert emb.get_query_embedding("abc") == [3.0, 1.0]
    _, (model, texts, params), _ = fake.calls[0]
    assert (model, texts) == ("@cf/baai/bge-base-en-v1.5", ["abc"])
    assert params == EmbedParams(kind="query", pooling="cls", truncate_inputs=True,
                                 instruction="Q: ", extra={"k": 1})
    vectors = emb.get_text_embedding_batch(["a", "bb", "ccc", "dddd", "eeeee"])
    assert [v[0] for v in vectors] == [1.0, 2.0, 3.0, 4.0, 5.0]
    # one core call: the core splits by embed_batch_size and keeps finished work
    assert [c[1][1] for c in fake.calls[1:]] == [["a", "bb", "ccc", "dddd", "eeeee"]]
    assert fake.calls[1][1][2].kind == "document" and fake.calls[1][1][2].instruction == "D: "
    assert fake.calls[1][2]["batch_size"] == 2
    assert fake.calls[1][2]["pacing"] is None


def test_pacing_knob_reaches_the_core() -> None:
    from workersai import Pacing

    slow = Pacing(per_minute=60)
    emb, fake, _ = embedder(pacing=slow)
    emb.get_text_embedding_batch(["a", "bb"])
    emb.get_query_embedding("abc")
    assert [c[2]["pacing"] for c in fake.calls] == [slow, slow]


async def test_async_batch_is_one_native_call_bounded_by_num_workers() -> None:
    calls: list[tuple[list[str], dict[str, Any]]] = []

    class Native(FakeAsyncClient):
        async def embed(self, model: str, texts: list[str], *a: Any, **k: Any) -> Any:
            calls.append((texts, k))
            return EmbeddingResult([[float(len(t))] for t in texts])

    emb, fake, _ = embedder(embed_batch_size=1, num_workers=2)
    emb._aclient = Native()
    texts = ["a" * i for i in range(1, 9)]
    vectors = await emb.aget_text_embedding_batch(texts)
    assert [v[0] for v in vectors] == [float(i) for i in range(1, 9)]
    assert fake.calls == [] and len(calls) == 1  # native async, no sync client
    assert calls[0][0] == texts
    assert (calls[0][1]["batch_size"], calls[0][1]["max_concurrency"]) == (1, 2)
    assert (await emb.aget_query_embedding("xyz")) == [3.0]


async def test_num_workers_does_not_queue_independent_single_queries() -> None:
    """num_workers bounds the batches of one call; 50 separate queries all run at once."""
    in_flight = peak = 0
    release = asyncio.Event()

    class Native(FakeAsyncClient):
        async def embed(self, model: str, texts: list[str], *a: Any, **k: Any) -> Any:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            if in_flight == 50:
                release.set()
            await asyncio.wait_for(release.wait(), 2)
            in_flight -= 1
            return EmbeddingResult([[1.0] for _ in texts])

    emb, _, _ = embedder(num_workers=2)
    emb._aclient = Native()
    vectors = await asyncio.gather(*(emb.aget_query_embedding(f"q{i}") for i in range(50)))
    assert len(vectors) == 50 and peak == 50


# --- rerank ---------------------------------------------------------------------------------


def nodes(*texts: str) -> list[NodeWithScore]:
    return [NodeWithScore(node=TextNode(text=t, id_=f"n{i}"), score=0.1)
            for i, t in enumerate(texts)]


class Recorder(BaseCallbackHandler):
    def __init__(self) -> None:
        super().__init__([], [])
        self.events: list[tuple[str, CBEventType, dict[str, Any] | None]] = []

    def on_event_start(self, event_type: CBEventType, payload: Any = None, event_id: str = "",
                       parent_id: str = "", **kwargs: Any) -> str:
        self.events.append(("start", event_type, payload))
        return event_id

    def on_event_end(self, event_type: CBEventType, payload: Any = None, event_id: str = "",
                     **kwargs: Any) -> None:
        self.events.append(("end", event_type, payload))

    def start_trace(self, trace_id: str | None = None) -> None: ...

    def end_trace(self, trace_id: str | None = None, trace_map: Any = None) -> None: ...


class EventSink(BaseEventHandler):
    seen: list[str] = []

    @classmethod
    def class_name(cls) -> str:
        return "EventSink"

    def handle(self, event: BaseEvent, **kwargs: Any) -> None:
        if "ReRank" in event.class_name():
            self.seen.append(event.class_name())


def reranker(scores: list[RerankResult], **fields: Any) -> tuple[WorkersAIRerank, FakeClient]:
    rr = WorkersAIRerank(**fields)
    rr._client = FakeClient(scores=scores)
    rr._aclient = FakeAsyncClient(scores=scores)
    return rr, rr._client


def test_rerank_orders_best_first_cuts_and_emits_events() -> None:
    sink = EventSink()
    sink.seen.clear()
    get_dispatcher("llamaindex_workersai.postprocessor").add_event_handler(sink)
    recorder = Recorder()
    scores = [RerankResult(0, 0.1), RerankResult(2, 0.9), RerankResult(1, 0.5)]
    rr, fake = reranker(scores, top_n=2, callback_manager=CallbackManager([recorder]))
    given = nodes("a", "b", "c")
    out = rr.postprocess_nodes(given, query_str="which?")
    assert [(n.node.node_id, n.score) for n in out] == [("n2", 0.9), ("n1", 0.5)]
    assert all(n is not g for n in out for g in given)
    assert fake.calls[0][1] == ("@cf/baai/bge-reranker-base", "which?", ["a", "b", "c"])
    assert fake.calls[0][2]["top_k"] == 2
    assert [(kind, et) for kind, et, _ in recorder.events] == [
        ("start", CBEventType.RERANKING), ("end", CBEventType.RERANKING)
    ]
    assert sink.seen == ["ReRankStartEvent", "ReRankEndEvent"]


def test_rerank_without_query_or_nodes() -> None:
    rr, fake = reranker([])
    with pytest.raises(ValueError, match="query"):
        rr.postprocess_nodes(nodes("a"))
    assert rr.postprocess_nodes([], query_str="q") == []
    assert fake.calls == []


async def test_rerank_async_is_native() -> None:
    rr, fake = reranker([RerankResult(1, 0.8), RerankResult(0, 0.2)], top_n=1)
    out = await rr.apostprocess_nodes(nodes("a", "b"), query_bundle=QueryBundle("q"))
    assert [n.node.node_id for n in out] == ["n1"]
    assert fake.calls == [] and len(rr._aclient.calls) == 1
    assert await rr.apostprocess_nodes([], query_str="q") == []


def test_public_api() -> None:
    import llamaindex_workersai
    from llamaindex_workersai import embeddings, llms, postprocessor

    for name in llamaindex_workersai.__all__:
        assert getattr(llamaindex_workersai, name) is not None
    public = set(llamaindex_workersai.__all__)
    assert {"WorkersAI", "WorkersAIEmbedding", "WorkersAIRerank"} <= public
    for module in (embeddings, llms, postprocessor):
        assert all(hasattr(module, name) for name in module.__all__)


def test_show_progress_drives_a_bar_to_the_total(capsys: Any) -> None:
    emb, fake, _ = embedder(embed_batch_size=2)

    def embed(model: str, texts: list[str], *a: Any, **k: Any) -> EmbeddingResult:
        for done in range(2, len(texts) + 2, 2):  # the core reports each finished batch
            if k["on_progress"] is not None:
                k["on_progress"](min(done, len(texts)), len(texts))
        return EmbeddingResult([[1.0] for _ in texts])

    fake.embed = embed  # type: ignore[method-assign]
    emb.get_text_embedding_batch(["a", "b", "c", "d", "e"], show_progress=True)
    assert "5/5" in capsys.readouterr().err
    emb.get_text_embedding_batch(["a", "b"])
    assert capsys.readouterr().err == ""
