"""The ReAct rule: a prompt in the Thought / Action / Action Input / Observation format gets
one ReAct step, decided from the request alone.

*Detection.* The prompt (any message) has ``Action:`` and ``Action Input:`` lines and lists
its tools, either as LlamaIndex blocks (``> Tool Name: get_weather`` / ``Tool
Description: ...`` / ``Tool Args: {json schema}``) or as a list after ``one of``
(``Action: the action to take, should be one of [get_weather, search]``), each described
on a line ``get_weather: ...`` (or ``get_weather(...) - ...``).

*The question* is the last user message that does not start with ``Observation:``; when it
holds ``Question:`` lines, the last one. *Steps so far* are the ``Action:`` and
``Observation:`` lines after the question (later messages, or the scratchpad after the
``Question:`` line).

*The step.*

* No observation yet for the last action: the tool that best matches the question (the
  tool-matching score of rule 1; a tool named in the question is called before any other)
  is called: ``Thought: I need to use a tool to help me answer the question.`` /
  ``Action: get_weather`` / ``Action Input: {"city": "Lisbon"}``. The input is a JSON
  object filled from the question by the tool's ``Tool Args`` schema (``{"input": ...}``
  without one) when the format asks for JSON, else a plain string (the first value the
  question holds, else its key words).
* An observation answers every action and no tool named in the question is left
  uncalled: the final answer is the observations' text, ``Thought: I can answer without
  using any more tools.`` / ``Answer: Sunny, 21C in Lisbon`` (``Thought: I now know the
  final answer`` / ``Final Answer: ...`` when the prompt's format uses ``Final Answer:``).
* No tool matches: ``Answer: Here is a short answer about <key words>.`` in the same form.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ._args import MessageValues, fill_schema
from ._conv import Conversation, Tool, best_tool
from ._words import join_words, key_words

__all__ = ["react_answer", "ReactPrompt", "read_react_prompt"]

_ACTION = re.compile(r"^\s*Action\s*:\s*([^\s(]+)", re.MULTILINE)
_OBSERVATION = re.compile(r"^\s*Observation\s*:\s*(.*?)(?=\n\s*(?:Thought|Action)\s*:|\Z)",
                          re.MULTILINE | re.DOTALL)
_HAS_FORMAT = re.compile(r"^\s*Action Input\s*:", re.MULTILINE)
_INPUT_LINE = re.compile(r"^\s*Action Input\s*:(.*)$", re.MULTILINE)
_LLAMA_TOOL = re.compile(r"^> Tool Name:\s*(?P<name>[^\n]+)\nTool Description:\s*"
                         r"(?P<desc>.*?)\nTool Args:\s*(?P<args>[^\n]*)",
                         re.MULTILINE | re.DOTALL)
_ONE_OF = re.compile(r"\bone of\s*[\[(]?([^\]\)\n]+)", re.IGNORECASE)
_QUESTION = re.compile(r"^\s*Question\s*:\s*(.+)$", re.MULTILINE)
_OBSERVATION_START = re.compile(r"^\s*Observation\s*:", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ReactPrompt:
    """What the rule reads from a ReAct prompt."""

    tools: list[Tool]
    json_input: bool
    final_label: str
    question: str
    tail: str
    """Everything after the question: earlier steps and observations."""


def _llama_tools(text: str) -> list[Tool]:
    tools = []
    for match in _LLAMA_TOOL.finditer(text):
        try:
            schema = json.loads(match["args"])
        except ValueError:
            schema = {}
        tools.append(Tool(match["name"].strip(), match["desc"].strip(),
                          schema if isinstance(schema, dict) else {}))
    return tools


def _listed_tools(text: str) -> list[Tool]:
    for match in _ONE_OF.finditer(text):
        names = [n.strip(" `'\"*") for n in match.group(1).split(",")]
        names = [n for n in names if re.fullmatch(r"[A-Za-z_][\w.-]*", n)]
        if not names:
            continue
        tools = []
        for name in names:
            line = re.search(rf"^\s*[-*]?\s*{re.escape(name)}\s*(?:\(.*?\))?\s*(?::|-)\s*(.+)$",
                             text, re.MULTILINE)
            tools.append(Tool(name, line.group(1).strip() if line else "", {}))
        return tools
    return []


def _question(conv: Conversation) -> tuple[str, str]:
    """The question and the text after it."""
    turns = conv.turns or [("user", conv.last_user)]
    index = next((i for i in range(len(turns) - 1, -1, -1) if turns[i][0] == "user"
                  and not _OBSERVATION_START.match(turns[i][1])), None)
    if index is None:
        return conv.last_user, ""
    text = turns[index][1]
    later = "\n".join(t for _, t in turns[index + 1:])
    lines = list(_QUESTION.finditer(text))
    if lines:
        last = lines[-1]
        return last.group(1).strip(), text[last.end():] + "\n" + later
    return text.strip(), later


def read_react_prompt(conv: Conversation) -> ReactPrompt | None:
    """The ReAct prompt in ``conv``, or None when the request is not one."""
    everything = "\n".join(conv.texts)
    if not _HAS_FORMAT.search(everything) or not _ACTION.search(everything):
        return None
    tools = _llama_tools(everything) or _listed_tools(everything)
    if not tools:
        return None
    instructions = " ".join(m.group(1) for m in _INPUT_LINE.finditer(everything))
    json_input = "json" in instructions.lower() or bool(_LLAMA_TOOL.search(everything))
    final = "Final Answer" if re.search(r"^\s*Final Answer\s*:", everything,
                                        re.MULTILINE) else "Answer"
    question, tail = _question(conv)
    return ReactPrompt(tools, json_input, final, question, tail)


def _action_input(tool: Tool, prompt: ReactPrompt) -> str:
    values = MessageValues.parse(prompt.question)
    if prompt.json_input:
        schema: dict[str, Any] = tool.parameters or {
            "type": "object", "properties": {"input": {"type": "string"}},
            "required": ["input"]}
        value = fill_schema(schema, values, name="input")
        return json.dumps(value if isinstance(value, dict) else {"input": value},
                          ensure_ascii=False)
    return str(fill_schema({"type": "string"}, values, name="input"))


def _final(prompt: ReactPrompt, answer: str) -> str:
    if prompt.final_label == "Final Answer":
        return f"Thought: I now know the final answer\nFinal Answer: {answer}"
    return f"Thought: I can answer without using any more tools.\nAnswer: {answer}"


def _next_tool(prompt: ReactPrompt, called: list[str], observed: bool) -> Tool | None:
    question = prompt.question.lower()
    named = next((t for t in prompt.tools
                  if t.name.lower() in question and t.name not in called), None)
    if named is not None or observed:
        return named
    tool, score = best_tool(prompt.tools, prompt.question)
    return tool if score > 0 else None


def react_answer(conv: Conversation) -> str | None:
    """The ReAct step for ``conv`` (see the module docstring), or None."""
    prompt = read_react_prompt(conv)
    if prompt is None:
        return None
    called = _ACTION.findall(prompt.tail)
    observations = [o.strip() for o in _OBSERVATION.findall(prompt.tail)]
    observed = bool(observations) and len(observations) >= len(called)
    tool = _next_tool(prompt, called, observed)
    if tool is not None:
        return ("Thought: I need to use a tool to help me answer the question.\n"
                f"Action: {tool.name}\nAction Input: {_action_input(tool, prompt)}")
    if observed:
        return _final(prompt, " ".join(observations))
    words = key_words(prompt.question, 6)
    topic = join_words(words) if words else "your question"
    return _final(prompt, f"Here is a short answer about {topic}.")
