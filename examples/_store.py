"""Where the examples keep their RAG index: on disk, so a second run embeds nothing.

LangChain's index is an ``InMemoryVectorStore`` saved with ``dump`` and read back with
``load`` (one JSON file); LlamaIndex's is a ``VectorStoreIndex`` over its
``SimpleVectorStore``, saved with ``storage_context.persist`` and read back with
``load_index_from_storage``. Both ship with the frameworks (no extra install, no model
download). Each index lives in a directory named after what its vectors depend on (the
framework, the embedding model, live or emulator, the documents), so a changed corpus or
model builds a new index instead of reading stale vectors.

``WORKERSAI_EXAMPLE_INDEX``: the directory holding the indexes (default: ``workersai-
examples`` in the system temp directory), or ``memory`` to keep the index in memory and
embed the corpus on every run.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

__all__ = ["INDEX_ENV", "index_dir"]

INDEX_ENV = "WORKERSAI_EXAMPLE_INDEX"


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
