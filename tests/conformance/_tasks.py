"""Capture for non-chat calls: records each request (JSON or raw) and answers what the
model's published output schema describes (raw bytes where it says binary)."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx

from workersai import Client, catalog
from workersai.catalog import schemas
from workersai.config import Config

from ._capture import ACCOUNT, TOKEN

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 24
MP3 = b"ID3\x03\x00\x00\x00" + b"\0" * 24
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\0" * 24


def _texts(body: dict[str, Any]) -> int:
    value = next((body[k] for k in ("text", "queries", "documents") if k in body), [])
    return len(value) if isinstance(value, list) else 1


def _binary_type(model: str) -> str | None:
    """The media type of a binary output, if the published output is (only) binary."""
    out = schemas.output_schema(model) or {}
    if out.get("format") == "binary":
        return str(out.get("contentType") or "application/octet-stream")
    return None


def _result(model: str, body: Any) -> Any:
    info = catalog.lookup(model)
    task = info.task if info else ""
    body = body if isinstance(body, dict) else {}
    if "contexts" in body:
        return {"response": [{"id": i, "score": 1 - i / 100}
                             for i in range(len(body["contexts"]))]}
    if task == "text-embeddings":
        n = _texts(body)
        return {"data": [[0.1, 0.2, 0.3]] * n, "shape": [n, 3]}
    if task == "translation":
        n = _texts(body)
        return {"translations": ["x"] * n} if "target_language" in body else {
            "translated_text": "x"}
    if task == "automatic-speech-recognition":
        if model.startswith("@cf/deepgram/"):
            return {"results": {"channels": [{"alternatives": [{"transcript": "hi"}]}]}}
        return {"text": "hi"}
    if task in ("image-classification", "text-classification"):
        return [{"label": "POSITIVE", "score": 0.9}]
    if task == "object-detection":
        return [{"label": "cat", "score": 0.9,
                 "box": {"xmin": 1, "ymin": 2, "xmax": 3, "ymax": 4}}]
    if task == "image-to-text":
        return {"answer": "a cat"} if "question" in body else {"description": "a cat"}
    if task == "text-to-image":
        return {"image": base64.b64encode(PNG).decode()}
    if task == "text-to-speech":
        return {"audio": base64.b64encode(MP3).decode()}
    return {"response": "a summary"}


class TaskCapture:
    """Records ``httpx.Request`` objects; answers per model."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        model = request.url.path.split("/ai/run/", 1)[1]
        binary = _binary_type(model)
        if binary is not None:
            data = PNG if binary.startswith("image/") else MP3
            return httpx.Response(200, content=data, headers={"content-type": binary})
        body = _json(request)
        return httpx.Response(200, json={"result": _result(model, body), "success": True,
                                         "errors": []})


def _json(request: httpx.Request) -> Any:
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("application/json") and request.content:
        return json.loads(request.content)
    return None


def _typed(prop: Any, text: str) -> Any:
    kind = prop.get("type") if isinstance(prop, dict) else None
    if kind == "boolean":
        return {"true": True, "false": False}.get(text, text)
    if kind in ("number", "integer"):
        return float(text) if kind == "number" else int(text)
    return text


def as_schema_input(model: str, request: httpx.Request) -> Any:
    """The request as the published input schema describes it: the JSON body; a raw body
    as the binary string form, or (Deepgram, smart-turn) as the binding's stream object
    ``{"<field>": {"body", "contentType"}}`` plus the query options, typed."""
    body = _json(request)
    if body is not None:
        return body
    schema = schemas.input_schema(model) or {}
    props = schema.get("properties") or {}
    stream = next((name for name, p in props.items() if isinstance(p, dict) and set(
        p.get("properties") or {}) == {"body", "contentType"}), None)
    if stream is None:
        return "<raw bytes>"  # matches only a {"type": "string", "format": "binary"} form
    out: dict[str, Any] = {stream: {"body": {}, "contentType": request.headers["content-type"]}}
    for key, value in request.url.params.items():
        out[key] = _typed(props.get(key), value)
    return out


def task_client() -> tuple[Client, TaskCapture]:
    cap = TaskCapture()
    config = Config.resolve(account_id=ACCOUNT, api_token=TOKEN, max_retries=0)
    http = httpx.Client(transport=httpx.MockTransport(cap))
    return Client(config=config, http_client=http), cap
