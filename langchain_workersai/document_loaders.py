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

from workersai.integration import DEFAULT_TASK_MODELS, AudioTranscriber, Record, TranscriptMode

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

    def _transcriber(self) -> AudioTranscriber:
        return AudioTranscriber(self.model, self.language, self.task, self.initial_prompt,
                                self.mode, self.include_words, self.model_kwargs)

    def lazy_parse(self, blob: Blob) -> Iterator[Document]:
        """Transcribe one blob."""
        data = blob.as_bytes()
        with reraise():
            records = self._transcriber().records(self._sync_client(), data, *_names(blob))
        yield from _documents(records)

    async def aparse(self, blob: Blob) -> list[Document]:
        """Async :meth:`parse`."""
        data = await asyncio.to_thread(blob.as_bytes)
        with reraise():
            records = await self._transcriber().arecords(self._async_client(), data,
                                                         *_names(blob))
        return _documents(records)


def _names(blob: Blob) -> tuple[str | None, str | None]:
    """The blob's file name (to tell the audio type) and its ``source`` for the metadata."""
    name = str(blob.source or blob.path or "") or None
    return name, blob.source or (str(blob.path) if blob.path else None)


def _documents(records: list[Record]) -> list[Document]:
    return [Document(page_content=text, metadata=meta) for text, meta in records]


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
