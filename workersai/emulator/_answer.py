"""How the emulated model answers: documented rules, decided from the request body alone.

The rules, in order (the first that applies decides the reply):

1. **Tool call.** Tools are offered, ``tool_choice`` is not ``"none"`` and the last
   message is not a tool result. A named ``tool_choice`` calls that tool; ``"required"``
   / ``"any"`` calls the best-matching tool (the first one when nothing matches);
   otherwise the best-matching tool is called if it matches at all. A tool *matches* when
   the last user message names it (its exact name appears) or shares a content word
   (three letters or more, not a stopword, lightly stemmed) with its name split at
   ``snake_case``/``camelCase`` or with its description; the score is 100 for a named
   tool, else 2 per shared name word plus 1 per shared description word, ties going to
   the tool listed first. The arguments are built from the tool's JSON schema and values
   in the last user message (see :mod:`._args`): ``"What is the value of
   magic_function(3)?"`` gives ``{"input": 3}``; ``"weather in San Francisco, CA"`` gives
   ``{"location": "San Francisco, CA"}``. One call per reply.
   *Forced by instruction* (models whose schema has no ``tool_choice``): with no
   ``tool_choice`` in the body, a system-turn sentence ``Answer only by calling ...``
   acts as ``"required"``, or as a named choice when it names exactly one offered tool
   in backticks (``Answer only by calling the tool `lookup```).
   *Several named tools:* after a tool result, a tool that the last user message names
   exactly and that has not been called since that message is called next (in the
   order the tools are offered), so a task naming two tools gets both, one per turn.
2. **After a tool result** (the last message has role ``tool``, or a Responses
   ``function_call_output`` item is last) and no named tool left to call: every result
   since the last user message, in order, as ``The <name> tool returned: "<result>".``
3. **JSON.** ``response_format`` ``json_schema`` (bare schema or OpenAI's ``{name,
   schema}`` envelope), ``guided_json`` or Responses ``text.format``: an object satisfying
   the schema, filled like tool arguments. ``json_object`` (or a schema that says no more
   than ``{"type": "object"}``): an object whose keys are the
   quoted identifiers of the last user message (``'setup'``, ``"punchline"``), each a
   short string; with none, ``{"answer": <the text answer of rule 4>}``.
4. **Text.** A RAG prompt (the last user message holds a question, a sentence ending in
   ``?`` or a ``Question:`` line, plus context sentences there or in the system message)
   gets the context sentence sharing the most content words with the question. A
   greeting without content words gets ``Hello! How can I help you today?``. A message
   asking for a number of words (``Write 2000 words about rivers``) gets exactly that
   many words, cycling through the message's key words (then ``max_tokens`` applies).
   Anything else gets ``Here is a short answer about <up to six key words of the
   message>.``

Reasoning models (catalog ``reasoning``) also think, unless
``chat_template_kwargs.enable_thinking`` is false: ``The user asks about <key words>. I
should answer briefly.`` (before a tool call: ``I should call <tool>.``).

Limits: ``stop`` sequences cut the text before the first match (finish ``stop``).
``max_tokens`` (or ``max_completion_tokens`` / ``max_output_tokens``; the catalog default
when absent) caps the word pieces emitted, reasoning first, then text; a cut gives finish
``length``. JSON and tool calls are never cut. Usage: prompt tokens are the whitespace
words of all input text; completion tokens the pieces emitted (a tool call counts the words
of its JSON arguments plus one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..catalog import ModelInfo
from ._args import MessageValues, fill_schema
from ._jsonenc import dumps
from ._words import STOPWORDS, content_words, count_tokens, identifier_words, pieces, sentences

__all__ = ["Tool", "Call", "Conversation", "Plan", "read_conversation", "answer", "NO_JSON",
           "finish_plan", "pick_tool", "text_answer", "inline_reasoning"]

NO_JSON: Any = object()
_GREETINGS = frozenset({"hello", "hi", "hey", "hiya", "thanks", "thank", "greetings",
                        "morning", "evening", "afternoon", "good", "there"})
_KEY = re.compile(r"""['"`]([A-Za-z_][A-Za-z0-9_]*)['"`]""")
_SCHEMA_DETAIL = ("properties", "$ref", "anyOf", "oneOf", "allOf", "items", "enum", "const")
_WORDS_ASKED = re.compile(r"\b(\d[\d,]*)\s+words\b", re.IGNORECASE)
_MAX_ASKED_WORDS = 1_000_000
_QUESTION_LINE = re.compile(r"^\s*(?:question|q)\s*:\s*(.+)$", re.IGNORECASE | re.MULTILINE)


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
    """Rule 1b: a system sentence ``Answer only by calling ...`` forces a tool call (the
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


# --- the rules ----------------------------------------------------------------------------


def _score(tool: Tool, user: str, user_words: set[str]) -> int:
    if tool.name and tool.name.lower() in user.lower():
        return 100
    name_words = {w for w in (content_words(" ".join(identifier_words(tool.name))))}
    desc_words = set(content_words(tool.description))
    return 2 * len(name_words & user_words) + len(desc_words & user_words)


def _next_named_tool(conv: Conversation) -> Tool | None:
    user = conv.last_user.lower()
    return next((t for t in conv.tools
                 if t.name and t.name.lower() in user and t.name not in conv.called), None)


def pick_tool(conv: Conversation) -> Tool | None:
    """The tool rule 1 calls, or None."""
    if not conv.tools or conv.tool_choice == "none":
        return None
    if conv.tool_result is not None:
        return _next_named_tool(conv)
    if conv.forced is not None:
        return next((t for t in conv.tools if t.name == conv.forced), None)
    user_words = set(content_words(conv.last_user))
    scores = [_score(t, conv.last_user, user_words) for t in conv.tools]
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    if scores[best] > 0 or conv.tool_choice in ("required", "any"):
        return conv.tools[best]
    return None


def _key_words(text: str, limit: int) -> list[str]:
    seen: dict[str, str] = {}
    for word in re.findall(r"[^\W_]+", text):
        low = word.lower()
        if len(low) >= 3 and low not in STOPWORDS and low not in _GREETINGS:
            seen.setdefault(low, word)
    return list(seen.values())[:limit]


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _rag_answer(conv: Conversation) -> str | None:
    line = _QUESTION_LINE.search(conv.last_user)
    parts = sentences(conv.last_user)
    questions = [line.group(1).strip()] if line else [s for s in parts if s.endswith("?")]
    if not questions:
        return None
    question = questions[-1]
    asked = set(content_words(question))
    best, best_score = None, 0
    for sentence in sentences(conv.system) + parts:
        if question in sentence or sentence.endswith(("?", ":")) or len(sentence.split()) < 3:
            continue
        score = len(asked & set(content_words(sentence)))
        if score > best_score:
            best, best_score = sentence, score
    return best


def _results_answer(conv: Conversation) -> str:
    results = conv.results or [(conv.tool_result_name, conv.tool_result or "")]
    return " ".join(f'The {f"{name} tool" if name else "tool"} returned: "{text}".'
                    for name, text in results)


def _length_answer(conv: Conversation) -> str | None:
    match = _WORDS_ASKED.search(conv.last_user)
    if match is None:
        return None
    count = min(int(match.group(1).replace(",", "")), _MAX_ASKED_WORDS)
    words = _key_words(conv.last_user, 8) or ["words"]
    return " ".join(words[i % len(words)] for i in range(count)) + "."


def text_answer(conv: Conversation) -> str:
    """Rule 2 or 4: the answer text before limits."""
    if conv.tool_result is not None:
        return _results_answer(conv)
    rag = _rag_answer(conv)
    if rag is not None:
        return rag
    asked = _length_answer(conv)
    if asked is not None:
        return asked
    words = _key_words(conv.last_user, 6)
    if not words:
        return "Hello! How can I help you today?"
    return f"Here is a short answer about {_join(words)}."


def _json_answer(conv: Conversation) -> Any:
    values = MessageValues.parse(conv.last_user)
    schema = conv.json_schema or {}
    if conv.json_kind == "json_schema" and any(k in schema for k in _SCHEMA_DETAIL):
        return fill_schema(conv.json_schema, values, name="answer")
    keys = list(dict.fromkeys(_KEY.findall(conv.last_user)))
    topic = values.topic("answer")
    if keys:
        return {k: f"{k.replace('_', ' ').capitalize()} about {topic}" for k in keys}
    return {"answer": text_answer(conv)}


def _reasoning(conv: Conversation, info: ModelInfo, tool: Tool | None) -> str:
    if info.reasoning is None or not conv.thinking:
        return ""
    words = _key_words(conv.last_user, 4)
    topic = _join(words) if words else "a greeting"
    then = f"I should call {tool.name}." if tool else "I should answer briefly."
    return f"The user asks about {topic}. {then}"


def answer(conv: Conversation, info: ModelInfo) -> Plan:
    """The :class:`Plan` the rules give for ``conv`` (limits applied)."""
    tool = pick_tool(conv)
    reasoning = _reasoning(conv, info, tool)
    plan = Plan(prompt_tokens=sum(count_tokens(t) for t in conv.texts))
    if tool is not None:
        args = fill_schema(tool.parameters, MessageValues.parse(conv.last_user), name="input")
        plan.calls = [Call(tool.name, args if isinstance(args, dict) else {})]
        plan.finish = "tool_calls"
    elif conv.json_kind is not None and conv.tool_result is None:
        plan.json_value = _json_answer(conv)
    plan = finish_plan(plan, conv, reasoning, "" if tool else text_answer(conv))
    return inline_reasoning(plan) if info.reasoning == "think" and not plan.calls else plan


def inline_reasoning(plan: Plan) -> Plan:
    """Move reasoning into the text, ended by ``</think>`` (no opening tag), as
    DeepSeek-R1-style models and plain-prompt completions show it."""
    if plan.reasoning_pieces:
        merged = f"{plan.reasoning}\n</think>\n\n{plan.text}"
        plan.reasoning_pieces, plan.text_pieces = [], pieces(merged)
    return plan


def finish_plan(plan: Plan, conv: Conversation, reasoning: str, text: str) -> Plan:
    """Cut ``text`` at stop sequences and the token budget; fill pieces and counts."""
    if plan.json_value is not NO_JSON:
        text = dumps(plan.json_value).decode()
    elif conv.stop and text:
        cut = min((i for i in (text.find(s) for s in conv.stop) if i >= 0), default=-1)
        text = text[:cut] if cut >= 0 else text
    plan.reasoning_pieces = pieces(reasoning)
    plan.text_pieces = pieces(text)
    plan.call_tokens = sum(count_tokens(dumps(c.arguments).decode()) + 1 for c in plan.calls)
    budget = conv.max_tokens
    cuttable = plan.json_value is NO_JSON and not plan.calls
    if cuttable and budget is not None and len(plan.reasoning_pieces) + len(
            plan.text_pieces) > budget:
            plan.reasoning_pieces = plan.reasoning_pieces[:budget]
            plan.text_pieces = plan.text_pieces[: budget - len(plan.reasoning_pieces)]
            plan.finish = "length"
    return plan
