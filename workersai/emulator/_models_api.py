"""``GET /ai/models/search`` and ``GET /ai/models/schema``, generated from the catalog
table (reference 10).

Search filters: ``task`` (task name such as ``Text Generation``, or the catalog slug
``text-generation``; case-insensitive), ``author`` (the segment after ``@cf/``),
``search`` (substring of the id or description), ``source`` (1 ``@cf``, 2 ``@hf``);
then ``page`` (from 1) and ``per_page`` (default 20, at most 100). Model ``properties``
are ``[{property_id, value}]`` with string values, except ``price`` (``[{unit, price,
currency}]``) and ``reasoning_effort`` (an object). Schema: input and output JSON Schemas
built from the catalog facts (family, limits, defaults); each carries the fields
Cloudflare's API reference for ``GET /accounts/{account_id}/ai/models/schema`` shows,
``"type": "object"``, ``"additionalProperties": true`` and a ``description`` ("JSON Schema
definition for the model's input parameters" / "... output format").
"""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

from ..catalog import MODELS, NEURON_PRICE_USD, ModelInfo, lookup
from ..catalog._info import TASK_NAMES as _CATALOG_TASK_NAMES
from ._errors import EmuError

__all__ = ["search_models", "model_schema", "TASK_NAMES"]

TASK_NAMES = _CATALOG_TASK_NAMES  # catalog data: the published task names
_TASK_IDS = {
    "text-generation": "c329a1f9-323d-4e91-b2aa-582dd4188d34",
    "text-embeddings": "0137cdcf-162a-4108-94f2-1ca59e8c65ee",
    "text-classification": "19606750-23ed-4371-aab2-c20349b53a60",
    "text-to-image": "3d6e1f35-341b-4915-a6c8-9a7142a9033a",
    "text-to-speech": "b52660a1-9a95-4ab2-8b1d-f232be34604a",
    "translation": "f57d07cb-9087-487a-bbbf-bc3e17fecc4b",
    "summarization": "6f4e65d8-da0f-40d2-9aa4-db582a5a04fd",
    "object-detection": "9c178979-90d9-49d8-9e2c-0f1cf01815d4",
    "voice-activity-detection": "ccb1ca5a-043d-41a7-8a3b-61017b2796fd",  # smart-turn-v2.json
}
_NS = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")
_DEFAULT_PER_PAGE, _MAX_PER_PAGE = 20, 100


def _usd(neurons_per_m: float) -> float:
    return round(neurons_per_m * NEURON_PRICE_USD, 4)


def _properties(info: ModelInfo) -> list[dict[str, Any]]:
    props: list[tuple[str, Any]] = []
    flags = (("async_queue", info.async_queue), ("function_calling", info.function_calling),
             ("vision", info.vision), ("lora", info.lora),
             ("reasoning", info.reasoning is not None),
             ("require_workers_paid", info.paid_only))
    props += [(name, "true") for name, on in flags if on]
    for name, value in (("context_window", info.context_window),
                        ("max_input_tokens", info.max_input_tokens),
                        ("output_dimensions", info.dimensions),
                        ("planned_deprecation_date", info.deprecation_date)):
        if value is not None:
            props.append((name, str(value)))
    price = [{"unit": unit, "price": _usd(rate), "currency": "USD"} for unit, rate in (
        ("per M input tokens", info.neurons_per_m_input),
        ("per M cached input tokens", info.neurons_per_m_cached_input),
        ("per M output tokens", info.neurons_per_m_output)) if rate]
    if price:
        props.append(("price", price))
    if info.reasoning_efforts:
        props.append(("reasoning_effort", {
            "supported_efforts": list(info.reasoning_efforts), "default_effort": "medium",
            "mandatory": True, "default_enabled": True}))
    return [{"property_id": name, "value": value} for name, value in props]


@cache
def _entry(model_id: str) -> dict[str, Any]:
    info = lookup(model_id)
    assert info is not None
    task = TASK_NAMES[info.task]
    return {
        "id": str(uuid.uuid5(_NS, info.id)),
        "source": 2 if info.id.startswith("@hf/") else 1,
        "name": info.id,
        "description": f"{info.id.split('/')[-1]}: a {task.lower()} model.",
        "task": {"id": _TASK_IDS.get(info.task, str(uuid.uuid5(_NS, info.task))),
                 "name": task, "description": f"{task} models."},
        "created_at": "2024-12-06 17:09:18.338",
        "tags": [],
        "properties": _properties(info),
    }


