"""Python <-> JavaScript values for the ``env.AI`` binding of a Python Worker (Pyodide).

Inside Pyodide the binding wants real JS objects and hands back ``JsProxy`` values; outside
it (tests, a fake binding) everything stays plain Python. :func:`js_runtime` finds out
which, once, by trying to import ``js`` and ``pyodide.ffi``; every other function here
works in both worlds, so the backend never asks.
"""

from __future__ import annotations

import contextlib
import inspect
import json
from collections.abc import AsyncGenerator, Mapping
from functools import cache
from typing import Any

__all__ = [
    "as_bytes",
    "awaited",
    "field",
    "is_stream",
    "iter_stream",
    "js_runtime",
    "to_js",
    "to_py",
]


@cache
def js_runtime() -> Any | None:
    """The ``js`` module when running under Pyodide, else ``None``."""
    try:
        import js  # type: ignore[import-not-found]
        import pyodide.ffi  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return None
    return js


def to_js(value: Any) -> Any:
    """A JS object for a JSON-like Python value (a JSON round trip, which also converts
    nested lists and dicts); the value itself outside Pyodide."""
    js = js_runtime()
    if js is None:
        return value
    return js.JSON.parse(json.dumps(value))


def to_py(value: Any) -> Any:
    """A Python value for a JS result (``.to_py()`` where the value has it)."""
    convert = getattr(value, "to_py", None)
    return convert() if callable(convert) else value


def is_stream(value: Any) -> bool:
    """Whether a result is a byte stream: a JS ``ReadableStream`` or an async iterator."""
    return hasattr(value, "getReader") or hasattr(value, "__aiter__")


def field(obj: Any, name: str) -> Any:
    """``obj[name]`` for a mapping, ``obj.name`` otherwise (``None`` when missing)."""
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def as_bytes(value: Any) -> bytes:
    """Bytes of a chunk: ``bytes``/``memoryview``, a ``Uint8Array`` proxy, or a list."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    to_bytes = getattr(value, "to_bytes", None)
    if callable(to_bytes):
        return bytes(to_bytes())
    return bytes(to_py(value))


async def awaited(value: Any) -> Any:
    """Await a JS promise (or a coroutine); a plain value is returned as is."""
    if inspect.isawaitable(value):
        return await value
    return value


async def iter_stream(stream: Any) -> AsyncGenerator[bytes, None]:
    """The chunks of a ``ReadableStream`` (``getReader()``/``read()``) or an async
    iterator of bytes. A reader left before its end is cancelled."""
    if not hasattr(stream, "getReader"):
        async for chunk in stream:
            yield as_bytes(chunk)
        return
    reader = stream.getReader()
    finished = False
    try:
        while True:
            step = await awaited(reader.read())
            if field(step, "done"):
                finished = True
                return
            value = field(step, "value")
            if value is not None:
                yield as_bytes(value)
    finally:
        if not finished:
            cancel = getattr(reader, "cancel", None)
            if callable(cancel):
                with contextlib.suppress(Exception):  # best effort: the stream is abandoned
                    await awaited(cancel())
