"""Neurons of a task model's call (images, speech, translation, classification, ...) from
its published prices, reported in ``cf-ai-neurons`` as for chat.

Each published price of the model (``catalog.priced_as``: an alias bills at its
replacement's prices) is measured on the request, or on the emulator's own reply, itself
a function of the request:

=====================  ===================================================================
unit                   amount
=====================  ===================================================================
per M input tokens     whitespace words of the input text (``text``, ``prompt``,
                       ``input_text``; a list of texts summed)
per M output tokens    whitespace words of every string in the reply's ``result``
per audio minute       the audio's duration (a transcriber: the request's audio; a speech
                       model: its reply), by the emulator's audio rules (WAV frames, its
                       MP3 frames, else 0.4 s a heard word)
per 1k characters      characters of the input text
per inference request  1
per step               ``num_steps`` / ``steps`` sent, else the published default, else 1
per 512 by 512 tile    ceil(width / 512) x ceil(height / 512) of the requested size, else
                       the published defaults, else 1024 x 1024
=====================  ===================================================================

A model with no published price, or with a price in another unit, reports no neurons (an
unknown price is never 0).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from typing import Any

from ..catalog import ModelInfo, lookup, priced_as, schemas
from ._tasks import _WORD_SECONDS, _as_bytes, audio_content
from ._words import count_tokens

__all__ = ["task_neurons"]

_TEXT_KEYS = ("text", "prompt", "input_text")
_TILE = 512


def task_neurons(model: str, request: bytes, content_type: str, reply: bytes,
                 reply_type: str) -> float | None:
    """The neurons of one successful task call, or ``None`` when not priced."""
    info = lookup(model)
    priced = (priced_as(model) or info) if info is not None else None
    if priced is None or not priced.prices:
        return None
    call = _Call(info or priced, request, content_type, reply, reply_type)
    total = 0.0
    for price in priced.prices:
        measure = _UNITS.get(price.unit.strip().lower())
        if measure is None:
            return None
        per, amount = measure
        total += amount(call) / per * price.neurons
    return total


class _Call:
    """The request and reply of one call, read lazily."""

    def __init__(self, info: ModelInfo, request: bytes, content_type: str, reply: bytes,
                 reply_type: str) -> None:
        self.info, self.reply, self.reply_type = info, reply, reply_type
        json_in = content_type.split(";")[0].strip().lower() in ("application/json", "")
        self.raw = None if json_in else request
        self.inputs: dict[str, Any] = _loads(request) if json_in else {}

    def texts(self) -> list[str]:
        out: list[str] = []
        for key in _TEXT_KEYS:
            value = self.inputs.get(key)
            out += [value] if isinstance(value, str) else [
                v for v in value if isinstance(v, str)] if isinstance(value, list) else []
        return out

    def result(self) -> Any:
        if not self.reply_type.startswith("application/json"):
            return None
        return _loads(self.reply).get("result")

    def number(self, key: str, fallback: float) -> float:
        value = self.inputs.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        props = (schemas.input_schema(self.info.id) or {}).get("properties") or {}
        default = (props.get(key) or {}).get("default")
        return float(default) if isinstance(default, int | float) else fallback


def _loads(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _audio_seconds(call: _Call) -> float:
    if call.info.task == "text-to-speech":
        data = call.reply if not call.reply_type.startswith("application/json") else (
            _as_bytes("audio", (call.result() or {}).get("audio", "")))
    else:
        audio = call.raw if call.raw is not None else call.inputs.get("audio", b"")
        data = _as_bytes("audio", audio)
    text, duration = audio_content(data)
    return duration if duration is not None else len(text.split()) * _WORD_SECONDS


def _steps(call: _Call) -> float:
    return call.number("num_steps", call.number("steps", 1.0))


def _tiles(call: _Call) -> float:
    width, height = call.number("width", 1024.0), call.number("height", 1024.0)
    return math.ceil(width / _TILE) * math.ceil(height / _TILE)


_UNITS: dict[str, tuple[float, Callable[[_Call], float]]] = {
    "per m input tokens": (1e6, lambda c: sum(count_tokens(t) for t in c.texts())),
    "per m output tokens": (1e6, lambda c: sum(count_tokens(t)
                                               for t in _strings(c.result()))),
    "per audio minute": (60.0, _audio_seconds),
    "per 1k characters": (1e3, lambda c: sum(len(t) for t in c.texts())),
    "per inference request": (1.0, lambda c: 1.0),
    "per step": (1.0, _steps),
    "per 512 by 512 tile": (1.0, _tiles),
}
"""Each understood price unit: how many units one price covers, and the call's amount."""
