"""Speech-to-text as LangChain Documents: a blob parser and a loader for audio files.

Whisper, Whisper-large-v3-turbo (the default) and Deepgram nova-3 each get the audio the
way they take it (uint8 array, base64, raw body); every Document carries the timings.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from langchain_core.document_loaders import BaseBlobParser, BaseLoader, Blob
from langchain_core.documents import Document
from pydantic import ConfigDict, Field

from workersai.integration import (
    DEFAULT_TASK_MODELS,
    TranscriptMode,
    audio_media_type,
    transcript_records,
)
from workersai.tasks import TranscribeParams, Transcript

from ._common import MODEL_NAMES, ClientFields
from ._errors import reraise

__all__ = ["WorkersAIAudioParser", "WorkersAIAudioLoader"]


class WorkersAIAudioParser(ClientFields, BaseBlobParser):
    """Transcribe audio blobs into Documents with timing metadata.

    ``mode="single"`` gives one Document per blob whose metadata holds ``source``,
    ``model``, ``language``, ``duration``, ``start``/``end`` (seconds), ``segments``
    (text, start, end) and, with ``include_words``, ``words`` (text, start, end,
    confidence, speaker where given). ``mode="segments"`` gives one Document per segment
    with its ``segment`` index, ``start`` and ``end``. Nested lists are not accepted by
    every vector store: drop ``include_words`` or use ``filter_complex_metadata``.

    Example:
        .. code-block:: python

            from langchain_core.document_loaders import Blob
            from langchain_workersai.document_loaders import WorkersAIAudioParser

            parser = WorkersAIAudioParser(mode="segments", language="en")
            docs = parser.parse(Blob.from_path("meeting.mp3"))
    """

    model_config = ConfigDict(extra="forbid")

    model: str = Field(default=DEFAULT_TASK_MODELS["transcribe"], validation_alias=MODEL_NAMES)
    """Speech-to-text model id (whisper, whisper-large-v3-turbo, nova-3...)."""
    language: str | None = None
    """Language of the speech (ISO 639-1); ``None`` lets the model detect it."""
    task: Literal["transcribe", "translate"] | None = None
    """``translate`` makes Whisper-turbo write English text."""
    initial_prompt: str | None = None
    """Text to steer spelling and style (Whisper-turbo)."""
    mode: TranscriptMode = "single"
    """One Document per audio file, or one per segment."""
    include_words: bool = True
    """Add word timings (``words``) to the metadata."""
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    """Further model fields, sent as given (``beam_size``; Deepgram's ``smart_format``...)."""

    def _params(self, blob: Blob, data: bytes) -> TranscribeParams:
        name = str(blob.source or blob.path or "") or None
        return TranscribeParams(
            language=self.language, task=self.task, initial_prompt=self.initial_prompt,
            media_type=audio_media_type(data, name), extra=dict(self.model_kwargs),
        )

    def _documents(self, transcript: Transcript, blob: Blob) -> list[Document]:
        source = blob.source or (str(blob.path) if blob.path else None)
        records = transcript_records(transcript, source, self.mode, self.include_words)
        return [Document(page_content=text, metadata=meta) for text, meta in records]

    def lazy_parse(self, blob: Blob) -> Iterator[Document]:
        """Transcribe one blob."""
        data = blob.as_bytes()
        with reraise():
            out = self._sync_client().tasks.transcribe(self.model, data, self._params(blob, data))
        yield from self._documents(out, blob)

    async def aparse(self, blob: Blob) -> list[Document]:
        """Async :meth:`parse`."""
        data = await asyncio.to_thread(blob.as_bytes)
        with reraise():
            out = await self._async_client().tasks.transcribe(
                self.model, data, self._params(blob, data)
            )
        return self._documents(out, blob)


class WorkersAIAudioLoader(BaseLoader):
    """Load audio files as transcribed Documents (see :class:`WorkersAIAudioParser`).

    Example:
        .. code-block:: python

            from langchain_workersai.document_loaders import WorkersAIAudioLoader

            loader = WorkersAIAudioLoader(["call1.wav", "call2.mp3"], model="@cf/deepgram/nova-3")
            docs = loader.load()            # or: await loader.aload()
    """

    def __init__(
        self,
        file_path: str | Path | Sequence[str | Path],
        *,
        parser: WorkersAIAudioParser | None = None,
        **parser_kwargs: Any,
    ) -> None:
        """Files to load; a ready ``parser``, or the parser's fields as keyword arguments."""
        if parser is not None and parser_kwargs:
            raise TypeError("pass either parser=... or the parser's fields, not both")
        paths = [file_path] if isinstance(file_path, (str, Path)) else list(file_path)
        self.file_paths: list[Path] = [Path(p) for p in paths]
        self.parser = parser or WorkersAIAudioParser(**parser_kwargs)

    def lazy_load(self) -> Iterator[Document]:
        """Transcribe the files one after another."""
        for path in self.file_paths:
            yield from self.parser.lazy_parse(Blob.from_path(path))

    async def alazy_load(self) -> AsyncIterator[Document]:
        """Async :meth:`lazy_load`."""
        for path in self.file_paths:
            for doc in await self.parser.aparse(Blob.from_path(path)):
                yield doc
