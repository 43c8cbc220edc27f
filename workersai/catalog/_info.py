"""The shapes of the catalog: :class:`ModelInfo` (one per model id) and :class:`Price`.

The table itself is generated from Cloudflare's published model definitions
(``_generated*.py``, written by ``python -m workersai.catalog._sync``). ``None`` means
unknown or not applicable; an unknown price is never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

__all__ = ["Family", "JsonMode", "ModelInfo", "Price", "Reasoning", "Task", "NEURONS_PER_USD",
           "TASK_NAMES"]

NEURONS_PER_USD = 1000 / 0.011
"""Neurons per US dollar ($0.011 per 1,000 neurons)."""

Task: TypeAlias = Literal[
    "text-generation",
    "text-embeddings",
    "text-classification",
    "text-to-image",
    "automatic-speech-recognition",
    "text-to-speech",
    "translation",
    "summarization",
    "image-to-text",
    "image-classification",
    "object-detection",
    "voice-activity-detection",
]

Family: TypeAlias = Literal[
    # text generation
    "classic",  # {"response", "tool_calls":[{name, arguments}]}
    "llama4",  # classic response + tool_calls [{id, type, function}]
    "chat",  # OpenAI chat.completion object inside result
    "gpt-oss",  # Responses API input/output, or chat.completion for messages
    # embeddings / rerank
    "bge",  # {"shape","data","pooling"}
    "bge-m3",  # bge plus query/contexts forms
    "embedding",  # {"data","shape"} only (qwen3, embeddinggemma, plamo)
    "reranker",  # {"response":[{id, score}]}
    # other tasks
    "other",
]

TASK_NAMES: dict[str, str] = {
    "text-generation": "Text Generation", "text-embeddings": "Text Embeddings",
    "text-classification": "Text Classification", "text-to-image": "Text-to-Image",
    "automatic-speech-recognition": "Automatic Speech Recognition",
    "text-to-speech": "Text-to-Speech", "translation": "Translation",
    "summarization": "Summarization", "image-to-text": "Image-to-Text",
    "image-classification": "Image Classification", "object-detection": "Object Detection",
    "voice-activity-detection": "Voice Activity Detection",
}
"""Task slug -> the task name the published definitions use."""

JsonMode: TypeAlias = Literal["response_format", "guided_json"]
Reasoning: TypeAlias = Literal["content", "think", "responses"]
"""Where reasoning appears: ``reasoning_content``/``reasoning`` fields, a ``</think>``
split inside the text, or Responses ``reasoning`` output items."""


@dataclass(slots=True, frozen=True)
class Price:
    """One published price: ``usd`` US dollars ``unit`` (e.g. ``"per M input tokens"``,
    ``"per audio minute"``, ``"per 1k characters"``, ``"per step"``).

    ``source`` is ``"published"`` (the model's definition) or names where a hand value
    came from.
    """

    unit: str
    usd: float
    source: str = "published"

    @property
    def neurons(self) -> float:
        """The same price in neurons ($0.011 per 1,000 neurons)."""
        return self.usd * NEURONS_PER_USD


@dataclass(slots=True, frozen=True)
class ModelInfo:
    """What one model id can do (see ``docs/models.md`` for the generated table)."""

    id: str
    task: Task
    family: Family
    context_window: int | None = None
    default_max_tokens: int | None = None
    batch_limit: int | None = None
    dimensions: int | None = None
    max_input_tokens: int | None = None
    function_calling: bool = False
    vision: bool = False
    json_mode: JsonMode | None = None
    lora: bool = False
    reasoning: Reasoning | None = None
    reasoning_efforts: tuple[str, ...] = ()
    default_temperature: float | None = None
    neurons_per_m_input: float | None = None
    neurons_per_m_output: float | None = None
    neurons_per_m_cached_input: float | None = None
    paid_only: bool = False
    async_queue: bool = False
    deprecation_date: str | None = None
    """ISO date the model was (or will be) deprecated (retired from that day on)."""
    replacement: str | None = None
    """The model Cloudflare names as the replacement, if any."""
    aliased_to: str | None = None
    """From ``deprecation_date`` on, Cloudflare serves (and bills) this model instead."""
    prices: tuple[Price, ...] = ()
    """Every published price, in its own unit (empty: price unknown)."""
    beta: bool = False
    rate_limit_per_minute: int | None = None
    """Requests per minute (Cloudflare's limits page: per task, with per-model overrides)."""
    published: bool = False
    """Whether the facts come from a published definition (else from other sources)."""
    description: str = ""

    def price(self, unit: str) -> Price | None:
        """The price in ``unit`` (case-insensitive), or ``None``."""
        wanted = unit.strip().lower()
        return next((p for p in self.prices if p.unit.lower() == wanted), None)


