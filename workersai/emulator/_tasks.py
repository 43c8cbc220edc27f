"""Emulator serving of the non-chat tasks: images, speech, translation, classification...

Written from the wire reference (sections 1.1, 1.4, 6), independently of the client's
builders and parsers; it imports nothing from ``workersai`` but catalog data (none needed
here). Every reply is a pure function of the request, so tests can predict it:

* Images. FLUX answers ``{"image": base64}`` holding a fixed 8x8 JPEG whose comment (COM)
  segment is the prompt; FLUX.2 the same, from a ``multipart/form-data`` body (its only
  REST form: text fields ``prompt`` (required), ``width``/``height``/``steps`` (integers),
  file parts accepted; a JSON body is refused as its schema refuses it).
  Stable Diffusion answers a raw ``image/png`` of the requested size
  (default 1024x1024), one colour taken from the SHA-256 of the prompt and seed, with the
  prompt in an ``iTXt`` "Description" chunk.
* Speech. Audio this module makes carries its text: MP3 as an ID3v2 ``TIT2`` frame before
  silent frames, WAV in a ``LIST``/``INFO`` ``ICMT`` chunk. Transcribers read that text
  back; audio without it transcribes to words picked from :data:`VOCABULARY` by the
  SHA-256 of the bytes (4 to 8 words). Words are spread evenly over the duration (WAV:
  frames / rate; our MP3: frame count; otherwise 0.4 s a word).
* Translation prefixes the target language tag: ``"[fr] hello"``.
* Text classification counts :data:`POSITIVE` and :data:`NEGATIVE` words.
* Image classification, detection: labels, scores and boxes from the image's SHA-256;
  boxes lie inside the image (PNG/JPEG size, else 640x480).
* Summaries keep leading sentences while the word count stays within ``max_length``.
* Image to text: ``"The image shows <embedded text>."`` when the image carries text (PNG
  iTXt/tEXt, JPEG COM), else ``"A <w>x<h> <format> image."``; cut to ``max_tokens`` words.

Bad input is HTTP 400, code 5006, ``AiError: Bad input: Error: ...`` in the v4 envelope.
"""

from __future__ import annotations

import base64
import binascii
import email.parser
import email.policy
import hashlib
import io
import json
import math
import re
import struct
import wave
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["handle_task", "TASK_MODELS", "VOCABULARY", "POSITIVE", "NEGATIVE", "make_wav"]

Reply = tuple[int, list[tuple[str, str]], bytes]
Inputs = dict[str, Any]

VOCABULARY = ("hello", "world", "the", "quick", "brown", "fox", "jumps", "over", "lazy",
              "dog", "workers", "cloud", "edge", "model", "audio", "test")
POSITIVE = frozenset({"good", "great", "love", "excellent", "happy", "wonderful", "best",
                      "amazing", "like", "nice", "fantastic", "awesome", "enjoy", "enjoyed"})
NEGATIVE = frozenset({"bad", "terrible", "hate", "awful", "worst", "sad", "poor", "horrible",
                      "boring", "dislike", "angry", "ugly", "broken"})
_CLASSES = ("TABBY CAT", "GOLDEN RETRIEVER", "RED FOX", "SPORTS CAR", "TEAPOT", "PIZZA",
            "MOUNTAIN BIKE", "LIGHTHOUSE", "SUNFLOWER", "LAPTOP")
_OBJECTS = ("person", "cat", "dog", "car", "bicycle", "chair", "cup", "bottle")
_AURA_VOICES = ("angus", "asteria", "arcas", "orion", "orpheus", "athena", "luna", "zeus",
                "perseus", "helios", "hera", "stella")
_AURA_TYPES = {"linear16": "audio/wav", "flac": "audio/flac", "mulaw": "audio/basic",
               "alaw": "audio/basic", "mp3": "audio/mpeg", "opus": "audio/ogg",
               "aac": "audio/aac"}
_WORD_SECONDS = 0.4
_JSON = "application/json"


class BadInput(Exception):
    """A schema violation; the text follows ``AiError: Bad input: Error: ``."""


