"""Task models report neurons from their published prices (``cf-ai-neurons``), measured
on the request by the documented rules (``workersai/emulator/_task_neurons.py``); a model
without a published price reports none."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.emulator.helpers import run
from workersai import catalog
from workersai.emulator._app import Emulator
from workersai.emulator._tasks import make_wav

pytestmark = pytest.mark.usefixtures("before_retirements")


def _price(model: str, unit: str) -> float:
    info = catalog.priced_as(model)
    assert info is not None
    price = info.price(unit)
    assert price is not None, (model, unit)
    return price.neurons


def _billed(model: str, body: Any = None, **kw: Any) -> float | None:
    reply = run(Emulator(), model, body, **kw)
    assert reply.status == 200, reply.raw[:300]
    value = reply.headers.get("cf-ai-neurons")
    return None if value is None else float(value)


def test_translation_bills_input_and_output_tokens() -> None:
    model = "@cf/meta/m2m100-1.2b"
    billed = _billed(model, {"text": "one two three", "target_lang": "fr"})
    # reply "[fr] one two three": 4 output words
    expected = (3 * _price(model, "per M input tokens")
                + 4 * _price(model, "per M output tokens")) / 1e6
    assert expected > 0 and billed == pytest.approx(expected, abs=1e-4)


def test_a_list_of_texts_counts_every_text() -> None:
    model = "@cf/ai4bharat/indictrans2-en-indic-1B"
    one = _billed(model, {"text": "a b", "target_language": "hin_Deva"})
    two = _billed(model, {"text": ["a b", "a b"], "target_language": "hin_Deva"})
    assert one and two and two == pytest.approx(2 * one, abs=1e-4)


@pytest.mark.parametrize("seconds", [30.0, 120.0])
def test_transcription_bills_the_audio_minutes(seconds: float) -> None:
    model = "@cf/openai/whisper-large-v3-turbo"
    audio = base64.b64encode(make_wav("hello world", seconds=seconds, rate=8000)).decode()
    billed = _billed(model, {"audio": audio})
    expected = seconds / 60 * _price(model, "per audio minute")
    assert expected > 0 and billed == pytest.approx(expected, abs=1e-4)


def test_raw_audio_bodies_are_measured_too() -> None:
    model = "@cf/deepgram/nova-3"
    billed = _billed(model, raw=make_wav("hi", seconds=60.0, rate=8000),
                     headers={"content-type": "audio/wav"})
    assert billed == pytest.approx(_price(model, "per audio minute"), abs=1e-4)


def test_image_classification_bills_per_request() -> None:
    model = "@cf/microsoft/resnet-50"
    billed = _billed(model, {"image": list(b"not really an image")})
    assert billed == pytest.approx(_price(model, "per inference request"), abs=1e-4)


def test_a_free_priced_model_reports_zero_and_an_unpriced_one_nothing() -> None:
    assert _billed("@cf/bytedance/stable-diffusion-xl-lightning", {"prompt": "a cat"}) == 0.0
    assert _billed("@cf/huggingface/distilbert-sst-2-int8", {"text": "good"}) is None
    assert not catalog.lookup("@cf/huggingface/distilbert-sst-2-int8").prices  # type: ignore[union-attr]


def test_a_failed_task_call_reports_no_neurons() -> None:
    reply = run(Emulator(), "@cf/meta/m2m100-1.2b", {"text": "x"})  # no target_lang
    assert reply.status == 400 and "cf-ai-neurons" not in reply.headers
