"""LlamaIndex: a RAG query engine and a two-tool ``FunctionAgent`` on Workers AI.

``Settings.llm`` and ``Settings.embed_model`` are our classes; a ``VectorStoreIndex``
(in Qdrant on disk, so a second run embeds nothing: ``_store.py``) retrieves,
``WorkersAIRerank`` re-ranks, the answer streams; a ``FunctionAgent`` calls two tools.
``TokenCountingHandler`` counts the tokens the API reported.

    python examples/llamaindex_pipeline.py
"""

from __future__ import annotations

import asyncio

from _connect import Connection, connect
from _corpus import AGENT_TASK, DOCUMENTS, QUESTION, convert_currency, get_weather
from _store import COLLECTION, filled, index_dir, qdrant
from llama_index.core import Document, Settings, StorageContext, VectorStoreIndex
from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult
from llama_index.core.callbacks import CallbackManager, TokenCountingHandler
from llama_index.core.tools import FunctionTool
from llama_index.vector_stores.qdrant import QdrantVectorStore

from llamaindex_workersai import WorkersAI, WorkersAIEmbedding, WorkersAIRerank


def vector_index(conn: Connection) -> VectorStoreIndex:
    """The corpus's index, embedded with ``Settings.embed_model``: Qdrant on disk, read
    back when an earlier run filled it; or the framework's in-memory store."""
    model = getattr(Settings.embed_model, "model_name", "")
    docs = [Document(text=text, metadata={"source": src}) for src, text in DOCUMENTS]
    where = index_dir("llamaindex", model, conn.live, DOCUMENTS)
    if where is None:
        print(f"Index: embedded {len(docs)} documents, in memory")
        return VectorStoreIndex.from_documents(docs)
    client = qdrant(where)
    done = filled(client, len(docs))
    # index_doc_id=False: payload indexes do nothing in local mode (Qdrant warns so)
    store = QdrantVectorStore(collection_name=COLLECTION, client=client, index_doc_id=False)
    if done:
        print(f"Index: read from {where} (nothing embedded)")
        return VectorStoreIndex.from_vector_store(store)
    index = VectorStoreIndex.from_documents(
        docs, storage_context=StorageContext.from_defaults(vector_store=store))
    print(f"Index: embedded {len(docs)} documents into Qdrant at {where}")
    return index


def rag(conn: Connection) -> None:
    index = vector_index(conn)
    engine = index.as_query_engine(
        similarity_top_k=4, streaming=True,
        node_postprocessors=[WorkersAIRerank(top_n=2, **conn.kwargs)],
    )
    response = engine.query(QUESTION)
    print(f"Q: {QUESTION}\nA: ", end="", flush=True)
    for token in response.response_gen:  # type: ignore[union-attr]
        print(token, end="", flush=True)
    print("\nSources:")
    for node in response.source_nodes:
        print(f"  - {node.node.metadata['source']} (relevance {node.score:.3f})")


async def agent(llm: WorkersAI) -> None:
    tools = [FunctionTool.from_defaults(get_weather),
             FunctionTool.from_defaults(convert_currency)]
    workflow = FunctionAgent(tools=tools, llm=llm,
                             system_prompt="Use the tools to answer, then reply briefly.")
    print(f"Task: {AGENT_TASK}")
    handler = workflow.run(user_msg=AGENT_TASK)
    async for event in handler.stream_events():
        if isinstance(event, ToolCallResult):
            print(f"  tool call: {event.tool_name}({event.tool_kwargs}) -> {event.tool_output}")
    result = await handler
    print(f"Answer: {result}")


def main(conn: Connection | None = None) -> TokenCountingHandler:
    conn = conn or connect()
    counter = TokenCountingHandler()
    Settings.callback_manager = CallbackManager([counter])
    Settings.llm = WorkersAI(**conn.kwargs)
    Settings.embed_model = WorkersAIEmbedding(**conn.kwargs)
    print("== LlamaIndex: RAG (VectorStoreIndex -> WorkersAIRerank -> streamed answer)")
    rag(conn)
    print("\n== LlamaIndex: FunctionAgent with two tools")
    llm = Settings.llm
    assert isinstance(llm, WorkersAI)
    asyncio.run(agent(llm))
    print(f"\nUsage: {counter.prompt_llm_token_count} input + "
          f"{counter.completion_llm_token_count} output tokens (as reported by the API), "
          f"{counter.total_embedding_token_count} embedding tokens (estimated locally)")
    return counter


if __name__ == "__main__":
    print(connect().banner)
    main()
