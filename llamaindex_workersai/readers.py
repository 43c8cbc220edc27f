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
    AudioTranscriber,
    Record,
    TranscriptMode,
)

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

    def _transcriber(self) -> AudioTranscriber:
        return AudioTranscriber(self.model, self.language, self.task, self.initial_prompt,
                                self.mode, self.include_words, self.additional_kwargs)

    def lazy_load_data(
        self, file: Files, extra_info: dict[str, Any] | None = None, **_: Any
    ) -> Iterator[Document]:
        """Transcribe each file in turn (``extra_info`` is merged into the metadata)."""
        for path in _paths(file):
            records = self._transcriber().records(self._sync_client(), path.read_bytes(),
                                                  path.name, str(path))
            yield from _documents(records, extra_info)

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
            records = await self._transcriber().arecords(self._async_client(), data,
                                                         path.name, str(path))
            docs.extend(_documents(records, extra_info))
        return docs


def _documents(records: list[Record], extra_info: dict[str, Any] | None) -> list[Document]:
    bulky = list(TRANSCRIPT_BULKY_KEYS)  # timing lists: kept out of embeddings and prompts
    return [
        Document(text=text, metadata={**(extra_info or {}), **meta},
                 excluded_embed_metadata_keys=bulky, excluded_llm_metadata_keys=bulky)
        for text, meta in records
    ]


def _paths(file: Files) -> Iterable[Path]:
    items = [file] if isinstance(file, (str, Path)) else list(file)
    return [Path(p) for p in items]