# --- replies ------------------------------------------------------------------------------


def _json_reply(result: Any) -> Reply:
    body = {"result": result, "success": True, "errors": [], "messages": []}
    return 200, [("content-type", _JSON)], json.dumps(body).encode()


def _bad(message: str) -> Reply:
    body = {"errors": [{"message": f"AiError: Bad input: Error: {message}", "code": 5006}],
            "success": False, "result": {}, "messages": []}
    return 400, [("content-type", _JSON)], json.dumps(body).encode()


def _raw(data: bytes, content_type: str) -> Reply:
    return 200, [("content-type", content_type)], data


# --- a small schema checker -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class F:
    """One input field: kind, required, numeric bounds or length bounds, enum."""

    kind: str  # str | int | num | bool | u8 | b64 | u8|b64 | str|strs
    required: bool = False
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()


_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number",
               list: "array", dict: "object", type(None): "null"}


def _kind_ok(kind: str, value: Any) -> bool:
    checks: dict[str, Callable[[Any], bool]] = {
        "str": lambda v: isinstance(v, str),
        "bool": lambda v: isinstance(v, bool),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "num": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "u8": lambda v: isinstance(v, list) and all(
            isinstance(x, int) and not isinstance(x, bool) and 0 <= x <= 255 for x in v),
        "b64": lambda v: isinstance(v, str),
        "strs": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    }
    return any(checks[k](value) for k in kind.split("|"))


def _check_field(name: str, spec: F, value: Any) -> None:
    if not _kind_ok(spec.kind, value):
        got = _JSON_TYPES.get(type(value), "unknown")
        raise BadInput(f"Type mismatch of '/{name}', '{got}' not in '{spec.kind}'")
    if spec.choices and value not in spec.choices:
        raise BadInput(f"'/{name}' must be equal to one of the allowed values")
    size = len(value) if isinstance(value, (str, list)) else value
    if spec.lo is not None and size < spec.lo:
        raise BadInput(f"'/{name}' must be >= {spec.lo:g}")
    if spec.hi is not None and size > spec.hi:
        raise BadInput(f"'/{name}' must be <= {spec.hi:g}")


def _validate(inputs: Inputs, fields: dict[str, F], closed: bool) -> None:
    missing = [n for n, f in fields.items() if f.required and n not in inputs]
    if missing:
        raise BadInput(f"required properties at '/' are {', '.join(repr(m) for m in missing)}")
    extra = [n for n in inputs if n not in fields]
    if closed and extra:
        raise BadInput(
            f"Additional or unevaluated properties '{', '.join('/' + n for n in extra)}' "
            "at '/' not allowed")
    for name, value in inputs.items():
        if name in fields:
            _check_field(name, fields[name], value)


