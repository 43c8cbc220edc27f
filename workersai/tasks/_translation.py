"""Translation: m2m100 (one text per request) and IndicTrans2 (a list per request).

IndicTrans2 translates English into Indic languages named by FLORES codes
(``hin_Deva``); the common ISO 639-1 codes (``hi``) are mapped for convenience. The checks
and the sending (several requests, failures kept per text) live here; the bodies and the
replies are :mod:`workersai.wire.tasks.text`'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .._task_types import Translation
from ..config import RequestOptions
from ..errors import BatchError, InvalidInputError, ResponseFormatError, WorkersAIError
from ..wire.tasks import TaskReply, TaskRequest
from ..wire.tasks.text import (
    INDIC_LANGUAGES,
    TRANSLATION_SPECS,
    TranslationSpec,
    parse_translation_reply,
    sent_sizes,
    translation_requests,
)
from ._call import asend_all, send_all
from ._check import require_text, short
from ._conform import check_body
from ._protocol import SupportsAsyncTasks, SupportsTasks

__all__ = [
    "INDIC_LANGUAGES",
    "TranslationSpec",
    "TRANSLATION_SPECS",
    "build_translation_requests",
    "parse_translation_reply",
    "translate",
    "atranslate",
]

_FLORES = re.compile(r"^[a-z]{3}_[A-Z][a-z]{3}$")


def _indic_target(model: str, target: str) -> str:
    code = INDIC_LANGUAGES.get(target, target)
    if not _FLORES.match(code):
        raise InvalidInputError(
            f"{short(model)}: target language {target!r} is not a FLORES code like "
            f"'hin_Deva' nor one of {', '.join(sorted(INDIC_LANGUAGES))}"
        )
    return code


def build_translation_requests(
    model: str,
    texts: Sequence[str],
    target_lang: str,
    source_lang: str | None = None,
    *,
    batch_size: int | None = None,
) -> list[TaskRequest]:
    """The requests that translate ``texts`` (in order); none for an empty list."""
    spec = TRANSLATION_SPECS.get(model, TranslationSpec())
    target = require_text(model, "target language", target_lang).strip()
    for i, text in enumerate(texts):
        require_text(model, f"text #{i}", text)
    if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
        raise InvalidInputError(f"{short(model)}: batch_size must be a positive integer")
    if spec.batched:
        if spec.english_source_only and source_lang not in (None, "en", "eng_Latn"):
            raise InvalidInputError(f"{short(model)} translates from English only")
        target = _indic_target(model, target)
    reqs = translation_requests(model, texts, target, source_lang, batch_size)
    for req in reqs:
        check_body(model, req.inputs or {})
    return reqs


def _combine(
    model: str, reqs: list[TaskRequest], parts: list[tuple[list[str], TaskReply]],
    target: str, source: str | None,
) -> Translation:
    texts: list[str] = []
    for expected, (got, _) in zip(sent_sizes(reqs), parts, strict=True):
        if len(got) != expected:
            raise ResponseFormatError(
                f"{short(model)}: sent {expected} texts, got {len(got)} translations"
            )
        texts.extend(got)
    metas = [reply.response_meta for _, reply in parts]
    return Translation(texts=texts, target_lang=target, source_lang=source, model=model,
                       meta=metas)


def _per_text(model: str, reqs: list[TaskRequest], err: BatchError) -> BatchError:
    """Re-state a per-request ``BatchError`` per input text (translation or ``None``)."""
    results: list[str | None] = []
    failed: dict[int, WorkersAIError] = {}
    for i, size in enumerate(sent_sizes(reqs)):
        part = err.results[i]
        start = len(results)
        if part is None:
            results.extend([None] * size)
            failed.update(dict.fromkeys(range(start, start + size), err.failed[i]))
        else:
            results.extend(part[0])
    return BatchError(
        f"{short(model)}: {len(failed)} of {len(results)} texts failed to translate",
        results=results, failed=failed,
    )


def _as_list(texts: str | Sequence[str]) -> list[str]:
    return [texts] if isinstance(texts, str) else list(texts)


def _pair(model: str) -> Callable[[TaskReply], tuple[list[str], TaskReply]]:
    return lambda reply: (parse_translation_reply(model, reply), reply)


def translate(
    client: SupportsTasks,
    model: str,
    texts: str | Sequence[str],
    target_lang: str,
    source_lang: str | None = None,
    *,
    batch_size: int | None = None,
    options: RequestOptions | None = None,
) -> Translation:
    """Translate one text or many (order kept); batches where the model allows.

    When some requests fail and others succeed, ``BatchError.results`` holds one
    translation (or ``None``) per input text and ``failed`` maps text indices to errors.

    Example::

        t = translate(client, "@cf/meta/m2m100-1.2b", "Hello", target_lang="fr")
        print(t.text)
    """
    reqs = build_translation_requests(
        model, _as_list(texts), target_lang, source_lang, batch_size=batch_size
    )
    try:
        parts = send_all(client, reqs, _pair(model), options)
    except BatchError as err:
        raise _per_text(model, reqs, err) from err
    return _combine(model, reqs, parts, target_lang, source_lang)


async def atranslate(
    client: SupportsAsyncTasks,
    model: str,
    texts: str | Sequence[str],
    target_lang: str,
    source_lang: str | None = None,
    *,
    batch_size: int | None = None,
    max_concurrency: int = 4,
    options: RequestOptions | None = None,
) -> Translation:
    """Async :func:`translate`; up to ``max_concurrency`` requests in flight."""
    reqs = build_translation_requests(
        model, _as_list(texts), target_lang, source_lang, batch_size=batch_size
    )
    try:
        parts = await asend_all(client, reqs, _pair(model), options, max_concurrency)
    except BatchError as err:
        raise _per_text(model, reqs, err) from err
    return _combine(model, reqs, parts, target_lang, source_lang)
