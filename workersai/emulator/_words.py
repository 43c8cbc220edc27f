"""Word-level text helpers shared by the emulator's answering rules and its embeddings.

A *token* here is a whitespace word piece (``"Hello"``, ``" world!"``): prompt tokens are
the number of whitespace-separated words of all input text, completion tokens the pieces
emitted. *Content words* are lower-cased word tokens (letters and digits, split at ``_``)
of three or more characters, not stopwords, lightly stemmed.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "STOPWORDS",
    "word_tokens",
    "stem",
    "content_words",
    "identifier_words",
    "count_tokens",
    "pieces",
    "sentences",
    "key_words",
    "join_words",
]

_STOP_TEXT = """
a about above after again against all also am an and any are as at be because been before
being below between both but by can cannot could did do does doing done down during each
few for from further get gets had has have having he her here hers herself him himself his
how i if in into is it its itself just let like make me more most my myself no nor not now
of off on once only or other our ours ourselves out over own please same say she should so
some such tell than that the their theirs them themselves then there these they this those
through to too under until up use used using very want was we were what when where which
while who whom why will with would you your yours yourself yourselves value return
"""
STOPWORDS = frozenset(_STOP_TEXT.split())
_GREETINGS = frozenset({"hello", "hi", "hey", "hiya", "thanks", "thank", "greetings",
                        "morning", "evening", "afternoon", "good", "there"})

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[^\W\d_A-Za-z]+", re.UNICODE)
_PIECE = re.compile(r"\s*\S+(?:\s+\Z)?")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.MULTILINE)


def word_tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters/digits; ``_`` and punctuation separate words)."""
    return _WORD.findall(text.lower())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer: plural and verb endings, so "cats" ~ "cat"."""
    if len(word) <= 3 or not word.isascii():
        return word
    for suffix, repl, min_len in (("ies", "y", 5), ("sses", "ss", 5), ("ing", "", 6),
                                  ("ed", "", 5), ("es", "", 5), ("s", "", 4)):
        if word.endswith(suffix) and len(word) >= min_len:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            if suffix == "es" and not word.endswith(("ches", "shes", "xes", "zes")):
                continue
            base = word[: len(word) - len(suffix)] + repl
            if suffix in ("ing", "ed") and len(base) > 3 and base[-1] == base[-2] != "l":
                base = base[:-1]  # running -> run
            return base
    return word


def content_words(text: str) -> list[str]:
    """Stemmed content words of ``text`` in order (duplicates kept)."""
    return [stem(w) for w in word_tokens(text) if len(w) >= 3 and w not in STOPWORDS]


def identifier_words(name: str) -> list[str]:
    """Words of a snake_case / camelCase / kebab-case identifier, lower-cased."""
    return [w.lower() for w in _CAMEL.findall(name)]


def count_tokens(text: str) -> int:
    """Whitespace words in ``text``."""
    return len(text.split())


def pieces(text: str) -> list[str]:
    """``text`` as word pieces (each with its leading whitespace, the last with any
    trailing whitespace); they join back to ``text``."""
    return _PIECE.findall(text)


def sentences(text: str) -> list[str]:
    """Sentences and lines of ``text``, stripped, empty ones dropped."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def key_words(text: str, limit: int) -> list[str]:
    """Up to ``limit`` distinct words of ``text`` (three letters or more, no stopwords or
    greetings), in order and as written."""
    seen: dict[str, str] = {}
    for word in _WORD.findall(text):
        low = word.lower()
        if len(low) >= 3 and low not in STOPWORDS and low not in _GREETINGS:
            seen.setdefault(low, word)
    return list(seen.values())[:limit]


def join_words(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
