"""``WorkersAI``: a LlamaIndex ``FunctionCallingLLM`` for Cloudflare Workers AI."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator, Sequence
from typing import TYPE_CHECKING, Any, Literal

from llama_index.core.base.llms.generic_utils import (
    achat_to_completion_decorator,
    astream_chat_to_completion_decorator,
    chat_to_completion_decorator,
    stream_chat_to_completion_decorator,
)
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseAsyncGen,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
    ToolCallBlock,
)
from llama_index.core.constants import DEFAULT_CONTEXT_WINDOW, DEFAULT_NUM_OUTPUTS
from llama_index.core.instrumentation import get_dispatcher
from llama_index.core.instrumentation.events.llm import (
    LLMStructuredPredictEndEvent,
    LLMStructuredPredictStartEvent,
)
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.core.llms.llm import ToolSelection
from llama_index.core.prompts import PromptTemplate
from pydantic import AliasChoices, BaseModel, Field, model_validator

from workersai import Pacing, catalog
from workersai.errors import InvalidInputError
from workersai.integration import DEFAULT_CHAT_MODEL, FieldMemo

from ._common import ClientFields
from ._messages import (
    INVALID_ARGUMENTS,
    invalid_tool_arguments,
    legacy_tool_call_dicts,
    legacy_tool_calls,
    parse_tool_kwargs,
    reply_to_response,
    resolve_tool_choice,
    to_messages,
    to_tool_spec,
)
from ._params import SAMPLING_FIELDS, ChatCall, resolve_call
from ._stream import StreamState
from ._structured import json_mode_call, parse_output, uses_native_json

if TYPE_CHECKING:
    from llama_index.core.tools.types import BaseTool

__all__ = [
    "WorkersAI", "DEFAULT_CHAT_MODEL", "DEFAULT_MODEL", "INVALID_ARGUMENTS",
    "invalid_tool_arguments",
]

DEFAULT_MODEL = DEFAULT_CHAT_MODEL
"""The earlier name of :data:`DEFAULT_CHAT_MODEL` (both front ends now share the core's)."""

dispatcher = get_dispatcher(__name__)


class WorkersAI(ClientFields, FunctionCallingLLM):
    """Cloudflare Workers AI chat models for LlamaIndex: tools, streaming, JSON mode.

    Setup:
        .. code-block:: bash

            pip install -U "workersai-integrations[llamaindex]"
            export CLOUDFLARE_ACCOUNT_ID="your-account-id"
            export CLOUDFLARE_API_TOKEN="your-api-token"   # Workers AI Read and Edit

    Key init args:
        model: Workers AI model id (default ``@cf/meta/llama-3.3-70b-instruct-fp8-fast``;
            short ids resolve). temperature, max_tokens, top_p, seed, stop, lora,
            reasoning_effort: sampling, all overridable per call. endpoint: ``"native"``
            or ``"openai"``. api_key (or api_token), account_id, base_url, timeout,
            max_retries, gateway, gateway_options, session_affinity: the connection;
            env ``CLOUDFLARE_ACCOUNT_ID``, ``CLOUDFLARE_API_TOKEN``, ``WORKERSAI_BASE_URL``.
            Construction does no I/O; unknown arguments raise.

    Instantiate:
        .. code-block:: python

            from llamaindex_workersai import WorkersAI

            llm = WorkersAI(model="@cf/meta/llama-3.3-70b-instruct-fp8-fast", temperature=0)

    Complete and chat:
        .. code-block:: python

            from llama_index.core.llms import ChatMessage

            print(llm.complete("Say hello in French.").text)
            reply = llm.chat([ChatMessage(role="user", content="Name three cheeses.")])
            reply.message.content

    Stream:
        .. code-block:: python

            for delta in llm.stream_complete("Write a haiku about rain."):
                print(delta.delta, end="")

    Tool calling (a ``FunctionCallingLLM``; ``FunctionAgent`` works):
        .. code-block:: python

            from llama_index.core.tools import FunctionTool

            def get_weather(city: str) -> str:
                '''Current weather for a city.'''
                return f"Sunny in {city}"

            tool = FunctionTool.from_defaults(get_weather)
            response = llm.chat_with_tools([tool], user_msg="Weather in Lisbon?")
            llm.get_tool_calls_from_response(response)  # [ToolSelection(tool_name=...)]

    Structured output:
        .. code-block:: python

            from llama_index.core.prompts import PromptTemplate
            from pydantic import BaseModel

            class City(BaseModel):
                name: str
                country: str

            llm.structured_predict(City, PromptTemplate("Describe {city}"), city="Lisbon")

    Usage and response metadata:
        ``ChatResponse.raw["result"]`` holds the model's reply, ``raw["usage"]`` the token counts
        the API reported (what ``TokenCountingHandler`` reads), ``raw["neurons"]`` the
        neurons billed and ``raw["request_id"]`` Cloudflare's request id.
    """

    model: str = Field(
        default=DEFAULT_CHAT_MODEL,
        validation_alias=AliasChoices("model", "model_name"),
        description="Workers AI model id (also accepted as model_name).",
    )
    endpoint: Literal["native", "openai"] = Field(
        default="native", description="The native /ai/run API or the OpenAI-compatible one."
    )
    max_tokens: int | None = Field(default=None, gt=0, description="Most tokens to generate.")
    temperature: float | None = Field(default=None, ge=0.0, description="Sampling temperature.")
    top_p: float | None = Field(default=None, description="Nucleus sampling mass.")
    top_k: int | None = Field(default=None, description="Top-k sampling.")
    seed: int | None = Field(default=None, description="Random seed.")
    repetition_penalty: float | None = Field(default=None, description="Repetition penalty.")
    frequency_penalty: float | None = Field(default=None, description="Frequency penalty.")
    presence_penalty: float | None = Field(default=None, description="Presence penalty.")
    stop: list[str] | None = Field(default=None, description="Stop sequences.")
    lora: str | None = Field(default=None, description="LoRA adapter name or id.")
    reasoning_effort: str | None = Field(
        default=None, description="Reasoning effort for reasoning models (low/medium/high)."
    )
    additional_kwargs: dict[str, Any] = Field(
        default_factory=dict, description="Extra request-body fields, sent as given."
    )
    context_window: int | None = Field(
        default=None, gt=0, description="Override the catalog's context window."
    )
    is_function_calling: bool | None = Field(
        default=None, description="Override whether the model calls tools (catalog default)."
    )
    pacing: Pacing | None = Field(
        default=None,
        description="Pace requests under the account's rate limit (workersai.Pacing): "
        "None sends at once; Pacing(...) paces every call, streamed ones too, in the "
        "(account, model) bucket the other paced calls share; Pacing(enabled=False) none. "
        "Also per call (pacing=).",
    )

    @model_validator(mode="after")
    def _warn_deprecated(self) -> WorkersAI:
        catalog.warn_if_deprecated(self.model)
        return self

    @classmethod
    def class_name(cls) -> str:
        return "WorkersAI_llm"

    @property
    def metadata(self) -> LLMMetadata:
        """What LlamaIndex asks of every call: built once per change of the fields it
        reads (model, context window, max tokens, function calling)."""
        return _METADATA.get(self, self._metadata)

    def _metadata(self) -> LLMMetadata:
        info = catalog.lookup(self.model)
        calls_tools = self.is_function_calling
        if calls_tools is None:
            calls_tools = info.function_calling if info is not None else True
        return LLMMetadata(
            context_window=self.context_window
            or (info.context_window if info else None)
            or DEFAULT_CONTEXT_WINDOW,
            num_output=self.max_tokens
            or (info.default_max_tokens if info else None)
            or DEFAULT_NUM_OUTPUTS,
            is_chat_model=True,
            is_function_calling_model=calls_tools,
            model_name=self.model,
            system_role=MessageRole.SYSTEM,
        )

    # --- one request ---------------------------------------------------------------------

    def _call(self, kwargs: dict[str, Any], where: str) -> ChatCall:
        if not kwargs:  # the fields alone: resolved once per change
            return _FIELDS_CALL.get(self, self._fields_call)
        return self._resolve(kwargs, where)

    def _fields_call(self) -> ChatCall:
        return self._resolve({}, "chat")

    def _resolve(self, kwargs: dict[str, Any], where: str) -> ChatCall:
        defaults = {name: getattr(self, name) for name in SAMPLING_FIELDS}
        defaults.update(model=self.model, endpoint=self.endpoint,
                        additional_kwargs=self.additional_kwargs, pacing=self.pacing)
        return resolve_call(defaults, kwargs, where)

    def _chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        call = self._call(kwargs, "chat")
        reply = self._sync_client().chat(
            call.model, to_messages(messages), call.params,
            endpoint=call.endpoint, options=call.options, pacing=call.pacing,
        )
        return reply_to_response(reply)

    async def _achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        call = self._call(kwargs, "achat")
        reply = await self._async_client().chat(
            call.model, to_messages(messages), call.params,
            endpoint=call.endpoint, options=call.options, pacing=call.pacing,
        )
        return reply_to_response(reply)

    def _stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        call = self._call(kwargs, "stream_chat")
        neutral = to_messages(messages)
        client = self._sync_client()

        def gen() -> Generator[ChatResponse, None, None]:
            state = StreamState()
            stream = client.stream_chat(
                call.model, neutral, call.params, endpoint=call.endpoint, options=call.options,
                pacing=call.pacing,
            )
            for delta in stream:
                item = state.feed(delta)
                if item is not None:
                    yield item

        return gen()

    async def _astream_chat(
        self, messages: Sequence[ChatMessage], **kwargs: Any
    ) -> ChatResponseAsyncGen:
        call = self._call(kwargs, "astream_chat")
        neutral = to_messages(messages)
        client = self._async_client()

        async def gen() -> AsyncGenerator[ChatResponse, None]:
            state = StreamState()
            deltas = client.stream_chat(
                call.model, neutral, call.params, endpoint=call.endpoint, options=call.options,
                pacing=call.pacing,
            )
            async for delta in deltas:
                item = state.feed(delta)
                if item is not None:
                    yield item

        return gen()

    # --- the public eight ------------------------------------------------------------------

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return self._chat(messages, **kwargs)

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        return self._stream_chat(messages, **kwargs)

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return await self._achat(messages, **kwargs)

    @llm_chat_callback()
    async def astream_chat(
        self, messages: Sequence[ChatMessage], **kwargs: Any
    ) -> ChatResponseAsyncGen:
        return await self._astream_chat(messages, **kwargs)

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return chat_to_completion_decorator(self._chat)(_prompt(prompt), **kwargs)

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        return stream_chat_to_completion_decorator(self._stream_chat)(_prompt(prompt), **kwargs)

    @llm_completion_callback()
    async def acomplete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponse:
        return await achat_to_completion_decorator(self._achat)(_prompt(prompt), **kwargs)

    @llm_completion_callback()
    async def astream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseAsyncGen:
        stream = astream_chat_to_completion_decorator(self._astream_chat)
        return await stream(_prompt(prompt), **kwargs)

    # --- tools ---------------------------------------------------------------------------------

    def _prepare_chat_with_tools(
        self,
        tools: Sequence[BaseTool],
        user_msg: str | ChatMessage | None = None,
        chat_history: list[ChatMessage] | None = None,
        verbose: bool = False,
        allow_parallel_tool_calls: bool = False,
        tool_required: bool = False,
        tool_choice: Any = None,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """The kwargs for :meth:`chat`; the caller's ``chat_history`` list is copied."""
        messages = list(chat_history or [])
        if isinstance(user_msg, str):
            user_msg = ChatMessage(role=MessageRole.USER, content=user_msg)
        if user_msg is not None:
            messages.append(user_msg)
        specs = [to_tool_spec(tool, strict) for tool in tools]
        out: dict[str, Any] = {"messages": messages, **kwargs}
        if specs:
            out["tools"] = specs
            out["tool_choice"] = resolve_tool_choice(tool_choice, tool_required)
            out["parallel_tool_calls"] = allow_parallel_tool_calls
        return out

    def _validate_chat_with_tools_response(
        self,
        response: ChatResponse,
        tools: Sequence[BaseTool],
        allow_parallel_tool_calls: bool = False,
        **kwargs: Any,
    ) -> ChatResponse:
        """Keep only the first tool call unless parallel calls were allowed."""
        if not allow_parallel_tool_calls:
            _force_single_tool_call(response)
        return response

    def get_tool_calls_from_response(
        self, response: ChatResponse, error_on_no_tool_call: bool = True, **kwargs: Any
    ) -> list[ToolSelection]:
        """Tool calls from the blocks (current form), else from the legacy kwargs list."""
        message = response.message
        selections = [
            ToolSelection(
                tool_id=block.tool_call_id or "",
                tool_name=block.tool_name,
                tool_kwargs=parse_tool_kwargs(block.tool_kwargs),
            )
            for block in message.blocks
            if isinstance(block, ToolCallBlock)
        ]
        if not selections:
            selections = [
                ToolSelection(tool_id=c.id, tool_name=c.name, tool_kwargs=c.arguments)
                for c in legacy_tool_calls(message.additional_kwargs.get("tool_calls"))
            ]
        if not selections and error_on_no_tool_call:
            raise ValueError(
                f"Expected at least one tool call from {self.model}, but got none. "
                f"The model answered: {(message.content or '')[:200]!r}"
            )
        return selections

    # --- structured prediction -----------------------------------------------------------

    @dispatcher.span
    def structured_predict(
        self,
        output_cls: type[Any],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> Any:
        """Native JSON mode when the model has one, LlamaIndex's tool-calling program else."""
        if not uses_native_json(self.model, self.pydantic_program_mode):
            return super().structured_predict(output_cls, prompt, llm_kwargs, **prompt_args)
        dispatcher.event(_start_event(output_cls, prompt, prompt_args))
        messages, kwargs = json_mode_call(self, output_cls, prompt, llm_kwargs, prompt_args)
        result = parse_output(output_cls, self.chat(messages, **kwargs))
        dispatcher.event(LLMStructuredPredictEndEvent(output=result))
        return result

    @dispatcher.span
    async def astructured_predict(
        self,
        output_cls: type[Any],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> Any:
        """Async :meth:`structured_predict`."""
        if not uses_native_json(self.model, self.pydantic_program_mode):
            return await super().astructured_predict(
                output_cls, prompt, llm_kwargs, **prompt_args
            )
        dispatcher.event(_start_event(output_cls, prompt, prompt_args))
        messages, kwargs = json_mode_call(self, output_cls, prompt, llm_kwargs, prompt_args)
        result = parse_output(output_cls, await self.achat(messages, **kwargs))
        dispatcher.event(LLMStructuredPredictEndEvent(output=result))
        return result

    def _structured_stream_call(
        self,
        output_cls: type[Any],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> Generator[Any, None, None]:
        if not uses_native_json(self.model, self.pydantic_program_mode):
            yield from super()._structured_stream_call(
                output_cls, prompt, llm_kwargs, **prompt_args
            )
            return
        # Workers AI's JSON mode does not stream: one request, the finished object once.
        messages, kwargs = json_mode_call(self, output_cls, prompt, llm_kwargs, prompt_args)
        yield parse_output(output_cls, self.chat(messages, **kwargs))

    async def _structured_astream_call(
        self,
        output_cls: type[Any],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> AsyncGenerator[Any, None]:
        if not uses_native_json(self.model, self.pydantic_program_mode):
            return await super()._structured_astream_call(
                output_cls, prompt, llm_kwargs, **prompt_args
            )
        messages, kwargs = json_mode_call(self, output_cls, prompt, llm_kwargs, prompt_args)

        async def gen() -> AsyncGenerator[Any, None]:
            yield parse_output(output_cls, await self.achat(messages, **kwargs))

        return gen()


_FIELDS_CALL: FieldMemo[ChatCall] = FieldMemo(
    "_fields_call", (*SAMPLING_FIELDS, "model", "endpoint", "additional_kwargs"))
"""The call a model's fields alone resolve to (no per-call arguments), kept until one of
these fields changes."""
_METADATA: FieldMemo[LLMMetadata] = FieldMemo(
    "_metadata_memo", ("model", "context_window", "max_tokens", "is_function_calling"))


def _prompt(prompt: Any) -> str:
    """The completion prompt, refused before any request when it is not a string (``None``
    or a number would otherwise go out as an empty user message)."""
    if not isinstance(prompt, str):
        raise InvalidInputError(f"prompt must be a str, not {type(prompt).__name__}")
    return prompt


def _start_event(
    output_cls: type[BaseModel], prompt: PromptTemplate, prompt_args: dict[str, Any]
) -> LLMStructuredPredictStartEvent:
    return LLMStructuredPredictStartEvent(
        output_cls=output_cls, template=prompt, template_args=prompt_args
    )


def _force_single_tool_call(response: ChatResponse) -> None:
    message = response.message
    calls = [b for b in message.blocks if isinstance(b, ToolCallBlock)]
    if len(calls) <= 1:
        return
    message.blocks = [b for b in message.blocks if not isinstance(b, ToolCallBlock)] + calls[:1]
    message.additional_kwargs["tool_calls"] = legacy_tool_call_dicts(calls[:1])
