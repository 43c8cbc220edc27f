"""WorkersAI (FunctionCallingLLM) against a recording fake core client (no I/O)."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from llama_index.core.base.llms.base import BaseLLM
from llama_index.core.base.llms.types import ChatMessage, ToolCallBlock
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.core.prompts import PromptTemplate
from llama_index.core.tools import FunctionTool
from llama_index.core.types import PydanticProgramMode
from pydantic import BaseModel

from llamaindex_workersai import StructuredOutputError, WorkersAI
from workersai.config import GatewayOptions
from workersai.errors import InvalidInputError
from workersai.types import (
    ChatParams,
    ForcedTool,
    Reply,
    StreamDelta,
    ToolCall,
    ToolCallFragment,
    Usage,
)

from ._fakes import FakeAsyncClient, FakeClient

TOKEN = "sekrit-token-value-123"
ACCOUNT = "0123456789abcdef0123456789abcdef"


pytestmark = [pytest.mark.usefixtures("clean_env"), pytest.mark.usefixtures("before_retirements")]
HERMES = "@hf/nousresearch/hermes-2-pro-mistral-7b"  # tools, no JSON mode (published schema)


def make(reply: Reply | None = None, deltas: list[StreamDelta] | None = None,
         **fields: Any) -> tuple[WorkersAI, FakeClient, FakeAsyncClient]:
    llm = WorkersAI(account_id=ACCOUNT, api_token=TOKEN, **fields)
    sync = FakeClient(reply=reply or Reply(text="ok"), deltas=deltas or [])
    asyn = FakeAsyncClient(reply=sync.reply, deltas=sync.deltas)
    llm._client, llm._aclient = sync, asyn
    return llm, sync, asyn


def params_of(fake: FakeClient, i: int = -1) -> ChatParams:
    _, args, _ = fake.calls[i]
    return args[2]


# --- class shape --------------------------------------------------------------------------


def test_mro_like_llamaindex_packages() -> None:
    names = [b.__name__ for b in WorkersAI.__mro__]
    assert BaseLLM.__name__ in names
    assert FunctionCallingLLM.__name__ in names
    assert not WorkersAI.__abstractmethods__


@pytest.mark.filterwarnings("ignore::workersai.catalog.DeprecatedModelWarning")
@pytest.mark.parametrize(
    ("model", "window", "num_output", "tools"),
    [
        ("@cf/meta/llama-3.3-70b-instruct-fp8-fast", 24000, 256, True),
        ("@cf/qwen/qwen3-30b-a3b-fp8", 32768, 2000, True),
        ("@cf/deepseek-ai/deepseek-r1-distill-qwen-32b", 80000, 256, False),
        ("@cf/openai/gpt-oss-120b", 128000, 256, True),
    ],
)
def test_metadata_from_catalog(model: str, window: int, num_output: int, tools: bool) -> None:
    meta = WorkersAI(model=model).metadata
    assert (meta.context_window, meta.num_output) == (window, num_output)
    assert meta.is_function_calling_model is tools
    assert meta.is_chat_model is True
    assert meta.model_name == model


def test_metadata_overrides_and_unknown_model() -> None:
    meta = WorkersAI(model="@cf/acme/new-model").metadata
    assert meta.context_window == 3900 and meta.is_function_calling_model is True
    meta = WorkersAI(model="@cf/acme/new-model", context_window=9000, max_tokens=77,
                     is_function_calling=False).metadata
    assert (meta.context_window, meta.num_output, meta.is_function_calling_model) == (
        9000, 77, False
    )


def test_model_name_alias_and_api_key_alias() -> None:
    llm = WorkersAI(model_name="@cf/openai/gpt-oss-20b", api_key="k")
    assert llm.model == "@cf/openai/gpt-oss-20b"
    assert llm.api_token is not None and llm.api_token.get_secret_value() == "k"


def test_env_vars(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CF_ACCOUNT_ID", "f" * 32)
    monkeypatch.setenv("CF_AI_API_TOKEN", "fallback")
    monkeypatch.setenv("WORKERSAI_BASE_URL", "http://127.0.0.1:9/client/v4")
    monkeypatch.setenv("CLOUDFLARE_AI_GATEWAY_ID", "gw")
    llm = WorkersAI()
    assert llm.account_id == "f" * 32
    assert llm.api_token is not None and llm.api_token.get_secret_value() == "fallback"
    assert (llm.base_url, llm.gateway) == ("http://127.0.0.1:9/client/v4", "gw")
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", "e" * 32)
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "primary")
    llm = WorkersAI()
    assert llm.account_id == "e" * 32
    assert llm.api_token is not None and llm.api_token.get_secret_value() == "primary"


def test_construction_is_lazy() -> None:
    llm = WorkersAI(account_id=ACCOUNT, api_token=TOKEN)
    assert llm._client is None and llm._aclient is None


def test_token_never_serialized_or_printed() -> None:
    llm = WorkersAI(account_id=ACCOUNT, api_token=TOKEN,
                    gateway_options=GatewayOptions(cache_ttl=5))
    for text in (repr(llm), str(llm), llm.to_json(), str(llm.to_dict()), str(llm.to_payload()),
                 str(llm.model_dump())):
        assert TOKEN not in text
    assert "api_token" not in llm.to_dict()
    restored = WorkersAI.from_json(llm.to_json())
    assert restored.gateway_options == GatewayOptions(cache_ttl=5)
    clone = pickle.loads(pickle.dumps(llm))
    assert clone.model == llm.model


def test_builds_core_client_with_fields_once() -> None:
    import httpx

    injected = httpx.Client()
    llm = WorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url="http://127.0.0.1:1/v4",
                    gateway="gw", timeout=3.0, max_retries=5, default_headers={"x-a": "1"},
                    http_client=injected)
    client = llm._sync_client()
    assert client is llm._sync_client()
    cfg = client.config
    assert (cfg.account_id, cfg.base_url, cfg.gateway, cfg.max_retries) == (
        ACCOUNT, "http://127.0.0.1:1/v4", "gw", 5
    )
    assert cfg.timeouts.read == 3.0 and cfg.default_headers == {"x-a": "1"}
    assert TOKEN not in repr(client)
    llm.close()
    assert llm._client is None and not injected.is_closed
    injected.close()


# --- requests -----------------------------------------------------------------------------


def test_chat_sends_fields_and_temperature_zero() -> None:
    llm, fake, _ = make(temperature=0.0, max_tokens=12, top_p=0.5, top_k=3, seed=7,
                        repetition_penalty=1.1, frequency_penalty=0.2, presence_penalty=0.3,
                        stop=["END"], lora="my-lora", reasoning_effort="low",
                        additional_kwargs={"raw_field": 1}, endpoint="openai")
    llm.chat([ChatMessage(role="user", content="hi")])
    _, (model, messages, params), kwargs = fake.calls[0]
    assert model == llm.model and messages[0].content == "hi"
    assert params.temperature == 0.0
    assert (params.max_tokens, params.top_p, params.top_k, params.seed) == (12, 0.5, 3, 7)
    assert (params.repetition_penalty, params.frequency_penalty, params.presence_penalty) == (
        1.1, 0.2, 0.3
    )
    assert (params.stop, params.lora, params.reasoning_effort) == (["END"], "my-lora", "low")
    assert params.extra == {"raw_field": 1}
    assert kwargs == {"endpoint": "openai", "options": None, "pacing": None}


def test_defaults_send_nothing() -> None:
    llm, fake, _ = make()
    llm.chat([ChatMessage(role="user", content="hi")])
    assert params_of(fake) == ChatParams()


def test_per_call_overrides_change_the_request() -> None:
    llm, fake, _ = make(temperature=0.7, additional_kwargs={"a": 1})
    llm.chat([ChatMessage(role="user", content="hi")], temperature=0.0, max_tokens=5,
             stop="STOP", model="@cf/openai/gpt-oss-20b", additional_kwargs={"b": 2},
             gateway_options={"skip_cache": True}, timeout=4.0, endpoint="openai")
    _, (model, _, params), kwargs = fake.calls[0]
    assert model == "@cf/openai/gpt-oss-20b"
    assert (params.temperature, params.max_tokens, params.stop) == (0.0, 5, ["STOP"])
    assert params.extra == {"a": 1, "b": 2}
    assert kwargs["endpoint"] == "openai"
    options = kwargs["options"]
    assert options.gateway_options == GatewayOptions(skip_cache=True) and options.timeout == 4.0


def test_unknown_kwargs_are_rejected_before_any_request() -> None:
    llm, fake, _ = make()
    with pytest.raises(InvalidInputError, match="bogus"):
        llm.chat([ChatMessage(role="user", content="hi")], bogus=1)
    with pytest.raises(InvalidInputError, match="endpoint"):
        llm.chat([ChatMessage(role="user", content="hi")], endpoint="grpc")
    assert fake.calls == []


def test_response_format_forms() -> None:
    class Out(BaseModel):
        x: int

    llm, fake, _ = make()
    llm.chat([ChatMessage(role="user", content="hi")], response_format=Out)
    rf = params_of(fake).response_format
    assert rf is not None and rf.kind == "json_schema" and rf.name == "Out"
    assert rf.schema is not None and rf.schema["properties"]["x"]["type"] == "integer"
    llm.chat([ChatMessage(role="user", content="hi")], response_format="json_object")
    assert params_of(fake).response_format.kind == "json_object"  # type: ignore[union-attr]


def test_complete_and_stream_complete() -> None:
    deltas = [StreamDelta(text="a"), StreamDelta(text="b"),
              StreamDelta(final=True, usage=Usage(1, 2, 3))]
    llm, fake, _ = make(reply=Reply(text="done"), deltas=deltas)
    assert llm.complete("hello").text == "done"
    assert fake.calls[-1][1][1][0].content == "hello"
    items = list(llm.stream_complete("hello"))
    assert [i.text for i in items] == ["a", "ab", "ab"]
    assert [i.delta for i in items] == ["a", "b", ""]
    assert items[-1].raw["usage"]["total_tokens"] == 3


async def test_async_twins() -> None:
    deltas = [StreamDelta(text="x"), StreamDelta(text="y"), StreamDelta(final=True)]
    llm, fake, afake = make(reply=Reply(text="async"), deltas=deltas)
    msgs = [ChatMessage(role="user", content="hi")]
    assert (await llm.achat(msgs)).message.content == "async"
    assert (await llm.acomplete("hi")).text == "async"
    gen = await llm.astream_chat(msgs)
    assert [r.message.content async for r in gen] == ["x", "xy", "xy"]
    gen2 = await llm.astream_complete("hi")
    assert [r.delta async for r in gen2] == ["x", "y", ""]
    assert fake.calls == [] and len(afake.calls) == 4


def test_stream_errors_propagate_typed() -> None:
    from workersai.errors import TruncatedStreamError

    class Broken(FakeClient):
        def stream_chat(self, *a: Any, **k: Any) -> Any:
            yield StreamDelta(text="part")
            raise TruncatedStreamError("cut", partial_text="part")

    llm, _, _ = make()
    llm._client = Broken()
    gen = llm.stream_chat([ChatMessage(role="user", content="hi")])
    assert next(gen).message.content == "part"
    with pytest.raises(TruncatedStreamError):
        next(gen)


# --- tools --------------------------------------------------------------------------------


def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


def mul(a: int, b: int) -> int:
    """Multiply two integers."""
    return a * b


TOOLS = [FunctionTool.from_defaults(fn=add), FunctionTool.from_defaults(fn=mul)]


def test_prepare_chat_with_tools_copies_history_and_sets_choice() -> None:
    llm, _, _ = make()
    history = [ChatMessage(role="user", content="earlier")]
    kwargs = llm._prepare_chat_with_tools(TOOLS, user_msg="now", chat_history=history,
                                          tool_required=True, temperature=0.1)
    assert len(history) == 1
    assert [m.content for m in kwargs["messages"]] == ["earlier", "now"]
    assert [t.name for t in kwargs["tools"]] == ["add", "mul"]
    assert kwargs["tool_choice"] == "required"
    assert kwargs["parallel_tool_calls"] is False
    assert kwargs["temperature"] == 0.1
    kwargs = llm._prepare_chat_with_tools(TOOLS, user_msg="now", tool_choice="mul",
                                          allow_parallel_tool_calls=True)
    assert kwargs["tool_choice"] == ForcedTool("mul") and kwargs["parallel_tool_calls"] is True
    assert llm._prepare_chat_with_tools(TOOLS, user_msg="x")["tool_choice"] is None


def test_chat_with_tools_sends_specs_and_choice() -> None:
    llm, fake, _ = make(reply=Reply(tool_calls=[ToolCall("c1", "add", {"a": 1, "b": 2})]))
    resp = llm.chat_with_tools(TOOLS, user_msg="1+2?", tool_choice="add")
    params = params_of(fake)
    assert [t.name for t in params.tools] == ["add", "mul"]
    assert params.tool_choice == ForcedTool("add") and params.parallel_tool_calls is False
    (sel,) = llm.get_tool_calls_from_response(resp)
    assert (sel.tool_id, sel.tool_name, sel.tool_kwargs) == ("c1", "add", {"a": 1, "b": 2})


def test_single_tool_call_enforced_unless_parallel_allowed() -> None:
    calls = [ToolCall("c1", "add", {"a": 1, "b": 2}), ToolCall("c2", "mul", {"a": 2, "b": 3})]
    llm, _, _ = make(reply=Reply(tool_calls=calls))
    one = llm.chat_with_tools(TOOLS, user_msg="go")
    assert [s.tool_name for s in llm.get_tool_calls_from_response(one)] == ["add"]
    assert len(one.message.additional_kwargs["tool_calls"]) == 1
    both = llm.chat_with_tools(TOOLS, user_msg="go", allow_parallel_tool_calls=True)
    assert [s.tool_name for s in llm.get_tool_calls_from_response(both)] == ["add", "mul"]


def test_get_tool_calls_error_flag_and_legacy_fallback() -> None:
    llm, _, _ = make()
    resp = llm.chat([ChatMessage(role="user", content="hi")])
    with pytest.raises(ValueError, match="Expected at least one tool call"):
        llm.get_tool_calls_from_response(resp)
    assert llm.get_tool_calls_from_response(resp, error_on_no_tool_call=False) == []
    legacy = ChatMessage(role="assistant", content="", additional_kwargs={"tool_calls": [
        {"id": "q", "type": "function", "function": {"name": "add", "arguments": '{"a": 1}'}}
    ]})
    resp.message = legacy
    (sel,) = llm.get_tool_calls_from_response(resp)
    assert (sel.tool_id, sel.tool_name, sel.tool_kwargs) == ("q", "add", {"a": 1})


def test_predict_and_call_runs_the_tool() -> None:
    llm, _, _ = make(reply=Reply(tool_calls=[ToolCall("c1", "mul", {"a": 6, "b": 7})]))
    out = llm.predict_and_call(TOOLS, user_msg="6*7?")
    assert out.response == "42"


def test_tool_call_blocks_round_trip_into_history() -> None:
    llm, fake, _ = make(reply=Reply(tool_calls=[ToolCall("c1", "add", {"a": 1, "b": 2})]))
    first = llm.chat_with_tools(TOOLS, user_msg="1+2?")
    history = [ChatMessage(role="user", content="1+2?"), first.message,
               ChatMessage(role="tool", content="3", additional_kwargs={"tool_call_id": "c1"})]
    llm.chat(history)
    sent = fake.calls[-1][1][1]
    assert sent[1].tool_calls == [ToolCall("c1", "add", {"a": 1, "b": 2})]
    assert sent[1].content == ""
    assert (sent[2].role, sent[2].tool_call_id, sent[2].content) == ("tool", "c1", "3")


# --- structured prediction ---------------------------------------------------------------


class City(BaseModel):
    name: str
    population: int


PROMPT = PromptTemplate("Facts about {city}")


def test_structured_predict_uses_json_mode_when_catalog_has_one() -> None:
    llm, fake, _ = make(reply=Reply(text='{"name": "Paris", "population": 2100000}'))
    city = llm.structured_predict(City, PROMPT, city="Paris")
    assert city == City(name="Paris", population=2100000)
    params = params_of(fake)
    assert params.response_format is not None and params.response_format.name == "City"
    assert params.tools == []


def test_structured_predict_prefers_parsed_object() -> None:
    reply = Reply(text="ignored", parsed={"name": "Oslo", "population": 700000})
    llm, _, _ = make(reply=reply)
    assert llm.structured_predict(City, PROMPT, city="Oslo").name == "Oslo"


def test_structured_predict_failure_raises_clearly() -> None:
    llm, _, _ = make(reply=Reply(text="Sorry, I cannot.", finish_reason="length"))
    with pytest.raises(StructuredOutputError, match=r"City.*max_tokens"):
        llm.structured_predict(City, PROMPT, city="Paris")


def test_structured_predict_uses_tools_without_json_mode() -> None:
    call = ToolCall("c1", "City", {"name": "Rome", "population": 2800000})
    llm, fake, _ = make(reply=Reply(tool_calls=[call]), model=HERMES)
    assert llm.structured_predict(City, PROMPT, city="Rome").name == "Rome"
    params = params_of(fake)
    assert params.response_format is None
    assert [t.name for t in params.tools] == ["City"] and params.tool_choice == "required"


def test_program_mode_function_forces_tools() -> None:
    call = ToolCall("c1", "City", {"name": "Rome", "population": 1})
    llm, fake, _ = make(reply=Reply(tool_calls=[call]),
                        pydantic_program_mode=PydanticProgramMode.FUNCTION)
    llm.structured_predict(City, PROMPT, city="Rome")
    assert params_of(fake).response_format is None


def test_structured_tool_path_without_call_raises() -> None:
    llm, _, _ = make(reply=Reply(text="no tools today"), model=HERMES)
    with pytest.raises(ValueError, match="tool call"):
        llm.structured_predict(City, PROMPT, city="Rome")


async def test_async_and_streaming_structured_json_mode() -> None:
    llm, _, afake = make(reply=Reply(text='{"name": "Lima", "population": 10}'))
    assert (await llm.astructured_predict(City, PROMPT, city="Lima")).name == "Lima"
    streamed = list(llm.stream_structured_predict(City, PROMPT, city="Lima"))
    assert streamed == [City(name="Lima", population=10)]
    agen = await llm.astream_structured_predict(City, PROMPT, city="Lima")
    assert [c async for c in agen] == [City(name="Lima", population=10)]
    assert afake.calls[0][1][2].response_format is not None


def test_streaming_structured_tool_path() -> None:
    deltas = [
        StreamDelta(tool_call=ToolCallFragment(index=0, id="c", name="City",
                                               arguments='{"name": "Ki')),
        StreamDelta(tool_call=ToolCallFragment(index=0, arguments='ev", "population": 3}')),
        StreamDelta(final=True, finish_reason="tool_calls"),
    ]
    llm, _, _ = make(deltas=deltas, model=HERMES)
    items = list(llm.stream_structured_predict(City, PROMPT, city="Kiev"))
    assert items[-1] == City(name="Kiev", population=3)
    blocks = [b for b in llm.stream_chat([]).__next__().message.blocks
              if isinstance(b, ToolCallBlock)]
    assert blocks[0].tool_name == "City"