def _int_param(query: dict[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise EmuError(400, 7003, f"Invalid {name}: {raw!r} (must be a positive integer)",
                       req_id=False)
    return value


def _matches(info: ModelInfo, query: dict[str, str]) -> bool:
    task = query.get("task", "").strip().lower()
    if task and task not in (info.task, TASK_NAMES[info.task].lower()):
        return False
    author = query.get("author", "").strip().lower()
    if author and info.id.split("/")[1].lower() != author:
        return False
    source = query.get("source")
    if source and str(_entry(info.id)["source"]) != source.strip():
        return False
    text = query.get("search", "").strip().lower()
    return not text or text in info.id.lower() or text in _entry(info.id)["description"].lower()


def search_models(query: dict[str, str]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """One page of matching models and the ``result_info``."""
    page = _int_param(query, "page", 1)
    per_page = min(_int_param(query, "per_page", _DEFAULT_PER_PAGE), _MAX_PER_PAGE)
    found = [_entry(m.id) for m in MODELS if _matches(m, query)]
    chunk = found[(page - 1) * per_page: page * per_page]
    info = {"page": page, "per_page": per_page, "count": len(chunk), "total_count": len(found)}
    return chunk, info


_NUM = {"type": "number"}
_STR1 = {"type": "string", "minLength": 1}


def _llm_schema(info: ModelInfo) -> dict[str, Any]:
    common: dict[str, Any] = {
        "max_tokens": {"type": "integer", "default": info.default_max_tokens, "minimum": 1},
        "temperature": {**_NUM, "default": info.default_temperature or 0.6, "minimum": 0,
                        "maximum": 5},
        "top_p": {**_NUM, "minimum": 0, "maximum": 2},
        "top_k": {"type": "integer", "minimum": 1, "maximum": 50},
        "seed": {"type": "integer", "minimum": 1, "maximum": 9999999999},
        "repetition_penalty": {**_NUM, "minimum": 0, "maximum": 2},
        "frequency_penalty": {**_NUM, "minimum": -2, "maximum": 2},
        "presence_penalty": {**_NUM, "minimum": -2, "maximum": 2},
        "stream": {"type": "boolean", "default": False},
    }
    if info.lora:
        common["lora"] = {"type": "string"}
    if info.function_calling:
        common["tools"] = {"type": "array", "items": {"type": "object"}}
    if info.json_mode is not None:
        common[info.json_mode] = {"type": "object"}
    message = {"type": "object", "required": ["role", "content"], "properties": {
        "role": {"type": "string"}, "content": {"type": "string"}}}
    first = ("input", {"oneOf": [_STR1, {"type": "array"}]}) if info.family == "gpt-oss" else (
        "prompt", _STR1)
    return {"type": "object", "oneOf": [
        {"title": "Prompt", "required": [first[0]],
         "properties": {first[0]: first[1], **common}},
        {"title": "Messages", "required": ["messages"],
         "properties": {"messages": {"type": "array", "items": message}, **common}},
    ]}


def _embed_schema(info: ModelInfo) -> tuple[dict[str, Any], dict[str, Any]]:
    texts = {"oneOf": [_STR1, {"type": "array", "items": _STR1, "maxItems": info.batch_limit}]}
    props: dict[str, Any] = {"text": texts}
    if info.family == "bge":
        props["pooling"] = {"type": "string", "enum": ["mean", "cls"], "default": "mean"}
    vectors = {"type": "array", "items": {"type": "array", "items": _NUM}}
    out_props: dict[str, Any] = {"shape": {"type": "array", "items": {"type": "number"}},
                                 "data": vectors}
    return ({"type": "object", "required": ["text"], "properties": props},
            {"type": "object", "properties": out_props})


_INPUT_DOC = "JSON Schema definition for the model's input parameters"
_OUTPUT_DOC = "JSON Schema definition for the model's output format"


def _documented(inp: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    return {"input": {"type": "object", "additionalProperties": True,
                      "description": _INPUT_DOC, **inp},
            "output": {"type": "object", "additionalProperties": True,
                       "description": _OUTPUT_DOC, **out}}


def model_schema(model: str | None) -> dict[str, Any]:
    """``{"input", "output"}`` JSON Schemas for ``model`` (see the module docstring)."""
    return _documented(*_schemas(model))


def _schemas(model: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    info = lookup(model or "")
    if info is None:
        raise EmuError(400, 5007, f"No such model {model} or task", req_id=False)
    if info.task == "text-generation":
        output = {"type": "object", "properties": {
            "response": {"type": "string"}, "tool_calls": {"type": "array"},
            "usage": {"type": "object"}}, "required": ["response"]}
        return _llm_schema(info), output
    if info.task == "text-embeddings":
        return _embed_schema(info)
    if info.family == "reranker":
        return ({"type": "object", "required": ["query", "contexts"], "properties": {
            "query": _STR1, "top_k": {"type": "integer", "minimum": 1},
            "contexts": {"type": "array", "items": {"type": "object", "properties": {
                "text": _STR1}}}}},
            {"type": "object", "properties": {"response": {"type": "array"}}})
    return {"type": "object"}, {"type": "object"}
