"""The reply shape of the ``prompt`` form, read from the model's published output schema.

A chat-completions-format model sent ``{"prompt": ...}`` answers in the first of these
shapes its published output schema (with the catalog's output fixes) accepts:

1. ``text_completion``: an OpenAI text completion, ``choices[].text`` (qwen3-30b-a3b);
2. ``classic``: ``{"response", "tool_calls", "usage"}`` (gpt-oss-20b's ``Prompt_Output``);
3. ``chat``: a ``chat.completion``, ``choices[].message`` (glm-4.7-flash, kimi, gemma-4:
   their schemas describe nothing else).

When the schema names one branch as the prompt form's output (a ``oneOf``/``anyOf``
branch whose title or description mentions ``prompt``: gpt-oss-20b's ``Prompt_Output``,
"Output when using the Prompt input format"), only that branch counts. A model without a
published output schema answers ``text_completion``. The check renders one sample reply
of each shape and validates it with the emulator's own schema checker
(``_schema_check``), once per model.
"""

from __future__ import annotations

import random
from functools import cache
from typing import Any

from ..catalog import ModelInfo, schemas
from ._conv import Plan
from ._render_llm import RenderCtx, render_json
from ._schema_check import first_error

__all__ = ["PROMPT_SHAPES", "prompt_shape"]

PROMPT_SHAPES = ("text_completion", "classic", "chat")
"""The shapes tried for the ``prompt`` form, in order of preference."""

_SAMPLE = Plan(text_pieces=["Hello"], prompt_tokens=1)


def prompt_shape(info: ModelInfo) -> str:
    """The shape ``info``'s model answers the ``prompt`` form in (see the module doc)."""
    return _shape_for(info.id, info)


@cache
def _shape_for(model: str, info: ModelInfo) -> str:
    schema = _prompt_branch(schemas.output_schema(model))
    if schema is None:
        return PROMPT_SHAPES[0]
    for shape in PROMPT_SHAPES:
        sample = render_json(_SAMPLE, RenderCtx(model, info, shape, random.Random(0), 0))
        if first_error(schema, sample) is None:
            return shape
    return PROMPT_SHAPES[0]


def _prompt_branch(schema: Any) -> Any:
    """The branch of a top-level ``oneOf``/``anyOf`` said to answer the prompt form, else
    the whole schema."""
    if not isinstance(schema, dict):
        return schema
    for key in ("oneOf", "anyOf"):
        for branch in schema.get(key) or []:
            if not isinstance(branch, dict):
                continue
            said = f"{branch.get('title', '')} {branch.get('description', '')}".lower()
            if "prompt" in said:
                return branch
    return schema
