"""The other Workers AI tasks: images, speech, translation, classification and more.

Each task is a pure request builder, a pure reply parser and two thin calls (sync and
async), reached through the client: ``client.tasks.translate(...)`` on a
``workersai.Client``, ``await aclient.tasks.translate(...)`` on an ``AsyncClient``. Bad
input raises :class:`~workersai.errors.InvalidInputError` before any request. Results are neutral
dataclasses (:mod:`workersai.tasks` re-exports them); no framework is imported.

Example::

    from workersai import Client

    with Client() as client:
        image = client.tasks.generate_image("@cf/black-forest-labs/flux-1-schnell", "a red fox")
        image.save("fox.jpg")
"""

from __future__ import annotations

from .._deprecate import deprecated_alias as _alias
from .._task_types import (
    BinaryEncoding,
    Box,
    Classification,
    DescribeParams,
    Detection,
    Detections,
    GeneratedImage,
    ImageDescription,
    ImageParams,
    Label,
    MediaBytes,
    Segment,
    SpeechAudio,
    SpeechParams,
    Summary,
    TranscribeParams,
    Transcript,
    Translation,
    Word,
)
from ._call import TaskReply, TaskRequest
from ._classify import (
    aclassify_image,
    aclassify_text,
    build_image_classification_request,
    build_text_classification_request,
    classify_image,
    classify_text,
    parse_labels,
)
from ._describe import (
    DEFAULT_DESCRIBE_PROMPT,
    adescribe_image,
    build_describe_request,
    describe_image,
    parse_description,
)
from ._detect import adetect_objects, build_detection_request, detect_objects, parse_detections
from ._image import (
    GENERIC_IMAGE_SPEC,
    IMAGE_SPECS,
    ImageSpec,
    agenerate_image,
    build_image_request,
    generate_image,
    parse_image_reply,
)
from ._protocol import RawReplyLike, RunResultLike, SupportsAsyncTasks, SupportsTasks
from ._speech import (
    ASR_SPECS,
    GENERIC_ASR_SPEC,
    AsrSpec,
    atranscribe,
    build_transcribe_request,
    parse_transcript,
    transcribe,
)
from ._summarize import (
    DEFAULT_SUMMARY_MODEL,
    SUMMARY_INSTRUCTION,
    asummarize,
    build_summary_request,
    parse_summary,
    summarize,
)
from ._translation import (
    INDIC_LANGUAGES,
    TRANSLATION_SPECS,
    TranslationSpec,
    atranslate,
    build_translation_requests,
    parse_translation_reply,
    translate,
)
from ._tts import (
    AURA_1_VOICES,
    GENERIC_TTS_SPEC,
    TTS_SPECS,
    TtsSpec,
    asynthesize_speech,
    build_speech_request,
    parse_speech_reply,
    synthesize_speech,
)

__all__ = [
    # calls
    "generate_image", "agenerate_image",
    "transcribe", "atranscribe",
    "synthesize_speech", "asynthesize_speech",
    "translate", "atranslate",
    "classify_text", "aclassify_text",
    "classify_image", "aclassify_image",
    "detect_objects", "adetect_objects",
    "summarize", "asummarize",
    "describe_image", "adescribe_image",
    # pure builders and parsers
    "TaskRequest", "TaskReply",
    "build_image_request", "parse_image_reply",
    "build_transcribe_request", "parse_transcript",
    "build_speech_request", "parse_speech_reply",
    "build_translation_requests", "parse_translation_reply",
    "build_text_classification_request", "build_image_classification_request", "parse_labels",
    "build_detection_request", "parse_detections",
    "build_summary_request", "parse_summary",
    "build_describe_request", "parse_description",
    # per-model rules (data)
    "IMAGE_SPECS", "ImageSpec", "GENERIC_IMAGE_SPEC", "GENERIC_ASR_SPEC", "GENERIC_TTS_SPEC",
    "ASR_SPECS", "AsrSpec", "TTS_SPECS", "TtsSpec",
    "TRANSLATION_SPECS", "TranslationSpec", "INDIC_LANGUAGES", "AURA_1_VOICES",
    "DEFAULT_DESCRIBE_PROMPT", "DEFAULT_SUMMARY_MODEL", "SUMMARY_INSTRUCTION",
    # client protocols
    "SupportsTasks", "SupportsAsyncTasks", "RunResultLike", "RawReplyLike",
    # results and options
    "BinaryEncoding", "MediaBytes", "GeneratedImage", "ImageParams", "Word", "Segment",
    "Transcript",
    "TranscribeParams", "SpeechAudio", "SpeechParams", "Translation", "Label",
    "Classification", "Box", "Detection", "Detections", "Summary", "ImageDescription",
    "DescribeParams",
]


# The calls of the previous release, ``verb(client, ...)``: one more release as deprecated
# aliases of ``client.tasks.verb(...)`` (same names on Client and AsyncClient).
generate_image = _alias(generate_image, "tasks.generate_image", "client.tasks.generate_image")
agenerate_image = _alias(agenerate_image, "tasks.agenerate_image", "client.tasks.generate_image")
transcribe = _alias(transcribe, "tasks.transcribe", "client.tasks.transcribe")
atranscribe = _alias(atranscribe, "tasks.atranscribe", "client.tasks.transcribe")
synthesize_speech = _alias(synthesize_speech, "tasks.synthesize_speech",
                           "client.tasks.synthesize_speech")
asynthesize_speech = _alias(asynthesize_speech, "tasks.asynthesize_speech",
                            "client.tasks.synthesize_speech")
translate = _alias(translate, "tasks.translate", "client.tasks.translate")
atranslate = _alias(atranslate, "tasks.atranslate", "client.tasks.translate")
classify_text = _alias(classify_text, "tasks.classify_text", "client.tasks.classify_text")
aclassify_text = _alias(aclassify_text, "tasks.aclassify_text", "client.tasks.classify_text")
classify_image = _alias(classify_image, "tasks.classify_image", "client.tasks.classify_image")
aclassify_image = _alias(aclassify_image, "tasks.aclassify_image", "client.tasks.classify_image")
detect_objects = _alias(detect_objects, "tasks.detect_objects", "client.tasks.detect_objects")
adetect_objects = _alias(adetect_objects, "tasks.adetect_objects", "client.tasks.detect_objects")
summarize = _alias(summarize, "tasks.summarize", "client.tasks.summarize")
asummarize = _alias(asummarize, "tasks.asummarize", "client.tasks.summarize")
describe_image = _alias(describe_image, "tasks.describe_image", "client.tasks.describe_image")
adescribe_image = _alias(adescribe_image, "tasks.adescribe_image", "client.tasks.describe_image")
