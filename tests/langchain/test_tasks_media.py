"""Text-to-image and text-to-speech tools against the in-process emulator."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import pytest
from langchain_core.exceptions import ModelRateLimitError
from langchain_core.messages import ToolMessage
from langchain_core.tools import ToolException
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ValidationError

from langchain_workersai import WorkersAIRateLimitError
from langchain_workersai.tools import (
    WorkersAIImageGenerationTool,
    WorkersAITextToSpeechTool,
    WorkersAIToolInputError,
)
from workersai import errors as wa
from workersai.emulator import RateLimited

pytestmark = pytest.mark.emulator

FLUX = "@cf/black-forest-labs/flux-1-schnell"
SDXL = "@cf/stabilityai/stable-diffusion-xl-base-1.0"
AURA = "@cf/deepgram/aura-1"


def call(name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"type": "tool_call", "id": "call-1", "name": name, "args": args}


async def run(tool: Any, payload: Any, use_async: bool) -> Any:
    return await tool.ainvoke(payload) if use_async else tool.invoke(payload)


def read(path: str | Path) -> bytes:
    return Path(path).read_bytes()


def last(emulator: Any) -> Any:
    return emulator.requests[-1]


@pytest.mark.parametrize("use_async", [False, True])
async def test_flux_bytes_arrive_as_the_artifact(
    emu_kwargs: dict[str, Any], emulator: Any, use_async: bool
) -> None:
    tool = WorkersAIImageGenerationTool(**emu_kwargs)
    msg = await run(tool, call("generate_image", {"prompt": "a red fox", "steps": 4}), use_async)
    assert isinstance(msg, ToolMessage) and msg.tool_call_id == "call-1"
    assert msg.artifact.startswith(b"\xff\xd8") and b"a red fox" in msg.artifact  # JPEG+COM
    assert "image/jpeg" in msg.content and str(len(msg.artifact)) in msg.content
    assert last(emulator).path.endswith(f"/ai/run/{FLUX}")
    assert json.loads(last(emulator).body) == {"prompt": "a red fox", "steps": 4}


@pytest.mark.parametrize("use_async", [False, True])
async def test_sdxl_png_is_saved_in_output_dir(
    emu_kwargs: dict[str, Any], emulator: Any, tmp_path: Path, use_async: bool
) -> None:
    tool = WorkersAIImageGenerationTool(**emu_kwargs, model=SDXL, output_dir=tmp_path / "out")
    args = {"prompt": "a lighthouse", "width": 256, "height": 320, "seed": 7,
            "negative_prompt": "fog"}
    path = Path(await run(tool, args, use_async))
    assert path.parent == tmp_path / "out" and path.suffix == ".png"
    data = read(path)
    assert data.startswith(b"\x89PNG") and struct.unpack(">II", data[16:24]) == (256, 320)
    body = json.loads(last(emulator).body)
    assert body == {"prompt": "a lighthouse", "width": 256, "height": 320, "seed": 7,
                    "negative_prompt": "fog"}
    msg = tool.invoke(call("generate_image", {"prompt": "a lighthouse"}))
    assert msg.artifact == msg.content and read(msg.content).startswith(b"\x89PNG")


def test_each_model_offers_agents_only_what_it_takes(emu_kwargs: dict[str, Any]) -> None:
    flux = convert_to_openai_tool(WorkersAIImageGenerationTool(**emu_kwargs))["function"]
    assert flux["name"] == "generate_image" and "picture" in flux["description"]
    assert set(flux["parameters"]["properties"]) == {"prompt", "steps"}
    assert flux["parameters"]["properties"]["prompt"]["maxLength"] == 2048
    sdxl = WorkersAIImageGenerationTool(**emu_kwargs, model=SDXL).tool_call_schema
    props = sdxl.model_json_schema()["properties"]  # type: ignore[union-attr]
    assert {"width", "height", "steps", "seed", "negative_prompt"} <= set(props)
    assert props["width"]["anyOf"][0] == {"maximum": 2048, "minimum": 256, "type": "integer"}


def test_size_and_prompt_limits_refuse_before_any_request(
    emu_kwargs: dict[str, Any], emulator: Any
) -> None:
    flux = WorkersAIImageGenerationTool(**emu_kwargs)
    with pytest.raises(ValidationError, match="less than or equal to 8"):
        flux.invoke({"prompt": "fox", "steps": 9})
    with pytest.raises(ValidationError, match="at most 2048"):
        flux.invoke({"prompt": "x" * 2049})
    with pytest.raises(ValidationError, match="greater than or equal to 256"):
        WorkersAIImageGenerationTool(**emu_kwargs, model=SDXL).invoke(
            {"prompt": "fox", "width": 100}
        )
    assert emulator.requests == []


def test_core_refusal_is_a_tool_exception_an_agent_can_read(
    emu_kwargs: dict[str, Any], emulator: Any
) -> None:
    tool = WorkersAIImageGenerationTool(**emu_kwargs, model=SDXL)
    with pytest.raises(WorkersAIToolInputError) as err:
        tool._run(prompt="fox", width=4096)  # past the schema, the core still checks
    assert isinstance(err.value, ToolException) and isinstance(err.value, wa.InvalidInputError)
    assert "width=4096" in str(err.value)
    speech = WorkersAITextToSpeechTool(**emu_kwargs, voice="luna", handle_tool_error=True)
    msg = speech.invoke(call("text_to_speech", {"text": "hi"}))  # melotts takes no voice
    assert msg.status == "error" and "does not take voice" in msg.content
    assert emulator.requests == []


def test_api_errors_keep_their_dual_classes(emu_kwargs: dict[str, Any], emulator: Any) -> None:
    emulator.faults.add(RateLimited(retry_after=1), times=1)
    tool = WorkersAIImageGenerationTool(**emu_kwargs, max_retries=0)
    with pytest.raises(WorkersAIRateLimitError) as err:
        tool.invoke({"prompt": "fox"})
    assert isinstance(err.value, ModelRateLimitError) and err.value.retry_after == 1


@pytest.mark.parametrize("use_async", [False, True])
async def test_melotts_json_audio_and_language(
    emu_kwargs: dict[str, Any], emulator: Any, use_async: bool
) -> None:
    tool = WorkersAITextToSpeechTool(**emu_kwargs)
    assert set(tool.tool_call_schema.model_json_schema()["properties"]) == {  # type: ignore[union-attr]
        "text", "language"}
    msg = await run(tool, call("text_to_speech", {"text": "bonjour", "language": "fr"}),
                    use_async)
    assert msg.artifact.startswith(b"ID3") and b"bonjour" in msg.artifact
    assert "audio/mpeg" in msg.content
    assert json.loads(last(emulator).body) == {"prompt": "bonjour", "lang": "fr"}


@pytest.mark.parametrize("use_async", [False, True])
async def test_aura_raw_audio_voice_default_and_override(
    emu_kwargs: dict[str, Any], emulator: Any, tmp_path: Path, use_async: bool
) -> None:
    tool = WorkersAITextToSpeechTool(**emu_kwargs, model=AURA, voice="luna", output_dir=tmp_path)
    voice = tool.tool_call_schema.model_json_schema()["properties"]["voice"]  # type: ignore[union-attr]
    assert "stella" in voice["anyOf"][0]["enum"]
    path = Path(await run(tool, {"text": "shipped"}, use_async))
    assert path.suffix == ".mp3" and b"shipped" in read(path)
    assert json.loads(last(emulator).body) == {"text": "shipped", "speaker": "luna"}
    await run(tool, {"text": "shipped", "voice": "zeus"}, use_async)
    assert json.loads(last(emulator).body)["speaker"] == "zeus"
