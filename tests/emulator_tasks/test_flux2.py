"""FLUX.2 image models take a multipart form on the REST API: ``client.tasks.generate_image``
builds it (prompt, width, height, steps on dev; ``extra`` fields as given, bytes as file
parts), the emulator reads it and answers ``{"image": base64}``, as the service does."""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
from typing import Any

import pytest

from tests.emulator.helpers import run
from workersai import AsyncClient, Client
from workersai.emulator import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN, Emulator
from workersai.emulator.transport import emulator_async_http_client, emulator_http_client
from workersai.errors import InvalidInputError
from workersai.tasks import ImageParams
from workersai.wire.tasks._multipart import encode_form

DEV = "@cf/black-forest-labs/flux-2-dev"
KLEIN = "@cf/black-forest-labs/flux-2-klein-4b"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def _form(body: bytes, content_type: str) -> dict[str, Any]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    out: dict[str, Any] = {}
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        name = part.get_param("name", header="content-disposition")
        out[name] = (part.get_content_type(), payload) if part.get_filename() else (
            payload.decode())
    return out


def test_the_form_encoder_is_deterministic_and_parses_back() -> None:
    body, ctype = encode_form({"prompt": "a fox", "width": 512, "input_image_0": PNG})
    assert (body, ctype) == encode_form({"prompt": "a fox", "width": 512, "input_image_0": PNG})
    assert ctype.startswith("multipart/form-data; boundary=")
    assert _form(body, ctype) == {"prompt": "a fox", "width": "512",
                                  "input_image_0": ("image/png", PNG)}


@pytest.mark.parametrize("bad", [{'na"me': "x"}, {"a\r\nb": "x"}, {"x": None}])
def test_the_form_encoder_refuses_what_it_cannot_send(bad: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError, match="form field"):
        encode_form(bad)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_generate_image_sends_the_form_and_reads_the_image(kind: str) -> None:
    emu = Emulator()
    params = ImageParams(width=768, height=512, steps=12, extra={"input_image_0": PNG})
    settings: dict[str, Any] = {"account_id": DEFAULT_ACCOUNT_ID, "api_token": DEFAULT_TOKEN}
    if kind == "sync":
        with Client(http_client=emulator_http_client(emu), **settings) as client:
            image = client.tasks.generate_image(DEV, "a red fox", params)
    else:
        async def main() -> Any:
            async with AsyncClient(http_client=emulator_async_http_client(emu),
                                   **settings) as aclient:
                return await aclient.tasks.generate_image(DEV, "a red fox", params)

        image = asyncio.run(main())
    assert image.media_type == "image/jpeg" and b"a red fox" in image.data  # JPEG comment
    (sent,) = emu.requests
    fields = _form(sent.body, sent.headers["content-type"])
    assert fields == {"prompt": "a red fox", "width": "768", "height": "512", "steps": "12",
                      "input_image_0": ("image/png", PNG)}


@pytest.mark.parametrize(("model", "params", "named"), [
    (KLEIN, ImageParams(steps=4), "steps"),  # klein runs a fixed 4 steps
    (DEV, ImageParams(seed=3), "seed"),
    (DEV, ImageParams(negative_prompt="blur"), "negative_prompt"),
    (DEV, ImageParams(image=PNG), "image"),
])
def test_options_the_form_does_not_take_are_refused_before_sending(
    model: str, params: ImageParams, named: str
) -> None:
    emu = Emulator()
    client = Client(account_id=DEFAULT_ACCOUNT_ID, api_token=DEFAULT_TOKEN,
                    http_client=emulator_http_client(emu))
    with pytest.raises(InvalidInputError, match=named):
        client.tasks.generate_image(model, "a fox", params)
    assert emu.requests == []


def test_the_emulator_refuses_json_and_a_form_without_a_prompt() -> None:
    emu = Emulator()
    as_json = run(emu, DEV, {"prompt": "a fox"})
    assert as_json.status == 400 and "'multipart'" in as_json.raw.decode()
    body, ctype = encode_form({"width": 512})
    no_prompt = run(emu, KLEIN, None, raw=body, headers={"content-type": ctype})
    assert no_prompt.status == 400 and "'prompt'" in no_prompt.raw.decode()
    body, ctype = encode_form({"prompt": "a fox", "width": "wide"})
    bad_width = run(emu, KLEIN, None, raw=body, headers={"content-type": ctype})
    assert bad_width.status == 400 and "/width" in bad_width.raw.decode()
