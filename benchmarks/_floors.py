"""Framework floors: the least a LangChain or LlamaIndex chat model can cost.

A minimal ``BaseChatModel`` / ``CustomLLM``-style class whose only work is a raw httpx
call, so a run can separate what the framework's own machinery costs per call or per
streamed chunk from what our classes add on top. A stream's text is read with the least
work its wire format allows: ``response`` of a classic event, or ``choices[0].delta.content``
of a ``chat.completion.chunk`` (``chat_format=True``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
)
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.llm import LLM
from pydantic import PrivateAttr

__all__ = ["RawLangChainChat", "RawLlamaIndexLLM", "chat_text", "classic_text"]


def classic_text(event: dict[str, Any]) -> str:
    """The text of a classic stream event."""
    return event.get("response") or ""


def chat_text(event: dict[str, Any]) -> str:
    """The text of a ``chat.completion.chunk`` event (none in a usage-only one)."""
    choices = event.get("choices")
    return (choices[0]["delta"].get("content") or "") if choices else ""


def _body(messages: list[dict[str, str]], max_tokens: int, stream: bool) -> str:
    return json.dumps({"messages": messages, "max_tokens": max_tokens, "stream": stream})


class RawLangChainChat(BaseChatModel):
    """LangChain's floor: ``_generate``/``_stream`` are one raw httpx call each."""

    url: str
    token: str
    max_tokens: int = 32
    chat_format: bool = False
    _http: httpx.Client = PrivateAttr(default_factory=lambda: httpx.Client(timeout=60))

    @property
    def _llm_type(self) -> str:
        return "raw-floor"

    def _messages(self, messages: list[BaseMessage]) -> list[dict[str, str]]:
        return [{"role": "user", "content": str(m.content)} for m in messages]

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        resp = self._http.post(self.url, content=_body(self._messages(messages),
                                                       self.max_tokens, False),
                               headers={"Authorization": f"Bearer {self.token}"})
        text = json.loads(resp.content)["result"]["response"]
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        body = _body(self._messages(messages), self.max_tokens, True)
        text_of = chat_text if self.chat_format else classic_text
        with self._http.stream("POST", self.url, content=body,
                               headers={"Authorization": f"Bearer {self.token}"}) as r:
            for line in r.iter_lines():
                if line.startswith("data: {"):
                    text = text_of(json.loads(line[6:]))
                    yield ChatGenerationChunk(message=AIMessageChunk(content=text))


class RawLlamaIndexLLM(LLM):
    """LlamaIndex's floor: ``chat``/``stream_chat`` are one raw httpx call each."""

    url: str
    token: str
    max_tokens: int = 32
    chat_format: bool = False
    _http: httpx.Client = PrivateAttr(default_factory=lambda: httpx.Client(timeout=60))

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(is_chat_model=True)

    def _post(self, messages: list[ChatMessage], stream: bool) -> Any:
        msgs = [{"role": "user", "content": str(m.content)} for m in messages]
        return _body(msgs, self.max_tokens, stream)

    @llm_chat_callback()
    def chat(self, messages: Any, **kwargs: Any) -> ChatResponse:
        resp = self._http.post(self.url, content=self._post(list(messages), False),
                               headers={"Authorization": f"Bearer {self.token}"})
        text = json.loads(resp.content)["result"]["response"]
        return ChatResponse(message=ChatMessage(role="assistant", content=text))

    @llm_chat_callback()
    def stream_chat(self, messages: Any, **kwargs: Any) -> ChatResponseGen:
        body = self._post(list(messages), True)

        text_of = chat_text if self.chat_format else classic_text

        def gen() -> ChatResponseGen:
            content = ""
            with self._http.stream("POST", self.url, content=body,
                                   headers={"Authorization": f"Bearer {self.token}"}) as r:
                for line in r.iter_lines():
                    if line.startswith("data: {"):
                        delta = text_of(json.loads(line[6:]))
                        content += delta
                        yield ChatResponse(message=ChatMessage(role="assistant",
                                                               content=content), delta=delta)

        return gen()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kw: Any) -> CompletionResponse:
        raise NotImplementedError("chat only")

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False,
                        **kw: Any) -> CompletionResponseGen:
        raise NotImplementedError("chat only")

    async def achat(self, messages: Any, **kwargs: Any) -> ChatResponse:
        raise NotImplementedError("sync only")

    async def astream_chat(self, messages: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("sync only")

    async def acomplete(self, prompt: str, formatted: bool = False,
                        **kw: Any) -> CompletionResponse:
        raise NotImplementedError("sync only")

    async def astream_complete(self, prompt: str, formatted: bool = False, **kw: Any) -> Any:
        raise NotImplementedError("sync only")
