"""Where the examples keep their RAG index: in Qdrant, on disk, so a second run embeds
nothing.

Both pipelines store their vectors in Qdrant's local mode (``QdrantClient(path=...)``):
an embedded, persistent store with the same client API as a Qdrant server, reached
through ``langchain-qdrant`` and ``llama-index-vector-stores-qdrant``. To move to a
server, pass ``QdrantClient(url=...)`` instead; nothing else changes. Each index lives in
a directory named after what its vectors depend on (the framework, the embedding model,
live or emulator, the documents), so a changed corpus or model builds a new index instead
of reading stale vectors.

``WORKERSAI_EXAMPLE_INDEX``: the directory holding the indexes (default: ``workersai-
examples`` in the system temp directory), or ``memory`` to keep the index in the
framework's in-memory store and embed the corpus on every run.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import tempfile
from pathlib import Path

from qdrant_client import QdrantClient

__all__ = ["COLLECTION", "INDEX_ENV", "close_all", "filled", "index_dir", "qdrant"]

INDEX_ENV = "WORKERSAI_EXAMPLE_INDEX"
COLLECTION = "corpus"
_OPEN: dict[Path, QdrantClient] = {}


def index_dir(framework: str, model: str, live: bool,
              documents: list[tuple[str, str]]) -> Path | None:
    """The directory for this index (created), or None when the index stays in memory."""
    root = os.environ.get(INDEX_ENV) or str(Path(tempfile.gettempdir()) / "workersai-examples")
    if root == "memory":
        return None
    key = json.dumps([framework, model, live, documents]).encode()
    path = Path(root) / f"{framework}-{hashlib.sha256(key).hexdigest()[:16]}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def qdrant(where: Path) -> QdrantClient:
    """The Qdrant client over ``where``. Local mode locks its folder, so a process opens
    each folder once and shares the client."""
    if where not in _OPEN:
        _OPEN[where] = QdrantClient(path=str(where / "qdrant"))
    return _OPEN[where]


def filled(client: QdrantClient, documents: int) -> bool:
    """Whether the collection holds every document. One that a failed run left part-filled
    is dropped, so this run embeds the corpus again instead of answering from part of it."""
    if not client.collection_exists(COLLECTION):
        return False
    if client.count(COLLECTION).count == documents:
        return True
    client.delete_collection(COLLECTION)
    return False


@atexit.register
def close_all() -> None:
    """Close every Qdrant client this process opened (their folders unlock)."""
    while _OPEN:
        _OPEN.popitem()[1].close()