def _as_bytes(name: str, value: Any) -> bytes:
    """A uint8 array, a base64 string or raw bytes, as bytes."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, list):
        return bytes(value)
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadInput(f"'/{name}' is not valid base64") from exc


# --- media: make and read ----------------------------------------------------------------


def _digest(*parts: Any) -> bytes:
    return hashlib.sha256(json.dumps(parts, default=repr).encode()).digest()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_png(width: int, height: int, rgb: tuple[int, int, int], text: str) -> bytes:
    """A solid-colour PNG carrying ``text`` in an iTXt "Description" chunk."""
    row = b"\x00" + bytes(rgb) * width
    packer = zlib.compressobj(6)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    itxt = b"Description\x00\x00\x00\x00\x00" + text.encode()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"iTXt", itxt)
            + _chunk(b"IDAT", idat) + _chunk(b"IEND", b""))


_JPEG_8X8 = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e1211101318281a"
    "181616183123251d283a333d3c3933383740485c4e404457453738506d51575f626768673e4d71797064"
    "785c656763ffdb0043011112121815182f1a1a2f6342384263636363636363636363636363636363636363"
    "63636363636363636363636363636363636363636363636363636363636363ffc0001108000800080301"
    "2200021101031101ffc4001500010100000000000000000000000000000003ffc4001410010000000000"
    "0000000000000000000000ffc40014010100000000000000000000000000000005ffc400141101000000"
    "00000000000000000000000000ffda000c03010002110311003f00a0018b3fffd9")


def make_jpeg(text: str) -> bytes:
    """The fixed 8x8 JPEG with ``text`` in a COM segment right after SOI."""
    data = text.encode()[:60000]
    return _JPEG_8X8[:2] + b"\xff\xfe" + struct.pack(">H", len(data) + 2) + data + _JPEG_8X8[2:]


def image_info(data: bytes) -> tuple[str, int, int, str | None]:
    """(format, width, height, embedded text) of a PNG or JPEG; unknown -> 640x480."""
    if data.startswith(b"\x89PNG") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        text, pos = None, 8
        while pos + 8 <= len(data):
            size, kind = struct.unpack(">I4s", data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + size]
            if kind in (b"tEXt", b"iTXt"):
                text = body.split(b"\x00")[-1].decode(errors="replace")
            pos += 12 + size
        return "PNG", width, height, text
    if data.startswith(b"\xff\xd8"):
        return _jpeg_info(data)
    return "unknown", 640, 480, None


def _jpeg_info(data: bytes) -> tuple[str, int, int, str | None]:
    width, height, text, pos = 640, 480, None, 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker, size = data[pos + 1], struct.unpack(">H", data[pos + 2:pos + 4])[0]
        if marker == 0xFE:
            text = data[pos + 4:pos + 2 + size].decode(errors="replace")
        elif marker in (0xC0, 0xC2):
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
        elif marker == 0xDA:
            break
        pos += 2 + size
    return "JPEG", width, height, text


def _syncsafe(n: int) -> bytes:
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])


_MP3_FRAME = b"\xff\xfb\x90\x00" + bytes(413)  # MPEG-1 Layer III, 128 kb/s, 44.1 kHz
_MP3_FRAME_SECONDS = 1152 / 44100


def make_mp3(text: str) -> bytes:
    """An ID3v2.4 tag whose TIT2 frame is ``text``, then silent frames (0.4 s a word)."""
    payload = b"\x03" + text.encode()
    frame = b"TIT2" + _syncsafe(len(payload)) + b"\x00\x00" + payload
    tag = b"ID3\x04\x00\x00" + _syncsafe(len(frame)) + frame
    count = max(1, round(len(text.split()) * _WORD_SECONDS / _MP3_FRAME_SECONDS))
    return tag + _MP3_FRAME * count


def make_wav(text: str, seconds: float | None = None, rate: int = 16000) -> bytes:
    """A silent mono 16-bit WAV carrying ``text`` in a LIST/INFO ICMT chunk."""
    seconds = len(text.split()) * _WORD_SECONDS if seconds is None else seconds
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(2 * int(seconds * rate)))
    comment = text.encode() + b"\x00"
    comment += b"\x00" * (len(comment) % 2)
    info = b"INFO" + b"ICMT" + struct.pack("<I", len(comment)) + comment
    data = buf.getvalue() + b"LIST" + struct.pack("<I", len(info)) + info
    return data[:4] + struct.pack("<I", len(data) - 8) + data[8:]


def _wav_text(data: bytes) -> str | None:
    pos = 12
    while pos + 8 <= len(data):
        kind, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        if kind == b"LIST" and data[pos + 8:pos + 12] == b"INFO":
            sub = pos + 12
            while sub + 8 <= pos + 8 + size:
                sid, ssize = data[sub:sub + 4], struct.unpack("<I", data[sub + 4:sub + 8])[0]
                if sid in (b"ICMT", b"INAM"):
                    return data[sub + 8:sub + 8 + ssize].rstrip(b"\x00").decode(errors="replace")
                sub += 8 + ssize + ssize % 2
        pos += 8 + size + size % 2
    return None


def _mp3_text(data: bytes) -> tuple[str | None, int]:
    """(TIT2 text, tag length) of an ID3v2.4 tag."""
    size = sum(b << (7 * (3 - i)) for i, b in enumerate(data[6:10]))
    pos, end, text = 10, 10 + size, None
    while pos + 10 <= end:
        fid = data[pos:pos + 4]
        fsize = sum(b << (7 * (3 - i)) for i, b in enumerate(data[pos + 4:pos + 8]))
        if fid == b"TIT2":
            text = data[pos + 11:pos + 10 + fsize].decode(errors="replace")
        pos += 10 + fsize
    return text, end


def audio_content(data: bytes) -> tuple[str, float | None]:
    """(text, duration in seconds or None) heard in ``data`` under this module's rules."""
    text, duration = None, None
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        text = _wav_text(data)
        try:
            with wave.open(io.BytesIO(data), "rb") as src:
                duration = src.getnframes() / src.getframerate()
        except (wave.Error, EOFError, ZeroDivisionError):
            duration = None
    elif data.startswith(b"ID3") and len(data) >= 10:
        text, tag_len = _mp3_text(data)
        duration = (len(data) - tag_len) // len(_MP3_FRAME) * _MP3_FRAME_SECONDS
    if not text:
        digest = hashlib.sha256(data).digest()
        text = " ".join(VOCABULARY[b % len(VOCABULARY)] for b in digest[1:5 + digest[0] % 5])
    return text, duration


