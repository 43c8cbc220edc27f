"""Speech-to-text as LlamaIndex Documents: a reader for audio files.

Whisper, Whisper-large-v3-turbo (the default) and Deepgram nova-3 each get the audio the
way they take it (uint8 array, base64, raw body); every Document carries the timings.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from llama_index.core.readers.base import BasePydanticReader
from llama_index.core.schema import Document
from pydantic import Field

from workersai.integration import (
    DEFAULT_TASK_MODELS,
    TRANSCRIPT_BULKY_KEYS,
    TranscriptMode,
    audio_media_type,
    transcript_records,
)
from workersai.tasks import TranscribeParams, Transcript

from ._common import ClientFields

__all__ = ["WorkersAIAudioReader"]

Files = str | Path | Sequence[str | Path]


class WorkersAIAudioReader(ClientFields, BasePydanticReader):
    """Transcribe audio files into Documents with timing metadata.

    ``mode="single"`` gives one Document per file whose metadata holds ``source``,
    ``model``, ``language``, ``duration``, ``start``/``end`` (seconds), ``segments``
    (text, start, end) and, with ``include_words``, ``words`` (text, start, end,
    confidence, speaker where given). ``mode="segments"`` gives one Document per segment
    with its ``segment`` index, ``start`` and ``end``. The timing lists are excluded from
    the text embedded and shown to LLMs. Works as a ``SimpleDirectoryReader`` extractor.

    Example:
        .. code-block:: python

            from llama_index.core import SimpleDirectoryReader
            from llamaindex_workersai.readers import WorkersAIAudioReader

            reader = WorkersAIAudioReader(mode="segments")
            docs = reader.load_data("meeting.mp3")
            docs = SimpleDirectoryReader("calls", file_extractor={".mp3": reader}).load_data()
    """

    is_remote: bool = True
    model: str = Field(
        default=DEFAULT_TASK_MODELS["transcribe"],
        description="Speech-to-text model id (whisper, whisper-large-v3-turbo, nova-3...).",
    )
    language: str | None = Field(
        default=None, description="Language of the speech; None lets the model detect it."
    )
    task: Literal["transcribe", "translate"] | None = Field(
        default=None, description="'translate' makes Whisper-turbo write English text."
    )
    initial_prompt: str | None = Field(
        default=None, description="Text to steer spelling and style (Whisper-turbo)."
    )
    mode: TranscriptMode = Field(
        default="single", description="One Document per file, or one per segment."
    )
    include_words: bool = Field(default=True, description="Add word timings to the metadata.")
    additional_kwargs: dict[str, Any] = Field(
        default_factory=dict, description="Further model fields, sent as given."
    )

    @classmethod
    def class_name(cls) -> str:
        return "WorkersAIAudioReader"

    def _params(self, data: bytes, name: str) -> TranscribeParams:
        return TranscribeParams(
            language=self.language, task=self.task, initial_prompt=self.initial_prompt,
            media_type=audio_media_type(data, name), extra=dict(self.additional_kwargs),
        )

    def _documents(
        self, transcript: Transcript, source: str, extra_info: dict[str, Any] | None
    ) -> list[Document]:
        records = transcript_records(transcript, source, self.mode, self.include_words)
        bulky = list(TRANSCRIPT_BULKY_KEYS)
        return [
            Document(text=text, metadata={**(extra_info or {}), **meta},
                     excluded_embed_metadata_keys=bulky, excluded_llm_metadata_keys=bulky)
            for text, meta in records
        ]

    def lazy_load_data(
        self, file: Files, extra_info: dict[str, Any] | None = None, **_: Any
    ) -> Iterator[Document]:
        """Transcribe each file in turn (``extra_info`` is merged into the metadata)."""
        for path in _paths(file):
            data = path.read_bytes()
            params = self._params(data, path.name)
            out = self._sync_client().tasks.transcribe(self.model, data, params)
            yield from self._documents(out, str(path), extra_info)

    def load_data(
        self, file: Files, extra_info: dict[str, Any] | None = None, **kwargs: Any
    ) -> list[Document]:
        """All Documents of ``file`` (one path or several)."""
        return list(self.lazy_load_data(file, extra_info, **kwargs))

    async def aload_data(
        self, file: Files, extra_info: dict[str, Any] | None = None, **_: Any
    ) -> list[Document]:
        """Async :meth:`load_data` with the async client."""
        docs: list[Document] = []
        for path in _paths(file):
            data = await asyncio.to_thread(path.read_bytes)
            out = await self._async_client().tasks.transcribe(
                self.model, data, self._params(data, path.name)
            )
            docs.extend(self._documents(out, str(path), extra_info))
        return docs


def _paths(file: Files) -> Iterable[Path]:
    items = [file] if isinstance(file, (str, Path)) else list(file)
    return [Path(p) for p in items]
