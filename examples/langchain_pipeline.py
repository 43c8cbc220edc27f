"""LangChain: a RAG pipeline and a two-tool agent on Workers AI.

Retrieval: a Qdrant vector store over ``WorkersAIEmbeddings``, kept on disk so a second
run embeds nothing (``_store.py``; ``WORKERSAI_EXAMPLE_INDEX=memory`` keeps it in
memory), re-ranked by ``WorkersAIReranker`` inside a
``ContextualCompressionRetriever``; ``ChatWorkersAI`` streams the answer. Agent:
``ChatWorkersAI.bind_tools`` with two tools, looping until the model answers in text.

    python examples/langchain_pipeline.py
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from _connect import Connection, connect, estimated_cost_usd
from _corpus import AGENT_TASK, DOCUMENTS, QUESTION, convert_currency, get_weather
from _store import COLLECTION, filled, index_dir, qdrant
from langchain_classic.retrievers import ContextualCompressionRetriever
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.documents import Document
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.outputs import LLMResult
from langchain_core.tools import tool
from langchain_core.vectorstores import InMemoryVectorStore, VectorStore
from langchain_qdrant import QdrantVectorStore
from qdrant_client.models import Distance, VectorParams

from langchain_workersai import ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker
from workersai import catalog


@dataclass
class Totals:
    input_tokens: int = 0
    output_tokens: int = 0
    neurons: float = 0.0


class UsageTotals(BaseCallbackHandler):
    """Adds up the tokens and neurons every chat call reports."""

    def __init__(self) -> None:
        self.totals = Totals()

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        for generations in response.generations:
            for gen in generations:
                message = getattr(gen, "message", None)
                usage = getattr(message, "usage_metadata", None) or {}
                self.totals.input_tokens += usage.get("input_tokens", 0)
                self.totals.output_tokens += usage.get("output_tokens", 0)
                meta = getattr(message, "response_metadata", None) or {}
                self.totals.neurons += float(meta.get("neurons") or 0.0)


def vector_store(conn: Connection) -> VectorStore:
    """The corpus's vector store: Qdrant on disk, read back when an earlier run filled it,
    else embedded; or the framework's in-memory store."""
    embeddings = WorkersAIEmbeddings(**conn.kwargs)
    docs = [Document(page_content=text, metadata={"source": src}) for src, text in DOCUMENTS]
    where = index_dir("langchain", embeddings.model, conn.live, DOCUMENTS)
    if where is None:
        print(f"Index: embedded {len(docs)} documents, in memory")
        return InMemoryVectorStore.from_documents(docs, embeddings)
    client = qdrant(where)
    if filled(client, len(docs)):
        print(f"Index: read from {where} (nothing embedded)")
        return QdrantVectorStore(client=client, collection_name=COLLECTION,
                                 embedding=embeddings)
    dims = catalog.require(embeddings.model).dimensions
    client.create_collection(COLLECTION, VectorParams(size=dims, distance=Distance.COSINE))
    store = QdrantVectorStore(client=client, collection_name=COLLECTION, embedding=embeddings)
    store.add_documents(docs)
    print(f"Index: embedded {len(docs)} documents into Qdrant at {where}")
    return store


def rag(conn: Connection, llm: ChatWorkersAI) -> None:
    store = vector_store(conn)
    retriever = ContextualCompressionRetriever(
        base_compressor=WorkersAIReranker(top_n=2, **conn.kwargs),
        base_retriever=store.as_retriever(search_kwargs={"k": 4}),
    )
    sources = retriever.invoke(QUESTION)
    context = "\n".join(d.page_content for d in sources)
    messages = [SystemMessage(f"Answer from this context only.\nContext:\n{context}"),
                HumanMessage(f"Question: {QUESTION}")]
    print(f"Q: {QUESTION}\nA: ", end="", flush=True)
    for chunk in llm.stream(messages):
        print(chunk.content, end="", flush=True)
    print("\nSources:")
    for d in sources:
        print(f"  - {d.metadata['source']} (relevance {d.metadata['relevance_score']:.3f})")


def agent(llm: ChatWorkersAI) -> None:
    tools = {t.name: t for t in (tool(get_weather), tool(convert_currency))}
    bound = llm.bind_tools(list(tools.values()))
    messages: list[BaseMessage] = [HumanMessage(AGENT_TASK)]
    print(f"Task: {AGENT_TASK}")
    for _ in range(6):
        reply = bound.invoke(messages)
        messages.append(reply)
        if not reply.tool_calls:
            print(f"Answer: {reply.content}")
            return
        for call in reply.tool_calls:
            result = tools[call["name"]].invoke(call["args"])
            print(f"  tool call: {call['name']}({call['args']}) -> {result}")
            messages.append(ToolMessage(str(result), tool_call_id=call["id"]))
    print("Answer: (stopped after 6 rounds)")


def main(conn: Connection | None = None) -> Totals:
    conn = conn or connect()
    usage = UsageTotals()
    llm = ChatWorkersAI(callbacks=[usage], **conn.kwargs)
    print("== LangChain: RAG (embeddings -> vector store -> reranker -> streamed answer)")
    rag(conn, llm)
    print("\n== LangChain: agent with two tools")
    agent(llm)
    t = usage.totals
    print(f"\nUsage: {t.input_tokens} input + {t.output_tokens} output tokens, "
          f"{t.neurons:.2f} neurons, estimated cost ${estimated_cost_usd(t.neurons):.6f}")
    return t


if __name__ == "__main__":
    print(connect().banner)
    main()
