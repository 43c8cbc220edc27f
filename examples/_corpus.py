"""A small knowledge base the examples index: facts about Workers AI, one per document."""

# No `from __future__ import annotations` here: LlamaIndex's FunctionTool builds its
# schema from the real annotation objects.
from typing import Literal

__all__ = ["DOCUMENTS", "QUESTION", "AGENT_TASK", "get_weather", "convert_currency"]

DOCUMENTS: list[tuple[str, str]] = [
    ("pricing.md", "Workers AI bills in neurons and charges $0.011 per 1,000 neurons."),
    ("free-tier.md", "Every account gets 10,000 free neurons per day, reset at 00:00 UTC."),
    ("embeddings.md", "The bge-base-en-v1.5 embedding model returns vectors of 768 dimensions."),
    ("limits.md", "Text generation models accept 300 requests per minute by default."),
    ("gateway.md", "AI Gateway caches identical requests and reports a cache status header."),
    ("reranker.md", "The bge-reranker-base model scores each context against the query."),
    ("streaming.md", "Streaming replies arrive as server-sent events ending with [DONE]."),
]

QUESTION = "How many free neurons does every account get per day?"
AGENT_TASK = ("What is the weather in Lisbon, and what is 120 USD in EUR? "
              "Use the get_weather and convert_currency tools.")


def get_weather(city: str) -> str:
    """Return the current weather for a city."""
    return f"Sunny and 21 C in {city}."


Currency = Literal["EUR", "GBP", "JPY", "USD"]


def convert_currency(amount: float, source: Currency, target: Currency) -> str:
    """Convert an amount of money from one currency to another."""
    rates = {("USD", "EUR"): 0.92, ("EUR", "USD"): 1.09}
    rate = rates.get((source.upper(), target.upper()), 1.0)
    return f"{amount} {source.upper()} is {amount * rate:.2f} {target.upper()}."
