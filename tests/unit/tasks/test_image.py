from __future__ import annotations

import base64
import json

import pytest

from workersai.config import RequestOptions
from workersai.errors import InvalidInputError, ResponseFormatError
from workersai.tasks import (
    GENERIC_IMAGE_SPEC,
    ImageParams,
    TaskReply,
    agenerate_image,
    build_image_request,
    generate_image,
    parse_image_reply,
)

from .conftest import Raw, Run, Twin

FLUX = "@cf/black-forest-labs/flux-1-schnell"
SDXL = "@cf/stabilityai/stable-diffusion-xl-base-1.0"
PAIR = (generate_image, agenerate_image)
JPEG = b"\xff\xd8\xff\xe0fake-jpeg"
PNG = b"\x89PNG\r\n\x1a\nfake-png"


def test_flux_goes_through_run_and_decodes_base64(twin: Twin) -> None:
    opts = RequestOptions(max_retries=0)
    reply = Run({"image": base64.b64encode(JPEG).decode()})
    image = twin(PAIR, [reply], FLUX, "a red fox", ImageParams(steps=6), options=opts)
    assert image.data == JPEG
    assert image.media_type == "image/jpeg"
    assert image.model == FLUX
    assert image.meta.request_id == "req-1"
    (call,) = twin.calls
    assert call == {"kind": "run", "model": FLUX, "inputs": {"prompt": "a red fox", "steps": 6},
                    "options": opts}


def test_sdxl_posts_json_and_reads_raw_png(twin: Twin) -> None:
    params = ImageParams(width=512, height=768, steps=12, seed=7, negative_prompt="blur",
                         guidance=6.5, strength=0.4)
    opts = RequestOptions(session_affinity="s1")
    image = twin(PAIR, [Raw(PNG, "image/png")], SDXL, "a cat", params, options=opts)
    assert image.data == PNG and image.media_type == "image/png"
    (call,) = twin.calls
    assert call["kind"] == "raw" and call["content_type"] == "application/json"
    assert call["options"] is opts
    assert json.loads(call["body"]) == {
        "prompt": "a cat", "negative_prompt": "blur", "width": 512, "height": 768,
        "num_steps": 12, "guidance": 6.5, "strength": 0.4, "seed": 7,
    }


def test_sdxl_img2img_sends_uint8_arrays() -> None:
    req = build_image_request(SDXL, "x", ImageParams(image=b"\x01\x02", mask=b"\xff"))
    assert req.inputs is not None
    assert req.inputs["image"] == [1, 2] and req.inputs["mask"] == [255]


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        (ImageParams(width=512), "does not take width"),
        (ImageParams(width=512, height=512), "height, width"),
        (ImageParams(seed=3), "does not take seed"),
        (ImageParams(extra={"guidance": 2}), "does not take guidance"),
        (ImageParams(steps=9), "steps=9"),
        (ImageParams(steps=0), "steps=0"),
    ],
)
def test_flux_rejects_what_its_closed_schema_refuses(params: ImageParams, fragment: str) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        build_image_request(FLUX, "a fox", params)


def test_flux_prompt_length_limit() -> None:
    build_image_request(FLUX, "x" * 2048)
    with pytest.raises(InvalidInputError, match="2049 characters"):
        build_image_request(FLUX, "x" * 2049)


@pytest.mark.parametrize("model", [FLUX, SDXL])
@pytest.mark.parametrize("prompt", ["", "   ", None, 3])
def test_prompt_must_be_text(model: str, prompt: object) -> None:
    with pytest.raises(InvalidInputError, match="prompt"):
        build_image_request(model, prompt)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        (ImageParams(width=255), "width=255"),
        (ImageParams(height=2049), "height=2049"),
        (ImageParams(width=512.5), "integer"),  # type: ignore[arg-type]
        (ImageParams(steps=21), "steps=21"),
        (ImageParams(strength=1.5), "strength"),
        (ImageParams(seed=-1), "seed"),
        (ImageParams(negative_prompt=""), "negative_prompt"),
        (ImageParams(image=b""), "image is empty"),
    ],
)
def test_sdxl_limits(params: ImageParams, fragment: str) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        build_image_request(SDXL, "a cat", params)


def test_sdxl_accepts_its_bounds() -> None:
    for size in (256, 2048):
        req = build_image_request(SDXL, "a", ImageParams(width=size, height=size, steps=20))
        assert req.inputs is not None and req.inputs["width"] == size


def test_unknown_model_passes_options_and_reads_either_reply() -> None:
    model = "@cf/example/new-image-model"
    req = build_image_request(model, "p", ImageParams(width=64, steps=3, extra={"x": 1}))
    assert req.inputs == {"prompt": "p", "width": 64, "num_steps": 3, "x": 1}
    assert req.binary_reply is GENERIC_IMAGE_SPEC.binary_reply is True
    as_json = TaskReply(result={"image": base64.b64encode(PNG).decode()})
    assert parse_image_reply(model, as_json).media_type == "image/png"
    as_raw = TaskReply(data=JPEG, content_type="application/octet-stream")
    assert parse_image_reply(model, as_raw).media_type == "image/jpeg"


@pytest.mark.parametrize(
    "reply",
    [
        TaskReply(result={"image": "%%%not-base64"}),
        TaskReply(result={"picture": "AAAA"}),
        TaskReply(result=["AAAA"]),
        TaskReply(data=b"", content_type="image/png"),
    ],
)
def test_bad_replies_raise_response_format_error(reply: TaskReply) -> None:
    with pytest.raises(ResponseFormatError):
        parse_image_reply(FLUX, reply)


def test_save_writes_the_bytes(tmp_path: object) -> None:
    from pathlib import Path

    image = parse_image_reply(SDXL, TaskReply(data=PNG, content_type="image/png"))
    target = image.save(Path(str(tmp_path)) / "out.png")
    assert target.read_bytes() == PNG


def test_invalid_input_makes_no_request(twin: Twin) -> None:
    with pytest.raises(InvalidInputError):
        twin(PAIR, [], FLUX, "fox", ImageParams(width=10))
    assert twin.calls == []
