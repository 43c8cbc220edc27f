"""Every way a user reaches Workers AI through the two front ends, as one table.

A :class:`Surface` builds a front-end object and makes one call with it, returning a plain,
comparable value (the full text, the vectors, the ranked documents), so one test body can
drive LangChain and LlamaIndex, sync and async, streamed and not.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from langchain_core.documents import Document
from llama_index.core.llms import ChatMessage
from llama_index.core.schema import NodeWithScore, TextNode

from langchain_workersai import ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker
from llamaindex_workersai import WorkersAI, WorkersAIEmbedding, WorkersAIRerank
from workersai import errors as wa

TOKEN = "cfut-RELIABILITY-9c41e7d2b85a4f36a0d1-SECRET"
"""The API token every test configures; it must never show up anywhere but the header."""
CHAT_MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
PROMPT = "Write a long story about a cat."
TEXTS = ["Paris is the capital of France.", "Berlin is in Germany.", "Cats purr."]
QUERY = "capital of France"
DOCS = ["Berlin is in Germany.", "Paris is the capital of France.", "Cats purr loudly."]


def _li_messages() -> list[ChatMessage]:
    return [ChatMessage(role="user", content=PROMPT)]


def _ranked_docs(docs: Any) -> list[tuple[str, float]]:
    return [(d.page_content, d.metadata["relevance_score"]) for d in docs]


def _ranked_nodes(nodes: Any) -> list[tuple[str, float]]:
    return [(n.node.get_content(), n.score) for n in nodes]


def _nodes() -> list[NodeWithScore]:
    return [NodeWithScore(node=TextNode(text=t, id_=f"n{i}")) for i, t in enumerate(DOCS)]


# --- the calls ------------------------------------------------------------------------------


def lc_invoke(llm: ChatWorkersAI) -> str:
    return llm.invoke(PROMPT).text


async def lc_ainvoke(llm: ChatWorkersAI) -> str:
    return (await llm.ainvoke(PROMPT)).text


def lc_stream(llm: ChatWorkersAI) -> str:
    return "".join(chunk.text for chunk in llm.stream(PROMPT))


async def lc_astream(llm: ChatWorkersAI) -> str:
    return "".join([chunk.text async for chunk in llm.astream(PROMPT)])


def li_chat(llm: WorkersAI) -> str:
    return str(llm.chat(_li_messages()).message.content)


async def li_achat(llm: WorkersAI) -> str:
    return str((await llm.achat(_li_messages())).message.content)


def li_stream(llm: WorkersAI) -> str:
    items = list(llm.stream_chat(_li_messages()))
    text = "".join(r.delta or "" for r in items)
    assert text == items[-1].message.content  # accumulated message matches the deltas
    return text


async def li_astream(llm: WorkersAI) -> str:
    items = [r async for r in await llm.astream_chat(_li_messages())]
    text = "".join(r.delta or "" for r in items)
    assert text == items[-1].message.content
    return text


def lc_embed(emb: WorkersAIEmbeddings) -> list[list[float]]:
    return emb.embed_documents(TEXTS)


async def lc_aembed(emb: WorkersAIEmbeddings) -> list[list[float]]:
    return await emb.aembed_documents(TEXTS)


def li_embed(emb: WorkersAIEmbedding) -> list[list[float]]:
    return emb.get_text_embedding_batch(TEXTS)


async def li_aembed(emb: WorkersAIEmbedding) -> list[list[float]]:
    return await emb.aget_text_embedding_batch(TEXTS)


def lc_rerank(rr: WorkersAIReranker) -> list[tuple[str, float]]:
    return _ranked_docs(rr.compress_documents([Document(t) for t in DOCS], QUERY))


async def lc_arerank(rr: WorkersAIReranker) -> list[tuple[str, float]]:
    return _ranked_docs(await rr.acompress_documents([Document(t) for t in DOCS], QUERY))


def li_rerank(rr: WorkersAIRerank) -> list[tuple[str, float]]:
    return _ranked_nodes(rr.postprocess_nodes(_nodes(), query_str=QUERY))


async def li_arerank(rr: WorkersAIRerank) -> list[tuple[str, float]]:
    return _ranked_nodes(await rr.apostprocess_nodes(_nodes(), query_str=QUERY))


# --- the table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Surface:
    """One front-end class and one of its calls."""

    name: str
    front: str  # "lc" or "li"
    kind: str  # "chat", "embed" or "rerank"
    stream: bool
    make: Callable[..., Any]
    call: Callable[[Any], Any]

    @property
    def is_async(self) -> bool:
        return inspect.iscoroutinefunction(self.call)

    def build(self, **kwargs: Any) -> Any:
        if self.kind == "chat":
            kwargs["model"] = CHAT_MODEL
        return self.make(**kwargs)


def _chat_lc(**kw: Any) -> ChatWorkersAI:
    return ChatWorkersAI(**kw)


def _chat_li(**kw: Any) -> WorkersAI:
    return WorkersAI(**kw)


SURFACES: list[Surface] = [
    Surface("lc.invoke", "lc", "chat", False, _chat_lc, lc_invoke),
    Surface("lc.ainvoke", "lc", "chat", False, _chat_lc, lc_ainvoke),
    Surface("lc.stream", "lc", "chat", True, _chat_lc, lc_stream),
    Surface("lc.astream", "lc", "chat", True, _chat_lc, lc_astream),
    Surface("li.chat", "li", "chat", False, _chat_li, li_chat),
    Surface("li.achat", "li", "chat", False, _chat_li, li_achat),
    Surface("li.stream_chat", "li", "chat", True, _chat_li, li_stream),
    Surface("li.astream_chat", "li", "chat", True, _chat_li, li_astream),
    Surface("lc.embed_documents", "lc", "embed", False, WorkersAIEmbeddings, lc_embed),
    Surface("lc.aembed_documents", "lc", "embed", False, WorkersAIEmbeddings, lc_aembed),
    Surface("li.get_text_embedding_batch", "li", "embed", False, WorkersAIEmbedding, li_embed),
    Surface("li.aget_text_embedding_batch", "li", "embed", False, WorkersAIEmbedding, li_aembed),
    Surface("lc.compress_documents", "lc", "rerank", False, WorkersAIReranker, lc_rerank),
    Surface("lc.acompress_documents", "lc", "rerank", False, WorkersAIReranker, lc_arerank),
    Surface("li.postprocess_nodes", "li", "rerank", False, WorkersAIRerank, li_rerank),
    Surface("li.apostprocess_nodes", "li", "rerank", False, WorkersAIRerank, li_arerank),
]
STREAMS = [s for s in SURFACES if s.stream]


# --- driving them ---------------------------------------------------------------------------


async def invoke(surface: Surface, obj: Any) -> Any:
    """Make the surface's call (sync calls block the test's loop; nothing else runs on it)."""
    out = surface.call(obj)
    if inspect.isawaitable(out):
        out = await out
    return out


def core_clients(obj: Any) -> tuple[Any, Any]:
    """The lazily built core ``Client`` and ``AsyncClient`` of a front-end object."""
    if hasattr(obj, "_sync_client"):
        return obj._sync_client(), obj._async_client()
    return obj._sync_client(), obj._async_client()


def record_sleeps(*clients: Any) -> list[float]:
    """Replace the retry sleeps of core clients by a recorder: retries cost no time."""
    delays: list[float] = []

    async def asleep(seconds: float) -> None:
        delays.append(seconds)

    for client in clients:
        is_async = inspect.iscoroutinefunction(getattr(client, "aclose", None))
        client._backend.sleep = asleep if is_async else delays.append
    return delays


async def close(obj: Any) -> None:
    """Release a front-end object's pooled connections (both clients)."""
    obj.close()
    await obj.aclose()


def core_class(err: BaseException) -> type[BaseException]:
    """The most specific ``workersai.errors`` class of ``err`` (front-end duals resolved)."""
    for klass in type(err).__mro__:
        if klass.__module__ == wa.__name__:
            return klass
    return type(err)
