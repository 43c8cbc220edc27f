"""Every request the tasks API (``workersai.tasks``) builds validates against the model's
published input schema.

For each published model of a task the package has an API for, a matrix of scenarios
(each option that task offers, at the bounds the schema gives) goes through the public
calls with a capturing transport. A scenario is refused before sending, naming the model
and the option, exactly when the schema lacks what it needs; otherwise every request it
sends validates (a raw body against the schema's binary form; Deepgram's raw audio plus
query options against its binding form). Values outside a schema's range are refused
with the range named. Models with no task API are listed in ``NO_TASK_API``: a newly
published model fails ``test_every_published_model_is_covered`` until it is placed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from workersai import Client, catalog
from workersai.catalog import schemas
from workersai.catalog.facts import input_facts
from workersai.errors import InvalidInputError, ModelRetiredError
from workersai.tasks import (
    ASR_SPECS,
    GENERIC_ASR_SPEC,
    GENERIC_TTS_SPEC,
    TTS_SPECS,
    DescribeParams,
    ImageParams,
    SpeechParams,
    TranscribeParams,
)

from ._schema import assert_conforms, is_retired
from ._tasks import MP3, PNG, WAV, as_schema_input, task_client

Call = Callable[[Client], Any]
Case = tuple[Call, list[str]]
"""A call and the names it must be refused for (empty: it must conform)."""


def _of(task: str) -> list[str]:
    return sorted(m for m in schemas.published_ids()
                  if (schemas.definition(m) or {}).get("task", {}).get("name") == task)


NO_TASK_API: dict[str, str] = {
    "@cf/cloudflare/clef": "decision model (typed questions over a state); use client.run",
    "@cf/cloudflare/clef-flash": "decision model (typed questions over a state); use client.run",
    "@cf/cloudflare/clef-omni": "decision model (typed questions over a state); use client.run",
    "@cf/pipecat-ai/smart-turn-v2": "voice activity detection: no task API; use client.run",
}
"""Published non-chat models the package has no task API for (reason)."""

REFUSED_FORMS: dict[str, str] = {
    "@cf/deepgram/flux": "sample_rate",
}
"""Models of a task with an API whose only input form that API does not build (a
WebSocket stream): every call is refused before sending, naming the field the form needs."""

FORM_FIELDS: dict[str, frozenset[str]] = {
    "@cf/black-forest-labs/flux-2-dev": frozenset({"prompt", "width", "height", "steps"}),
    "@cf/black-forest-labs/flux-2-klein-4b": frozenset({"prompt", "width", "height"}),
    "@cf/black-forest-labs/flux-2-klein-9b": frozenset({"prompt", "width", "height"}),
}
"""FLUX.2's multipart form fields, as the model pages document them (the published
schema describes only the binding's ``{"multipart": {"body", "contentType"}}`` wrapper,
which the sent form is checked against)."""


def _fields(model: str) -> frozenset[str]:
    facts = input_facts(model)
    assert facts is not None, model
    return facts.fields


def _bounds(model: str, name: str, default: tuple[float, float]) -> tuple[float, float]:
    lo, hi = (input_facts(model) or pytest.fail()).bounds.get(name, (None, None))
    return (default[0] if lo is None else lo, default[1] if hi is None else hi)


def _run(model: str, scenario: str, case: Case) -> None:
    call, refuse = case
    if model in REFUSED_FORMS:
        refuse = [REFUSED_FORMS[model], *refuse]
    client, cap = task_client()
    if refuse:
        with pytest.raises(InvalidInputError) as info:
            call(client)
        text = str(info.value)
        assert model.rsplit("/", 1)[-1] in text, text
        assert any(name in text for name in refuse), (refuse, text)
        assert cap.requests == [], f"{model} [{scenario}] sent a request it should refuse"
        return
    call(client)
    assert cap.requests, f"{model} [{scenario}] sent nothing"
    for request in cap.requests:
        assert_conforms(model, as_schema_input(model, request), scenario)


# -- text to image -------------------------------------------------------------------

IMAGE_MODELS = [m for m in _of("Text-to-Image") if not is_retired(m)]
_IMAGE_DEFAULTS: dict[str, tuple[Any, Any]] = {
    "width": (256, 1024), "height": (256, 1024), "steps": (1, 8), "guidance": (0, 7.5),
    "seed": (0, 42), "strength": (0, 1),
}


def _image_fields(model: str) -> frozenset[str]:
    return FORM_FIELDS.get(model) or _fields(model)


def _steps_wire(model: str) -> str:
    fields = _image_fields(model)
    return "steps" if "steps" in fields and "num_steps" not in fields else "num_steps"


def _image_cases(model: str) -> dict[str, Case]:
    fields = _image_fields(model)
    out: dict[str, Case] = {"plain": (lambda c: c.tasks.generate_image(model, "a fox"), [])}
    for name, default in _IMAGE_DEFAULTS.items():
        wire = _steps_wire(model) if name == "steps" else name
        lo, hi = _bounds(model, wire, default)
        if name in ("width", "height"):
            lo = max(lo, default[0])  # leonardo's published minimum is 0; we refuse 0 px
        for end, value in (("low", lo), ("high", hi)):
            value = int(value) if name != "guidance" and name != "strength" else value
            params = ImageParams(**{name: value})
            out[f"{name}_{end}"] = (
                lambda c, p=params: c.tasks.generate_image(model, "a fox", p),
                [] if wire in fields else [name])
    for name in ("negative_prompt", "image", "mask"):
        value: Any = "blurry" if name == "negative_prompt" else PNG
        params = ImageParams(**{name: value})
        out[name] = (lambda c, p=params: c.tasks.generate_image(model, "a fox", p),
                     [] if name in fields else [name])
    return out


# -- speech to text ------------------------------------------------------------------

ASR_MODELS = [m for m in _of("Automatic Speech Recognition") if not is_retired(m)]
_ASR_OPTIONS: dict[str, Any] = {"language": "en", "task": "transcribe",
                                "initial_prompt": "Names: Ada.", "vad_filter": True}


def _audio_kinds(model: str) -> set[str]:
    """How the schema takes audio: raw body, uint8 array or string (base64)."""
    schema = schemas.input_schema(model) or {}
    text = repr(schema)
    kinds = {"raw"} if "'format': 'binary'" in text or "'contentType'" in text else set()
    audio = repr((schema.get("properties") or {}).get("audio")) + repr(schema.get("oneOf"))
    if "'array'" in audio:
        kinds.add("array")
    if "'audio': {'type': 'string'" in repr(schema):
        kinds.add("base64")
    return kinds


def _asr_cases(model: str) -> dict[str, Case]:
    spec = ASR_SPECS.get(model, GENERIC_ASR_SPEC)
    kinds, fields = _audio_kinds(model), _fields(model)
    stream_form = "'contentType'" in repr(schemas.input_schema(model))
    out: dict[str, Case] = {}
    for encoding in ("auto", "raw", "array", "base64"):
        chosen = spec.encodings[0] if encoding == "auto" else encoding
        for option in (None, *_ASR_OPTIONS):
            refuse = [] if chosen in kinds else [chosen]
            if option is not None and not refuse and (
                    option not in fields or (chosen == "raw" and not stream_form)):
                refuse = [option]
            params = TranscribeParams(encoding=encoding, **(
                {option: _ASR_OPTIONS[option]} if option else {}))
            out[f"{encoding}_{option or 'plain'}"] = (
                lambda c, p=params: c.tasks.transcribe(model, WAV, p), refuse)
    return out


# -- text to speech ------------------------------------------------------------------

TTS_MODELS = [m for m in _of("Text-to-Speech") if not is_retired(m)]


def _tts_cases(model: str) -> dict[str, Case]:
    spec = TTS_SPECS.get(model, GENERIC_TTS_SPEC)
    fields = _fields(model)
    speakers = (schemas.input_schema(model) or {}).get("properties", {}).get("speaker", {})
    values: dict[str, Any] = {
        "voice": (speakers.get("enum") or ["luna"])[-1], "language": "en",
        "encoding": "mp3", "container": "none", "sample_rate": 24000, "bit_rate": 32000}
    out: dict[str, Case] = {"plain": (lambda c: c.tasks.synthesize_speech(model, "Hi."), [])}
    for name, value in values.items():
        wire = spec.wire.get(name, name)
        params = SpeechParams(**{name: value})
        out[name] = (lambda c, p=params: c.tasks.synthesize_speech(model, "Hi.", p),
                     [] if wire in fields and name in spec.wire else [name])
    return out


# -- translation ---------------------------------------------------------------------

TRANSLATION_MODELS = [m for m in _of("Translation") if not is_retired(m)]


def _translation_cases(model: str) -> dict[str, Case]:
    indic = "target_language" in _fields(model)
    target = "hi" if indic else "fr"
    many = [f"sentence {i}" for i in range(5)]
    return {
        "one": (lambda c: c.tasks.translate(model, "Hello", target), []),
        "with_source": (lambda c: c.tasks.translate(model, "Hello", target, "en"), []),
        "flores_target": (lambda c: c.tasks.translate(model, "Hello", "hin_Deva"), []),
        "many_batched": (lambda c: c.tasks.translate(model, many, target, batch_size=2), []),
        "target_off_list": (lambda c: c.tasks.translate(model, "Hello", "xyz_Latn"),
                            ["xyz_Latn"] if indic else []),
    }


# -- image in: classification, detection, description ---------------------------------

def _image_in_cases(model: str, verb: str) -> dict[str, Case]:
    kinds = _audio_kinds(model) | ({"array"} if "'image': {'type': 'array'" in repr(
        schemas.input_schema(model)) else set())
    return {enc: (lambda c, e=enc: getattr(c.tasks, verb)(model, PNG, encoding=e),
                  [] if enc == "auto" or enc in kinds else [enc])
            for enc in ("auto", "raw", "array")}


DESCRIBE_MODELS = [m for m in _of("Image-to-Text") if not is_retired(m)]
_SAMPLING = {"max_tokens": (1, 512), "temperature": (0, 1), "top_p": (0, 1), "top_k": (1, 50),
             "seed": (1, 42), "repetition_penalty": (0, 2), "frequency_penalty": (0, 2),
             "presence_penalty": (0, 2)}


def _describe_cases(model: str) -> dict[str, Case]:
    fields = _fields(model)
    out: dict[str, Case] = {
        "plain": (lambda c: c.tasks.describe_image(model, PNG), []),
        "prompt": (lambda c: c.tasks.describe_image(model, PNG, "How many cats?"), []),
        "base64": (lambda c: c.tasks.describe_image(
            model, PNG, params=DescribeParams(encoding="base64")), []),
        "array": (lambda c: c.tasks.describe_image(
            model, PNG, params=DescribeParams(encoding="array")),
            [] if "'image': {'oneOf': [{'type': 'array'" in repr(schemas.input_schema(model))
            else ["array"]),
    }
    for name, default in _SAMPLING.items():
        lo, hi = _bounds(model, name, default)
        for end, value in (("low", lo), ("high", hi)):
            value = int(value) if name in ("max_tokens", "top_k", "seed") else value
            params = DescribeParams(**{name: value})
            out[f"{name}_{end}"] = (
                lambda c, p=params: c.tasks.describe_image(model, PNG, params=p),
                [] if name in fields else [name])
    return out


def _cases() -> list[tuple[str, str, Case]]:
    found: list[tuple[str, str, Case]] = []
    tables: list[tuple[list[str], Callable[[str], dict[str, Case]]]] = [
        (IMAGE_MODELS, _image_cases), (ASR_MODELS, _asr_cases), (TTS_MODELS, _tts_cases),
        (TRANSLATION_MODELS, _translation_cases), (DESCRIBE_MODELS, _describe_cases),
        ([m for m in _of("Image Classification") if not is_retired(m)],
         lambda m: _image_in_cases(m, "classify_image")),
        ([m for m in _of("Object Detection") if not is_retired(m)],
         lambda m: _image_in_cases(m, "detect_objects")),
        (["@cf/huggingface/distilbert-sst-2-int8"],
         lambda m: {"text": (lambda c: c.tasks.classify_text(m, "I love it"), [])}),
    ]
    for models, make in tables:
        for model in models:
            found += [(model, name, case) for name, case in make(model).items()]
    return found


CASES = _cases()


@pytest.mark.parametrize(("model", "scenario", "case"), CASES,
                         ids=[f"{m}-{s}" for m, s, _ in CASES])
def test_task_requests_conform(model: str, scenario: str, case: Case) -> None:
    _run(model, scenario, case)


RETIRED_CALLS: dict[str, Call] = {
    "@cf/facebook/bart-large-cnn": lambda c: c.tasks.summarize(
        "@cf/facebook/bart-large-cnn", "A long text."),
    "@cf/unum/uform-gen2-qwen-500m": lambda c: c.tasks.describe_image(
        "@cf/unum/uform-gen2-qwen-500m", PNG),
}


@pytest.mark.parametrize("model", sorted(RETIRED_CALLS))
def test_retired_task_models_are_refused_before_sending(model: str) -> None:
    assert is_retired(model)
    client, cap = task_client()
    with pytest.raises(ModelRetiredError):
        RETIRED_CALLS[model](client)
    assert cap.requests == []


def test_every_published_model_is_covered() -> None:
    """Each published non-chat model has request scenarios, is retired (and refused), or
    is listed in NO_TASK_API; a new task or model fails here until it is placed."""
    covered = {m for m, _, _ in CASES} | set(RETIRED_CALLS)
    embed_rerank = set(_of("Text Embeddings")) | {"@cf/baai/bge-reranker-base"}
    for model in sorted(schemas.published_ids()):
        task = (schemas.definition(model) or {}).get("task", {}).get("name")
        facts = input_facts(model)
        if task == "Text Generation" and (facts is None or "questions" not in facts.fields):
            continue  # chat models: tests/conformance/test_chat_requests.py
        placed = [model in covered, model in NO_TASK_API, model in embed_rerank]
        assert sum(placed) == 1, f"{model} ({task}) has no request test and is not listed"


@pytest.mark.parametrize("model", sorted(NO_TASK_API))
def test_models_without_a_task_api_are_still_reachable_through_run(model: str) -> None:
    info = catalog.require(model)
    assert info.published and not is_retired(model)
    assert schemas.input_schema(model) is not None


OUT_OF_RANGE: list[tuple[str, str, Call]] = [
    (m, f"{wire}={hi + 1}", lambda c, m=m, n=name, v=hi + 1: c.tasks.generate_image(
        m, "a fox", ImageParams(**{n: int(v) if n != "guidance" else v})))
    for m in IMAGE_MODELS if m not in REFUSED_FORMS
    for name in ("width", "height", "steps", "guidance")
    for wire in [_steps_wire(m) if name == "steps" else name]
    for lo, hi in [(input_facts(m) or pytest.fail()).bounds.get(wire, (None, None))]
    if hi is not None
] + [
    (m, f"{name}={lo - 1}", lambda c, m=m, n=name, v=lo - 1: c.tasks.describe_image(
        m, PNG, params=DescribeParams(**{n: v})))
    for m in DESCRIBE_MODELS
    for name, (lo, hi) in (input_facts(m) or pytest.fail()).bounds.items()
    if name in _SAMPLING and lo is not None
]


@pytest.mark.parametrize(("model", "value", "call"), OUT_OF_RANGE,
                         ids=[f"{m}-{v}" for m, v, _ in OUT_OF_RANGE])
def test_values_outside_the_schema_range_are_refused(model: str, value: str,
                                                     call: Call) -> None:
    client, cap = task_client()
    with pytest.raises(InvalidInputError, match=r"range \[") as info:
        call(client)
    assert value.split("=")[0] in str(info.value) or "steps" in str(info.value)
    assert cap.requests == []


def test_out_of_range_matrix_is_not_empty() -> None:
    assert len(OUT_OF_RANGE) >= 10


def test_extra_fields_are_sent_only_when_passed_explicitly() -> None:
    model = "@cf/stabilityai/stable-diffusion-xl-base-1.0"
    client, cap = task_client()
    client.tasks.generate_image(model, "a fox", ImageParams(extra={"image_b64": "AAAA"}))
    client.tasks.generate_image(model, "a fox", ImageParams(extra={"not_in_schema": 1}))
    sent = [as_schema_input(model, r) for r in cap.requests]
    assert sent[0]["image_b64"] == "AAAA" and sent[1]["not_in_schema"] == 1
    closed = "@cf/black-forest-labs/flux-1-schnell"  # additionalProperties: false
    with pytest.raises(InvalidInputError, match="not_in_schema"):
        client.tasks.generate_image(closed, "a fox", ImageParams(extra={"not_in_schema": 1}))
    assert len(cap.requests) == 2


def test_the_matrix_exercises_each_task_both_ways() -> None:
    refused = {m for m, _, (_, r) in CASES if r}
    sent = {m for m, _, (_, r) in CASES if not r and m not in REFUSED_FORMS}
    assert len(sent) >= 20 and len(refused) >= 10
    assert set(REFUSED_FORMS) <= {m for m, _, _ in CASES}
    assert {"@cf/moondream/moondream3.1-9B-A2B", "@cf/leonardo/phoenix-1.0",
            "@cf/deepgram/nova-3", "@cf/deepgram/aura-2-es"} <= sent
    assert MP3  # replies of binary models come back as audio/image bytes
