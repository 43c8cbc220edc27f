"""Speech-to-text for document loaders: the settings and calls both front ends share.

A loader (LangChain's ``WorkersAIAudioParser``, LlamaIndex's ``WorkersAIAudioReader``)
declares its fields, builds an :class:`AudioTranscriber` from them and turns the
``(text, metadata)`` records it returns into its framework's documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .tasks import TranscribeParams
from .tasks._tool_io import TranscriptMode, audio_media_type, transcript_records

if TYPE_CHECKING:
    from .client import AsyncClient, Client

__all__ = ["AudioTranscriber", "Record"]

Record = tuple[str, dict[str, Any]]
"""One document to be: its text and its metadata (see :func:`transcript_records`)."""


@dataclass(frozen=True, slots=True)
class AudioTranscriber:
    """A loader's speech-to-text settings: one audio file in, document records out.

    ``mode``, ``include_words``: as :func:`transcript_records`; the other fields are the
    :class:`~workersai.tasks.TranscribeParams` sent (``extra``: further model fields,
    sent as given). The audio type is read from the bytes, else guessed from ``name``.
    """

    model: str
    language: str | None = None
    task: Literal["transcribe", "translate"] | None = None
    initial_prompt: str | None = None
    mode: TranscriptMode = "single"
    include_words: bool = True
    extra: Mapping[str, Any] = field(default_factory=dict)

    def params(self, data: bytes, name: str | None = None) -> TranscribeParams:
        """The request options for ``data`` (the file's ``name`` helps tell its type)."""
        return TranscribeParams(
            language=self.language, task=self.task, initial_prompt=self.initial_prompt,
            media_type=audio_media_type(data, name), extra=dict(self.extra))

    def records(self, client: Client, data: bytes, name: str | None = None,
                source: str | None = None) -> list[Record]:
        """Transcribe ``data`` with ``client``; ``source`` goes into every record."""
        out = client.tasks.transcribe(self.model, data, self.params(data, name))
        return transcript_records(out, source, self.mode, self.include_words)

    async def arecords(self, client: AsyncClient, data: bytes, name: str | None = None,
                       source: str | None = None) -> list[Record]:
        """:meth:`records` with the async client."""
        out = await client.tasks.transcribe(self.model, data, self.params(data, name))
        return transcript_records(out, source, self.mode, self.include_words)
