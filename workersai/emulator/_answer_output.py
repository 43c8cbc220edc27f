"""The structured-output tool rule: gather data first, then fill the answer's schema.

Agent frameworks can ask for a structured answer by offering its schema as one more tool
(LangChain ``create_agent(..., response_format=ToolStrategy(Weather))``, Pydantic AI's
``final_result``): the model is meant to call the ordinary tools first and end by calling
the schema tool with the answer. The rule decides from the request alone.

*An output tool* is an offered tool that takes an object with properties and either

* is named the way these frameworks name their output tools (``final_result``,
  ``final_output``, ``response_format_...``, ``structured_output``,
  ``structured_response``, any suffix), or
* is named like a class (``Weather``, ``WeatherReport``: a capital letter first, then
  letters and digits only, as a Pydantic model, dataclass or TypedDict name), and has at
  least two properties (a record of the answer, not a command such as ``Search(query)``).

The rule applies only when the request offers at least one ordinary tool (one that is not
an output tool) as well; otherwise every tool is ordinary and rule 1 of
:mod:`._answer` is unchanged.

* **Before any tool result** (since the last user message): the output tools are set
  aside and the ordinary tool matching the last user message best is called, even when
  the message names the output tool (``"What is the weather in Lisbon?"`` calls
  ``get_weather``, not ``Weather``). When no ordinary tool matches, the best-matching
  output tool is called if it matches, or when ``tool_choice`` is ``"required"`` /
  ``"any"`` (the first one when none matches): there is nothing to gather.
* **After tool results**, once no named ordinary tool is left to call and no handoff
  took place, and no output tool has been called since the last user message: the output
  tool matching the last user message and the results best (ties to the first offered)
  is called, its arguments filled from the last user message and then the results, in
  order, where a capitalised word opening a sentence counts too (``"Sunny, 21C in
  Lisbon"`` gives ``{"city": "Lisbon", "temperature_c": 21, "conditions": "Sunny"}``).
"""

from __future__ import annotations

import re

from ._args import MessageValues
from ._conv import Conversation, Tool, best_tool

__all__ = ["is_output_tool", "split_tools", "gathered_values", "first_tool",
           "output_tool_after_results"]

_CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]*\Z")
_FRAMEWORK_NAME = re.compile(
    r"(?:final_result|final_output|response_format|structured_output|structured_response)",
    re.IGNORECASE)
_REQUIRED = ("required", "any")


def is_output_tool(tool: Tool) -> bool:
    """Whether ``tool`` looks like a structured-output schema (see the module docstring)."""
    props = tool.parameters.get("properties")
    if not isinstance(props, dict) or not props:
        return False
    if _FRAMEWORK_NAME.match(tool.name):
        return True
    return bool(_CLASS_NAME.match(tool.name)) and len(props) >= 2


def split_tools(tools: list[Tool]) -> tuple[list[Tool], list[Tool]]:
    """(ordinary tools, output tools); no output tools unless ordinary ones are offered."""
    output = [t for t in tools if is_output_tool(t)]
    if not output or len(output) == len(tools):
        return tools, []
    return [t for t in tools if not is_output_tool(t)], output


def gathered_values(conv: Conversation) -> MessageValues:
    """The last user message's values, then those of every tool result since it."""
    values = MessageValues.parse(conv.last_user)
    for _, result in conv.results:
        values.extend(MessageValues.parse(result, openers=True))
    return values


def first_tool(conv: Conversation) -> Tool | None:
    """The tool rule 1 calls before any tool result (no forced or selection tool)."""
    ordinary, output = split_tools(conv.tools)
    tool, score = best_tool(ordinary, conv.last_user)
    if score > 0:
        return tool
    if output:
        tool, score = best_tool(output, conv.last_user)
    return tool if score > 0 or conv.tool_choice in _REQUIRED else None


def output_tool_after_results(conv: Conversation) -> Tool | None:
    """The output tool called once the results are in, or None."""
    _, output = split_tools(conv.tools)
    if not output or not conv.results or any(t.name in conv.called for t in output):
        return None
    text = " ".join([conv.last_user, *(result for _, result in conv.results)])
    tool, _ = best_tool(output, text)
    return tool
