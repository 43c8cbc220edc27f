"""What the answering rules read from a request body, and how an offered tool matches a
message.

:func:`read_conversation` accepts every input form of every family: ``prompt``,
``messages`` (OpenAI chat, with ``tool_calls`` and ``tool`` results) and Responses
``input`` (a string or items with ``function_call`` / ``function_call_output``), plus
``instructions``. :func:`score_tool` is the match score rule 1 of :mod:`._answer`
documents: 100 when the text names the tool exactly, else 2 per content word shared with
the tool's name (split at ``snake_case`` / ``camelCase``) plus 1 per content word shared
with its description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..catalog import ModelInfo
from ._words import content_words, identifier_words

__all__ = ["Tool", "Call", "Conversation", "Plan", "NO_JSON", "read_conversation",
           "score_tool", "best_tool"]

NO_JSON: Any = object()


@dataclass(frozen=True, slots=True)
class Tool:
    """An offered tool, in any of the three wire shapes."""

    name: str
    description: str
    parameters: dict[str, Any]


@dataclass(slots=True)
class Call:
    """One tool call the model makes."""

    name: str
    arguments: dict[str, Any]


@dataclass(slots=True)
class Conversation:
    """What the answering rules read from a request body."""

    texts: list[str] = field(default_factory=list)
    last_user: str = ""
    system: str = ""
    tool_result: str | None = None
    tool_result_name: str | None = None
    results: list[tuple[str | None, str]] = field(default_factory=list)
    """Tool results since the last user message: (tool name, text)."""
    called: set[str] = field(default_factory=set)
    """Names of the tools called since the last user message."""
    turns: list[tuple[str, str]] = field(default_factory=list)
    """Every message in order, as (role, text); a bare prompt is one user turn."""
    tools: list[Tool] = field(default_factory=list)
    tool_choice: str | None = None
    forced: str | None = None
    json_kind: str | None = None
    json_schema: dict[str, Any] | None = None
    max_tokens: int | None = None
    stop: list[str] = field(default_factory=list)
    thinking: bool = True


@dataclass(slots=True)
class Plan:
    """A reply, independent of the family shape it is rendered in."""

    text_pieces: list[str] = field(default_factory=list)
    reasoning_pieces: list[str] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    json_value: Any = NO_JSON
    finish: str = "stop"
    prompt_tokens: int = 0
    call_tokens: int = 0

    @property
    def text(self) -> str:
        return "".join(self.text_pieces)

    @property
    def reasoning(self) -> str:
        return "".join(self.reasoning_pieces)

    @property
    def completion_tokens(self) -> int:
        return len(self.text_pieces) + len(self.reasoning_pieces) + self.call_tokens


# --- reading the request ----------------------------------------------------------------


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p.get("text", "") for p in content
                         if isinstance(p, dict) and isinstance(p.get("text"), str))
    return "" if content is None else str(content)


def _tools(raw: Any) -> list[Tool]:
    out = []
    for item in raw if isinstance(raw, list) else []:
        spec = item.get("function") if isinstance(item.get("function"), dict) else item
        params = spec.get("parameters")
        out.append(Tool(str(spec.get("name", "")), str(spec.get("description") or ""),
                        params if isinstance(params, dict) else {}))
    return out


def _choice(raw: Any) -> tuple[str | None, str | None]:
    if isinstance(raw, str):
        return raw, None
    if isinstance(raw, dict):
        fn = raw.get("function")
        name = fn.get("name") if isinstance(fn, dict) else raw.get("name")
        if isinstance(name, str):
            return "named", name
    return None, None


def _json_format(body: dict[str, Any]) -> tuple[str | None, dict[str, Any] | None]:
    fmt = body.get("response_format")
    text_fmt = body.get("text", {}).get("format") if isinstance(body.get("text"), dict) else None
    guided = body.get("guided_json")
    if isinstance(guided, dict):
        return "json_schema", guided
    for candidate in (fmt, text_fmt):
        if not isinstance(candidate, dict):
            continue
        if candidate.get("type") == "json_object":
            return "json_object", None
        if candidate.get("type") == "json_schema":
            schema = candidate.get("json_schema", candidate)
            if isinstance(schema, dict) and isinstance(schema.get("schema"), dict):
                schema = schema["schema"]
            return "json_schema", schema if isinstance(schema, dict) else {}
    return None, None


def _called_names(msg: dict[str, Any]) -> list[str]:
    if msg.get("type") == "function_call" and isinstance(msg.get("name"), str):
        return [msg["name"]]
    calls = msg.get("tool_calls")
    names = []
    for call in calls if isinstance(calls, list) else []:
        if not isinstance(call, dict):
            continue
        fn = call.get("function")
        name = (fn if isinstance(fn, dict) else call).get("name")
        if isinstance(name, str):
            names.append(name)
    return names


def _read_messages(conv: Conversation, messages: list[dict[str, Any]]) -> None:
    for msg in messages:
        role = msg.get("role") or msg.get("type")
        text = _content_text(msg.get("content", msg.get("output")))
        conv.texts.append(text)
        conv.turns.append((str(role), text))
        if role in ("system", "developer"):
            conv.system += text + "\n"
        elif role == "user":
            conv.last_user = text
            conv.results, conv.called = [], set()
        conv.called.update(_called_names(msg))
        if role in ("tool", "function", "function_call_output"):
            conv.tool_result = text
            conv.tool_result_name = msg.get("name")
            conv.results.append((conv.tool_result_name, text))
        elif role is not None:
            conv.tool_result = None


def read_conversation(body: dict[str, Any], info: ModelInfo) -> Conversation:
    """The parts of ``body`` the rules read (any input form of any family)."""
    conv = Conversation(tools=_tools(body.get("tools")))
    conv.tool_choice, conv.forced = _choice(body.get("tool_choice"))
    conv.json_kind, conv.json_schema = _json_format(body)
    if isinstance(body.get("instructions"), str):
        conv.system = body["instructions"] + "\n"
        conv.texts.append(body["instructions"])
    source = body.get("messages", body.get("input", body.get("prompt", "")))
    if isinstance(source, str):
        conv.texts.append(source)
        conv.turns.append(("user", source))
        conv.last_user = source
    elif isinstance(source, list):
        _read_messages(conv, [m for m in source if isinstance(m, dict)])
    limit = next((body[k] for k in ("max_tokens", "max_completion_tokens", "max_output_tokens")
                  if isinstance(body.get(k), int)), None)
    conv.max_tokens = limit if limit is not None else info.default_max_tokens
    stop = body.get("stop")
    conv.stop = [stop] if isinstance(stop, str) else [s for s in stop or [] if s]
    kwargs = body.get("chat_template_kwargs")
    if isinstance(kwargs, dict) and kwargs.get("enable_thinking") is False:
        conv.thinking = False
    if conv.tool_choice is None and conv.forced is None:
        _instructed_choice(conv)
    return conv


_FORCE_SENTENCE = re.compile(r"Answer only by calling([^.;\n]*)")


def _instructed_choice(conv: Conversation) -> None:
    """A system sentence ``Answer only by calling ...`` forces a tool call (the
    backticked tool it names when that tool is offered, else as ``"required"``)."""
    match = _FORCE_SENTENCE.search(conv.system)
    if match is None or not conv.tools:
        return
    named = re.findall(r"`([^`]+)`", match.group(1))
    offered = {t.name for t in conv.tools}
    if len(named) == 1 and named[0] in offered:
        conv.forced = named[0]
    else:
        conv.tool_choice = "required"


def score_tool(tool: Tool, text: str) -> int:
    """How well ``tool`` matches ``text`` (0: not at all; see the module docstring)."""
    if tool.name and tool.name.lower() in text.lower():
        return 100
    words = set(content_words(text))
    name_words = set(content_words(" ".join(identifier_words(tool.name))))
    desc_words = set(content_words(tool.description))
    return 2 * len(name_words & words) + len(desc_words & words)


def best_tool(tools: list[Tool], text: str) -> tuple[Tool | None, int]:
    """The best-matching tool for ``text`` (ties to the first listed) and its score."""
    if not tools:
        return None, 0
    scores = [score_tool(t, text) for t in tools]
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    return tools[best], scores[best]
