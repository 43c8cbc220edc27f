"""Summarization with a text-generation model and a summarize instruction.

Cloudflare retired its only summarization model, ``@cf/facebook/bart-large-cnn``, on
2026-05-30 (changelog 2026-05-08). :func:`summarize` therefore asks a chat model
(default :data:`DEFAULT_SUMMARY_MODEL`) with :data:`SUMMARY_INSTRUCTION` as the system
turn and the text as the user turn; ``max_length`` becomes ``max_tokens``. The request
goes through the chat request builder (so it conforms to the model's published schema)
and the reply through the chat reply parser.

A model whose published schema takes ``input_text`` (bart's form) is still sent that
form, so naming bart explicitly raises :class:`~workersai.errors.ModelRetiredError`
before any request, as for any retired model.
"""

from __future__ import annotations

from typing import Any

from .._defaults import DEFAULT_CHAT_MODEL
from ..catalog.facts import input_facts
from ..config import RequestOptions
from ..errors import ResponseFormatError
from ..types import ChatParams, Message
from ..wire import build_chat_request, parse_chat_reply
from ._call import TaskReply, TaskRequest, asend, send
from ._check import check_range, expect_dict, put, require_text, short, text_field
from ._conform import check_body
from ._protocol import SupportsAsyncTasks, SupportsTasks
from ._types import Summary

__all__ = ["DEFAULT_SUMMARY_MODEL", "SUMMARY_INSTRUCTION", "build_summary_request",
           "parse_summary", "summarize", "asummarize"]

DEFAULT_SUMMARY_MODEL = DEFAULT_CHAT_MODEL
"""The chat model :func:`summarize` callers get by default (not a reasoning model, so
``max_length`` bounds the summary itself)."""

SUMMARY_INSTRUCTION = (
    "Summarize the user's text in a few sentences, in the text's language. Reply with the "
    "summary only: no preamble, no title, no comments."
)
"""The system turn that makes a chat model summarize."""


def _takes_input_text(model: str) -> bool:
    facts = input_facts(model)
    return facts is not None and "input_text" in facts.fields


def build_summary_request(model: str, text: str, max_length: int | None = None) -> TaskRequest:
    """``max_length`` caps the summary length in tokens (``max_tokens`` of the chat call)."""
    require_text(model, "text", text)
    check_range(model, "max_length", max_length, 1, None, integer=True)
    if _takes_input_text(model):  # bart-large-cnn's form (retired 2026-05-30)
        body: dict[str, Any] = {"input_text": text}
        put(body, "max_length", max_length)
        check_body(model, body)
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


def summarize(
    client: SupportsTasks,
    model: str,
    text: str,
    *,
    max_length: int | None = None,
    options: RequestOptions | None = None,
) -> Summary:
    """Summarize a text with a chat model (see the module docstring).

    Example::

        s = summarize(client, DEFAULT_SUMMARY_MODEL, article, max_length=120)
        print(s.text)
    """
    req = build_summary_request(model, text, max_length)
    return parse_summary(model, send(client, req, options))


async def asummarize(
    client: SupportsAsyncTasks,
    model: str,
    text: str,
    *,
    max_length: int | None = None,
    options: RequestOptions | None = None,
) -> Summary:
    """Async :func:`summarize`."""
    req = build_summary_request(model, text, max_length)
    return parse_summary(model, await asend(client, req, options))