# --- task handlers -------------------------------------------------------------------------


def _timed_words(text: str, duration: float | None) -> list[dict[str, Any]]:
    words = text.split()
    step = (duration / len(words)) if duration and words else _WORD_SECONDS
    return [{"word": w, "start": round(i * step, 3), "end": round((i + 1) * step, 3)}
            for i, w in enumerate(words)]


def _stamp(seconds: float) -> str:
    return f"{int(seconds // 3600):02d}:{int(seconds % 3600 // 60):02d}:{seconds % 60:06.3f}"


def _vtt(text: str, start: float, end: float) -> str:
    return f"WEBVTT\n\n{_stamp(start)} --> {_stamp(end)}\n{text}\n\n"


def _heard(inputs: Inputs) -> tuple[str, list[dict[str, Any]], float, float | None]:
    """(text, timed words, end of the last word, duration) of the ``audio`` input."""
    text, duration = audio_content(_as_bytes("audio", inputs["audio"]))
    words = _timed_words(text, duration)
    return text, words, (words[-1]["end"] if words else 0.0), duration


def _whisper(inputs: Inputs) -> Reply:
    text, words, end, _ = _heard(inputs)
    return _json_reply({"text": text, "word_count": len(words), "words": words,
                        "vtt": _vtt(text, 0.0, end)})


def _whisper_turbo(inputs: Inputs) -> Reply:
    text, words, end, duration = _heard(inputs)
    prompt = inputs.get("initial_prompt")
    if isinstance(prompt, str) and prompt.strip():
        text = f"{prompt.strip()} {text}"
    segment = {"start": 0.0, "end": end, "text": text, "temperature": 0.0,
               "avg_logprob": -0.1, "compression_ratio": 1.0, "no_speech_prob": 0.01,
               "words": words}
    info = {"language": inputs.get("language", "en"), "language_probability": 1.0,
            "duration": duration if duration is not None else end, "duration_after_vad": end}
    return _json_reply({"text": text, "word_count": len(words), "segments": [segment],
                        "transcription_info": info, "vtt": _vtt(text, 0.0, end)})


def _nova(inputs: Inputs) -> Reply:
    text, timed, _, _ = _heard(inputs)
    words = [{**w, "word": re.sub(r"\W", "", w["word"]).lower(), "punctuated_word": w["word"],
              "confidence": 0.99} for w in timed]
    alt = {"transcript": text, "confidence": 0.99, "words": words}
    return _json_reply({"results": {"channels": [{"alternatives": [alt]}]}})


def _flux(inputs: Inputs) -> Reply:
    image = make_jpeg(inputs["prompt"])
    return _json_reply({"image": base64.b64encode(image).decode()})


