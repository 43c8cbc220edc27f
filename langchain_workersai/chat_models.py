"""``ChatWorkersAI``: Cloudflare Workers AI chat models for LangChain."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any, Literal

from langchain_core.callbacks import (
    AsyncCallbackManagerForLLMRun,
    CallbackManagerForLLMRun,
)
from langchain_core.language_models import (
    BaseChatModel,
    LangSmithParams,
    LanguageModelInput,
    ModelProfile,
)
from langchain_core.load.serializable import SerializedConstructor, SerializedNotImplemented
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.tools import BaseTool
from pydantic import ConfigDict, Field

from workersai import Pacing, catalog
from workersai.integration import DEFAULT_CHAT_MODEL, FieldMemo
from workersai.types import Endpoint

from ._blocks import register as _register_block_translator
from ._common import MODEL_NAMES, ClientFields, mask_serialized_headers
from ._errors import reraise
from ._messages import to_neutral_messages
from ._output import (
    PROVIDER,
    adeltas_to_chunks,
    deltas_to_chunks,
    reply_to_chunk,
    reply_to_result,
)
from ._params import SAMPLING_FIELDS, ChatCall, resolve_call
from ._queued import achat_queued, chat_queued
from ._structured import structured_output
from ._tools import check_tool_choice, format_tool

__all__ = ["ChatWorkersAI", "DEFAULT_CHAT_MODEL"]


_register_block_translator()


class ChatWorkersAI(ClientFields, BaseChatModel):
    """Cloudflare Workers AI chat models (tools, streaming, structured output).

    Setup:
        Install ``workersai-integrations[langchain]`` and set ``CLOUDFLARE_ACCOUNT_ID`` and
        ``CLOUDFLARE_API_TOKEN`` (a token with Workers AI Read and Edit).

        .. code-block:: bash

            pip install -U "workersai-integrations[langchain]"
            export CLOUDFLARE_ACCOUNT_ID="your-account-id"
            export CLOUDFLARE_API_TOKEN="your-api-token"

    Key init args — completion params:
        model: str
            Workers AI model id (default ``@cf/meta/llama-3.3-70b-instruct-fp8-fast``); a
            short id such as ``llama-3.3-70b-instruct-fp8-fast`` resolves to it.
        temperature: float | None
            Sampling temperature (0 is sent as 0).
        max_tokens: int | None
            Maximum number of tokens to generate.
        reasoning_effort: str | None
            ``low``/``medium``/``high`` on models with adjustable reasoning.
        endpoint: ``"native"`` | ``"openai"``
            ``/ai/run/{model}`` or the OpenAI-compatible ``/ai/v1/chat/completions``.

    Key init args — client params:
        api_key: str | None
            API token; env ``CLOUDFLARE_API_TOKEN`` (``api_token=`` works too).
        account_id: str | None
            Account id; env ``CLOUDFLARE_ACCOUNT_ID``.
        base_url: str
            API root; env ``WORKERSAI_BASE_URL`` (e.g. a loopback emulator).
        timeout: float | Timeouts | None
            Seconds, or connect/read/stream-idle ``Timeouts``.
        max_retries: int | None
            Retries on 429/5xx/connection errors (default 2, honouring ``Retry-After``).
        gateway: str | None
            AI Gateway id; ``gateway_options`` for cache, metadata, logs.

    See the class fields for the rest (``top_p``, ``seed``, ``stop``, ``lora``, ...).

    Instantiate:
        .. code-block:: python

            from langchain_workersai import ChatWorkersAI

            llm = ChatWorkersAI(
                model="@cf/meta/llama-3.3-70b-instruct-fp8-fast",
                temperature=0,
                max_tokens=256,
                # api_key="...", account_id="...", base_url="...",
            )

    Invoke:
        .. code-block:: python

            messages = [
                ("system", "Translate the user sentence to French."),
                ("human", "I love programming."),
            ]
            llm.invoke(messages)

        .. code-block:: python

            AIMessage(content="J'adore la programmation.", response_metadata={...},
                      usage_metadata={"input_tokens": 28, "output_tokens": 8, ...})

    Stream:
        .. code-block:: python

            for chunk in llm.stream(messages):
                print(chunk.text, end="")

        Tool-call chunks arrive as ``tool_call_chunks``; the last chunk carries
        ``usage_metadata`` (``stream_usage=True``). A stream cut before its end raises.

    Async:
        .. code-block:: python

            await llm.ainvoke(messages)
            async for chunk in llm.astream(messages):
                ...

    Tool calling:
        .. code-block:: python

            from pydantic import BaseModel, Field

            class GetWeather(BaseModel):
                '''Get the current weather in a given location'''

                location: str = Field(..., description="The city, e.g. Lisbon")

            llm_with_tools = llm.bind_tools([GetWeather], tool_choice="any")
            ai_msg = llm_with_tools.invoke("What is the weather in Lisbon?")
            ai_msg.tool_calls

        .. code-block:: python

            [{"name": "GetWeather", "args": {"location": "Lisbon"}, "id": "call_...",
              "type": "tool_call"}]

    Structured output:
        .. code-block:: python

            class Joke(BaseModel):
                '''Joke to tell user.'''

                setup: str = Field(description="The setup of the joke")
                punchline: str = Field(description="The punchline to the joke")

            structured_llm = llm.with_structured_output(Joke)  # or method="json_schema"
            structured_llm.invoke("Tell me a joke about cats")

        .. code-block:: python

            Joke(setup="Why was the cat sitting on the computer?",
                 punchline="To keep an eye on the mouse!")

    Usage metadata:
        .. code-block:: python

            ai_msg = llm.invoke(messages)
            ai_msg.usage_metadata

        .. code-block:: python

            {"input_tokens": 28, "output_tokens": 8, "total_tokens": 36}

        Cached prompt tokens and reasoning tokens appear in ``input_token_details`` and
        ``output_token_details`` where the model reports them.

    Response metadata:
        .. code-block:: python

            ai_msg = llm.invoke(messages)
            ai_msg.response_metadata

        .. code-block:: python

            {"model_name": "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
             "finish_reason": "stop", "neurons": 3.2, "request_id": "...",
             "model_provider": "workersai"}

    Every sampling field can also be passed per call, ``model`` included; extra request
    body fields go in ``model_kwargs``.
    """

    model_config = ConfigDict(extra="forbid")

    model: str = Field(default=DEFAULT_CHAT_MODEL, validation_alias=MODEL_NAMES)
    """Workers AI model id, e.g. ``@cf/meta/llama-3.3-70b-instruct-fp8-fast``."""
    temperature: float | None = None
    """Sampling temperature (0 is sent as 0); ``None`` keeps the model's default."""
    max_tokens: int | None = None
    """Maximum tokens to generate."""
    top_p: float | None = None
    top_k: int | None = None
    seed: int | None = None
    repetition_penalty: float | None = None
    frequency_penalty: float | None = None
    presence_penalty: float | None = None
    stop: list[str] | None = None
    """Stop sequences."""
    lora: str | None = None
    """A LoRA adapter name or id (models that accept one)."""
    reasoning_effort: str | None = None
    """``low``/``medium``/``high`` on models with adjustable reasoning."""
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    """Extra top-level request body fields, sent as given."""
    streaming: bool = False
    """Whether ``invoke`` streams under the hood."""
    stream_usage: bool = True
    """Whether streams report token usage (on their final chunk)."""
    endpoint: Endpoint = "native"
    """``"native"`` (``/ai/run/{model}``) or ``"openai"`` (``/ai/v1/chat/completions``)."""
    pacing: Pacing | None = None
    """Pace requests under the account's rate limit (``workersai.Pacing``). ``None``:
    ``batch``/``abatch`` are paced at the catalog's limit, single calls are not;
    ``Pacing(...)``: every call is paced, streamed ones too (a stream opens in its slot);
    ``Pacing(enabled=False)``: none. Also per call (``pacing=``)."""

    @property
    def _llm_type(self) -> str:
        return "workersai-chat"

    @classmethod
    def is_lc_serializable(cls) -> bool:
        return True

    @classmethod
    def get_lc_namespace(cls) -> list[str]:
        return ["langchain_workersai", "chat_models"]

    @property
    def lc_secrets(self) -> dict[str, str]:
        return {"api_token": "CLOUDFLARE_API_TOKEN"}

    def to_json(self) -> SerializedConstructor | SerializedNotImplemented:
        """LangChain's serialized form (also what callbacks and tracers get), with secret
        ``default_headers`` values masked; pass them again after ``load``."""
        return mask_serialized_headers(super().to_json())

    @property
    def _identifying_params(self) -> dict[str, Any]:
        params = {name: getattr(self, name) for name in SAMPLING_FIELDS}
        return {
            "model": self.model,
            "endpoint": self.endpoint,
            "stop": self.stop,
            **{k: v for k, v in params.items() if v is not None},
            **self.model_kwargs,
        }

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = LangSmithParams(
            ls_provider=PROVIDER,
            ls_model_name=str(kwargs.get("model", self.model)),
            ls_model_type="chat",
        )
        temperature = kwargs.get("temperature", self.temperature)
        if temperature is not None:
            params["ls_temperature"] = temperature
        max_tokens = kwargs.get("max_tokens", self.max_tokens)
        if max_tokens is not None:
            params["ls_max_tokens"] = max_tokens
        ls_stop = stop or kwargs.get("stop") or self.stop
        if ls_stop:
            params["ls_stop"] = list(ls_stop)
        return params

    def _resolve_model_profile(self) -> ModelProfile | None:
        return profile_for(self.model)

    # --- requests ---------------------------------------------------------------------

    def _call(self, stop: list[str] | None, kwargs: dict[str, Any]) -> ChatCall:
        if stop is None and not kwargs:  # the fields alone: resolved once per change
            return _FIELDS_CALL.get(self, self._fields_call)
        return self._resolve(stop, kwargs)

    def _fields_call(self) -> ChatCall:
        return self._resolve(None, {})

    def _resolve(self, stop: list[str] | None, kwargs: dict[str, Any]) -> ChatCall:
        defaults: dict[str, Any] = {name: getattr(self, name) for name in SAMPLING_FIELDS}
        defaults.update(
            model=self.model,
            endpoint=self.endpoint,
            stream_usage=self.stream_usage,
            model_kwargs=self.model_kwargs,
            stop=self.stop,
            pacing=self.pacing,
        )
        return resolve_call(defaults, kwargs, stop)

    def batch(self, inputs: list[LanguageModelInput],
              config: RunnableConfig | list[RunnableConfig] | None = None, *,
              return_exceptions: bool = False, **kwargs: Any) -> list[AIMessage]:
        """LangChain's ``batch``, its requests paced under the account's rate limit (the
        catalog's, unless ``pacing`` says otherwise), so a large batch runs at the limit
        instead of into 429s."""
        kwargs.setdefault("pacing", self.pacing or Pacing())
        return super().batch(inputs, config, return_exceptions=return_exceptions, **kwargs)

    async def abatch(self, inputs: list[LanguageModelInput],
                     config: RunnableConfig | list[RunnableConfig] | None = None, *,
                     return_exceptions: bool = False, **kwargs: Any) -> list[AIMessage]:
        """Async twin of :meth:`batch` (paced the same way)."""
        kwargs.setdefault("pacing", self.pacing or Pacing())
        return await super().abatch(inputs, config, return_exceptions=return_exceptions,
                                    **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        call = self._call(stop, kwargs)
        with reraise():
            neutral = to_neutral_messages(messages)
            reply = self._sync_client().chat(
                call.model, neutral, call.params, endpoint=call.endpoint, options=call.options,
                pacing=call.pacing,
            )
        return reply_to_result(reply, requested_model=call.model)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        call = self._call(stop, kwargs)
        with reraise():
            neutral = to_neutral_messages(messages)
            reply = await self._async_client().chat(
                call.model, neutral, call.params, endpoint=call.endpoint, options=call.options,
                pacing=call.pacing,
            )
        return reply_to_result(reply, requested_model=call.model)

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        call = self._call(stop, kwargs)
        with reraise():
            neutral = to_neutral_messages(messages)
            client = self._sync_client()
            if call.params.response_format is not None:  # JSON mode cannot stream
                reply = client.chat(
                    call.model, neutral, call.params, endpoint=call.endpoint, options=call.options,
                    pacing=call.pacing,
                )
                chunks: Iterator[ChatGenerationChunk] = iter([_one_chunk(reply, call)])
            else:
                deltas = client.stream_chat(
                    call.model, neutral, call.params, endpoint=call.endpoint, options=call.options,
                    pacing=call.pacing,
                )
                chunks = deltas_to_chunks(deltas, requested_model=call.model,
                                          stream_usage=call.stream_usage)
            if run_manager is None:  # core's stream() reports the tokens itself
                yield from chunks
                return
            for chunk in chunks:
                if run_manager:
                    run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                yield chunk

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        call = self._call(stop, kwargs)
        with reraise():
            neutral = to_neutral_messages(messages)
            client = self._async_client()
            if call.params.response_format is not None:  # JSON mode cannot stream
                reply = await client.chat(
                    call.model, neutral, call.params, endpoint=call.endpoint, options=call.options,
                    pacing=call.pacing,
                )
                chunk = _one_chunk(reply, call)
                if run_manager:
                    await run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                yield chunk
                return
            deltas = client.stream_chat(
                call.model, neutral, call.params, endpoint=call.endpoint, options=call.options,
                pacing=call.pacing,
            )
            chunks = adeltas_to_chunks(deltas, requested_model=call.model,
                                       stream_usage=call.stream_usage)
            async with contextlib.aclosing(deltas):  # closed at once when the caller stops
                async for chunk in chunks:
                    if run_manager:
                        await run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                    yield chunk

    # --- the batch queue ------------------------------------------------------------------

    def batch_queued(
        self, inputs: Sequence[LanguageModelInput], *, return_exceptions: bool = False,
        **kwargs: Any,
    ) -> list[AIMessage | Exception]:
        """Answer many inputs through the Workers AI batch queue (``queueRequest``).

        For large offline jobs: one queued request per input, polled with backoff, the
        ``AIMessage``s returned in input order. ``kwargs`` takes the queue knobs
        ``poll_interval``, ``backoff``, ``max_interval``, ``max_wait``, ``on_progress``,
        ``max_payload_bytes`` (see ``workersai.batch``) and any per-call model argument.
        Failed items raise one ``BatchError`` (finished messages kept), or stand in place
        as exceptions with ``return_exceptions=True``. Always the native endpoint; no
        callbacks run per item.

        Example:
            .. code-block:: python

                answers = llm.batch_queued(["Summarise A", "Summarise B"], max_wait=600)
        """
        return chat_queued(self, inputs, return_exceptions, kwargs)

    async def abatch_queued(
        self, inputs: Sequence[LanguageModelInput], *, return_exceptions: bool = False,
        **kwargs: Any,
    ) -> list[AIMessage | Exception]:
        """Async twin of :meth:`batch_queued` (works over a Python Worker binding)."""
        return await achat_queued(self, inputs, return_exceptions, kwargs)

    # --- tools and structured output ----------------------------------------------------

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: dict[str, Any] | str | bool | None = None,
        parallel_tool_calls: bool | None = None,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Bind tools (any LangChain tool form) and how the model must use them.

        Args:
            tools: BaseTools, pydantic models, TypedDicts, functions or JSON-schema dicts.
            tool_choice: ``"auto"``, ``"none"``, ``"any"``/``"required"``/``True``, a tool
                name, or a dict naming a function.
            parallel_tool_calls: Whether the model may call several tools at once.
            strict: Ask for schema-exact arguments (passed to the tool schemas).
            kwargs: Any other per-call argument to bind.
        """
        formatted = [format_tool(t, strict=strict) for t in tools]
        check_tool_choice(tool_choice, formatted)
        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
        if parallel_tool_calls is not None:
            kwargs["parallel_tool_calls"] = parallel_tool_calls
        if strict is not None:
            kwargs["strict"] = strict
        return self.bind(tools=formatted, **kwargs)

    def with_structured_output(
        self,
        schema: dict[str, Any] | type | None = None,
        *,
        method: Literal["function_calling", "json_schema", "json_mode"] = "function_calling",
        include_raw: bool = False,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | Any]:
        """A runnable that answers with ``schema`` instances (or dicts).

        Args:
            schema: A pydantic class, TypedDict or JSON schema (optional for json_mode).
            method: ``"function_calling"`` forces the schema as a tool;
                ``"json_schema"`` uses the model's native JSON mode with the schema;
                ``"json_mode"`` is Workers AI's JSON mode: guided by ``schema`` when one
                is given (Workers AI's JSON mode takes a schema), else any JSON object.
            include_raw: Return ``{"raw", "parsed", "parsing_error"}`` instead of raising.
            strict: Ask for schema-exact output.

        Raises:
            OutputParserException: when the model did not comply (never a silent ``None``),
                unless ``include_raw`` is set.
        """
        if kwargs:
            raise TypeError(f"Unexpected arguments for with_structured_output: {sorted(kwargs)}")
        return structured_output(
            self, schema, model=self.model, method=method, include_raw=include_raw, strict=strict
        )


_FIELDS_CALL: FieldMemo[ChatCall] = FieldMemo(
    "_fields_call", (*SAMPLING_FIELDS, "model", "endpoint", "stream_usage", "model_kwargs",
                     "pacing"))
"""The call a model's fields alone resolve to (no per-call arguments), kept until one of
these fields changes."""


def _one_chunk(reply: Any, call: ChatCall) -> ChatGenerationChunk:
    return reply_to_chunk(reply, requested_model=call.model, stream_usage=call.stream_usage)


def profile_for(model: str) -> ModelProfile | None:
    """A LangChain profile from the catalog (``None`` for an unknown model id)."""
    info = catalog.lookup(model)
    if info is None or info.task != "text-generation":
        return None
    profile = ModelProfile(
        text_inputs=True,
        text_outputs=True,
        image_inputs=info.vision,
        image_url_inputs=False,
        tool_calling=info.function_calling,
        tool_choice=info.function_calling,
        tool_call_streaming=info.function_calling,
        structured_output=info.function_calling or info.json_mode is not None,
        reasoning_output=info.reasoning is not None,
        temperature=True,
    )
    if info.context_window is not None:
        profile["max_input_tokens"] = info.context_window
    if info.reasoning_efforts:
        profile["reasoning_effort_levels"] = list(info.reasoning_efforts)
    if info.deprecation_date is not None:
        profile["status"] = "deprecated"
    return profile
