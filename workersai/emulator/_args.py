"""Build a JSON value that satisfies a JSON Schema, filled from values found in a message.

Values are taken from the user's text in order of appearance, each used once:

* numbers (``3``, ``-2.5``; ``21`` of ``21C``: up to three letters of a unit may follow)
  for ``integer`` / ``number`` fields (integers only for
  ``integer``), clamped into ``minimum`` / ``maximum``;
* strings for ``string`` fields: quoted strings first (``'x'``, ``"x"``, curly and CJK
  quotes), then runs of CJK characters, then capitalised proper nouns (``San Francisco,
  CA``; a single capitalised word opening a sentence, and common words such as "What" or
  "Using", do not count);
* ``true`` / ``false`` / ``yes`` / ``no`` for ``boolean`` fields;
* an ``enum`` takes the allowed value the message mentions first that no earlier field
  of the same call took (so ``120 USD in EUR`` fills ``source``/``target`` with
  ``USD``/``EUR``), else the value sharing the most content words with the message
  (``weather_agent`` for "the weather in Lisbon"), else the first allowed value.

Otherwise defaults are type-correct: the ``default`` when the schema has one; strings are
the message's content words (else the field name), never empty; numbers the minimum or
0; booleans false; arrays ``minItems`` items (one for a required array); objects their
required properties. Optional properties are filled only when the message still holds an
unused value of their type. ``$ref`` (``#/$defs/...``, ``#/definitions/...``), ``anyOf``
/ ``oneOf`` (the first non-null branch, so ``Optional[int]`` is an integer) and ``allOf``
are followed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ._words import STOPWORDS, content_words, identifier_words, word_tokens

__all__ = ["MessageValues", "fill_schema"]

_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?=°?[A-Za-z]{0,3}(?!\w))")
_QUOTED = re.compile(r"(?:(?<=^)|(?<=[\s(\[{:=,]))(['\"`])(.+?)\1(?=$|[\s)\]}.,;:!?])"
                     "|[\u201c\u2018](.+?)[\u201d\u2019]|[\u300c\u300e](.+?)[\u300d\u300f]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
_PROPER = re.compile(r"\b[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*(?:,\s*[A-Z]{2}\b)?")
_BOOL = re.compile(r"\b(true|false|yes|no)\b", re.IGNORECASE)
_OPENERS = STOPWORDS | {"hello", "hi", "hey", "give", "call", "find", "create", "generate",
                        "write", "show", "list", "is", "are", "can", "could", "would",
                        "should", "do", "does", "please", "what", "thanks", "thank", "ok",
                        "okay", "yes", "no", "dear", "answer", "respond", "extract"}
_MAX_DEPTH = 8


def _proper_nouns(text: str, openers: bool = False) -> list[str]:
    found = []
    for match in _PROPER.finditer(text):
        words = match.group(0).split()
        start = match.start()
        sentence_start = start == 0 or text[:start].rstrip()[-1:] in ".!?:\n"
        if sentence_start and len(words) == 1 and not openers:
            continue  # "Forecast for Lisbon": a capitalised sentence opener is no name
        while words and words[0].lower().rstrip(",") in _OPENERS:
            words = words[1:]
        if words and not (len(words) == 1 and words[0].lower() in _OPENERS):
            found.append(" ".join(words).rstrip(",."))
    return [f for f in found if f]


@dataclass
class MessageValues:
    """Values found in a message, consumed front to back as fields are filled."""

    text: str
    numbers: list[int | float] = field(default_factory=list)
    strings: list[str] = field(default_factory=list)
    booleans: list[bool] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)
    """Enum values already used by a field."""

    @classmethod
    def parse(cls, text: str, *, openers: bool = False) -> MessageValues:
        """Pull numbers, strings and booleans out of ``text`` (with ``openers``, a single
        capitalised word opening a sentence counts as a string too, as in a tool result
        ``Sunny, 21C``)."""
        quoted = [next(g for g in m.groups()[1:] if g) for m in _QUOTED.finditer(text)]
        rest = _QUOTED.sub(" ", text)
        cjk = _CJK.findall(rest)
        names = _proper_nouns(_CJK.sub(" ", rest), openers)
        strings = quoted + [c for c in cjk if c not in quoted] + names
        numbers: list[int | float] = [
            float(n) if "." in n else int(n) for n in _NUMBER.findall(rest)]
        booleans = [b.lower() in ("true", "yes") for b in _BOOL.findall(rest)]
        return cls(text, numbers, strings, booleans)

    def extend(self, more: MessageValues) -> MessageValues:
        """Append ``more``'s values (strings not already held) after these."""
        self.numbers += more.numbers
        self.booleans += more.booleans
        self.strings += [s for s in more.strings if s not in self.strings]
        return self

    def topic(self, name: str) -> str:
        """A non-empty default string: the message's content words, else ``name``."""
        words = [w for w in word_tokens(self.text)
                 if len(w) >= 3 and w not in STOPWORDS and not w.isdigit()][:4]
        return " ".join(words) if words else name.replace("_", " ")


