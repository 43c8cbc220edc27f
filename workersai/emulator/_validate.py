"""Hand-written input rules, for what the published schemas do not cover.

A model in the catalog snapshot is validated against its published input schema instead
(:mod:`._schema_check`); these rules serve models without a published schema and the
OpenAI-compatible routes (``/ai/v1/...``), whose bodies the schemas do not describe
(reference 2.1-2.6, 4, 5).

Every failure raises :class:`~._errors.BadInputError` (HTTP 400, code 5006, message
``AiError: Bad input: Error: <detail>``), with the detail naming the JSON pointer the way
the service does (``Type mismatch of '/messages/0/content', 'null' not in 'string'``).

Text generation: exactly one of ``prompt`` / ``messages`` (gpt-oss: ``input`` /
``messages``); ``prompt`` a non-empty string; every message an object with a string
``role``; classic models need ``content`` and reject ``null`` (send ``""``), chat models
allow ``null`` on assistant turns; content arrays only on chat and vision models; image
URLs must be ``data:`` URIs; numeric ranges
(temperature 0-5, top_k 1-50, top_p 0-2 classic / 0-1 chat, seed 1-9999999999, penalties
-2..2, repetition_penalty 0-2, max_tokens >= 1, n 1-128, top_logprobs 0-20); tools with a
string ``name`` and object ``parameters``; ``tool_choice`` naming an offered tool;
``response_format`` of a known type. Embeddings: non-empty strings, at most the catalog
batch limit, ``pooling`` mean|cls. Reranker: ``query``, ``contexts[].text`` non-empty,
``top_k`` >= 1.
"""

from __future__ import annotations

from typing import Any

from ..catalog import ModelInfo
from ._errors import bad_input

__all__ = ["validate_llm", "validate_embed", "validate_rerank", "json_type", "check_range"]

_TYPES: dict[type, str] = {str: "string", bool: "boolean", int: "integer", float: "number",
                           list: "array", dict: "object", type(None): "null"}
_CLASSIC_RANGES: dict[str, tuple[float, float, bool]] = {
    "temperature": (0, 5, False), "top_p": (0, 2, False), "top_k": (1, 50, True),
    "seed": (1, 9999999999, True), "repetition_penalty": (0, 2, False),
    "frequency_penalty": (-2, 2, False), "presence_penalty": (-2, 2, False),
    "max_tokens": (1, float("inf"), True),
}
_CHAT_RANGES: dict[str, tuple[float, float, bool]] = {
    **_CLASSIC_RANGES, "top_p": (0, 1, False), "n": (1, 128, True),
    "top_logprobs": (0, 20, True), "max_completion_tokens": (1, float("inf"), True),
    "max_output_tokens": (1, float("inf"), True),
}
_BOOLS = ("stream", "raw", "logprobs", "parallel_tool_calls")
_CHOICES = ("none", "auto", "required", "any")
_FORMATS = ("json_object", "json_schema", "text")


def json_type(value: Any) -> str:
    """The JSON type name of a parsed value."""
    return _TYPES.get(type(value), "unknown")


def _mismatch(path: str, value: Any, want: str) -> Exception:
    return bad_input(f"Type mismatch of '{path}', '{json_type(value)}' not in '{want}'")


