"""Summarization (bart-large-cnn): ``{"input_text", "max_length"}`` -> ``{"summary"}``."""

from __future__ import annotations

from typing import Any

from ..config import RequestOptions
from ._call import TaskReply, TaskRequest, asend, send
from ._check import check_range, put, require_text, text_field
from ._protocol import SupportsAsyncTasks, SupportsTasks
from ._types import Summary

__all__ = ["build_summary_request", "parse_summary", "summarize", "asummarize"]


def build_summary_request(model: str, text: str, max_length: int | None = None) -> TaskRequest:
    """``max_length`` caps the summary length in tokens (model default 1024)."""
    body: dict[str, Any] = {"input_text": require_text(model, "text", text)}
    check_range(model, "max_length", max_length, 1, None, integer=True)
    put(body, "max_length", max_length)
    return TaskRequest(model=model, inputs=body)


def parse_summary(model: str, reply: TaskReply) -> Summary:
    """The ``summary`` field as a :class:`Summary`."""
    text = text_field(model, reply.result, "summary")
    return Summary(text=text, model=model, meta=reply.response_meta)


def summarize(
    client: SupportsTasks,
    model: str,
    text: str,
    *,
    max_length: int | None = None,
    options: RequestOptions | None = None,
) -> Summary:
    """Summarize a text.

    Example::

        s = summarize(client, "@cf/facebook/bart-large-cnn", article, max_length=120)
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
