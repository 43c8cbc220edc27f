"""Answer rules for the prompts agent frameworks send on their own, decided from the request.

Text rules (checked before the RAG rule; the first that applies decides):

* **Condense.** A prompt asking for a *standalone question* with the follow-up after
  ``<Follow Up Message>`` or ``Follow Up Input:`` (LlamaIndex and LangChain condense
  prompts), or a system message asking for one with the follow-up as the last user
  message (history-aware retrievers), gets the follow-up rewritten: its first pronoun
  (``there`` -> ``in <subject>``, ``it``/``they``/``them``/``he``/``she``/``him``/``her``
  -> ``<subject>``, ``its``/``their``/``his`` -> ``<subject>'s``) names the subject, the
  name mentioned most often in the chat history (ties to the first; else its key words).
  A follow-up that already names the subject is returned unchanged; one without a pronoun
  gets `` about <subject>`` before its final punctuation. The RAG rule of :mod:`._answer`
  resolves a question's pronoun the same way (:func:`resolve_pronoun`, pronouns only),
  the history being the user and assistant turns before the last user message.
* **Selector.** A prompt listing numbered choices (``(1) ...``) and a question (the
  quoted text after ``question:``, else its last sentence ending in ``?``) gets the
  choice sharing the most content words with the question (ties to the lowest number), as
  JSON ``[{"choice": 2, "reason": "..."}]`` when the prompt asks for JSON, else
  ``2. <reason>``. When it asks for *top choices (no more than N)*, every choice sharing
  a word with the question, best first, at most N (at least the best one).
* **Sub-questions.** A prompt asking for *sub-questions* with a JSON object of tools
  (name -> description) after its last ``<Tools>`` and the question after its last
  ``<User Question>`` gets ```` ```json {"items": [{"sub_question", "tool_name"}]} ``` ````:
  the question is split into clauses at ``and`` / ``,`` / ``;`` and each clause goes to
  the tool it matches best; clauses matching no tool are dropped, and when none matches,
  the whole question goes to the best (else the first) tool.

Tool-call rules:

* **Selection tools.** With a selector prompt, a tool whose parameters hold an integer
  ``index`` (Pydantic single selection) or an array of such objects (multi selection) is
  called, with the choices above (``index`` is the number as the prompt shows it, so
  1-based) and a ``reason``.
* **Handoff.** A string parameter whose name contains ``agent`` and has no ``enum`` is
  filled with the agent, among those the tool's description lists (a ``{'name':
  'description'}`` mapping, or ``- name: description`` lines), whose name and description
  share the most content words with the last user message (ties to the first listed).
  Enums pick the value that best matches the message (see :mod:`._args`).
* **After a handoff.** After tool results, when every tool called since the last user
  message is a handoff tool (its description lists agents) or is not offered in this
  request (another agent's), the agent that took over answers afresh: the non-handoff
  tool matching the last user message best is called, if any matches (structured-output
  tools are left for later, see :mod:`._answer_output`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from ._answer_output import split_tools
from ._args import MessageValues, fill_schema
from ._conv import Conversation, Tool, best_tool
from ._words import content_words, identifier_words, join_words, key_words, sentences

__all__ = ["prompt_answer", "selection_tool", "agent_arguments", "after_handoff", "condense",
           "choices", "resolve_pronoun"]

_STANDALONE = re.compile(r"stand-?alone question", re.IGNORECASE)
_FOLLOW_UP = re.compile(
    r"(?:<Follow Up Message>|Follow[- ]?Up (?:Input|Question|Message)\s*:)\s*(.+?)\s*"
    r"(?:<Standalone question>|Standalone question\s*:|\Z)", re.IGNORECASE | re.DOTALL)
_HISTORY = re.compile(r"(?:<Chat History>|Chat History\s*:)(.*?)(?:<Follow Up Message>|"
                      r"Follow[- ]?Up (?:Input|Question|Message)\s*:)",
                      re.IGNORECASE | re.DOTALL)
_ROLE_WORDS = frozenset({"human", "assistant", "user", "ai", "system", "chat", "history"})
_PRONOUNS = {"there": "in {s}", "it": "{s}", "they": "{s}", "them": "{s}", "he": "{s}",
             "she": "{s}", "him": "{s}", "her": "{s}", "its": "{s}'s", "their": "{s}'s",
             "his": "{s}'s"}
_PRONOUN = re.compile(r"\b(" + "|".join(_PRONOUNS) + r")\b", re.IGNORECASE)
_CHOICE = re.compile(r"^\s*\((\d+)\)\s*(.+?)\s*$", re.MULTILINE)
_ASKED = re.compile(r"question\s*:\s*(['\"])(.+?)\1", re.IGNORECASE | re.DOTALL)
_TOP_N = re.compile(r"no more than (\d+)", re.IGNORECASE)
_SUB_QUESTIONS = re.compile(r"sub[-_ ]?questions", re.IGNORECASE)
_CLAUSES = re.compile(r"\s*(?:,|;|\band\b)\s*", re.IGNORECASE)


# --- condense ------------------------------------------------------------------------------


def _subject(history: str) -> str | None:
    names = [s for s in MessageValues.parse(history).strings
             if s.lower() not in _ROLE_WORDS and len(s) > 1]
    if names:
        counts = Counter(names)
        return max(names, key=lambda n: (counts[n], -names.index(n)))
    words = [w for w in key_words(history, 8) if w.lower() not in _ROLE_WORDS][:3]
    return join_words(words) if words else None


def _rewrite(follow_up: str, subject: str) -> str:
    if subject.lower() in follow_up.lower():
        return follow_up
    match = _PRONOUN.search(follow_up)
    if match is None:
        body = follow_up.rstrip(" ?.!")
        return f"{body} about {subject}{follow_up[len(body):].strip() or '?'}"
    replacement = _PRONOUNS[match.group(1).lower()].format(s=subject)
    return follow_up[:match.start()] + replacement + follow_up[match.end():]


def _chat_history(conv: Conversation) -> str:
    """The user and assistant turns before the last user message."""
    said = [t for r, t in conv.turns if r in ("user", "assistant")]
    return "\n".join(said[:-1])


def resolve_pronoun(question: str, conv: Conversation) -> str:
    """``question`` with its first pronoun naming the chat history's subject, as the
    condense rule rewrites it; unchanged without a pronoun, a history or a subject."""
    if _PRONOUN.search(question) is None:
        return question
    history = _chat_history(conv)
    subject = _subject(history) if history else None
    return _rewrite(question, subject) if subject else question


def condense(conv: Conversation) -> str | None:
    """The condense rule's standalone question, or None."""
    match = _FOLLOW_UP.search(conv.last_user) if _STANDALONE.search(conv.last_user) else None
    if match is not None:
        hist = _HISTORY.search(conv.last_user)
        history = hist.group(1) if hist else conv.last_user[:match.start()]
        follow_up = match.group(1).strip()
    elif _STANDALONE.search(conv.system) and conv.turns:
        follow_up = conv.last_user.strip()
        history = _chat_history(conv)
    else:
        return None
    subject = _subject(history)
    return _rewrite(follow_up, subject) if subject and follow_up else follow_up or None