def _stable_diffusion(inputs: Inputs) -> Reply:
    digest = _digest(inputs["prompt"], inputs.get("seed"))
    width, height = inputs.get("width", 1024), inputs.get("height", 1024)
    rgb = (digest[0], digest[1], digest[2])
    return _raw(make_png(width, height, rgb, inputs["prompt"]), "image/png")


def _melotts(inputs: Inputs) -> Reply:
    return _json_reply({"audio": base64.b64encode(make_mp3(inputs["prompt"])).decode()})


def _aura(inputs: Inputs) -> Reply:
    encoding = inputs.get("encoding", "mp3")
    if inputs.get("container") == "wav" or encoding == "linear16":
        return _raw(make_wav(inputs["text"], rate=inputs.get("sample_rate", 24000)), "audio/wav")
    if encoding == "mp3":
        return _raw(make_mp3(inputs["text"]), "audio/mpeg")
    return _raw(b"EMULATED-AUDIO\x00" + inputs["text"].encode(), _AURA_TYPES[encoding])


def _m2m100(inputs: Inputs) -> Reply:
    return _json_reply({"translated_text": f"[{inputs['target_lang']}] {inputs['text']}"})


def _indictrans(inputs: Inputs) -> Reply:
    texts = inputs["text"] if isinstance(inputs["text"], list) else [inputs["text"]]
    tag = inputs["target_language"]
    if not re.fullmatch(r"[a-z]{3}_[A-Z][a-z]{3}", tag):
        raise BadInput("'/target_language' must be equal to one of the allowed values")
    return _json_reply({"translations": [f"[{tag}] {t}" for t in texts]})


def _sentiment(inputs: Inputs) -> Reply:
    words = re.findall(r"[a-z']+", inputs["text"].lower())
    balance = sum(w in POSITIVE for w in words) - sum(w in NEGATIVE for w in words)
    positive = round(1 / (1 + math.exp(-(2 * balance + 0.2))), 6)
    return _json_reply([{"label": "NEGATIVE", "score": round(1 - positive, 6)},
                        {"label": "POSITIVE", "score": positive}])


def _resnet(inputs: Inputs) -> Reply:
    digest = hashlib.sha256(_as_bytes("image", inputs["image"])).digest()
    weights = sorted((digest[i] + 1 for i in range(5)), reverse=True)
    total = sum(weights) * 1.25
    picks = [(digest[5 + i] + i) % len(_CLASSES) for i in range(5)]
    seen = list(dict.fromkeys(picks))
    return _json_reply([{"label": _CLASSES[c], "score": round(w / total, 6)}
                        for c, w in zip(seen, weights, strict=False)])


