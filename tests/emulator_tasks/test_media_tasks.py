"""Images and speech: binary replies, embedded-text rules, validation."""

from __future__ import annotations

import base64
import io
import struct
import wave
import zlib

import pytest

from workersai.emulator._tasks import (
    VOCABULARY,
    audio_content,
    handle_task,
    image_info,
    make_mp3,
    make_png,
    make_wav,
)

from .helpers import bad, call, ok

FLUX = "@cf/black-forest-labs/flux-1-schnell"
SDXL = "@cf/stabilityai/stable-diffusion-xl-base-1.0"
WHISPER = "@cf/openai/whisper"
TURBO = "@cf/openai/whisper-large-v3-turbo"
NOVA = "@cf/deepgram/nova-3"
MELO = "@cf/myshell-ai/melotts"
AURA = "@cf/deepgram/aura-1"


def _png_chunks(data: bytes) -> dict[bytes, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = {}, 8
    while pos < len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + size]
        (crc,) = struct.unpack(">I", data[pos + 8 + size:pos + 12 + size])
        assert crc == zlib.crc32(kind + body)
        chunks[kind] = body
        pos += 12 + size
    return chunks


def test_models_it_does_not_serve_return_none() -> None:
    assert handle_task("@cf/meta/llama-3.1-8b-instruct", "text-generation", b"{}",
                       "application/json") is None
    assert handle_task("@cf/unknown/model", "text-to-image", b"{}", "application/json") is None


def test_flux_json_base64_jpeg_carrying_the_prompt() -> None:
    result = ok(FLUX, {"prompt": "a red fox", "steps": 4})
    jpeg = base64.b64decode(result["image"])
    assert jpeg.startswith(b"\xff\xd8") and jpeg.endswith(b"\xff\xd9")
    assert image_info(jpeg) == ("JPEG", 8, 8, "a red fox")
    assert ok(FLUX, {"prompt": "a red fox", "steps": 4}) == result


def test_flux_jpeg_decodes() -> None:
    pil = pytest.importorskip("PIL.Image")
    jpeg = base64.b64decode(ok(FLUX, {"prompt": "x"})["image"])
    assert pil.open(io.BytesIO(jpeg)).size == (8, 8)


@pytest.mark.parametrize(
    ("inputs", "fragment"),
    [
        ({"prompt": "x", "width": 512, "height": 512},
         "Additional or unevaluated properties '/width, /height' at '/' not allowed"),
        ({}, "required properties at '/' are 'prompt'"),
        ({"prompt": ""}, "'/prompt' must be >= 1"),
        ({"prompt": "x" * 2049}, "'/prompt' must be <= 2048"),
        ({"prompt": "x", "steps": 9}, "'/steps' must be <= 8"),
        ({"prompt": "x", "steps": "4"}, "Type mismatch of '/steps', 'string' not in 'int'"),
    ],
)
def test_flux_validation(inputs: dict[str, object], fragment: str) -> None:
    assert fragment in bad(FLUX, inputs)


def test_sdxl_raw_png_of_the_requested_size() -> None:
    status, headers, png = call(SDXL, {"prompt": "a cat", "width": 300, "height": 256})
    assert status == 200 and headers["content-type"] == "image/png"
    chunks = _png_chunks(png)
    assert struct.unpack(">II", chunks[b"IHDR"][:8]) == (300, 256)
    raw = zlib.decompress(chunks[b"IDAT"])
    assert len(raw) == 256 * (1 + 300 * 3)
    assert image_info(png) == ("PNG", 300, 256, "a cat")


def test_sdxl_default_size_and_determinism() -> None:
    first = call(SDXL, {"prompt": "a cat"})[2]
    assert image_info(first)[1:3] == (1024, 1024)
    assert call(SDXL, {"prompt": "a cat"})[2] == first
    assert call(SDXL, {"prompt": "a dog"})[2] != first
    assert call(SDXL, {"prompt": "a cat", "seed": 3})[2] != first


def test_sdxl_png_decodes() -> None:
    pil = pytest.importorskip("PIL.Image")
    png = call(SDXL, {"prompt": "x", "width": 256, "height": 260})[2]
    assert pil.open(io.BytesIO(png)).size == (256, 260)


@pytest.mark.parametrize(
    ("inputs", "fragment"),
    [
        ({"prompt": "x", "num_steps": 21}, "'/num_steps' must be <= 20"),
        ({"prompt": "x", "width": 255}, "'/width' must be >= 256"),
        ({"prompt": "x", "height": 4096}, "'/height' must be <= 2048"),
        ({"prompt": "x", "strength": 2}, "'/strength' must be <= 1"),
        ({"prompt": "x", "image": [1, 256]}, "Type mismatch of '/image'"),
        ({"negative_prompt": "x"}, "'prompt'"),
    ],
)
def test_sdxl_validation(inputs: dict[str, object], fragment: str) -> None:
    assert fragment in bad(SDXL, inputs)


def test_wav_text_round_trip_and_duration() -> None:
    wav = make_wav("hello there friend", seconds=3.0)
    with wave.open(io.BytesIO(wav)) as src:
        assert src.getnframes() == 48000
    assert audio_content(wav) == ("hello there friend", 3.0)


