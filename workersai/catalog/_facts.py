"""Facts about models that the published definitions do not carry, each with its source.

Read only by the generator (``_sync``/``_derive``); the shipped table carries the result.
Sources are files of ``cloudflare/cloudflare-docs`` at the commit given.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SOURCES", "Deprecation", "DEPRECATIONS", "RECOMMENDED", "RATE_LIMITS",
           "RATE_LIMIT_OVERRIDES", "PAID_ONLY"]

SOURCES: dict[str, tuple[str, str]] = {
    "deprecations-2026-05-08": (
        "src/content/changelog/workers-ai/2026-05-08-planned-model-deprecations.mdx",
        "8440dd31962b846aacb33fde893669fc8d5c720b"),
    "limits": ("src/content/docs/workers-ai/platform/limits.mdx",
               "3bc5a5e7bf34a8b20091a0209e3c32868a4835ba"),
    "paid-only-2026-07-28": (
        "src/content/changelog/workers-ai/2026-07-28-models-require-workers-paid.mdx",
        "962e854c348a82f5a33cf78763e0330f31f1b4c9"),
}
"""Key -> (file in cloudflare/cloudflare-docs, commit)."""


@dataclass(frozen=True, slots=True)
class Deprecation:
    """A deprecation announced outside the model's definition."""

    date: str
    source: str
    replacement: str | None = None
    aliased: bool = False
    """Requests are served by ``replacement`` from ``date`` on (not refused)."""


_MAY30 = "2026-05-30"
_SRC = "deprecations-2026-05-08"
# The changelog recommends glm-4.7-flash, gemma-4-26b-a4b-it and kimi-k2.6 as replacements
# in general and names one only for kimi-k2.5 (aliased: "requests automatically aliased to
# kimi-k2.6 on 2026-05-30", at k2.6's higher price). The -fast and -lora variants stay.
DEPRECATIONS: dict[str, Deprecation] = {
    "@cf/moonshotai/kimi-k2.5": Deprecation(
        _MAY30, _SRC, replacement="@cf/moonshotai/kimi-k2.6", aliased=True),
    **{model_id: Deprecation(_MAY30, _SRC) for model_id in (
        "@hf/meta-llama/meta-llama-3-8b-instruct",
        "@cf/meta/llama-3-8b-instruct",
        "@cf/meta/llama-3-8b-instruct-awq",
        "@cf/meta/llama-3.1-8b-instruct",
        "@cf/meta/llama-3.1-8b-instruct-awq",
        "@cf/meta/llama-3.1-70b-instruct",
        "@cf/meta/llama-2-7b-chat-int8",
        "@cf/meta/llama-2-7b-chat-fp16",
        "@cf/mistral/mistral-7b-instruct-v0.1",
        "@hf/mistral/mistral-7b-instruct-v0.2",
        "@hf/google/gemma-7b-it",
        "@cf/google/gemma-3-12b-it",
        "@hf/nousresearch/hermes-2-pro-mistral-7b",
        "@cf/microsoft/phi-2",
        "@cf/defog/sqlcoder-7b-2",
        "@cf/unum/uform-gen2-qwen-500m",
        "@cf/facebook/bart-large-cnn",
    )},
}
"""Model id -> announced deprecation (the published ``planned_deprecation_date`` wins)."""

RECOMMENDED: dict[str, tuple[tuple[str, ...], str]] = {
    "text-generation": (("@cf/zai-org/glm-4.7-flash", "@cf/google/gemma-4-26b-a4b-it",
                         "@cf/moonshotai/kimi-k2.6"), _SRC),
}
"""Task -> (the models a deprecation changelog recommends instead of retired ones, source).
Named in :class:`~workersai.errors.ModelRetiredError` where no per-model replacement is."""

RATE_LIMITS: dict[str, int] = {
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
"""Default requests per minute per task (source: ``limits``; beta models may be lower)."""

RATE_LIMIT_OVERRIDES: dict[str, int] = {
    "@cf/baai/bge-large-en-v1.5": 1500,
    "@hf/thebloke/mistral-7b-instruct-v0.1-awq": 400,
    "@cf/microsoft/phi-2": 720,
    "@cf/qwen/qwen1.5-0.5b-chat": 1500,
    "@cf/qwen/qwen1.5-1.8b-chat": 720,
    "@cf/qwen/qwen1.5-14b-chat-awq": 150,
    "@cf/tinyllama/tinyllama-1.1b-chat-v1.0": 720,
    "@cf/runwayml/stable-diffusion-v1-5-img2img": 1500,
}
"""Per-model requests per minute (source: ``limits``)."""

PAID_ONLY: dict[str, str] = {
    "@cf/moonshotai/kimi-k2.6": "paid-only-2026-07-28",
    "@cf/moonshotai/kimi-k2.7-code": "paid-only-2026-07-28",
    "@cf/zai-org/glm-5.2": "paid-only-2026-07-28",
}
"""Models needing the Workers Paid plan (HTTP 403, code 5035, on Free) -> source; the
published ``require_workers_paid`` property adds to these."""
