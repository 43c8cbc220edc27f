"""Translation, classification, summary, detection and image-to-text tools (emulator)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from langchain_core.exceptions import ModelNotFoundError
from langchain_core.messages import ToolMessage
from pydantic import ValidationError

from langchain_workersai import WorkersAIModelNotFoundError
from langchain_workersai.tools import (
    WorkersAIImageClassificationTool,
    WorkersAIImageToTextTool,
    WorkersAIObjectDetectionTool,
    WorkersAISummarizationTool,
    WorkersAITextClassificationTool,
    WorkersAIToolInputError,
    WorkersAITranslationTool,
)
from workersai.emulator._tasks import make_png
from workersai.tasks import DEFAULT_SUMMARY_MODEL, SUMMARY_INSTRUCTION

pytestmark = [pytest.mark.emulator, pytest.mark.usefixtures("before_retirements")]

INDIC = "@cf/ai4bharat/indictrans2-en-indic-1B"
PNG = make_png(64, 48, (10, 120, 200), "a blue square")


def call(name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"type": "tool_call", "id": "call-7", "name": name, "args": args}


async def run(tool: Any, payload: Any, use_async: bool) -> Any:
    return await tool.ainvoke(payload) if use_async else tool.invoke(payload)


def body(emulator: Any) -> Any:
    return json.loads(emulator.requests[-1].body)


@pytest.fixture
def png_file(tmp_path: Path) -> Path:
    path = tmp_path / "square.png"
    path.write_bytes(PNG)
    return path


@pytest.mark.parametrize("use_async", [False, True])
async def test_m2m100_translation(emu_kwargs: dict[str, Any], emulator: Any,
                                  use_async: bool) -> None:
    tool = WorkersAITranslationTool(**emu_kwargs)
    args = {"text": "Good morning", "target_lang": "fr", "source_lang": "en"}
    assert await run(tool, args, use_async) == "[fr] Good morning"
    assert emulator.requests[-1].path.endswith("/ai/run/@cf/meta/m2m100-1.2b")
    assert body(emulator) == {"text": "Good morning", "target_lang": "fr", "source_lang": "en"}
    msg = await run(tool, call("translate_text", args), use_async)
    assert isinstance(msg, ToolMessage) and msg.content == "[fr] Good morning"


def test_indictrans_maps_iso_codes_and_offers_no_source(
    emu_kwargs: dict[str, Any], emulator: Any
) -> None:
    tool = WorkersAITranslationTool(**emu_kwargs, model=INDIC)
    props = tool.tool_call_schema.model_json_schema()["properties"]  # type: ignore[union-attr]
    assert set(props) == {"text", "target_lang"} and "hin_Deva" in props["target_lang"][
        "description"]
    assert tool.invoke({"text": "Hello", "target_lang": "hi"}) == "[hin_Deva] Hello"
    assert body(emulator) == {"text": ["Hello"], "target_language": "hin_Deva"}
    with pytest.raises(WorkersAIToolInputError, match="FLORES"):
        tool.invoke({"text": "Hello", "target_lang": "klingon"})
    assert len(emulator.requests) == 1


@pytest.mark.parametrize("use_async", [False, True])
async def test_text_classification_returns_json_labels(
    emu_kwargs: dict[str, Any], emulator: Any, use_async: bool
) -> None:
    tool = WorkersAITextClassificationTool(**emu_kwargs)
    out = await run(tool, {"text": "I love this, it is great"}, use_async)
    assert out["top"] == "POSITIVE" and out["model"] == "@cf/huggingface/distilbert-sst-2-int8"
    scores = [lab["score"] for lab in out["labels"]]
    assert scores == sorted(scores, reverse=True) and len(scores) == 2
    assert body(emulator) == {"text": "I love this, it is great"}
    msg = await run(tool, call("classify_text", {"text": "awful and broken"}), use_async)
    assert json.loads(msg.content)["top"] == "NEGATIVE"


@pytest.mark.parametrize("use_async", [False, True])
async def test_summary_max_length_from_tool_then_agent(
    emu_kwargs: dict[str, Any], emulator: Any, use_async: bool
) -> None:
    text = "One two three. Four five six seven. Eight nine."
    tool = WorkersAISummarizationTool(**emu_kwargs, max_length=4)
    out = await run(tool, {"text": text}, use_async)
    assert out["model"] == DEFAULT_SUMMARY_MODEL and out["summary"]
    sent = body(emulator)
    assert [m["content"] for m in sent["messages"]] == [SUMMARY_INSTRUCTION, text]
    assert sent["max_tokens"] == 4
    out = await run(tool, {"text": text, "max_length": 7}, use_async)
    assert body(emulator)["max_tokens"] == 7


def test_empty_text_is_refused_by_the_schema(emu_kwargs: dict[str, Any], emulator: Any) -> None:
    with pytest.raises(ValidationError):
        WorkersAITextClassificationTool(**emu_kwargs).invoke({"text": ""})
    assert emulator.requests == []


@pytest.mark.parametrize("use_async", [False, True])
async def test_image_classification_sends_the_file_as_raw_bytes(
    emu_kwargs: dict[str, Any], emulator: Any, png_file: Path, use_async: bool
) -> None:
    tool = WorkersAIImageClassificationTool(**emu_kwargs)
    out = await run(tool, {"image": str(png_file)}, use_async)
    sent = emulator.requests[-1]
    assert sent.body == PNG and sent.headers["content-type"] == "image/png"
    assert out["top"] == out["labels"][0]["label"] and len(out["labels"]) >= 1
    again = tool.invoke({"image": PNG})  # bytes from Python callers
    assert again == out


def test_image_argument_forms_and_root_dir(
    emu_kwargs: dict[str, Any], emulator: Any, png_file: Path, tmp_path: Path
) -> None:
    tool = WorkersAIImageClassificationTool(**emu_kwargs)
    data_url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    tool.invoke({"image": data_url})
    assert emulator.requests[-1].body == PNG
    for bad, match in [("https://example.com/cat.png", "not fetched"),
                       ("data:image/png,rawtext", "must be base64"),
                       (str(tmp_path / "missing.png"), "no image file")]:
        with pytest.raises(WorkersAIToolInputError, match=match):
            tool.invoke({"image": bad})
    confined = WorkersAIImageClassificationTool(**emu_kwargs, root_dir=tmp_path / "inside")
    (tmp_path / "inside").mkdir()
    (tmp_path / "inside" / "ok.png").write_bytes(PNG)
    confined.invoke({"image": "ok.png"})
    with pytest.raises(WorkersAIToolInputError, match="outside"):
        confined.invoke({"image": str(png_file)})
    with pytest.raises(WorkersAIToolInputError, match="outside"):
        confined.invoke({"image": "../square.png"})
    assert len(emulator.requests) == 2


@pytest.mark.parametrize("use_async", [False, True])
async def test_detection_boxes_and_min_score(
    emu_kwargs: dict[str, Any], emulator: Any, use_async: bool
) -> None:
    tool = WorkersAIObjectDetectionTool(**emu_kwargs, min_score=0.0)
    found = await run(tool, {"image": PNG}, use_async)
    assert found["count"] == len(found["objects"]) >= 1
    for obj in found["objects"]:
        box = obj["box"]
        assert 0 <= box["xmin"] < box["xmax"] <= 64 and 0 <= box["ymin"] < box["ymax"] <= 48
    assert emulator.requests[-1].body == PNG
    cut = max(o["score"] for o in found["objects"])
    strict = await run(tool, {"image": PNG, "min_score": cut}, use_async)
    assert [o["score"] for o in strict["objects"]] == [cut]
    none = WorkersAIObjectDetectionTool(**emu_kwargs, min_score=1.0).invoke({"image": PNG})
    assert none["count"] == 0


@pytest.mark.parametrize("use_async", [False, True])
async def test_image_to_text_sends_a_uint8_array_and_prompt(
    emu_kwargs: dict[str, Any], emulator: Any, png_file: Path, use_async: bool
) -> None:
    tool = WorkersAIImageToTextTool(**emu_kwargs)
    out = await run(tool, {"image": str(png_file), "prompt": "What is it?"}, use_async)
    assert out == {"description": "The image shows a blue square.",
                   "model": "@cf/llava-hf/llava-1.5-7b-hf"}
    assert body(emulator) == {"image": list(PNG), "prompt": "What is it?"}
    await run(tool, {"image": str(png_file)}, use_async)
    assert body(emulator)["prompt"] == "Describe this image."


def test_model_error_reply_is_a_dual_class(emu_kwargs: dict[str, Any]) -> None:
    tool = WorkersAITextClassificationTool(**emu_kwargs, model="@cf/unknown/classifier")
    with pytest.raises(WorkersAIModelNotFoundError) as err:
        tool.invoke({"text": "fine"})
    assert isinstance(err.value, ModelNotFoundError) and err.value.code == 5007
