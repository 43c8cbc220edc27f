"""The parity suite LlamaIndex lacks: every public path of the three classes, end to end.

Each test runs against the in-process emulator (marker ``emulator``; no sockets) and, with
``CLOUDFLARE_ACCOUNT_ID``/``CLOUDFLARE_API_TOKEN`` set, against the real API (``live``).
Assertions that need the emulator's recorded traffic run only there.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from llama_index.core import Settings, VectorStoreIndex
from llama_index.core.agent.workflow import AgentStream, FunctionAgent, ToolCallResult
from llama_index.core.base.llms.types import ChatMessage, ThinkingBlock
from llama_index.core.callbacks import CallbackManager, TokenCountingHandler
from llama_index.core.prompts import PromptTemplate
from llama_index.core.schema import Document
from llama_index.core.tools import FunctionTool
from pydantic import BaseModel

from llamaindex_workersai import WorkersAI, WorkersAIEmbedding, WorkersAIRerank

from .conftest import Target

FAMILIES = {
    "llama-3.3": "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
    "llama-4-scout": "@cf/meta/llama-4-scout-17b-16e-instruct",
    "qwen3": "@cf/qwen/qwen3-30b-a3b-fp8",
    "gemma-4": "@cf/google/gemma-4-26b-a4b-it",
    "gpt-oss-120b": "@cf/openai/gpt-oss-120b",
    "deepseek-r1": "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b",
}
REASONING = {"qwen3", "gemma-4", "gpt-oss-120b", "deepseek-r1"}
QUESTION = [ChatMessage(role="user", content="What is the capital of France? One word.")]

pytestmark = [
    pytest.mark.usefixtures("before_retirements"),
    pytest.mark.usefixtures("clean_env"),
    pytest.mark.filterwarnings("ignore::workersai.catalog.DeprecatedModelWarning"),
]


def llm_for(target: Target, model: str, **kw: Any) -> WorkersAI:
    return WorkersAI(model=model, max_tokens=512, **target.kwargs, **kw)


def check_stream(items: list[Any], family: str, target: Target) -> None:
    assert items, "no streamed items"
    last = items[-1]
    text = last.message.content
    assert text and text == "".join(i.delta or "" for i in items)
    assert all(a.message.content in (text, None) or text.startswith(a.message.content or "")
               for a in items)
    usage = last.raw["usage"]
    assert usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0
    assert all(i.raw is None or "usage" not in i.raw for i in items[:-1])
    if target.emu is not None and family in REASONING:
        thinking = "".join(i.additional_kwargs.get("thinking_delta") or "" for i in items)
        assert thinking and thinking not in text
        block = last.message.blocks[0]
        assert isinstance(block, ThinkingBlock) and block.content == thinking


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_chat_and_stream_every_family(target: Target, family: str) -> None:
    llm = llm_for(target, FAMILIES[family])
    reply = llm.chat(QUESTION)
    assert reply.message.content
    assert reply.raw["usage"]["prompt_tokens"] > 0
    if target.emu is not None and family in REASONING:
        assert isinstance(reply.message.blocks[0], ThinkingBlock)
        assert reply.message.blocks[0].content not in reply.message.content
    check_stream(list(llm.stream_chat(QUESTION)), family, target)
    assert llm.complete("Name a colour.").text
    completions = list(llm.stream_complete("Name a colour."))
    assert completions[-1].text == "".join(c.delta or "" for c in completions)


@pytest.mark.parametrize("family", sorted(FAMILIES))
async def test_async_every_family(target: Target, family: str) -> None:
    llm = llm_for(target, FAMILIES[family])
    assert (await llm.achat(QUESTION)).message.content
    check_stream([r async for r in await llm.astream_chat(QUESTION)], family, target)
    assert (await llm.acomplete("Name a colour.")).text
    items = [r async for r in await llm.astream_complete("Name a colour.")]
    assert items[-1].text and items[-1].raw["usage"]["total_tokens"] > 0


# --- agents ---------------------------------------------------------------------------------


def make_tools(log: list[str]) -> list[FunctionTool]:
    def add(a: int, b: int) -> int:
        """Add two integers a and b."""
        log.append(f"add({a},{b})")
        return a + b

    def multiply(a: int, b: int) -> int:
        """Multiply two integers a and b."""
        log.append(f"multiply({a},{b})")
        return a * b

    return [FunctionTool.from_defaults(fn=add), FunctionTool.from_defaults(fn=multiply)]


@pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince20")
@pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince211")
@pytest.mark.parametrize("streaming", [False, True], ids=["plain", "streaming"])
@pytest.mark.parametrize("family", ["llama-3.3", "qwen3"])
async def test_function_agent_two_tools(target: Target, family: str, streaming: bool) -> None:
    if target.emu is not None:
        target.emu.script.tool_call("add", {"a": 2, "b": 3})
        target.emu.script.tool_call("multiply", {"a": 5, "b": 4})
        target.emu.script.text("The result is 20.")
    log: list[str] = []
    llm = llm_for(target, FAMILIES[family], temperature=0.0)
    agent = FunctionAgent(
        tools=make_tools(log), llm=llm, streaming=streaming,
        system_prompt="Use the tools for arithmetic, one step at a time.",
    )
    handler = agent.run("First add 2 and 3, then multiply that sum by 4. Use the tools.")
    streamed, results = [], []
    async for event in handler.stream_events():
        if isinstance(event, AgentStream):
            streamed.append(event)
        elif isinstance(event, ToolCallResult):
            results.append(event)
    response = await handler
    assert "20" in str(response)
    assert log == ["add(2,3)", "multiply(5,4)"]
    assert [r.tool_name for r in results] == ["add", "multiply"]
    assert bool(streamed) is streaming
    if target.emu is not None:
        _check_agent_history(target)


def _check_agent_history(target: Target) -> None:
    """The third request replays both calls and both results, ids matching."""
    third = target.chat_requests()[-1]
    messages = third["messages"]
    calls = [c for m in messages if m["role"] == "assistant" for c in m.get("tool_calls") or []]
    results = [m for m in messages if m["role"] == "tool"]
    assert len(calls) == 2 and len(results) == 2
    call_ids = [c.get("id") for c in calls]
    if all(call_ids):
        assert [r.get("tool_call_id") for r in results] == call_ids
    assert [r["content"] for r in results] == ["5", "20"]


# --- structured prediction ------------------------------------------------------------------


class Country(BaseModel):
    """A country and its capital city."""

    name: str
    capital: str


PROMPT = PromptTemplate("Give the name and capital city of {country} as structured data.")
# a tool-calling model without JSON mode: the published qwq-32b schema has guided_json
JSON_MODEL, TOOLS_MODEL = FAMILIES["llama-3.3"], "@hf/nousresearch/hermes-2-pro-mistral-7b"


@pytest.mark.parametrize("model", [JSON_MODEL, TOOLS_MODEL], ids=["json-mode", "tool-call"])
async def test_structured_predict_sync_async_stream(target: Target, model: str) -> None:
    llm = llm_for(target, model, temperature=0.0)
    results = [llm.structured_predict(Country, PROMPT, country="France")]
    results.append(await llm.astructured_predict(Country, PROMPT, country="France"))
    streamed = list(llm.stream_structured_predict(Country, PROMPT, country="France"))
    results.append(streamed[-1])
    agen = await llm.astream_structured_predict(Country, PROMPT, country="France")
    results.append([c async for c in agen][-1])
    for result in results:
        assert isinstance(result, Country) and result.name and result.capital
    if target.emu is not None:
        bodies = target.chat_requests()
        assert len(bodies) == 4
        if model == JSON_MODEL:
            assert all(b["response_format"]["type"] == "json_schema" for b in bodies)
            assert all("tools" not in b and "stream" not in b for b in bodies)
        else:
            assert all("response_format" not in b for b in bodies)
            assert all(b["tools"][0]["function"]["name"] == "Country" for b in bodies)


# --- token counting -------------------------------------------------------------------------


def _reported(body: bytes) -> tuple[int, int]:
    """(prompt, completion) tokens as the emulator reported them in one response body."""
    text = body.decode()
    if text.startswith("data:"):
        events = [line[5:].strip() for line in text.splitlines() if line.startswith("data:")]
        usages = [json.loads(e)["usage"] for e in events if e != "[DONE]" and '"usage"' in e]
        usage = usages[-1]
    else:
        usage = json.loads(text)["result"]["usage"]
    return usage["prompt_tokens"], usage["completion_tokens"]


async def test_token_counting_matches_reported_usage(target: Target) -> None:
    counter = TokenCountingHandler(tokenizer=lambda s: s.split())
    llm = llm_for(target, FAMILIES["llama-3.3"], callback_manager=CallbackManager([counter]))
    seen = [llm.chat(QUESTION)]
    seen.append(list(llm.stream_chat(QUESTION))[-1])
    seen.append(await llm.achat(QUESTION))
    seen.append([r async for r in await llm.astream_chat(QUESTION)][-1])
    seen.append(llm.complete("Name a colour."))  # type: ignore[arg-type]
    prompt = sum(r.raw["usage"]["prompt_tokens"] for r in seen)
    completion = sum(r.raw["usage"]["completion_tokens"] for r in seen)
    assert len(counter.llm_token_counts) == 5
    assert counter.prompt_llm_token_count == prompt
    assert counter.completion_llm_token_count == completion
    if target.emu is not None:
        reported = [_reported(b) for b in target.bodies]
        assert prompt == sum(p for p, _ in reported)
        assert completion == sum(c for _, c in reported)


# --- RAG --------------------------------------------------------------------------------------

DOCS = [
    ("paris", "Paris is the capital of France and sits on the river Seine."),
    ("tokyo", "Tokyo is the capital of Japan and its largest city."),
    ("lima", "Lima is the capital of Peru on the Pacific coast."),
    ("oslo", "Oslo is the capital of Norway at the head of a fjord."),
    ("cairo", "Cairo is the capital of Egypt beside the river Nile."),
]


@pytest.mark.usefixtures("restore_settings")
async def test_rag_query_with_settings_and_rerank(target: Target) -> None:
    Settings.llm = llm_for(target, FAMILIES["llama-3.3"], temperature=0.0)
    Settings.embed_model = WorkersAIEmbedding(**target.kwargs)
    docs = [Document(text=text, doc_id=key) for key, text in DOCS]
    index = VectorStoreIndex.from_documents(docs)
    rerank = WorkersAIRerank(top_n=1, **target.kwargs)
    engine = index.as_query_engine(similarity_top_k=4, node_postprocessors=[rerank])
    question = "Which city is the capital of Japan?"
    for response in (engine.query(question), await engine.aquery(question)):
        assert len(response.source_nodes) == 1
        assert response.source_nodes[0].node.ref_doc_id == "tokyo"
        assert "Tokyo" in str(response)
