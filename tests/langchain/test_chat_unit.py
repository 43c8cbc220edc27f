"""ChatWorkersAI against a scripted core: what it asks the core for, what it returns."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest
from langchain_core.exceptions import OutputParserException
from langchain_core.load import dumpd, dumps, load
from langchain_core.messages import AIMessageChunk, HumanMessage
from pydantic import BaseModel

from langchain_workersai import ChatWorkersAI
from workersai.types import ForcedTool, Reply, ResponseFormat, StreamDelta, ToolCall, Usage

from ._fakes import FakeCore, install

pytestmark = pytest.mark.usefixtures("before_retirements")  # see conftest

ACCOUNT = "0123456789abcdef0123456789abcdef"
TOKEN = "sk-very-secret-token-value"


class Joke(BaseModel):
    """A joke."""

    setup: str
    punchline: str


def make(**kw: Any) -> tuple[ChatWorkersAI, FakeCore]:
    model = ChatWorkersAI(account_id=ACCOUNT, api_token=TOKEN, **kw)
    return model, install(model, FakeCore())


def text_stream(text: str = "Hi there") -> list[StreamDelta]:
    return [
        *(StreamDelta(text=w) for w in text.split(" ")),
        StreamDelta(final=True, finish_reason="stop", model="@cf/m", usage=Usage(3, 2, 5)),
    ]


def test_construction_needs_nothing_and_does_no_io(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "CLOUDFLARE_ACCOUNT_ID",
        "CF_ACCOUNT_ID",
        "CLOUDFLARE_API_TOKEN",
        "CF_AI_API_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    model = ChatWorkersAI()
    assert model.api_token is None and model.account_id is None
    assert model._client is None and model._aclient is None
    assert model.model == "@cf/meta/llama-3.3-70b-instruct-fp8-fast"


def test_aliases_and_unknown_constructor_args() -> None:
    model = ChatWorkersAI(model_name="@cf/x", api_key="t")
    assert model.model == "@cf/x"
    assert model.api_token is not None and model.api_token.get_secret_value() == "t"
    with pytest.raises(ValueError, match="temprature"):
        ChatWorkersAI(temprature=0.5)


def test_invoke_sends_fields_and_maps_reply() -> None:
    model, core = make(temperature=0, max_tokens=9, stop=["END"], model_kwargs={"raw": True})
    core.replies.append(Reply(text="hello", model="@cf/m", usage=Usage(1, 1, 2)))
    msg = model.invoke("hi")
    assert msg.content == "hello"
    (call,) = core.calls
    assert call.method == "chat" and call.model == model.model
    assert call.params.temperature == 0 and call.params.max_tokens == 9
    assert call.params.stop == ["END"] and call.params.extra == {"raw": True}
    assert call.kwargs == {"endpoint": "native", "options": None, "pacing": None}
    assert call.payload[0].content == "hi"


def test_per_call_overrides_everything_including_model() -> None:
    model, core = make(temperature=0.5)
    core.replies.append(Reply(text="x"))
    msg = model.invoke(
        "hi",
        model="@cf/other",
        temperature=0.1,
        top_k=5,
        endpoint="openai",
        max_retries=0,
        stop=["s"],
    )
    (call,) = core.calls
    assert call.model == "@cf/other"
    assert msg.response_metadata["model_name"] == "@cf/other"
    assert call.params.temperature == 0.1 and call.params.top_k == 5
    assert call.params.stop == ["s"]
    assert call.kwargs["endpoint"] == "openai"
    assert call.kwargs["options"].max_retries == 0
    bound = model.bind(seed=7)
    core.replies.append(Reply(text="y"))
    bound.invoke("hi")
    assert core.calls[-1].params.seed == 7


def test_unknown_per_call_kwargs_raise_before_any_request() -> None:
    model, core = make()
    with pytest.raises(TypeError, match="model_kwargs"):
        model.invoke("hi", bogus=1)
    assert core.calls == []


def test_stream_and_streaming_flag() -> None:
    model, core = make()
    core.streams.append(text_stream())
    chunks = list(model.stream("hi"))
    assert "".join(str(c.content) for c in chunks) == "Hithere"
    assert chunks[-1].chunk_position == "last"
    assert core.calls[0].method == "stream_chat"
    streaming, core2 = make(streaming=True)
    core2.streams.append(text_stream())
    assert streaming.invoke("hi").content == "Hithere"
    assert core2.calls[0].method == "stream_chat"


async def test_async_twins() -> None:
    model, core = make()
    core.replies.append(Reply(text="a"))
    core.streams.append(text_stream())
    assert (await model.ainvoke("hi")).content == "a"
    chunks = [c async for c in model.astream("hi")]
    assert chunks[-1].chunk_position == "last"
    assert [c.method for c in core.calls] == ["chat", "stream_chat"]


async def test_async_stream_stopped_early_is_closed_at_once() -> None:
    model, core = make()
    core.streams.append(text_stream("one two three four"))
    async with contextlib.aclosing(model.astream("hi")) as stream:
        async for _ in stream:
            break
    await asyncio.sleep(0)
    assert core.closed_streams == 1


def test_bind_tools_forms_reach_the_core() -> None:
    def add(a: int, b: int) -> int:
        """Add."""
        return a + b

    model, core = make()
    for choice, expected in [
        ("any", "required"),
        (True, "required"),
        ("auto", "auto"),
        ("none", "none"),
        ("add", ForcedTool("add")),
        ({"type": "function", "function": {"name": "add"}}, ForcedTool("add")),
    ]:
        core.replies.append(Reply(tool_calls=[ToolCall("c", "add", {"a": 1, "b": 2})]))
        msg = model.bind_tools([add], tool_choice=choice, parallel_tool_calls=False).invoke("x")
        assert msg.tool_calls[0]["args"] == {"a": 1, "b": 2}
        params = core.calls[-1].params
        assert params.tool_choice == expected and params.parallel_tool_calls is False
        assert params.tools[0].name == "add"
    with pytest.raises(ValueError, match="not among the bound tools"):
        model.bind_tools([add], tool_choice="sub")
    core.replies.append(Reply(text="ok"))
    model.bind_tools([add], strict=True).invoke("x")
    assert core.calls[-1].params.tools[0].strict is True


def test_structured_output_function_calling_forces_the_tool() -> None:
    model, core = make(model="@cf/google/gemma-4-26b-a4b-it")  # takes tool_choice
    core.replies.append(Reply(tool_calls=[ToolCall("c", "Joke", {"setup": "a", "punchline": "b"})]))
    assert model.with_structured_output(Joke).invoke("joke") == Joke(setup="a", punchline="b")
    params = core.calls[0].params
    assert params.tool_choice == ForcedTool("Joke") and params.response_format is None


def test_structured_output_json_schema_uses_native_json_mode() -> None:
    model, core = make()
    core.replies.append(Reply(text='{"setup": "a", "punchline": "b"}'))
    out = model.with_structured_output(Joke, method="json_schema", strict=True).invoke("joke")
    assert out == Joke(setup="a", punchline="b")
    fmt = core.calls[0].params.response_format
    assert fmt.kind == "json_schema" and fmt.name == "Joke" and fmt.strict is True
    assert set(fmt.schema["properties"]) == {"setup", "punchline"}
    assert core.calls[0].params.tools == []


def test_structured_output_json_mode_and_dict_schema() -> None:
    model, core = make()
    core.replies.append(Reply(text='```json\n{"setup": "a", "punchline": "b"}\n```'))
    schema = Joke.model_json_schema()
    out = model.with_structured_output(schema, method="json_mode").invoke("joke in JSON")
    assert out == {"setup": "a", "punchline": "b"}
    fmt = core.calls[0].params.response_format
    assert fmt.kind == "json_schema" and fmt.strict is None  # JSON mode guided by the schema
    assert set(fmt.schema["properties"]) == {"setup", "punchline"}


def test_json_mode_without_schema_asks_for_any_object() -> None:
    model, core = make()
    core.replies.append(Reply(text='{"anything": 1}'))
    assert model.with_structured_output(None, method="json_mode").invoke("j") == {"anything": 1}
    assert core.calls[0].params.response_format == ResponseFormat("json_object")
    with pytest.raises(ValueError, match="needs a schema"):
        model.with_structured_output(None)


def test_structured_output_stream_with_json_mode_is_one_request() -> None:
    model, core = make()
    core.replies.append(Reply(text='{"setup": "a", "punchline": "b"}'))
    chunks = list(model.with_structured_output(Joke, method="json_schema").stream("joke"))
    assert chunks == [Joke(setup="a", punchline="b")]
    assert core.calls[0].method == "chat"  # JSON mode does not stream on Workers AI


@pytest.mark.parametrize("method", ["function_calling", "json_schema", "json_mode"])
def test_non_compliance_raises_never_none(method: str) -> None:
    model, core = make()
    core.replies.append(Reply(text="Sorry, I'd rather chat."))
    with pytest.raises(OutputParserException):
        model.with_structured_output(Joke, method=method).invoke("joke")  # type: ignore[arg-type]


def test_non_compliance_in_a_stream_raises() -> None:
    model, core = make(model="@cf/google/gemma-4-26b-a4b-it")  # native tool_choice
    core.streams.append(text_stream("no tools today"))
    with pytest.raises(OutputParserException, match="did not call the 'Joke' tool"):
        list(model.with_structured_output(Joke).stream("joke"))


def test_include_raw_reports_the_error() -> None:
    model, core = make(model="@cf/google/gemma-4-26b-a4b-it")  # native tool_choice
    core.replies.append(Reply(text="plain text"))
    out = model.with_structured_output(Joke, include_raw=True).invoke("joke")
    assert out["parsed"] is None
    assert isinstance(out["parsing_error"], OutputParserException)
    assert out["raw"].content == "plain text"
    core.replies.append(Reply(tool_calls=[ToolCall("c", "Joke", {"setup": "a", "punchline": "b"})]))
    ok = model.with_structured_output(Joke, include_raw=True).invoke("joke")
    assert ok["parsed"] == Joke(setup="a", punchline="b") and ok["parsing_error"] is None


def test_structured_output_bad_method() -> None:
    model, _ = make()
    with pytest.raises(ValueError, match="method"):
        model.with_structured_output(Joke, method="xml")  # type: ignore[arg-type]


def test_model_without_json_mode_falls_back_to_tools() -> None:
    model, _core = make(model="@cf/meta/llama-4-scout-17b-16e-instruct")
    assert model.profile is not None and model.profile.get("image_inputs") is True
    # tools without JSON mode (published schemas: hermes has no response_format)
    qwq, core2 = make(model="@hf/nousresearch/hermes-2-pro-mistral-7b")
    with pytest.warns(UserWarning, match="no native JSON mode"):
        runnable = qwq.with_structured_output(Joke, method="json_schema")
    core2.replies.append(
        Reply(tool_calls=[ToolCall("c", "Joke", {"setup": "a", "punchline": "b"})])
    )
    assert runnable.invoke("joke") == Joke(setup="a", punchline="b")
    assert core2.calls[0].params.tool_choice == ForcedTool("Joke")


def test_function_calling_without_tool_choice_uses_json_mode() -> None:
    model, core = make()  # llama-3.3: no tool_choice in its schema, response_format
    core.replies.append(Reply(text='{"setup": "a", "punchline": "b"}'))
    assert model.with_structured_output(Joke).invoke("joke") == Joke(setup="a", punchline="b")
    params = core.calls[0].params
    assert params.tools == [] and params.response_format.kind == "json_schema"


def test_ls_params_and_profile() -> None:
    model, _ = make(temperature=0.3, max_tokens=5, stop=["x"])
    assert model._get_ls_params() == {
        "ls_provider": "workersai",
        "ls_model_name": model.model,
        "ls_model_type": "chat",
        "ls_temperature": 0.3,
        "ls_max_tokens": 5,
        "ls_stop": ["x"],
    }
    assert model._get_ls_params(model="@cf/o", temperature=0.0)["ls_temperature"] == 0.0
    assert ChatWorkersAI(model="@cf/openai/gpt-oss-120b").profile == {
        "text_inputs": True,
        "text_outputs": True,
        "image_inputs": False,
        "image_url_inputs": False,
        "tool_calling": True,
        "tool_choice": True,
        "tool_call_streaming": True,
        "structured_output": True,
        "reasoning_output": True,
        "temperature": True,
        "max_input_tokens": 128000,
        "reasoning_effort_levels": ["low", "medium", "high"],
    }
    assert ChatWorkersAI(model="@cf/unknown/model").profile is None


@pytest.mark.filterwarnings("ignore::langchain_core._api.beta_decorator.LangChainBetaWarning")
def test_load_with_explicit_allowlist(monkeypatch: pytest.MonkeyPatch) -> None:
    model = ChatWorkersAI(account_id=ACCOUNT, api_token=TOKEN, temperature=0.2)
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", TOKEN)
    loaded = load(
        dumpd(model),
        valid_namespaces=["langchain_workersai"],
        allowed_objects=[ChatWorkersAI],
        secrets_from_env=True,
    )
    assert isinstance(loaded, ChatWorkersAI)
    assert loaded.temperature == 0.2 and loaded.api_token is not None
    assert loaded.api_token.get_secret_value() == TOKEN


def test_token_absent_from_repr_dump_and_params() -> None:
    model, _ = make(temperature=0)
    for text in (
        repr(model),
        str(model),
        dumps(model),
        str(dumpd(model)),
        str(model._identifying_params),
        str(model.model_dump()),
        model.model_dump_json(),
        repr(model.bind_tools([Joke])),
    ):
        assert TOKEN not in text


def test_stream_chunks_aggregate_tool_calls() -> None:
    from workersai.types import ToolCallFragment

    model, core = make()
    core.streams.append(
        [
            StreamDelta(tool_call=ToolCallFragment(0, id="c1", name="Joke")),
            StreamDelta(tool_call=ToolCallFragment(0, arguments='{"setup": "a", ')),
            StreamDelta(tool_call=ToolCallFragment(0, arguments='"punchline": "b"}')),
            StreamDelta(final=True, finish_reason="tool_calls", usage=Usage(1, 1, 2)),
        ]
    )
    full: Any = None
    for chunk in model.bind_tools([Joke], tool_choice="any").stream([HumanMessage("j")]):
        full = chunk if full is None else full + chunk
    assert isinstance(full, AIMessageChunk)
    assert full.tool_calls == [
        {"name": "Joke", "args": {"setup": "a", "punchline": "b"}, "id": "c1", "type": "tool_call"}
    ]