def _detr(inputs: Inputs) -> Reply:
    data = _as_bytes("image", inputs["image"])
    _, width, height, _ = image_info(data)
    digest = hashlib.sha256(data).digest()
    found = []
    for i in range(1 + digest[0] % 3):
        b = digest[1 + 5 * i:6 + 5 * i]
        xmin, ymin = b[0] * width // 512, b[1] * height // 512
        found.append({"score": round(0.5 + b[4] / 512, 6), "label": _OBJECTS[b[2] % 8],
                      "box": {"xmin": xmin, "ymin": ymin,
                              "xmax": min(width, xmin + 1 + b[3] * width // 512),
                              "ymax": min(height, ymin + 1 + b[3] * height // 512)}})
    return _json_reply(found)


def _bart(inputs: Inputs) -> Reply:
    limit = inputs.get("max_length", 1024)
    sentences = re.split(r"(?<=[.!?])\s+", inputs["input_text"].strip())
    kept: list[str] = []
    for sentence in sentences:
        if sum(len(s.split()) for s in kept) + len(sentence.split()) > limit:
            break
        kept.append(sentence)
    summary = " ".join(kept) or " ".join(sentences[0].split()[:limit])
    return _json_reply({"summary": summary})


def _describe(inputs: Inputs) -> Reply:
    kind, width, height, text = image_info(_as_bytes("image", inputs["image"]))
    answer = f"The image shows {text}." if text else f"A {width}x{height} {kind} image."
    words = answer.split()[: inputs.get("max_tokens", 512)]
    return _json_reply({"description": " ".join(words)})


# --- the model table -----------------------------------------------------------------------

_SAMPLING = {"max_tokens": F("int", lo=1), "temperature": F("num", lo=0, hi=5),
             "top_p": F("num", lo=0, hi=2), "top_k": F("int", lo=1, hi=50),
             "seed": F("int", lo=1, hi=9_999_999_999), "repetition_penalty": F("num", lo=0, hi=2),
             "frequency_penalty": F("num", lo=-2, hi=2), "presence_penalty": F("num", lo=-2, hi=2),
             "raw": F("bool")}
_SD = {"prompt": F("str", True, lo=1), "negative_prompt": F("str"), "image": F("u8"),
       "image_b64": F("b64"), "mask": F("u8"), "height": F("int", lo=256, hi=2048),
       "width": F("int", lo=256, hi=2048), "num_steps": F("int", lo=1, hi=20),
       "strength": F("num", lo=0, hi=1), "guidance": F("num"), "seed": F("int", lo=0)}
_TURBO = {"audio": F("b64", True), "task": F("str", choices=("transcribe", "translate")),
          "language": F("str"), "vad_filter": F("bool"), "initial_prompt": F("str"),
          "prefix": F("str"), "beam_size": F("int", lo=1),
          "condition_on_previous_text": F("bool"), "no_speech_threshold": F("num"),
          "compression_ratio_threshold": F("num"), "log_prob_threshold": F("num"),
          "hallucination_silence_threshold": F("num")}
_AURA = {"text": F("str", True, lo=1), "speaker": F("str", choices=_AURA_VOICES),
         "encoding": F("str", choices=tuple(_AURA_TYPES)),
         "container": F("str", choices=("none", "wav", "ogg")),
         "sample_rate": F("int", lo=1), "bit_rate": F("int", lo=1)}


@dataclass(frozen=True, slots=True)
class TaskModel:
    """How the emulator serves one model: its input schema and where raw bodies go."""

    handler: Callable[[Inputs], Reply]
    fields: dict[str, F] = field(default_factory=dict)
    closed: bool = False
    raw_field: str | None = None
    """A raw (non-JSON) body is accepted and stands for this field."""
    json_body: bool = True
    form: bool = False
    """The body is ``multipart/form-data`` (FLUX.2): its parts are the inputs."""


_IMAGE_IN = {"image": F("u8", True, lo=1)}
_FLUX2 = {"prompt": F("str", True, lo=1), "width": F("int", lo=1), "height": F("int", lo=1),
          "steps": F("int", lo=1)}
TASK_MODELS: dict[str, TaskModel] = {
    "@cf/black-forest-labs/flux-1-schnell": TaskModel(
        _flux, {"prompt": F("str", True, lo=1, hi=2048), "steps": F("int", lo=1, hi=8)},
        closed=True),
    "@cf/stabilityai/stable-diffusion-xl-base-1.0": TaskModel(_stable_diffusion, _SD),
    "@cf/bytedance/stable-diffusion-xl-lightning": TaskModel(_stable_diffusion, _SD),
    "@cf/lykon/dreamshaper-8-lcm": TaskModel(_stable_diffusion, _SD),
    "@cf/openai/whisper": TaskModel(_whisper, {"audio": F("u8", True, lo=1)}, raw_field="audio"),
    "@cf/openai/whisper-large-v3-turbo": TaskModel(_whisper_turbo, _TURBO),
    "@cf/deepgram/nova-3": TaskModel(_nova, raw_field="audio", json_body=False),
    "@cf/myshell-ai/melotts": TaskModel(
        _melotts, {"prompt": F("str", True, lo=1), "lang": F("str")}),
    "@cf/deepgram/aura-1": TaskModel(_aura, _AURA),
    "@cf/meta/m2m100-1.2b": TaskModel(_m2m100, {
        "text": F("str", True, lo=1), "source_lang": F("str"), "target_lang": F("str", True)}),
    "@cf/ai4bharat/indictrans2-en-indic-1B": TaskModel(_indictrans, {
        "text": F("str|strs", True, lo=1), "target_language": F("str", True)}),
    "@cf/huggingface/distilbert-sst-2-int8": TaskModel(
        _sentiment, {"text": F("str", True, lo=1)}),
    "@cf/microsoft/resnet-50": TaskModel(_resnet, _IMAGE_IN, raw_field="image"),
    "@cf/facebook/detr-resnet-50": TaskModel(_detr, _IMAGE_IN, raw_field="image"),
    "@cf/facebook/bart-large-cnn": TaskModel(
        _bart, {"input_text": F("str", True, lo=1), "max_length": F("int", lo=1)}),
    "@cf/llava-hf/llava-1.5-7b-hf": TaskModel(
        _describe, {"image": F("u8|b64", True, lo=1), "prompt": F("str"), **_SAMPLING}),
    "@cf/unum/uform-gen2-qwen-500m": TaskModel(
        _describe, {"image": F("u8|b64", True, lo=1), "prompt": F("str"), **_SAMPLING}),
    **{f"@cf/black-forest-labs/{name}": TaskModel(_flux, _FLUX2, form=True)
       for name in ("flux-2-dev", "flux-2-klein-4b", "flux-2-klein-9b")},
}
"""The models this module serves; :func:`handle_task` returns ``None`` for others."""


def _read_form(spec: TaskModel, body: bytes, full_type: str) -> Inputs:
    """The fields of a ``multipart/form-data`` body: text parts as text (integer fields
    read as integers), file parts as bytes."""
    if not full_type.lower().startswith("multipart/form-data") or "boundary=" not in full_type:
        raise BadInput("this model takes a multipart/form-data body (with a boundary)")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {full_type}\r\n\r\n".encode() + body)
    inputs: Inputs = {}
    for part in message.iter_parts() if message.is_multipart() else ():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(payload, bytes):
            continue
        if part.get_filename() is not None:
            inputs[name] = payload
            continue
        text = payload.decode("utf-8", "replace")
        kind = spec.fields[name].kind if name in spec.fields else "str"
        inputs[name] = int(text) if kind == "int" and re.fullmatch(r"-?\d+", text) else text
    _validate(inputs, spec.fields, spec.closed)
    return inputs


def _read_inputs(spec: TaskModel, body: bytes, content_type: str) -> Inputs:
    if content_type not in (_JSON, ""):
        if spec.raw_field is None:
            raise BadInput(f"Type mismatch of '/', 'binary' ({content_type}) not in 'object'")
        if not body:
            raise BadInput(f"'/{spec.raw_field}' must not be empty")
        return {spec.raw_field: body}
    if not spec.json_body:
        raise BadInput("this model takes the raw audio bytes as the request body")
    try:
        inputs = json.loads(body or b"{}")
    except ValueError as exc:
        raise BadInput("request body is not valid JSON") from exc
    if not isinstance(inputs, dict):
        got = _JSON_TYPES.get(type(inputs), "unknown")
        raise BadInput(f"Type mismatch of '/', '{got}' not in 'object'")
    _validate(inputs, spec.fields, spec.closed)
    return inputs


def handle_task(model: str, task: str, body: bytes, content_type: str) -> Reply | None:
    """Serve one ``/ai/run/{model}`` call for a non-chat task model.

    Returns ``(status, headers, body)``, or ``None`` when ``model`` is not one of
    :data:`TASK_MODELS` (the caller then answers as it does for other models). ``task``
    is the catalog task of the model; replies depend on the model alone.
    """
    del task  # the model id decides the shape
    spec = TASK_MODELS.get(model)
    if spec is None:
        return None
    ctype = content_type.split(";")[0].strip().lower()
    try:
        if spec.form:
            return spec.handler(_read_form(spec, body, content_type.strip()))
        return spec.handler(_read_inputs(spec, body, ctype))
    except BadInput as exc:
        return _bad(str(exc))
