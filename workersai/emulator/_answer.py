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
   ``{"location": "San Francisco, CA"}``. One call per reply. Agent frameworks' own
   tool calls follow :mod:`._answer_agents`: with a selector prompt, a selection tool
   (an integer ``index``) is called with the best choice; a handoff tool's ``*agent*``
   parameter gets an agent its description lists; after a handoff, the agent that took
   over calls its best-matching tool.
   *Forced by instruction* (models whose schema has no ``tool_choice``): with no
   ``tool_choice`` in the body, a system-turn sentence ``Answer only by calling ...``
   acts as ``"required"``, or as a named choice when it names exactly one offered tool
   in backticks (``Answer only by calling the tool `lookup```).
   *Several named tools:* after a tool result, a tool that the last user message names
   exactly and that has not been called since that message is called next (in the
   order the tools are offered), so a task naming two tools gets both, one per turn.
   *Structured-output tools* (:mod:`._answer_output`): when the request offers a tool
   that looks like an answer schema (named like a class, ``Weather``, with two or more
   properties, or like a framework's output tool, ``final_result``) next to ordinary
   tools, the ordinary tools are called first, and once their results are in the schema
   tool is called, filled from the user message and the results.
2. **JSON.** ``response_format`` ``json_schema`` (bare schema or OpenAI's ``{name,
   schema}`` envelope), ``guided_json`` or Responses ``text.format``: an object satisfying
   the schema, filled like tool arguments. ``json_object`` (or a schema that says no more
   than ``{"type": "object"}``): an object whose keys are the
   quoted identifiers of the last user message (``'setup'``, ``"punchline"``), each a
   short string; with none, ``{"answer": <the text answer of rule 4>}``. A requested
   format wins over rule 3: after tool results, the values come from the last user
   message and then the results, where a capitalised word opening a sentence counts too
   (``"Sunny, 21C in Lisbon"`` fills ``conditions`` and ``temperature`` after the city).
3. **After a tool result** (the last message has role ``tool``, or a Responses
   ``function_call_output`` item is last) and no named tool left to call: every result
   since the last user message, in order, as ``The <name> tool returned: "<result>".``
4. **Text.** First the prompt patterns of agent frameworks: a ReAct prompt gets one ReAct
   step (:mod:`._answer_react`); condense, selector and sub-question prompts get a
   standalone question, the best choice, or their JSON list (:mod:`._answer_agents`).
   Then a RAG prompt (the last user message holds a question, a sentence ending in ``?``
   or a ``Question:`` / ``Query:`` line, plus context sentences there or in the system
   message)
   gets the context sentence sharing the most content words with the question; a pronoun
   in the question is first resolved against the chat history (the user and assistant
   turns before it) as the condense rule rewrites it, so a chat engine's "How many people
   live there?" after a turn about Lisbon matches the Lisbon context. A
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
from typing import Any

from ..catalog import ModelInfo
from ._answer_agents import (
    after_handoff,
    agent_arguments,
    prompt_answer,
    resolve_pronoun,
    selection_tool,
)
from ._answer_output import (
    first_tool,
    gathered_values,
    is_output_tool,
    output_tool_after_results,
    split_tools,
)
from ._answer_react import react_answer
from ._args import MessageValues, fill_schema
from ._conv import NO_JSON, Call, Conversation, Plan, Tool, read_conversation
from ._jsonenc import dumps
from ._words import content_words, count_tokens, join_words, key_words, pieces, sentences

__all__ = ["Tool", "Call", "Conversation", "Plan", "read_conversation", "answer", "NO_JSON",
           "finish_plan", "pick_tool", "text_answer", "inline_reasoning"]

_KEY = re.compile(r"""['"`]([A-Za-z_][A-Za-z0-9_]*)['"`]""")
_SCHEMA_DETAIL = ("properties", "$ref", "anyOf", "oneOf", "allOf", "items", "enum", "const")
_WORDS_ASKED = re.compile(r"\b(\d[\d,]*)\s+words\b", re.IGNORECASE)
_MAX_ASKED_WORDS = 1_000_000
_QUESTION_LINE = re.compile(r"^\s*(?:question|query|q)\s*:\s*(.+)$", re.IGNORECASE | re.MULTILINE)


# --- the rules ----------------------------------------------------------------------------


def _next_named_tool(conv: Conversation) -> Tool | None:
    user = conv.last_user.lower()
    ordinary, _ = split_tools(conv.tools)
    return next((t for t in ordinary
                 if t.name and t.name.lower() in user and t.name not in conv.called), None)


def pick_tool(conv: Conversation) -> Tool | None:
    """The tool rule 1 calls, or None."""
    if not conv.tools or conv.tool_choice == "none":
        return None
    if conv.tool_result is not None:
        return (_next_named_tool(conv) or after_handoff(conv)
                or output_tool_after_results(conv))
    if conv.forced is not None:
        return next((t for t in conv.tools if t.name == conv.forced), None)
    return selection_tool(conv) or first_tool(conv)


def _rag_answer(conv: Conversation) -> str | None:
    line = _QUESTION_LINE.search(conv.last_user)
    parts = sentences(conv.last_user)
    questions = [line.group(1).strip()] if line else [s for s in parts if s.endswith("?")]
    if not questions:
        return None
    question = questions[-1]
    asked = set(content_words(resolve_pronoun(question, conv)))
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
    words = key_words(conv.last_user, 8) or ["words"]
    return " ".join(words[i % len(words)] for i in range(count)) + "."


def text_answer(conv: Conversation) -> str:
    """Rule 3 or 4: the answer text before limits."""
    if conv.tool_result is not None:
        return _results_answer(conv)
    pattern = react_answer(conv) or prompt_answer(conv)
    if pattern is not None:
        return pattern
    rag = _rag_answer(conv)
    if rag is not None:
        return rag
    asked = _length_answer(conv)
    if asked is not None:
        return asked
    words = key_words(conv.last_user, 6)
    if not words:
        return "Hello! How can I help you today?"
    return f"Here is a short answer about {join_words(words)}."


def _json_answer(conv: Conversation) -> Any:
    values = gathered_values(conv)
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
    words = key_words(conv.last_user, 4)
    topic = join_words(words) if words else "a greeting"
    then = f"I should call {tool.name}." if tool else "I should answer briefly."
    return f"The user asks about {topic}. {then}"


def answer(conv: Conversation, info: ModelInfo) -> Plan:
    """The :class:`Plan` the rules give for ``conv`` (limits applied)."""
    tool = pick_tool(conv)
    reasoning = _reasoning(conv, info, tool)
    plan = Plan(prompt_tokens=sum(count_tokens(t) for t in conv.texts))
    if tool is not None:
        args = agent_arguments(tool, conv)
        if args is None:
            values = (gathered_values(conv) if is_output_tool(tool) and conv.results
                      else MessageValues.parse(conv.last_user))
            args = fill_schema(tool.parameters, values, name="input")
        plan.calls = [Call(tool.name, args if isinstance(args, dict) else {})]
        plan.finish = "tool_calls"
    elif conv.json_kind is not None:
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
