"""Text tasks on the wire: translation, text classification and summarization.

Translation: m2m100 takes one text per request (``{"text", "target_lang"}`` ->
``{"translated_text"}``), IndicTrans2 a list (``{"text": [...], "target_language"}`` ->
``{"translations"}``) with FLORES language codes. Text classification sends
``{"text"}`` and reads the label array of :func:`~workersai.wire.tasks.images.parse_labels`.
Summarization asks a chat model (the chat body and reply of :mod:`workersai.wire.chat`),
or sends bart's ``{"input_text"}`` form to a model whose schema takes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..._task_types import Summary
from ...catalog.facts import input_facts
from ...errors import ResponseFormatError
from ...types import ChatParams, Message
from ..chat import build_chat_request, parse_chat_reply
from ._base import TaskReply, TaskRequest, expect_dict, put, short, text_field

__all__ = [
    "INDIC_LANGUAGES",
    "TRANSLATION_SPECS",
    "TranslationSpec",
    "translation_requests",
    "sent_sizes",
    "parse_translation_reply",
    "text_classification_request",
    "SUMMARY_INSTRUCTION",
    "takes_input_text",
    "summary_request",
    "parse_summary",
]

INDIC_LANGUAGES: dict[str, str] = {
    "as": "asm_Beng", "bn": "ben_Beng", "brx": "brx_Deva", "doi": "doi_Deva",
    "gom": "gom_Deva", "gu": "guj_Gujr", "hi": "hin_Deva", "kn": "kan_Knda",
    "ks": "kas_Arab", "mai": "mai_Deva", "ml": "mal_Mlym", "mni": "mni_Beng",
    "mr": "mar_Deva", "ne": "npi_Deva", "or": "ory_Orya", "pa": "pan_Guru",
    "sa": "san_Deva", "sat": "sat_Olck", "sd": "snd_Arab", "ta": "tam_Taml",
    "te": "tel_Telu", "ur": "urd_Arab",
}
"""ISO 639 codes -> the FLORES codes IndicTrans2 takes."""


@dataclass(slots=True, frozen=True)
class TranslationSpec:
    """How one translation model takes its texts."""

    batched: bool = False
    """One request carries a list of texts (otherwise one text per request)."""
    default_batch: int = 1
    """Texts per request when ``batched`` (our choice; no documented limit)."""
    english_source_only: bool = False


TRANSLATION_SPECS: dict[str, TranslationSpec] = {
    "@cf/meta/m2m100-1.2b": TranslationSpec(),
    "@cf/ai4bharat/indictrans2-en-indic-1B": TranslationSpec(
        batched=True, default_batch=32, english_source_only=True
    ),
}
"""Known translation models. Other ids are sent the m2m100 way."""


def translation_requests(model: str, texts: Sequence[str], target: str,
                         source: str | None, batch_size: int | None = None) -> list[TaskRequest]:
    """The bodies translating ``texts`` in order (none for no texts): one per text, or for
    a batched model lists of ``batch_size`` (default: the model's) under a FLORES
    ``target`` code."""
    spec = TRANSLATION_SPECS.get(model, TranslationSpec())
    if not spec.batched:
        return [TaskRequest(model=model, inputs=_single(text, target, source)) for text in texts]
    size = batch_size or spec.default_batch
    return [
        TaskRequest(model=model, inputs={"text": list(texts[i:i + size]),
                                         "target_language": target})
        for i in range(0, len(texts), size)
    ]


def _single(text: str, target: str, source: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"text": text, "target_lang": target}
    put(body, "source_lang", source)
    return body


def sent_sizes(reqs: Sequence[TaskRequest]) -> list[int]:
    """How many texts each request carries."""
    sizes = []
    for req in reqs:
        sent = (req.inputs or {}).get("text")
        sizes.append(len(sent) if isinstance(sent, list) else 1)
    return sizes


def parse_translation_reply(model: str, reply: TaskReply) -> list[str]:
    """The translations in one reply (``translated_text`` or ``translations``)."""
    out = expect_dict(model, reply.result)
    if isinstance(out.get("translated_text"), str):
        return [out["translated_text"]]
    items = out.get("translations")
    if isinstance(items, list) and all(isinstance(t, str) for t in items):
        return list(items)
    raise ResponseFormatError(f"{short(model)}: the reply holds no translation")


def text_classification_request(model: str, text: str) -> TaskRequest:
    """``{"text": ...}``."""
    return TaskRequest(model=model, inputs={"text": text})


SUMMARY_INSTRUCTION = (
    "Summarize the user's text in a few sentences, in the text's language. Reply with the "
    "summary only: no preamble, no title, no comments."
)
"""The system turn that makes a chat model summarize."""


def takes_input_text(model: str) -> bool:
    """Whether ``model``'s published schema takes bart's ``input_text`` form."""
    facts = input_facts(model)
    return facts is not None and "input_text" in facts.fields


def summary_request(model: str, text: str, max_length: int | None = None) -> TaskRequest:
    """bart's ``{"input_text", "max_length"}`` where the schema takes it, else a chat body
    (:data:`SUMMARY_INSTRUCTION` as the system turn, ``max_length`` as ``max_tokens``)."""
    if takes_input_text(model):  # bart-large-cnn's form (retired 2026-05-30)
        body: dict[str, Any] = {"input_text": text}
        put(body, "max_length", max_length)
        return TaskRequest(model=model, inputs=body)
    messages = [Message("system", SUMMARY_INSTRUCTION), Message("user", text)]
    chat = build_chat_request(model, messages, ChatParams(max_tokens=max_length),
                              stream=False, endpoint="native")
    return TaskRequest(model=model, inputs=chat)


def parse_summary(model: str, reply: TaskReply) -> Summary:
    """The ``summary`` of a bart reply, or the text of a chat reply, as a :class:`Summary`."""
    out = expect_dict(model, reply.result)
    if "summary" in out:
        text = text_field(model, out, "summary")
    else:
        text = parse_chat_reply(out, model=model, params=ChatParams()).text.strip()
    if not text:
        raise ResponseFormatError(f"{short(model)}: the reply holds no summary")
    return Summary(text=text, model=model, meta=reply.response_meta)
