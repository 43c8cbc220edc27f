"""``with_structured_output`` for ``ChatWorkersAI``: three methods, no silent ``None``.

* ``function_calling``: the schema becomes the only tool and is forced by name. On a
  model whose schema has no ``tool_choice`` but a JSON mode, the JSON mode is used
  instead (see ``docs/conformance.md``).
* ``json_schema``: the model's native JSON mode with the schema (``ResponseFormat``).
* ``json_mode``: native JSON mode. Workers AI's JSON mode is guided by a schema, so a
  given schema is sent with it (without one: any JSON object).

The parsers below raise ``OutputParserException`` when the model did not comply (no tool
call, no JSON), both on ``invoke`` and at the end of a stream; with ``include_raw=True``
that error is returned under ``parsing_error`` next to the raw message.
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Iterator
from operator import itemgetter
from typing import Any, Literal

from langchain_core.exceptions import OutputParserException
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import BaseMessage
from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser
from langchain_core.output_parsers.openai_tools import (
    JsonOutputKeyToolsParser,
    PydanticToolsParser,
)
from langchain_core.output_parsers.transform import BaseCumulativeTransformOutputParser
from langchain_core.outputs import Generation
from langchain_core.runnables import Runnable, RunnableMap, RunnablePassthrough
from langchain_core.utils.function_calling import convert_to_json_schema
from langchain_core.utils.pydantic import is_basemodel_subclass

from workersai import catalog
from workersai.types import ResponseFormat
from workersai.wire import chat_rules

from ._tools import tool_name

__all__ = ["Method", "structured_output"]

Method = Literal["function_calling", "json_schema", "json_mode"]
_METHODS = ("function_calling", "json_schema", "json_mode")


class _RequireOutput(BaseCumulativeTransformOutputParser[Any]):
    """A final parse (or a whole stream) that yields nothing raises instead of ``None``."""

    missing_message: str = "The model's answer did not contain the structured output."

    def parse_result(self, result: list[Generation], *, partial: bool = False) -> Any:
        parsed = super().parse_result(result, partial=partial)
        if parsed is None and not partial:
            raise OutputParserException(self.missing_message, llm_output=_text(result))
        return parsed

    def _transform(self, input: Iterator[str | BaseMessage]) -> Iterator[Any]:
        produced = False
        for item in super()._transform(input):
            produced = True
            yield item
        if not produced:
            raise OutputParserException(self.missing_message)

    async def _atransform(self, input: AsyncIterator[str | BaseMessage]) -> AsyncIterator[Any]:
        produced = False
        async for item in super()._atransform(input):
            produced = True
            yield item
        if not produced:
            raise OutputParserException(self.missing_message)


def _text(result: list[Generation]) -> str:
    return result[0].text if result else ""


class _ToolsParser(_RequireOutput, PydanticToolsParser):
    """``PydanticToolsParser`` that raises when the tool was not called."""


class _KeyToolsParser(_RequireOutput, JsonOutputKeyToolsParser):
    """``JsonOutputKeyToolsParser`` that raises when the tool was not called."""


class _PydanticParser(_RequireOutput, PydanticOutputParser):
    """``PydanticOutputParser`` that raises when there is no JSON."""


class _JsonParser(_RequireOutput, JsonOutputParser):
    """``JsonOutputParser`` that raises when there is no JSON."""


def _check_method(method: str, model: str) -> Method:
    """Validate ``method``. A known model without JSON mode falls back to tools; a model
    whose schema has no ``tool_choice`` but a JSON mode gets ``function_calling`` as JSON
    mode with the schema (a grammar forces the shape; an instruction only asks)."""
    if method not in _METHODS:
        raise ValueError(f"Unknown structured output method {method!r}; use one of {_METHODS}")
    info = catalog.lookup(model)
    rules = chat_rules(model)
    if method == "function_calling" and not rules.tool_choice and rules.json_mode is not None:
        return "json_schema"
    lacks_json = info is not None and rules.json_mode is None and info.function_calling
    if method != "function_calling" and lacks_json:
        warnings.warn(
            f"{model} has no native JSON mode; using method='function_calling' instead "
            f"of {method!r}.",
            stacklevel=4,
        )
        return "function_calling"
    return method  # type: ignore[return-value]


def structured_output(
    llm: BaseChatModel,
    schema: Any,
    *,
    model: str,
    method: str = "function_calling",
    include_raw: bool = False,
    strict: bool | None = None,
) -> Runnable[LanguageModelInput, Any]:
    """Build the structured-output runnable for ``llm`` (see module docstring)."""
    chosen = _check_method(method, model)
    if schema is None and chosen != "json_mode":
        raise ValueError(f"method={chosen!r} needs a schema")
    is_pydantic = isinstance(schema, type) and is_basemodel_subclass(schema)
    ls_format = {"kwargs": {"method": chosen, "strict": strict}, "schema": schema}
    bound: Runnable[LanguageModelInput, BaseMessage]
    parser: _RequireOutput
    if chosen == "function_calling":
        name = tool_name(schema)
        bound = llm.bind_tools(
            [schema], tool_choice=name, strict=strict, ls_structured_output_format=ls_format
        )
        missing = f"The model did not call the {name!r} tool, so no structured output came back."
        parser = (
            _ToolsParser(tools=[schema], first_tool_only=True, missing_message=missing)
            if is_pydantic
            else _KeyToolsParser(key_name=name, first_tool_only=True, missing_message=missing)
        )
    else:
        response_format = _response_format(schema, chosen, strict)
        extra = {"ls_structured_output_format": ls_format} if schema is not None else {}
        bound = llm.bind(response_format=response_format, **extra)
        missing = "The model did not answer with a JSON object."
        parser = (
            _PydanticParser(pydantic_object=schema, missing_message=missing)
            if is_pydantic
            else _JsonParser(missing_message=missing)
        )
    return _with_raw(bound, parser) if include_raw else bound | parser


def _response_format(schema: Any, method: Method, strict: bool | None) -> ResponseFormat:
    """Workers AI's JSON mode is schema-guided: ``json_mode`` with a schema sends it too
    (a bare JSON object leaves the keys to chance); without one, any JSON object."""
    if schema is None:
        return ResponseFormat("json_object")
    json_schema = convert_to_json_schema(schema, strict=strict)
    return ResponseFormat(
        "json_schema",
        schema=json_schema,
        name=json_schema.get("title"),
        strict=strict if method == "json_schema" else None,
    )


def _with_raw(
    bound: Runnable[LanguageModelInput, BaseMessage], parser: _RequireOutput
) -> Runnable[LanguageModelInput, Any]:
    """``{"raw", "parsed", "parsing_error"}``: a failed parse lands in ``parsing_error``."""
    parsed = RunnablePassthrough.assign(
        parsed=itemgetter("raw") | parser, parsing_error=lambda _: None
    )
    failed = RunnablePassthrough.assign(parsed=lambda _: None)
    both = parsed.with_fallbacks([failed], exception_key="parsing_error")
    return RunnableMap(raw=bound) | both
