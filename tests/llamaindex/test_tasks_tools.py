"""LlamaIndex task tools against the in-process emulator: request shapes, binary and JSON
replies, argument schemas, errors, sync and async."""

from __future__ import annotations

import base64
import json
import struct
from pathlib import Path
from typing import Any

import pytest
from llama_index.core.tools import ToolOutput
from llama_index.core.tools.types import AsyncBaseTool
from pydantic import ValidationError

from llamaindex_workersai import tools
from llamaindex_workersai.tools import (
    WorkersAIImageClassificationTool,
    WorkersAIImageGenerationTool,
    WorkersAIImageToTextTool,
    WorkersAIObjectDetectionTool,
    WorkersAISummarizationTool,
    WorkersAITextClassificationTool,
    WorkersAITextToSpeechTool,
    WorkersAITranslationTool,
)
from workersai import errors as wa
from workersai.emulator import RateLimited
from workersai.emulator._tasks import make_png
from workersai.tasks import DEFAULT_SUMMARY_MODEL, SUMMARY_INSTRUCTION

from .conftest import Target

pytestmark = [pytest.mark.emulator, pytest.mark.usefixtures("before_retirements")]

SDXL = "@cf/stabilityai/stable-diffusion-xl-base-1.0"
PNG = make_png(64, 48, (10, 120, 200), "a blue square")


async def run(tool: AsyncBaseTool, use_async: bool, *args: Any, **kwargs: Any) -> ToolOutput:
    return await tool.acall(*args, **kwargs) if use_async else tool.call(*args, **kwargs)


def body(t: Target) -> Any:
    return json.loads(t.emu.requests[-1].body)


def read(path: str) -> bytes:
    return Path(path).read_bytes()


def test_every_tool_has_agent_metadata(emu_target: Target) -> None:
    names = set()
    for name in tools.__all__:
        tool = getattr(tools, name)(**emu_target.kwargs)
        meta = tool.metadata
        assert meta.name and len(meta.description) > 60 and meta.fn_schema is not None
        assert meta.to_openai_tool()["function"]["parameters"]["required"]
        names.add(meta.name)
    assert len(names) == len(tools.__all__)


@pytest.mark.parametrize("use_async", [False, True])
async def test_flux_bytes_as_raw_output(emu_target: Target, use_async: bool) -> None:
    tool = WorkersAIImageGenerationTool(**emu_target.kwargs)
    props = tool.metadata.get_parameters_dict()["properties"]
    assert set(props) == {"prompt", "steps"}
    out = await run(tool, use_async, prompt="a red fox", steps=2)
    assert out.raw_output.startswith(b"\xff\xd8") and b"a red fox" in out.raw_output
    assert "image/jpeg" in out.content and out.tool_name == "generate_image"
    assert body(emu_target) == {"prompt": "a red fox", "steps": 2}
    with pytest.raises(ValidationError):
        await run(tool, use_async, prompt="fox", width=512)  # FLUX takes no size
    assert len(emu_target.emu.requests) == 1


@pytest.mark.parametrize("use_async", [False, True])
async def test_sdxl_saves_png_and_checks_sizes(
    emu_target: Target, tmp_path: Path, use_async: bool
) -> None:
    tool = WorkersAIImageGenerationTool(**emu_target.kwargs, model=SDXL, output_dir=tmp_path)
    out = await run(tool, use_async, prompt="a lighthouse", width=320, height=256)
    assert out.content == out.raw_output and out.raw_output.endswith(".png")
    assert struct.unpack(">II", read(out.raw_output)[16:24]) == (320, 256)
    assert body(emu_target) == {"prompt": "a lighthouse", "width": 320, "height": 256}
    with pytest.raises(ValidationError, match="less than or equal to 2048"):
        await run(tool, use_async, prompt="fox", height=4096)


@pytest.mark.parametrize("use_async", [False, True])
async def test_speech_melotts_json_and_aura_raw(emu_target: Target, use_async: bool) -> None:
    melo = WorkersAITextToSpeechTool(**emu_target.kwargs)
    out = await run(melo, use_async, text="bonjour", language="fr")
    assert out.raw_output.startswith(b"ID3") and b"bonjour" in out.raw_output
    assert body(emu_target) == {"prompt": "bonjour", "lang": "fr"}
    aura = WorkersAITextToSpeechTool(**emu_target.kwargs, model="@cf/deepgram/aura-1",
                                     voice="luna")
    out = await run(aura, use_async, "shipped")  # one positional: the first field
    assert b"shipped" in out.raw_output and "audio/mpeg" in out.content
    assert body(emu_target) == {"text": "shipped", "speaker": "luna"}
    await run(aura, use_async, text="shipped", voice="zeus")
    assert body(emu_target)["speaker"] == "zeus"
    with pytest.raises(ValidationError):
        await run(aura, use_async, text="x", voice="nobody")
    with pytest.raises(wa.InvalidInputError, match="keyword arguments"):
        await run(aura, use_async, "one", "two")


