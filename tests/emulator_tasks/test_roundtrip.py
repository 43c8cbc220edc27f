"""``workersai.tasks`` against the emulator's task serving, end to end.

Three ways in: a minimal bridge client calling ``handle_task`` directly, the real
``Client``/``AsyncClient`` over ``httpx.MockTransport``, and the real ``Client`` against the
whole in-process ``Emulator`` app (auth, routing, headers).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from workersai import tasks
from workersai._namespaces import Tasks
from workersai.client import AsyncClient, Client
from workersai.emulator._tasks import handle_task, make_wav
from workersai.errors import BadRequestError, InvalidInputError
from workersai.types import ResponseMeta

pytestmark = pytest.mark.usefixtures("before_retirements")  # see conftest

ACCOUNT = "0123456789abcdef0123456789abcdef"


@dataclass
class _Out:
    result: Any = None
    content: bytes = b""
    content_type: str = "application/json"
    meta: ResponseMeta | None = None


class Bridge:
    """Just enough of ``Client``: status -> error, JSON envelope -> result, else bytes."""

    def __init__(self) -> None:
        self.calls = 0

    @property
    def tasks(self) -> Tasks:
        return Tasks(self)

    def _post(self, model: str, body: bytes, ctype: str) -> _Out:
        self.calls += 1
        out = handle_task(model, "", body, ctype)
        assert out is not None
        status, headers, data = out
        ctype = dict(headers)["content-type"]
        if status != 200:
            err = json.loads(data)["errors"][0]
            raise BadRequestError(err["message"], status_code=status, code=err["code"])
        if ctype == "application/json":
            return _Out(result=json.loads(data)["result"], meta=ResponseMeta(status_code=200))
        return _Out(content=data, content_type=ctype, meta=ResponseMeta(status_code=200))

    def run(self, model: str, inputs: dict[str, Any], *, options: Any = None) -> _Out:
        return self._post(model, json.dumps(inputs).encode(), "application/json")

    def run_raw(self, model: str, body: bytes, *, content_type: str,
                query: dict[str, str] | None = None, options: Any = None) -> _Out:
        return self._post(model, body, content_type)


def _mock_handler(request: httpx.Request) -> httpx.Response:
    prefix = f"/client/v4/accounts/{ACCOUNT}/ai/run/"
    assert request.url.path.startswith(prefix)
    model = request.url.path[len(prefix):]
    out = handle_task(model, "", request.content, request.headers.get("content-type", ""))
    assert out is not None
    status, headers, data = out
    return httpx.Response(status, headers=[*headers, ("cf-ai-req-id", "emu-1")], content=data)


@pytest.fixture(params=["bridge", "client", pytest.param("app", marks=pytest.mark.emulator)])
def client(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "bridge":
        yield Bridge()
        return
    if request.param == "app":
        from workersai.emulator import (
            DEFAULT_ACCOUNT_ID,
            DEFAULT_TOKEN,
            Emulator,
            emulator_http_client,
        )

        with emulator_http_client(Emulator()) as http, Client(
            account_id=DEFAULT_ACCOUNT_ID, api_token=DEFAULT_TOKEN, http_client=http,
            max_retries=0,
        ) as app_client:
            yield app_client
        return
    http = httpx.Client(transport=httpx.MockTransport(_mock_handler))
    real = Client(account_id=ACCOUNT, api_token="test-token", http_client=http,
                                max_retries=0)
    yield real
    real.close()
    http.close()


def test_speech_round_trips_through_tts_and_asr(client: Any) -> None:
    spoken = client.tasks.synthesize_speech("@cf/deepgram/aura-1", "good morning friends")
    assert spoken.media_type == "audio/mpeg"
    heard = client.tasks.transcribe("@cf/deepgram/nova-3", spoken.data)
    assert heard.text == "good morning friends"
    assert [w.text for w in heard.words] == ["good", "morning", "friends"]
    melo = client.tasks.synthesize_speech("@cf/myshell-ai/melotts", "bonjour")
    assert client.tasks.transcribe("@cf/openai/whisper", melo.data).text == "bonjour"


def test_whisper_forms_agree(client: Any) -> None:
    wav = make_wav("one two three", seconds=3.0)
    raw = client.tasks.transcribe("@cf/openai/whisper", wav)
    arr = client.tasks.transcribe("@cf/openai/whisper", wav,
                           tasks.TranscribeParams(encoding="array"))
    turbo = client.tasks.transcribe("@cf/openai/whisper-large-v3-turbo", wav,
                             tasks.TranscribeParams(language="en"))
    assert raw.text == arr.text == turbo.text == "one two three"
    assert [(w.start, w.end) for w in raw.words] == [(0.0, 1.0), (1.0, 2.0), (2.0, 3.0)]
    assert turbo.language == "en" and turbo.duration == 3.0 and len(turbo.segments) == 1


def test_images_round_trip(client: Any) -> None:
    sdxl = client.tasks.generate_image("@cf/stabilityai/stable-diffusion-xl-base-1.0",
                                "a lighthouse", tasks.ImageParams(width=256, height=320))
    assert sdxl.media_type == "image/png" and sdxl.data.startswith(b"\x89PNG")
    said = client.tasks.describe_image("@cf/llava-hf/llava-1.5-7b-hf", sdxl.data)
    assert said.text == "The image shows a lighthouse."
    found = client.tasks.detect_objects("@cf/facebook/detr-resnet-50", sdxl.data)
    assert found.objects and all(o.box.xmax <= 256 and o.box.ymax <= 320 for o in found.objects)
    labels = client.tasks.classify_image("@cf/microsoft/resnet-50", sdxl.data)
    assert labels.top is not None and labels.labels == sorted(
        labels.labels, key=lambda lab: lab.score, reverse=True)
    flux = client.tasks.generate_image("@cf/black-forest-labs/flux-1-schnell", "a fox",
                                tasks.ImageParams(steps=4))
    assert flux.media_type == "image/jpeg"
    said = client.tasks.describe_image("@cf/unum/uform-gen2-qwen-500m", flux.data,
                                params=tasks.DescribeParams(encoding="base64"))
    assert said.text == "The image shows a fox."


def test_text_tasks_round_trip(client: Any) -> None:
    t = client.tasks.translate("@cf/meta/m2m100-1.2b", ["Hello", "Bye"], "fr")
    assert t.texts == ["[fr] Hello", "[fr] Bye"]
    t = client.tasks.translate("@cf/ai4bharat/indictrans2-en-indic-1B", ["a", "b", "c"], "hi",
                        batch_size=2)
    assert t.texts == ["[hin_Deva] a", "[hin_Deva] b", "[hin_Deva] c"] and len(t.meta) == 2
    c = client.tasks.classify_text("@cf/huggingface/distilbert-sst-2-int8", "I love it")
    assert c.top is not None and c.top.label == "POSITIVE"
    s = client.tasks.summarize("@cf/facebook/bart-large-cnn", "A b c. D e f.", max_length=3)
    assert s.text == "A b c."


def test_errors(client: Any) -> None:
    with pytest.raises(InvalidInputError):
        client.tasks.generate_image("@cf/black-forest-labs/flux-1-schnell", "x",
                             tasks.ImageParams(width=512))
    if isinstance(client, Bridge):
        assert client.calls == 0
    with pytest.raises(BadRequestError) as info:
        client.tasks.generate_image("@cf/stabilityai/stable-diffusion-xl-base-1.0", "x",
                             tasks.ImageParams(extra={"num_steps": 50}))
    assert info.value.code == 5006 and "num_steps" in info.value.message


async def test_async_client_round_trip() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        return _mock_handler(request)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    aclient = AsyncClient(account_id=ACCOUNT, api_token="test-token",
                                        http_client=http, max_retries=0)
    try:
        spoken = await aclient.tasks.synthesize_speech("@cf/deepgram/aura-1", "hi there")
        heard = await aclient.tasks.transcribe("@cf/deepgram/nova-3", spoken.data)
        assert heard.text == "hi there" and heard.meta.request_id == "emu-1"
        t = await aclient.tasks.translate("@cf/meta/m2m100-1.2b", ["a", "b", "c"], "de",
                                   max_concurrency=2)
        assert t.texts == ["[de] a", "[de] b", "[de] c"]
        image = await aclient.tasks.generate_image(
            "@cf/stabilityai/stable-diffusion-xl-base-1.0", "x",
            tasks.ImageParams(width=256, height=256))
        assert image.media_type == "image/png"
    finally:
        await aclient.aclose()
        await http.aclose()
