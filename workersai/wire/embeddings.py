"""Embedding requests per model form, batch planning, and vector parsing (reference section 4).

Forms (:func:`workersai.wire.families.embed_form`): bge ``{"text", "pooling"}``; bge-m3
``{"text", "truncate_inputs"}``; qwen3 ``{"queries", "instruction"}`` for queries and
``{"documents"}`` for documents; embeddinggemma/plamo ``{"text"}``; the OpenAI endpoint
``{"model", "input"}``. ``EmbedParams.instruction`` is sent as ``instruction`` where the
model has that field (qwen3, queries only) and prepended to every text elsewhere (bge's
query prefix). Options a known model lacks are refused before sending.

Replies read: ``{"data": [[...]], "shape"}``, bge-m3's ``{"response": [[...]]}`` (contexts
form), and the OpenAI list ``{"data": [{"index", "embedding"}]}`` (sorted by index).
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidInputError, ResponseFormatError
from ..types import EmbedParams, Endpoint, Usage
from ._usage import read_usage
from .families import EmbedForm, embed_form

__all__ = [
    "validate_texts",
    "effective_batch_size",
    "plan_batches",
    "build_embed_request",
    "parse_embed_result",
]


def validate_texts(texts: list[str]) -> None:
    """Every item a non-blank string that UTF-8 can carry (the schemas require
    ``minLength: 1``), checked before any batch is sent.

    Raises:
        InvalidInputError: naming the first bad index.
    """
    if not isinstance(texts, list | tuple):
        raise InvalidInputError(f"texts must be a list of strings, not {type(texts).__name__}")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise InvalidInputError(f"text {i} is a {type(text).__name__}, not a string")
        if not text.strip():
            raise InvalidInputError(f"text {i} is empty or only whitespace")
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as exc:  # a lone surrogate: no request could carry it
                raise InvalidInputError(
                    f"text {i} cannot be sent: {exc.reason} at character {exc.start}"
                ) from None


def _positive_int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInputError(f"{what} must be a positive integer, not {value!r}")
    return value


def effective_batch_size(model: str, requested: int | None) -> int:
    """Texts per call: the catalog batch limit (100 when unknown), capped by it."""
    limit = embed_form(model).batch_limit
    if requested is None:
        return limit
    return min(_positive_int(requested, "batch_size"), limit)


def plan_batches(n: int, batch_size: int) -> list[range]:
    """Consecutive index ranges covering ``range(n)``, each at most ``batch_size`` long."""
    size = _positive_int(batch_size, "batch_size")
    return [range(start, min(start + size, n)) for start in range(0, n, size)]


def _options(form: EmbedForm, params: EmbedParams, model: str) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for name, allowed in (("pooling", form.pooling), ("truncate_inputs", form.truncate_inputs)):
        value = getattr(params, name)
        if value is None:
            continue
        if not allowed:
            raise InvalidInputError(f"{model} does not take {name}")
        options[name] = value
    return options


def _instruction(
    form: EmbedForm, params: EmbedParams, texts: list[str], native: bool, model: str
) -> tuple[list[str], dict[str, Any]]:
    """Texts as sent, and the ``instruction`` field if the model takes one."""
    instruction = params.instruction
    if not instruction:
        return list(texts), {}
    if not form.instruction_field:
        return [instruction + t for t in texts], {}
    if params.kind != "query" or not native:
        where = "queries" if native else "queries on the native endpoint"
        raise InvalidInputError(f"{model} applies an instruction to {where} only "
                                "(EmbedParams.instruction with kind='query')")
    return list(texts), {"instruction": instruction}


def build_embed_request(
    model: str, texts: list[str], params: EmbedParams, *, endpoint: Endpoint = "native"
) -> dict[str, Any]:
    """The JSON body embedding ``texts`` (already validated and batched).

    Raises:
        InvalidInputError: an option the model does not take.
    """
    form = embed_form(model)
    native = endpoint == "native"
    sent, extra = _instruction(form, params, texts, native, model)
    if native:
        key = form.query_key if params.kind == "query" else form.document_key
        body: dict[str, Any] = {key: sent}
    else:
        body = {"model": model, "input": sent}
    body.update(extra)
    body.update(_options(form, params, model))
    body.update(params.extra)
    return body


def _vector(value: Any, i: int) -> list[float]:
    """``value`` itself when it is a non-empty list of numbers. The check is one ``sum`` in
    C (no Python work per float: a bulk job holds millions); only a failing vector is
    walked to name the bad item."""
    if not isinstance(value, list) or not value:
        raise ResponseFormatError(f"embedding {i} is not a list of numbers", body=repr(value)[:200])
    try:
        sum(value)
    except TypeError:
        bad = next(x for x in value if not isinstance(x, float | int))
        raise ResponseFormatError(f"embedding {i} holds a non-number {bad!r}") from None
    return value


def _openai_vectors(items: list[Any]) -> list[Any]:
    try:
        ordered = sorted(items, key=lambda d: d["index"])
        vectors = [d["embedding"] for d in ordered]
    except (KeyError, TypeError) as exc:
        raise ResponseFormatError(f"malformed embeddings list: {exc!r}") from None
    if [d["index"] for d in ordered] != list(range(len(ordered))):
        raise ResponseFormatError("embedding indices are not 0..n-1")
    return vectors


def parse_embed_result(result: Any, *, expected: int) -> tuple[list[list[float]], Usage | None]:
    """The vectors in input order, and usage if reported.

    Raises:
        ResponseFormatError: not an embedding reply, or not ``expected`` vectors.
    """
    if not isinstance(result, dict):
        raise ResponseFormatError("embedding reply is not a JSON object", body=repr(result)[:200])
    data = result.get("data")
    if data is None:
        data = result.get("response")  # bge-m3 contexts form
    if not isinstance(data, list):
        raise ResponseFormatError("embedding reply has no vector list", body=repr(result)[:200])
    if data and isinstance(data[0], dict):
        data = _openai_vectors(data)
    if len(data) != expected:
        raise ResponseFormatError(f"asked for {expected} embeddings, got {len(data)}")
    vectors = [_vector(v, i) for i, v in enumerate(data)]
    if len({len(v) for v in vectors}) > 1:
        raise ResponseFormatError("embeddings of different lengths in one reply")
    return vectors, read_usage(result.get("usage"))
