"""Workers AI rate limits (requests per minute): defaults per task, per-model overrides.

Data only, from Cloudflare's limits page (Workers AI platform limits, the facts recorded
with the catalog snapshot). Beta models may have lower limits; local mode via Wrangler
counts too. A ``rate_limit_per_minute`` field on ``ModelInfo``, when the catalog has one,
takes precedence (see ``workersai._pacer.limit_per_minute``).
"""

from __future__ import annotations

__all__ = ["DEFAULT_PER_MINUTE", "MODEL_PER_MINUTE", "TASK_PER_MINUTE"]

DEFAULT_PER_MINUTE = 300
"""For a model the catalog does not know: the lowest common default (text generation)."""

TASK_PER_MINUTE: dict[str, int] = {
    "automatic-speech-recognition": 720,
    "image-classification": 3000,
    "image-to-text": 720,
    "object-detection": 3000,
    "summarization": 1500,
    "text-classification": 2000,
    "text-embeddings": 3000,
    "text-generation": 300,
    "text-to-image": 720,
    "translation": 720,
}

MODEL_PER_MINUTE: dict[str, int] = {
    "@cf/baai/bge-large-en-v1.5": 1500,
    "@hf/thebloke/mistral-7b-instruct-v0.1-awq": 400,
    "@cf/microsoft/phi-2": 720,
    "@cf/qwen/qwen1.5-0.5b-chat": 1500,
    "@cf/qwen/qwen1.5-1.8b-chat": 720,
    "@cf/qwen/qwen1.5-14b-chat-awq": 150,
    "@cf/tinyllama/tinyllama-1.1b-chat-v1.0": 720,
    "@cf/runwayml/stable-diffusion-v1-5-img2img": 1500,
}