def test_whisper_raw_and_array_forms_agree() -> None:
    wav = make_wav("the quick fox", seconds=1.5)
    raw = ok(WHISPER, raw=wav, content_type="audio/wav")
    as_array = ok(WHISPER, {"audio": list(wav)})
    assert raw == as_array
    assert raw["text"] == "the quick fox" and raw["word_count"] == 3
    assert [(w["word"], w["start"], w["end"]) for w in raw["words"]] == [
        ("the", 0.0, 0.5), ("quick", 0.5, 1.0), ("fox", 1.0, 1.5)]
    assert raw["vtt"].startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nthe quick fox")


def test_audio_without_embedded_text_gets_a_hash_transcript() -> None:
    first = ok(WHISPER, raw=b"\x01\x02\x03 some audio")
    words = first["text"].split()
    assert 4 <= len(words) <= 8 and set(words) <= set(VOCABULARY)
    assert ok(WHISPER, raw=b"\x01\x02\x03 some audio") == first
    assert ok(WHISPER, raw=b"other audio")["text"] != first["text"]


@pytest.mark.parametrize(
    ("kw", "fragment"),
    [
        ({"raw": b"", "content_type": "audio/wav"}, "'/audio' must not be empty"),
        ({"inputs": {"audio": "AAAA"}}, "Type mismatch of '/audio'"),
        ({"inputs": {"audio": []}}, "'/audio' must be >= 1"),
        ({"inputs": {}}, "required properties at '/' are 'audio'"),
    ],
)
def test_whisper_validation(kw: dict[str, object], fragment: str) -> None:
    assert fragment in bad(WHISPER, **kw)  # type: ignore[arg-type]


def test_turbo_segments_and_info() -> None:
    wav = make_wav("hola mundo", seconds=2.0)
    out = ok(TURBO, {"audio": base64.b64encode(wav).decode(), "language": "es"})
    assert out["text"] == "hola mundo" and out["word_count"] == 2
    (segment,) = out["segments"]
    assert segment["start"] == 0.0 and segment["end"] == 2.0
    assert [w["word"] for w in segment["words"]] == ["hola", "mundo"]
    assert out["transcription_info"]["language"] == "es"
    assert out["transcription_info"]["duration"] == 2.0


def test_turbo_initial_prompt_changes_the_text() -> None:
    audio = base64.b64encode(make_wav("mundo")).decode()
    out = ok(TURBO, {"audio": audio, "initial_prompt": "hola"})
    assert out["text"] == "hola mundo"


@pytest.mark.parametrize(
    ("kw", "fragment"),
    [
        ({"raw": b"RIFF", "content_type": "audio/wav"}, "'binary' (audio/wav) not in 'object'"),
        ({"inputs": {"audio": "%%%"}}, "'/audio' is not valid base64"),
        ({"inputs": {"audio": "AAAA", "task": "dance"}}, "'/task' must be equal to one of"),
        ({"inputs": {"audio": "AAAA", "beam_size": 0}}, "'/beam_size' must be >= 1"),
    ],
)
def test_turbo_validation(kw: dict[str, object], fragment: str) -> None:
    assert fragment in bad(TURBO, **kw)  # type: ignore[arg-type]


def test_nova_reads_raw_mp3_in_deepgram_shape() -> None:
    mp3 = make_mp3("Hello, world.")
    out = ok(NOVA, raw=mp3, content_type="audio/mpeg")
    (alt,) = out["results"]["channels"][0]["alternatives"]
    assert alt["transcript"] == "Hello, world."
    assert [(w["word"], w["punctuated_word"]) for w in alt["words"]] == [
        ("hello", "Hello,"), ("world", "world.")]
    assert alt["words"][-1]["end"] == pytest.approx(0.8, abs=0.03)


def test_nova_refuses_json() -> None:
    assert "raw audio bytes" in bad(NOVA, {"audio": {"body": "AAAA", "contentType": "audio/wav"}})


def test_melotts_json_base64_mp3_carrying_the_text() -> None:
    out = ok(MELO, {"prompt": "bonjour tout le monde", "lang": "fr"})
    mp3 = base64.b64decode(out["audio"])
    assert mp3.startswith(b"ID3") and b"\xff\xfb" in mp3
    assert audio_content(mp3)[0] == "bonjour tout le monde"
    assert "'prompt'" in bad(MELO, {"text": "hi"})


def test_aura_raw_mpeg_and_wav_container() -> None:
    status, headers, mp3 = call(AURA, {"text": "good morning", "speaker": "luna"})
    assert status == 200 and headers["content-type"] == "audio/mpeg"
    assert audio_content(mp3)[0] == "good morning"
    status, headers, wav = call(AURA, {"text": "good morning", "container": "wav",
                                       "sample_rate": 8000})
    assert headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(wav)) as src:
        assert src.getframerate() == 8000
    assert audio_content(wav)[0] == "good morning"
    assert call(AURA, {"text": "x", "encoding": "flac"})[1]["content-type"] == "audio/flac"


@pytest.mark.parametrize(
    ("inputs", "fragment"),
    [
        ({"text": "x", "speaker": "bob"}, "'/speaker' must be equal to one of"),
        ({"text": "x", "encoding": "wav"}, "'/encoding' must be equal to one of"),
        ({"speaker": "luna"}, "'text'"),
        ({"text": ""}, "'/text' must be >= 1"),
    ],
)
def test_aura_validation(inputs: dict[str, object], fragment: str) -> None:
    assert fragment in bad(AURA, inputs)


def test_make_png_is_independent_of_the_handlers() -> None:
    png = make_png(2, 3, (1, 2, 3), "t")
    assert zlib.decompress(_png_chunks(png)[b"IDAT"]) == (b"\x00" + b"\x01\x02\x03" * 2) * 3
