"""The other Workers AI tasks: images, speech, translation, classification and more.

Each task is a pure request builder, a pure reply parser and two thin calls (sync and
async) that take a ``workersai.Client`` / ``AsyncClient``. Bad input raises
:class:`~workersai.errors.InvalidInputError` before any request. Results are neutral
dataclasses (:mod:`workersai.tasks` re-exports them); no framework is imported.

Example::

    from workersai import Client
    from workersai.tasks import generate_image, transcribe

    with Client() as client:
        image = generate_image(client, "@cf/black-forest-labs/flux-1-schnell", "a red fox")
        image.save("fox.jpg")
"""

from __future__ import annotations

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
from ._types import (
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
