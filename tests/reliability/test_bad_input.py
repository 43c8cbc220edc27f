"""Bad input gets a clear error that names the problem, before any request where possible.

Every case asserts the error class, a message fragment naming the problem, and how many
requests reached the emulator (none, wherever the problem is visible before sending).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from langchain_core.documents import Document
from langchain_core.exceptions import ContextOverflowError, ModelInvalidRequestError
from langchain_core.exceptions import ModelNotFoundError as LCModelNotFoundError
from langchain_core.messages import HumanMessage
from llama_index.core.base.llms.types import ImageBlock, TextBlock
from llama_index.core.llms import ChatMessage
from llama_index.core.schema import NodeWithScore, TextNode
from llama_index.core.storage.kvstore import SimpleKVStore
from llama_index.core.tools import FunctionTool, ToolMetadata
from pydantic import BaseModel

from langchain_workersai import ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker
from llamaindex_workersai import WorkersAI, WorkersAIEmbedding, WorkersAIRerank
from workersai import catalog
from workersai import errors as wa
from workersai.emulator import Emulator, ErrorReply

from ._surfaces import CHAT_MODEL, close

pytestmark = [pytest.mark.emulator, pytest.mark.usefixtures("before_retirements")]

Connect = Callable[..., dict[str, Any]]
EMBED = "@cf/baai/bge-small-en-v1.5"
DEPRECATED = "@cf/meta/llama-3.1-8b-instruct"  # deprecated 2026-05-30 in the catalog
UNKNOWN = "@cf/acme/no-such-model-v9"
OVERFLOW = (
    'AiError: AiError: {"object":"error","message":"Requested token count exceeds the '
    "model's maximum context length of 24000 tokens. You requested a total of 90011 "
    'tokens."}'
)


class Args(BaseModel):
    x: int


def _tool_fn(x: int) -> int:
    """Return x."""
    return x


def lc_chat(kw: dict[str, Any], **extra: Any) -> ChatWorkersAI:
    return ChatWorkersAI(model_name=extra.pop("model", CHAT_MODEL), **kw, **extra)


def li_chat(kw: dict[str, Any], **extra: Any) -> WorkersAI:
    return WorkersAI(model=extra.pop("model", CHAT_MODEL), **kw, **extra)


def lc_emb(kw: dict[str, Any], **extra: Any) -> WorkersAIEmbeddings:
    return WorkersAIEmbeddings(model_name=extra.pop("model", EMBED), **kw, **extra)


def li_emb(kw: dict[str, Any], **extra: Any) -> WorkersAIEmbedding:
    return WorkersAIEmbedding(model_name=extra.pop("model", EMBED), **kw, **extra)


def lc_rr(kw: dict[str, Any], **extra: Any) -> WorkersAIReranker:
    return WorkersAIReranker(**kw, **extra)


def li_rr(kw: dict[str, Any], **extra: Any) -> WorkersAIRerank:
    return WorkersAIRerank(**kw, **extra)


def nodes(*texts: str) -> list[NodeWithScore]:
    return [NodeWithScore(node=TextNode(text=t)) for t in texts]


@dataclass(frozen=True)
class Bad:
    """One bad input: how to build the object, the call, and the error it must get."""

    id: str
    make: Callable[..., Any]
    call: Callable[[Any], Any]
    error: tuple[type[BaseException], ...]
    message: str
    requests: int = 0
    bug: str | None = None
    lc_dual: type[Exception] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


_INVALID = (wa.InvalidInputError,)
_LC_INVALID = ModelInvalidRequestError

BAD: list[Bad] = [
    # --- embeddings: empty, whitespace, None, non-strings ---------------------------------
    Bad("lc.embed-empty", lc_emb, lambda o: o.embed_documents(["ok", ""]), _INVALID,
        "text 1 is empty", lc_dual=_LC_INVALID),
    Bad("lc.embed-whitespace", lc_emb, lambda o: o.aembed_documents([" \n\t "]), _INVALID,
        "text 0 is empty or only whitespace", lc_dual=_LC_INVALID),
    Bad("lc.embed-none-item", lc_emb, lambda o: o.embed_documents([None]), _INVALID,
        "text 0 is a NoneType", lc_dual=_LC_INVALID),
    Bad("lc.embed-int-item", lc_emb, lambda o: o.aembed_documents(["ok", 3]), _INVALID,
        "text 1 is a int", lc_dual=_LC_INVALID),
    Bad("lc.embed-query-empty", lc_emb, lambda o: o.embed_query(""), _INVALID,
        "empty", lc_dual=_LC_INVALID),
    Bad("lc.embed-query-none", lc_emb, lambda o: o.aembed_query(None), _INVALID,
        "NoneType", lc_dual=_LC_INVALID),
    Bad("lc.embed-none-list", lc_emb, lambda o: o.embed_documents(None), _INVALID,
        "texts must be a list of strings, not NoneType", lc_dual=_LC_INVALID),
    Bad("lc.aembed-none-list", lc_emb, lambda o: o.aembed_documents(None), _INVALID,
        "texts must be a list of strings, not NoneType", lc_dual=_LC_INVALID),
    Bad("lc.embed-str-not-list", lc_emb, lambda o: o.embed_documents("abc"), _INVALID,
        "texts must be a list of strings, not str", lc_dual=_LC_INVALID),
    Bad("lc.aembed-str-not-list", lc_emb, lambda o: o.aembed_documents("abc"), _INVALID,
        "texts must be a list of strings, not str", lc_dual=_LC_INVALID),
    Bad("lc.embed-queued-str-not-list", lc_emb, lambda o: o.embed_documents_queued("abc"),
        _INVALID, "texts must be a list of strings, not str", lc_dual=_LC_INVALID),
    Bad("li.embed-empty", li_emb, lambda o: o.get_text_embedding_batch(["ok", ""]), _INVALID,
        "text 1 is empty"),
    Bad("li.embed-whitespace", li_emb, lambda o: o.aget_text_embedding("   "), _INVALID,
        "empty or only whitespace"),
    Bad("li.embed-none-item", li_emb, lambda o: o.get_text_embedding_batch([None]), _INVALID,
        "text 0 is a NoneType"),
    Bad("li.embed-int-item", li_emb, lambda o: o.aget_text_embedding_batch([1.5]), _INVALID,
        "text 0 is a float"),
    Bad("li.embed-query-none", li_emb, lambda o: o.get_query_embedding(None), _INVALID,
        "NoneType"),
    Bad("li.embed-none-list", li_emb, lambda o: o.get_text_embedding_batch(None),
        _INVALID, "texts must be a list of strings, not NoneType"),
    Bad("li.embed-str-not-list", li_emb, lambda o: o.get_text_embedding_batch("abc"),
        _INVALID, "texts must be a list of strings, not str"),
    Bad("li.aembed-str-not-list", li_emb, lambda o: o.aget_text_embedding_batch("abc"),
        _INVALID, "texts must be a list of strings, not str"),
    Bad("li.embed-cached-str-not-list", li_emb, lambda o: o.get_text_embedding_batch("abc"),
        _INVALID, "texts must be a list of strings, not str",
        extra={"embeddings_cache": SimpleKVStore()}),
    Bad("li.embed-queued-str-not-list", li_emb,
        lambda o: o.aget_text_embedding_batch_queued("abc"), _INVALID,
        "texts must be a list of strings, not str"),
    # --- reranker --------------------------------------------------------------------------
    Bad("lc.rerank-empty-query", lc_rr,
        lambda o: o.compress_documents([Document("a b")], ""), _INVALID, "query",
        lc_dual=_LC_INVALID),
    Bad("lc.rerank-none-query", lc_rr, lambda o: o.arerank(["a b"], None), _INVALID, "query",
        lc_dual=_LC_INVALID),
    Bad("lc.rerank-blank-doc", lc_rr, lambda o: o.rerank(["ok", "  "], "q"), _INVALID,
        "document 1", lc_dual=_LC_INVALID),
    Bad("lc.rerank-int-doc", lc_rr, lambda o: o.rerank([7], "q"), _INVALID, "document 0",
        lc_dual=_LC_INVALID),
    Bad("li.rerank-blank-query", li_rr,
        lambda o: o.postprocess_nodes(nodes("a b"), query_str="  "), _INVALID, "query"),
    Bad("li.rerank-no-query", li_rr, lambda o: o.apostprocess_nodes(nodes("a b")),
        (ValueError,), "needs a query"),
    Bad("li.rerank-empty-doc", li_rr,
        lambda o: o.postprocess_nodes(nodes("ok", ""), query_str="q"), _INVALID,
        "document 1"),
    # --- chat: None and non-strings ----------------------------------------------------------
    Bad("lc.chat-none", lc_chat, lambda o: o.invoke(None), (ValueError,), "NoneType"),
    Bad("lc.chat-int", lc_chat, lambda o: o.ainvoke(5), (ValueError,), "int"),
    Bad("li.complete-none", li_chat, lambda o: o.complete(None), _INVALID,
        "prompt must be a str, not NoneType"),
    Bad("li.complete-int", li_chat, lambda o: o.acomplete(5), _INVALID,
        "prompt must be a str, not int"),
    Bad("li.stream-complete-none", li_chat, lambda o: o.stream_complete(None), _INVALID,
        "prompt must be a str, not NoneType"),
    Bad("li.astream-complete-list", li_chat, lambda o: o.astream_complete(["hi"]), _INVALID,
        "prompt must be a str, not list"),
    # --- unsupported image URLs ----------------------------------------------------------------
    Bad("lc.image-http-url", lc_chat, lambda o: o.invoke([HumanMessage(content=[
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "http://example.com/cat.png"}}])]),
        _INVALID, "http(s) URLs", lc_dual=_LC_INVALID),
    Bad("lc.image-block-http-url", lc_chat, lambda o: o.astream([HumanMessage(content=[
        {"type": "image", "url": "http://example.com/cat.png"}])]), _INVALID,
        "http(s) URLs", lc_dual=_LC_INVALID),
    Bad("lc.image-ftp-url", lc_chat, lambda o: o.invoke([HumanMessage(content=[
        {"type": "image_url", "image_url": {"url": "ftp://example.com/cat.png"}}])]),
        _INVALID, "Unsupported image URL", lc_dual=_LC_INVALID),
    Bad("li.image-http-url", li_chat, lambda o: o.chat([ChatMessage(role="user", blocks=[
        TextBlock(text="What is this?"), ImageBlock(url="http://example.com/cat.png")])]),
        _INVALID, "does not fetch image URLs"),
    # --- malformed tool schemas ------------------------------------------------------------------
    Bad("lc.tool-not-a-tool", lc_chat, lambda o: o.bind_tools([42]), (ValueError,),
        "Unsupported function"),
    Bad("lc.tool-without-name", lc_chat, lambda o: o.bind_tools(
        [{"type": "function", "function": {"parameters": {"type": "object"}}}]),
        _INVALID, "has no function name"),
    Bad("lc.tool-empty-name", lc_chat, lambda o: o.bind_tools(
        [{"type": "function", "function": {"name": "", "parameters": {"type": "object"}}}]),
        _INVALID, "has no function name"),
    Bad("lc.tool-parameters-not-object", lc_chat, lambda o: o.bind_tools(
        [{"type": "function", "function": {"name": "f", "parameters": "x"}}]).invoke("hi"),
        _INVALID, "tool 'f': parameters must be a JSON Schema object", lc_dual=_LC_INVALID),
    Bad("lc.tool-parameters-type-string", lc_chat, lambda o: o.bind_tools(
        [{"type": "function", "function": {"name": "f", "parameters": {"type": "string"}}}]
        ).invoke("hi"), _INVALID, "parameters must describe an object (type 'object')",
        lc_dual=_LC_INVALID),
    Bad("li.tool-not-a-tool", li_chat, lambda o: o.chat_with_tools([42], "hi"), _INVALID,
        "Not a tool"),
    Bad("li.tool-empty-name", li_chat, lambda o: o.chat_with_tools([FunctionTool(
        fn=_tool_fn, metadata=ToolMetadata(name="", description="d", fn_schema=Args))],
        "hi"), _INVALID, "tool 0 has an invalid name ''"),
    Bad("lc.tool-name-with-space", lc_chat, lambda o: o.bind_tools(
        [{"type": "function", "function": {"name": "my tool", "parameters": {}}}]
        ).invoke("hi"), _INVALID, "tool 0 has an invalid name 'my tool'", lc_dual=_LC_INVALID),
    # --- unknown model ids -----------------------------------------------------------------------
    *[
        Bad(f"{name}.unknown-model", make, call, (wa.ModelNotFoundError,), UNKNOWN,
            requests=1, lc_dual=LCModelNotFoundError if name.startswith("lc") else None,
            extra={"model": UNKNOWN})
        for name, make, call in [
            ("lc.chat", lc_chat, lambda o: o.invoke("hi")),
            ("li.chat", li_chat, lambda o: o.acomplete("hi")),
            ("lc.embed", lc_emb, lambda o: o.embed_query("hi")),
            ("li.embed", li_emb, lambda o: o.aget_query_embedding("hi")),
            ("lc.rerank", lc_rr, lambda o: o.rerank(["a b"], "q")),
            ("li.rerank", li_rr, lambda o: o.postprocess_nodes(nodes("a b"), query_str="q")),
        ]
    ],
]


async def consume(out: Any) -> Any:
    """Await a coroutine, or drain a (sync or async) stream, so a lazy call really runs."""
    if hasattr(out, "__aiter__"):
        return [item async for item in out]
    if hasattr(out, "__next__"):
        return list(out)
    return out


@pytest.mark.parametrize(
    "bad",
    [pytest.param(b, id=b.id, marks=[pytest.mark.xfail(strict=True, reason=b.bug)]
                  if b.bug else []) for b in BAD],
)
async def test_bad_input(bad: Bad, emulator: Emulator, connect: Connect) -> None:
    obj = bad.make(connect(max_retries=0), **bad.extra)
    try:
        with pytest.raises(bad.error) as info:
            await consume(await invoke_any(bad.call, obj))
    finally:
        await close(obj)
    err = info.value
    assert not isinstance(err, KeyError)
    assert bad.message in str(err), str(err)
    if bad.lc_dual is not None:
        assert isinstance(err, bad.lc_dual)
    assert len(emulator.requests) == bad.requests


async def invoke_any(call: Callable[[Any], Any], obj: Any) -> Any:
    out = call(obj)
    if hasattr(out, "__await__"):
        out = await out
    return out


@pytest.mark.parametrize("text", ["", "   \n "], ids=["empty", "whitespace"])
async def test_empty_chat_text_is_sent_as_is(
    text: str, emulator: Emulator, connect: Connect
) -> None:
    """The API accepts an empty user message (content ``""``); both front ends send it as
    given and return a complete reply, with no local error and no crash."""
    lc, li = lc_chat(connect()), li_chat(connect())
    try:
        assert (await lc.ainvoke(text)).text
        assert li.complete(text).text
    finally:
        await close(lc)
        await close(li)
    bodies = [json.loads(r.body) for r in emulator.requests]
    assert [b["messages"][-1]["content"] for b in bodies] == [text, text]


OVER_LIMIT = " ".join(f"w{i}" for i in range(90_000))  # far past a 24,000-token context


@pytest.mark.parametrize("front", ["lc", "li"])
async def test_over_the_context_window(front: str, emulator: Emulator, connect: Connect) -> None:
    """No silent client-side truncation: the whole text goes out; the API's overflow answer
    becomes ContextLengthError (LangChain: also ContextOverflowError), not retried."""
    emulator.faults.add(ErrorReply(400, 5006, OVERFLOW))
    obj: Any = (lc_chat if front == "lc" else li_chat)(connect())
    try:
        with pytest.raises(wa.ContextLengthError) as info:
            if front == "lc":
                obj.invoke(OVER_LIMIT)
            else:
                await obj.acomplete(OVER_LIMIT)
    finally:
        await close(obj)
    assert "maximum context length" in str(info.value) and info.value.code == 5006
    assert isinstance(info.value, ContextOverflowError) == (front == "lc")
    assert len(emulator.requests) == 1
    assert json.loads(emulator.requests[0].body)["messages"][-1]["content"] == OVER_LIMIT


@pytest.mark.parametrize("front", ["lc", "li"])
async def test_embedding_text_over_the_token_limit(
    front: str, emulator: Emulator, connect: Connect
) -> None:
    """bge-small takes 512 tokens per text. The client neither truncates nor guesses: the
    text is sent whole and the API decides (this emulator embeds it); an overflow answer
    is a ContextLengthError naming the limit."""
    long_text = " ".join(f"w{i}" for i in range(3_000))
    obj: Any = (lc_emb if front == "lc" else li_emb)(connect(max_retries=0))
    embed = obj.embed_query if front == "lc" else obj.get_query_embedding
    try:
        assert len(embed(long_text)) == 384
        assert long_text in emulator.requests[-1].body.decode()
        emulator.faults.add(ErrorReply(400, 5006, OVERFLOW))
        with pytest.raises(wa.ContextLengthError, match="maximum context length"):
            embed(long_text)
    finally:
        await close(obj)
    assert len(emulator.requests) == 2


@pytest.mark.parametrize("front", ["lc", "li"])
async def test_deprecated_model_warns_and_still_answers(
    front: str, emulator: Emulator, connect: Connect, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog, "_warned", set())  # the warning is once per process
    with pytest.warns(catalog.DeprecatedModelWarning, match=re.escape(DEPRECATED)):
        obj: Any = (lc_chat if front == "lc" else li_chat)(connect(), model=DEPRECATED)
        reply = obj.invoke("hi").text if front == "lc" else obj.complete("hi").text
    await close(obj)
    assert reply and len(emulator.requests) == 1
