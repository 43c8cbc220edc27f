"""Summarization with a text-generation model and a summarize instruction.

Cloudflare retired its only summarization model, ``@cf/facebook/bart-large-cnn``, on
2026-05-30 (changelog 2026-05-08). :func:`summarize` therefore asks a chat model
(default :data:`DEFAULT_SUMMARY_MODEL`) with :data:`SUMMARY_INSTRUCTION` as the system
turn and the text as the user turn; ``max_length`` becomes ``max_tokens``. The request
goes through the chat request builder (so it conforms to the model's published schema)
and the reply through the chat reply parser (both in :mod:`workersai.wire.tasks.text`).

A model whose published schema takes ``input_text`` (bart's form) is still sent that
form, so naming bart explicitly raises :class:`~workersai.errors.ModelRetiredError`
before any request, as for any retired model.
"""

from __future__ import annotations

from .._defaults import DEFAULT_CHAT_MODEL
from .._task_types import Summary
from ..config import RequestOptions
from ..wire.tasks import TaskRequest
from ..wire.tasks.text import SUMMARY_INSTRUCTION, parse_summary, summary_request, takes_input_text
from ._call import Planned, twins
from ._check import check_range, require_text
from ._conform import check_body

__all__ = ["DEFAULT_SUMMARY_MODEL", "SUMMARY_INSTRUCTION", "build_summary_request",
           "parse_summary", "summarize", "asummarize"]

DEFAULT_SUMMARY_MODEL = DEFAULT_CHAT_MODEL
"""The chat model :func:`summarize` callers get by default (not a reasoning model, so
``max_length`` bounds the summary itself)."""


def build_summary_request(model: str, text: str, max_length: int | None = None) -> TaskRequest:
    """``max_length`` caps the summary length in tokens (``max_tokens`` of the chat call)."""
    require_text(model, "text", text)
    check_range(model, "max_length", max_length, 1, None, integer=True)
    req = summary_request(model, text, max_length)
    if takes_input_text(model):  # the chat form was checked by the chat builder
        check_body(model, req.inputs or {})
    return req


def _plan(
    model: str,
    text: str,
    *,
    max_length: int | None = None,
    options: RequestOptions | None = None,
) -> Planned[Summary]:
    """Summarize a text with a chat model (see the module docstring).

    Example::

        s = summarize(client, DEFAULT_SUMMARY_MODEL, article, max_length=120)
        print(s.text)
    """
    req = build_summary_request(model, text, max_length)
    return Planned(req, lambda reply: parse_summary(model, reply), options)


summarize, asummarize = twins("summarize", _plan)
