"""The shipped table of Workers AI models (facts from the wire reference, late 2026).

Pure data: one :class:`ModelInfo` per model id. Prices are neurons per million tokens
($0.011 per 1,000 neurons). ``None`` means unknown or not applicable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

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

JsonMode: TypeAlias = Literal["response_format", "guided_json"]
Reasoning: TypeAlias = Literal["content", "think", "responses"]
"""Where reasoning appears: ``reasoning_content``/``reasoning`` fields, a ``</think>``
split inside the text, or Responses ``reasoning`` output items."""


@dataclass(slots=True, frozen=True)
class ModelInfo:
    """What one model id can do."""

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
    """ISO date the model was (or will be) deprecated."""


def _llm(model_id: str, family: Family, **kw: object) -> ModelInfo:
    return ModelInfo(id=model_id, task="text-generation", family=family, **kw)  # type: ignore[arg-type]


def _emb(model_id: str, family: Family, **kw: object) -> ModelInfo:
    return ModelInfo(id=model_id, task="text-embeddings", family=family, **kw)  # type: ignore[arg-type]


_RF = "response_format"
_GJ = "guided_json"

MODELS: tuple[ModelInfo, ...] = (
    # --- Family A: classic -------------------------------------------------------------
    _llm("@cf/meta/llama-3.3-70b-instruct-fp8-fast", "classic", context_window=24000,
         default_max_tokens=256, function_calling=True, json_mode=_RF, async_queue=True,
         neurons_per_m_input=26668, neurons_per_m_output=204805),
    _llm("@cf/meta/llama-3.1-8b-instruct-fast", "classic", context_window=128000,
         default_max_tokens=256, json_mode=_RF,
         neurons_per_m_input=4119, neurons_per_m_output=34868),
    _llm("@cf/meta/llama-3.1-8b-instruct-fp8", "classic", context_window=32000,
         default_max_tokens=256, json_mode=_RF,
         neurons_per_m_input=13778, neurons_per_m_output=26128),
    _llm("@cf/meta/llama-3.1-8b-instruct-awq", "classic", context_window=8192,
         default_max_tokens=256, neurons_per_m_input=11161, neurons_per_m_output=24215),
    _llm("@cf/meta/llama-3.1-8b-instruct", "classic", context_window=8192,
         default_max_tokens=256, json_mode=_RF, deprecation_date="2026-05-30",
         neurons_per_m_input=25608, neurons_per_m_output=75147),
    _llm("@cf/meta/llama-3-8b-instruct", "classic", context_window=8192,
         default_max_tokens=256, json_mode=_RF),
    _llm("@cf/meta/llama-3.2-3b-instruct", "classic", context_window=128000,
         default_max_tokens=256, neurons_per_m_input=4625, neurons_per_m_output=30475),
    _llm("@cf/meta/llama-3.2-1b-instruct", "classic", context_window=60000,
         default_max_tokens=256, neurons_per_m_input=2457, neurons_per_m_output=18252),
    _llm("@cf/meta/llama-3.2-11b-vision-instruct", "classic", context_window=128000,
         default_max_tokens=256, vision=True, lora=True,
         neurons_per_m_input=4410, neurons_per_m_output=61493),
    _llm("@hf/nousresearch/hermes-2-pro-mistral-7b", "classic", context_window=24000,
         default_max_tokens=256, function_calling=True, json_mode=_RF),
    _llm("@cf/mistralai/mistral-small-3.1-24b-instruct", "classic", context_window=128000,
         default_max_tokens=256, function_calling=True, vision=True, json_mode=_GJ,
         lora=True, default_temperature=0.15,
         neurons_per_m_input=31818, neurons_per_m_output=50909),
    _llm("@cf/mistral/mistral-7b-instruct-v0.1", "classic", context_window=2824,
         default_max_tokens=256, lora=True,
         neurons_per_m_input=10000, neurons_per_m_output=17300),
    _llm("@cf/google/gemma-3-12b-it", "classic", context_window=80000,
         default_max_tokens=256, function_calling=True, vision=True, json_mode=_GJ,
         lora=True, neurons_per_m_input=31818, neurons_per_m_output=50909),
    _llm("@cf/qwen/qwq-32b", "classic", context_window=24000, default_max_tokens=256,
         function_calling=True, lora=True, reasoning="think",
         neurons_per_m_input=60000, neurons_per_m_output=90909),
    _llm("@cf/qwen/qwen2.5-coder-32b-instruct", "classic", context_window=32768,
         default_max_tokens=256, lora=True),
    _llm("@cf/deepseek-ai/deepseek-r1-distill-qwen-32b", "classic", context_window=80000,
         default_max_tokens=256, json_mode=_RF, reasoning="think",
         deprecation_date="2026-11-20",
         neurons_per_m_input=45170, neurons_per_m_output=443756),
    # --- Family A': llama-4 ------------------------------------------------------------
    _llm("@cf/meta/llama-4-scout-17b-16e-instruct", "llama4", context_window=131000,
         default_max_tokens=256, function_calling=True, vision=True, json_mode=_GJ,
         default_temperature=0.15, async_queue=True,
         neurons_per_m_input=24545, neurons_per_m_output=77273),
    # --- Family B: chat completions ----------------------------------------------------
    _llm("@cf/qwen/qwen3-30b-a3b-fp8", "chat", context_window=32768,
         default_max_tokens=2000, function_calling=True, json_mode=_RF,
         reasoning="content", async_queue=True,
         neurons_per_m_input=4636, neurons_per_m_output=30909),
    _llm("@cf/zai-org/glm-4.7-flash", "chat", context_window=131072,
         function_calling=True, json_mode=_RF, reasoning="content",
         neurons_per_m_input=5500, neurons_per_m_output=36364),
    _llm("@cf/moonshotai/kimi-k2.6", "chat", context_window=262144,
         function_calling=True, vision=True, json_mode=_RF, reasoning="content",
         paid_only=True, async_queue=True,
         neurons_per_m_input=86364, neurons_per_m_output=363636,
         neurons_per_m_cached_input=14545),
    _llm("@cf/google/gemma-4-26b-a4b-it", "chat", context_window=256000,
         function_calling=True, vision=True, json_mode=_RF, reasoning="content",
         async_queue=True, neurons_per_m_input=9091, neurons_per_m_output=27273),
    _llm("@cf/nvidia/nemotron-3-120b-a12b", "chat", context_window=256000,
         function_calling=True, json_mode=_RF, reasoning="content",
         neurons_per_m_input=45455, neurons_per_m_output=136364),
    _llm("@cf/ibm-granite/granite-4.0-h-micro", "chat", context_window=131000,
         function_calling=True, json_mode=_RF,
         neurons_per_m_input=1545, neurons_per_m_output=10000),
    _llm("@cf/deepseek-ai/deepseek-v4-pro-0813", "chat", context_window=1048576,
         function_calling=True, vision=True, json_mode=_RF, reasoning="content",
         paid_only=True),
    _llm("@cf/deepseek-ai/deepseek-v4-flash-0731", "chat", context_window=1048576,
         function_calling=True, json_mode=_RF, reasoning="content", paid_only=True),
    # --- Family C: gpt-oss -------------------------------------------------------------
    _llm("@cf/openai/gpt-oss-120b", "gpt-oss", context_window=128000,
         default_max_tokens=256, function_calling=True, json_mode=_RF,
         reasoning="responses", reasoning_efforts=("low", "medium", "high"),
         async_queue=True, neurons_per_m_input=31818, neurons_per_m_output=68182),
    _llm("@cf/openai/gpt-oss-20b", "gpt-oss", context_window=128000,
         default_max_tokens=256, function_calling=True, json_mode=_RF,
         reasoning="responses", reasoning_efforts=("low", "medium", "high"),
         async_queue=True),
    # --- Embeddings ----------------------------------------------------------------------
    _emb("@cf/baai/bge-small-en-v1.5", "bge", dimensions=384, batch_limit=100,
         max_input_tokens=512, async_queue=True, neurons_per_m_input=1841),
    _emb("@cf/baai/bge-base-en-v1.5", "bge", dimensions=768, batch_limit=100,
         max_input_tokens=512, async_queue=True, neurons_per_m_input=6058),
    _emb("@cf/baai/bge-large-en-v1.5", "bge", dimensions=1024, batch_limit=100,
         max_input_tokens=512, async_queue=True, neurons_per_m_input=18582),
    _emb("@cf/baai/bge-m3", "bge-m3", dimensions=1024, batch_limit=100,
         max_input_tokens=8192, context_window=60000, async_queue=True,
         neurons_per_m_input=1073),
    _emb("@cf/qwen/qwen3-embedding-0.6b", "embedding", dimensions=1024, batch_limit=32,
         max_input_tokens=8192, context_window=8192, neurons_per_m_input=1091),
    _emb("@cf/google/embeddinggemma-300m", "embedding", dimensions=768, batch_limit=100,
         max_input_tokens=2048),
    _emb("@cf/pfnet/plamo-embedding-1b", "embedding", dimensions=2048, batch_limit=100,
         neurons_per_m_input=1691),
    # --- Rerankers -----------------------------------------------------------------------
    ModelInfo(id="@cf/baai/bge-reranker-base", task="text-classification",
              family="reranker", max_input_tokens=512),
    ModelInfo(id="@cf/baai/bge-reranker-v2-m3", task="text-classification",
              family="reranker", max_input_tokens=8192),
    # --- Other tasks -----------------------------------------------------------------------
    ModelInfo(id="@cf/huggingface/distilbert-sst-2-int8", task="text-classification",
              family="other", neurons_per_m_input=2394),
    ModelInfo(id="@cf/black-forest-labs/flux-1-schnell", task="text-to-image", family="other"),
    ModelInfo(id="@cf/stabilityai/stable-diffusion-xl-base-1.0", task="text-to-image",
              family="other"),
    ModelInfo(id="@cf/openai/whisper", task="automatic-speech-recognition", family="other"),
    ModelInfo(id="@cf/openai/whisper-large-v3-turbo", task="automatic-speech-recognition",
              family="other"),
    ModelInfo(id="@cf/deepgram/nova-3", task="automatic-speech-recognition", family="other"),
    ModelInfo(id="@cf/myshell-ai/melotts", task="text-to-speech", family="other"),
    ModelInfo(id="@cf/deepgram/aura-1", task="text-to-speech", family="other"),
    ModelInfo(id="@cf/meta/m2m100-1.2b", task="translation", family="other",
              async_queue=True, neurons_per_m_input=31050, neurons_per_m_output=31050),
    ModelInfo(id="@cf/ai4bharat/indictrans2-en-indic-1B", task="translation", family="other"),
    ModelInfo(id="@cf/facebook/bart-large-cnn", task="summarization", family="other"),
    ModelInfo(id="@cf/llava-hf/llava-1.5-7b-hf", task="image-to-text", family="other"),
    ModelInfo(id="@cf/unum/uform-gen2-qwen-500m", task="image-to-text", family="other"),
    ModelInfo(id="@cf/microsoft/resnet-50", task="image-classification", family="other"),
    ModelInfo(id="@cf/facebook/detr-resnet-50", task="object-detection", family="other"),
)