def check_range(path: str, value: Any, lo: float, hi: float, integer: bool) -> None:
    """``value`` is a number (an integer when ``integer``) within ``[lo, hi]``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _mismatch(path, value, "integer" if integer else "number")
    if integer and not (isinstance(value, int) or float(value).is_integer()):
        raise _mismatch(path, value, "integer")
    if value < lo:
        raise bad_input(f"Value {value} at '{path}' is less than the minimum {lo:g}")
    if value > hi:
        raise bad_input(f"Value {value} at '{path}' is greater than the maximum {hi:g}")


def _one_of(body: dict[str, Any], keys: tuple[str, ...]) -> str:
    present = [k for k in keys if k in body]
    if len(present) == 1:
        return present[0]
    if not present:
        required = ", ".join(f"'{k}'" for k in keys)
        raise bad_input(f"oneOf at '/' not met, 0 matches: required properties at '/' are "
                        f"{required}")
    raise bad_input(f"oneOf at '/' not met, {len(present)} matches: "
                    f"{' and '.join(present)} are mutually exclusive")


def _non_empty_str(path: str, value: Any) -> None:
    if not isinstance(value, str):
        raise _mismatch(path, value, "string")
    if not value:
        raise bad_input(f"String at '{path}' is shorter than the minimum length 1")


def validate_llm(info: ModelInfo, body: dict[str, Any], *, openai: bool = False) -> str:
    """Check a text-generation input; returns the input form (prompt|messages|input)."""
    chat = openai or info.family in ("chat", "gpt-oss")
    keys = ("input", "messages") if info.family == "gpt-oss" and not openai else (
        ("messages",) if openai else ("prompt", "messages"))
    form = _one_of(body, keys)
    if form == "prompt":
        _non_empty_str("/prompt", body["prompt"])
    elif form == "messages":
        _check_messages(body["messages"], classic=not chat, parts=chat or info.vision)
    else:
        _check_responses_input(body["input"])
    for name, (lo, hi, integer) in (_CHAT_RANGES if chat else _CLASSIC_RANGES).items():
        value = body.get(name)
        if value is not None or (name in body and not chat):
            check_range(f"/{name}", value, lo, hi, integer)
    for name in _BOOLS:
        if name in body and not isinstance(body[name], bool):
            raise _mismatch(f"/{name}", body[name], "boolean")
    if "lora" in body and not isinstance(body["lora"], str):
        raise _mismatch("/lora", body["lora"], "string")
    tools = _check_tools(body.get("tools"))
    _check_tool_choice(body.get("tool_choice"), tools)
    _check_format(body.get("response_format"))
    if "guided_json" in body and not isinstance(body["guided_json"], dict | str):
        raise _mismatch("/guided_json", body["guided_json"], "object")
    _check_stop(body.get("stop"))
    return form


def _check_messages(messages: Any, *, classic: bool, parts: bool) -> None:
    if not isinstance(messages, list):
        raise _mismatch("/messages", messages, "array")
    if not messages:
        raise bad_input("Array at '/messages' has fewer items than the minimum 1")
    for i, msg in enumerate(messages):
        path = f"/messages/{i}"
        if not isinstance(msg, dict):
            raise _mismatch(path, msg, "object")
        if "role" not in msg:
            raise bad_input(f"required properties at '{path}' are 'role'")
        if not isinstance(msg["role"], str):
            raise _mismatch(f"{path}/role", msg["role"], "string")
        _check_content(path, msg, classic=classic, parts=parts)


def _check_content(path: str, msg: dict[str, Any], *, classic: bool, parts: bool) -> None:
    if "content" not in msg:
        if classic or not msg.get("tool_calls"):
            raise bad_input(f"required properties at '{path}' are 'role', 'content'")
        return
    content = msg["content"]
    if content is None:
        if classic or msg["role"] != "assistant":
            raise _mismatch(f"{path}/content", content, "string")
        return
    if isinstance(content, str):
        return
    if not isinstance(content, list) or not parts:
        raise _mismatch(f"{path}/content", content, "string")
    for j, part in enumerate(content):
        _check_part(f"{path}/content/{j}", part)


def _check_part(path: str, part: Any) -> None:
    if not isinstance(part, dict):
        raise _mismatch(path, part, "object")
    kind = part.get("type")
    if kind in ("text", "input_text", "output_text"):
        if not isinstance(part.get("text"), str):
            raise _mismatch(f"{path}/text", part.get("text"), "string")
    elif kind in ("image_url", "input_image"):
        image = part.get("image_url")
        url = image.get("url") if isinstance(image, dict) else image
        if not isinstance(url, str):
            raise _mismatch(f"{path}/image_url/url", url, "string")
        if not url.startswith("data:"):
            raise bad_input(f"String at '{path}/image_url/url' does not match pattern "
                            "'^data:*'")
    elif kind not in ("input_audio", "file", "refusal"):
        raise bad_input(f"'{path}/type' must be equal to one of the allowed values")


def _check_responses_input(value: Any) -> None:
    if isinstance(value, str):
        _non_empty_str("/input", value)
        return
    if not isinstance(value, list) or not value:
        raise _mismatch("/input", value, "string")
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise _mismatch(f"/input/{i}", item, "object")
        content = item.get("content")
        if isinstance(content, list):
            for j, part in enumerate(content):
                _check_part(f"/input/{i}/content/{j}", part)


def _check_tools(tools: Any) -> list[str]:
    if tools is None:
        return []
    if not isinstance(tools, list):
        raise _mismatch("/tools", tools, "array")
    names = []
    for i, tool in enumerate(tools):
        path = f"/tools/{i}"
        if not isinstance(tool, dict):
            raise _mismatch(path, tool, "object")
        fn = tool.get("function")
        spec: dict[str, Any] = fn if isinstance(fn, dict) else tool
        fpath = f"{path}/function" if spec is not tool else path
        if not isinstance(spec.get("name"), str) or not spec["name"]:
            raise bad_input(f"required properties at '{fpath}' are 'name'")
        params = spec.get("parameters")
        if params is not None and not isinstance(params, dict):
            raise _mismatch(f"{fpath}/parameters", params, "object")
        if isinstance(params, dict) and params.get("type", "object") != "object":
            raise bad_input(f"'{fpath}/parameters/type' must be equal to 'object'")
        names.append(spec["name"])
    return names


def _check_tool_choice(choice: Any, tools: list[str]) -> None:
    if choice is None or choice in _CHOICES:
        return
    if isinstance(choice, dict):
        fn = choice.get("function")
        name = fn.get("name") if isinstance(fn, dict) else choice.get("name")
        if isinstance(name, str):
            if name not in tools:
                raise bad_input(f"tool_choice names '{name}', which is not in '/tools'")
            return
    raise bad_input("'/tool_choice' must be one of 'none', 'auto', 'required' or a named "
                    "function")


def _check_format(fmt: Any) -> None:
    if fmt is None:
        return
    if not isinstance(fmt, dict):
        raise _mismatch("/response_format", fmt, "object")
    if fmt.get("type") not in _FORMATS:
        raise bad_input("'/response_format/type' must be equal to one of the allowed values")
    if fmt["type"] == "json_schema" and not isinstance(fmt.get("json_schema"), dict):
        raise bad_input("required properties at '/response_format' are 'json_schema'")


def _check_stop(stop: Any) -> None:
    if stop is None or isinstance(stop, str):
        return
    if not isinstance(stop, list) or not all(isinstance(s, str) for s in stop):
        raise _mismatch("/stop", stop, "array")


def _texts(path: str, value: Any, limit: int | None) -> None:
    items = value if isinstance(value, list) else [value]
    if isinstance(value, list):
        if not value:
            raise bad_input(f"Array at '{path}' has fewer items than the minimum 1")
        if limit is not None and len(value) > limit:
            raise bad_input(f"Array at '{path}' has more items than the maximum {limit}")
    for i, text in enumerate(items):
        _non_empty_str(f"{path}/{i}" if isinstance(value, list) else path, text)


def validate_embed(info: ModelInfo, body: dict[str, Any]) -> None:
    """Check an embedding input of any embedding family."""
    if info.family == "bge-m3" and "contexts" in body:
        _check_contexts(body)
        if "query" in body:
            _non_empty_str("/query", body["query"])
        return
    if info.id.startswith("@cf/qwen/qwen3-embedding"):
        present = [k for k in ("queries", "documents", "text") if k in body]
        if not present:
            raise bad_input("required properties at '/' are 'queries' or 'documents'")
        for key in present:
            _texts(f"/{key}", body[key], info.batch_limit)
        if "instruction" in body:
            _non_empty_str("/instruction", body["instruction"])
        return
    if "text" not in body:
        raise bad_input("required properties at '/' are 'text'")
    _texts("/text", body["text"], info.batch_limit)
    pooling = body.get("pooling")
    if pooling is not None and (info.family != "bge" or pooling not in ("mean", "cls")):
        raise bad_input("'/pooling' must be equal to one of the allowed values")
    if "truncate_inputs" in body and not isinstance(body["truncate_inputs"], bool):
        raise _mismatch("/truncate_inputs", body["truncate_inputs"], "boolean")


def _check_contexts(body: dict[str, Any]) -> None:
    contexts = body.get("contexts")
    if not isinstance(contexts, list):
        raise _mismatch("/contexts", contexts, "array")
    if not contexts:
        raise bad_input("Array at '/contexts' has fewer items than the minimum 1")
    for i, ctx in enumerate(contexts):
        if not isinstance(ctx, dict) or "text" not in ctx:
            raise bad_input(f"required properties at '/contexts/{i}' are 'text'")
        _non_empty_str(f"/contexts/{i}/text", ctx["text"])


def validate_rerank(body: dict[str, Any]) -> None:
    """Check a reranker input."""
    missing = [k for k in ("query", "contexts") if k not in body]
    if missing:
        raise bad_input(f"required properties at '/' are {', '.join(repr(m) for m in missing)}")
    _non_empty_str("/query", body["query"])
    _check_contexts(body)
    if "top_k" in body:
        check_range("/top_k", body["top_k"], 1, float("inf"), True)