# --- selectors -----------------------------------------------------------------------------


def _asked(text: str) -> str:
    quoted = _ASKED.findall(text)
    if quoted:
        return str(quoted[-1][1])
    asked = [s for s in sentences(text) if s.endswith("?")]
    return asked[-1] if asked else text


def choices(text: str) -> list[tuple[int, str, int, str]] | None:
    """The choices a selector prompt picks, best first: (number, text, score, reason)."""
    listed = [(int(n), c) for n, c in _CHOICE.findall(text)]
    lowered = text.lower()
    if len(listed) < 2 or "choice" not in lowered or "question" not in lowered:
        return None
    question = _asked(text)
    asked = set(content_words(question))
    scored = []
    for number, choice in listed:
        shared = [w for w in dict.fromkeys(content_words(choice)) if w in asked]
        reason = (f"The question is about {join_words(shared)}, which choice {number} "
                  "covers." if shared else f"Choice {number} is the closest match.")
        scored.append((number, choice, len(shared), reason))
    scored.sort(key=lambda item: (-item[2], item[0]))
    limit = _TOP_N.search(text)
    if limit is None:
        return scored[:1]
    matching = [item for item in scored if item[2] > 0][: max(int(limit.group(1)), 1)]
    return matching or scored[:1]


def _selector_text(text: str) -> str | None:
    picked = choices(text)
    if picked is None:
        return None
    if "json" in text.lower():
        return json.dumps([{"choice": n, "reason": r} for n, _, _, r in picked])
    return "\n".join(f"{n}. {r}" for n, _, _, r in picked)


# --- sub-questions -------------------------------------------------------------------------