def _resolve(schema: Any, root: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return {}
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        node: Any = root
        for part in ref[2:].split("/"):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        merged = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
        return _resolve(merged, root, depth + 1)
    for key in ("anyOf", "oneOf"):
        options = schema.get(key)
        if isinstance(options, list) and options:
            chosen = next((o for o in options if _resolve(o, root, depth + 1).get("type")
                           != "null"), options[0])
            rest = {k: v for k, v in schema.items() if k != key}
            return _resolve({**rest, **_resolve(chosen, root, depth + 1)}, root, depth + 1)
    all_of = schema.get("allOf")
    if isinstance(all_of, list):
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        for part in all_of:
            merged = {**_resolve(part, root, depth + 1), **merged}
        return merged
    return schema


def _type_of(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if isinstance(kind, str):
        return kind
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    if schema.get("enum"):
        return {str: "string", bool: "boolean", int: "integer", float: "number"}.get(
            type(schema["enum"][0]), "string")
    return "string"


def _has_value(kind: str, values: MessageValues) -> bool:
    if kind == "integer":
        return any(isinstance(n, int) for n in values.numbers)
    return bool({"number": values.numbers, "string": values.strings,
                 "boolean": values.booleans}.get(kind))


def _enum_value(options: list[Any], values: MessageValues) -> Any:
    lowered = values.text.lower()
    mentioned = sorted((lowered.find(o.lower()), i) for i, o in enumerate(options)
                       if isinstance(o, str) and o and o.lower() in lowered
                       and o not in values.taken)
    if not mentioned:
        return _closest(options, values.text)
    choice = options[mentioned[0][1]]
    values.taken.add(choice)
    return choice


def _closest(options: list[Any], text: str) -> Any:
    words = set(content_words(text))
    scores = [len(words & set(content_words(" ".join(identifier_words(o)))))
              if isinstance(o, str) else 0 for o in options]
    best = max(range(len(options)), key=lambda i: (scores[i], -i))
    return options[best]


def _number(schema: dict[str, Any], values: MessageValues, integer: bool) -> int | float:
    for i, n in enumerate(values.numbers):
        if not integer or isinstance(n, int):
            values.numbers.pop(i)
            break
    else:
        n = schema.get("minimum", schema.get("exclusiveMinimum", 0))
    lo, hi = schema.get("minimum"), schema.get("maximum")
    if isinstance(lo, int | float) and n < lo:
        n = lo
    if isinstance(hi, int | float) and n > hi:
        n = hi
    return int(n) if integer else n


def _string(schema: dict[str, Any], values: MessageValues, name: str) -> str:
    text = values.strings.pop(0) if values.strings else values.topic(name)
    max_len = schema.get("maxLength")
    return text[:max_len] if isinstance(max_len, int) and max_len > 0 else text


def fill_schema(schema: Any, values: MessageValues, *, name: str = "value",
                root: dict[str, Any] | None = None, depth: int = 0) -> Any:
    """A value satisfying ``schema``, filled from ``values`` (see the module docstring)."""
    root = root if root is not None else (schema if isinstance(schema, dict) else {})
    node = _resolve(schema, root)
    if "const" in node:
        return node["const"]
    if isinstance(node.get("enum"), list) and node["enum"]:
        return _enum_value(node["enum"], values)
    kind = _type_of(node)
    if "default" in node and not _has_value(kind, values):
        return node["default"]
    if kind == "object":
        return _object(node, values, root, depth)
    if kind == "array":
        return _array(node, values, name, root, depth)
    if kind in ("integer", "number"):
        return _number(node, values, kind == "integer")
    if kind == "boolean":
        return values.booleans.pop(0) if values.booleans else False
    if kind == "null":
        return None
    return _string(node, values, name)


def _object(node: dict[str, Any], values: MessageValues, root: dict[str, Any],
            depth: int) -> dict[str, Any]:
    props = node.get("properties")
    if not isinstance(props, dict) or depth > _MAX_DEPTH:
        return {}
    raw_required = node.get("required")
    required: list[Any] = raw_required if isinstance(raw_required, list) else []
    out: dict[str, Any] = {}
    for key, sub in props.items():
        kind = _type_of(_resolve(sub, root))
        if key in required or (kind != "object" and _has_value(kind, values)):
            out[key] = fill_schema(sub, values, name=key, root=root, depth=depth + 1)
    return out


def _array(node: dict[str, Any], values: MessageValues, name: str, root: dict[str, Any],
           depth: int) -> list[Any]:
    items = node.get("items", {})
    low, high = node.get("minItems"), node.get("maxItems")
    count = max(low if isinstance(low, int) else 0, 1)
    if isinstance(high, int):
        count = min(count, high)
    if depth > _MAX_DEPTH:
        return []
    return [fill_schema(items, values, name=name, root=root, depth=depth + 1)
            for _ in range(count)]