def test_core_refusal_raises_before_any_request(emu_target: Target) -> None:
    melo = WorkersAITextToSpeechTool(**emu_target.kwargs, voice="luna")
    with pytest.raises(wa.InvalidInputError, match="does not take voice"):
        melo.call(text="hi")
    with pytest.raises(wa.InvalidInputError, match="FLORES"):
        WorkersAITranslationTool(
            **emu_target.kwargs, model="@cf/ai4bharat/indictrans2-en-indic-1B"
        ).call(text="Hello", target_lang="xx")
    assert emu_target.emu.requests == []


def test_api_errors_are_typed(emu_target: Target) -> None:
    emu_target.emu.faults.add(RateLimited(retry_after=3), times=1)
    with pytest.raises(wa.RateLimitError) as err:
        WorkersAITextClassificationTool(**emu_target.kwargs).call(text="fine")
    assert err.value.retry_after == 3


@pytest.mark.parametrize("use_async", [False, True])
async def test_translation_and_text_tools(emu_target: Target, use_async: bool) -> None:
    out = await run(WorkersAITranslationTool(**emu_target.kwargs), use_async,
                    text="Good morning", target_lang="es", source_lang="en")
    assert out.content == out.raw_output == "[es] Good morning"
    assert body(emu_target) == {"text": "Good morning", "target_lang": "es", "source_lang": "en"}
    out = await run(WorkersAITextClassificationTool(**emu_target.kwargs), use_async,
                    text="terrible and broken")
    assert out.raw_output["top"] == "NEGATIVE" and json.loads(out.content) == out.raw_output
    summary = WorkersAISummarizationTool(**emu_target.kwargs, max_length=3)
    out = await run(summary, use_async, text="A b c. D e f g. H.")
    assert out.raw_output["model"] == DEFAULT_SUMMARY_MODEL and out.raw_output["summary"]
    sent = body(emu_target)
    assert [m["content"] for m in sent["messages"]] == [SUMMARY_INSTRUCTION, "A b c. D e f g. H."]
    assert sent["max_tokens"] == 3
    await run(summary, use_async, text="A b c. D e f g. H.", max_length=9)
    assert body(emu_target)["max_tokens"] == 9


@pytest.mark.parametrize("use_async", [False, True])
async def test_image_tools(emu_target: Target, tmp_path: Path, use_async: bool) -> None:
    (tmp_path / "sq.png").write_bytes(PNG)
    classify = WorkersAIImageClassificationTool(**emu_target.kwargs, root_dir=tmp_path)
    out = await run(classify, use_async, image="sq.png")
    assert emu_target.emu.requests[-1].body == PNG and out.raw_output["labels"]
    with pytest.raises(wa.InvalidInputError, match="outside"):
        await run(classify, use_async, image="../elsewhere.png")
    detect = WorkersAIObjectDetectionTool(**emu_target.kwargs, min_score=0.0)
    data_url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    found = (await run(detect, use_async, image=data_url)).raw_output
    assert found["count"] >= 1 and all(o["box"]["xmax"] <= 64 for o in found["objects"])
    strict = (await run(detect, use_async, image=PNG, min_score=1.0)).raw_output
    assert strict["count"] == 0
    describe = WorkersAIImageToTextTool(**emu_target.kwargs)
    out = await run(describe, use_async, image=PNG, prompt="What is it?")
    assert out.raw_output["description"] == "The image shows a blue square."
    assert body(emu_target) == {"image": list(PNG), "prompt": "What is it?"}


async def test_function_agent_calls_a_tool(emu_target: Target, tmp_path: Path) -> None:
    from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult

    from llamaindex_workersai import WorkersAI

    tool = WorkersAIImageGenerationTool(**emu_target.kwargs, output_dir=tmp_path)
    emu_target.emu.script.tool_call("generate_image", {"prompt": "a fox"})
    emu_target.emu.script.text("Done.")
    agent = FunctionAgent(tools=[tool], llm=WorkersAI(
        model="@cf/meta/llama-4-scout-17b-16e-instruct", **emu_target.kwargs))
    handler = agent.run("Draw a fox")
    results = [ev async for ev in handler.stream_events() if isinstance(ev, ToolCallResult)]
    await handler
    (result,) = results
    assert result.tool_name == "generate_image" and not result.tool_output.is_error
    assert Path(result.tool_output.raw_output).parent == tmp_path