def _tools_block(text: str) -> dict[str, str] | None:
    start = text.rfind("<Tools>")
    if start < 0:
        return None
    match = re.search(r"\{.*?\}", text[start:], re.DOTALL)
    try:
        tools = json.loads(match.group(0)) if match else None
    except ValueError:
        return None
    if not isinstance(tools, dict) or not tools:
        return None
    return {str(k): str(v) for k, v in tools.items()}


def _sub_questions(text: str) -> str | None:
    if not _SUB_QUESTIONS.search(text):
        return None
    listed = _tools_block(text)
    start = text.rfind("<User Question>")
    if listed is None or start < 0:
        return None
    question = text[start + len("<User Question>"):].split("<Output>")[0].strip()
    tools = [Tool(name, desc, {}) for name, desc in listed.items()]
    items = []
    for clause in (c for c in _CLAUSES.split(question) if c and content_words(c)):
        tool, score = best_tool(tools, clause)
        if tool is not None and score > 0:
            sub = clause.rstrip(" ?.!")
            items.append({"sub_question": sub[:1].upper() + sub[1:] + "?",
                          "tool_name": tool.name})
    if not items:
        tool, _ = best_tool(tools, question)
        items = [{"sub_question": question, "tool_name": (tool or tools[0]).name}]
    return "```json\n" + json.dumps({"items": items}, indent=4) + "\n```"


def prompt_answer(conv: Conversation) -> str | None:
    """The text the condense, selector or sub-question rule gives, or None."""
    return condense(conv) or _sub_questions(conv.last_user) or _selector_text(conv.last_user)


# --- tool calls ----------------------------------------------------------------------------


def _selection_shape(tool: Tool) -> str | None:
    props = tool.parameters.get("properties")
    if not isinstance(props, dict):
        return None
    if props.get("index", {}).get("type") == "integer":
        return "single"
    defs = tool.parameters.get("$defs", tool.parameters.get("definitions", {}))
    for prop in props.values():
        items = prop.get("items", {}) if isinstance(prop, dict) else {}
        ref = items.get("$ref", "") if isinstance(items, dict) else ""
        target = defs.get(ref.rsplit("/", 1)[-1], {}) if ref else items
        if isinstance(target, dict) and "index" in target.get("properties", {}):
            return "multi"
    return None


def selection_tool(conv: Conversation) -> Tool | None:
    """The selection tool a selector prompt calls, or None."""
    if choices(conv.last_user) is None:
        return None
    return next((t for t in conv.tools if _selection_shape(t)), None)


def _agents(description: str) -> list[tuple[str, str]]:
    pairs = re.findall(r"""['"]([A-Za-z_][\w-]*)['"]\s*:\s*['"]([^'"]*)['"]""", description)
    return pairs or re.findall(r"^\s*[-*]\s*([A-Za-z_][\w-]*)\s*:\s*(.+)$", description,
                               re.MULTILINE)


def _best_agent(agents: list[tuple[str, str]], text: str) -> str:
    tools = [Tool(name, f"{' '.join(identifier_words(name))} {desc}", {})
             for name, desc in agents]
    tool, _ = best_tool(tools, text)
    return (tool or tools[0]).name


def agent_arguments(tool: Tool, conv: Conversation) -> dict[str, Any] | None:
    """Arguments from the selection or handoff rule, or None to fill them by schema."""
    shape = _selection_shape(tool)
    picked = choices(conv.last_user) if shape else None
    if shape and picked:
        chosen = [{"index": n, "reason": r} for n, _, _, r in picked]
        if shape == "single":
            return chosen[0]
        key = next(k for k, p in tool.parameters["properties"].items()
                   if isinstance(p, dict) and p.get("type") == "array")
        return {key: chosen}
    agents = _agents(tool.description)
    props = tool.parameters.get("properties")
    if not agents or not isinstance(props, dict):
        return None
    args = fill_schema(tool.parameters, MessageValues.parse(conv.last_user), name="input")
    if not isinstance(args, dict):
        return None
    for key, prop in props.items():
        if "agent" in key.lower() and isinstance(prop, dict) and "enum" not in prop:
            args[key] = _best_agent(agents, conv.last_user)
    return args


def after_handoff(conv: Conversation) -> Tool | None:
    """The tool the agent that took over calls first (see the module docstring), or None."""
    offered = {t.name for t in conv.tools}
    handoffs = {t.name for t in conv.tools if _agents(t.description)}
    if not conv.called or any(n in offered and n not in handoffs for n in conv.called):
        return None
    ordinary, _ = split_tools(conv.tools)
    tool, score = best_tool([t for t in ordinary if t.name not in handoffs], conv.last_user)
    return tool if score > 0 else None
