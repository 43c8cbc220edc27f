"""Pure converters between neutral types (``workersai.types``) and Workers AI JSON.

No I/O, no httpx, no framework imports. One module per concern:

- ``chat``: request bodies per model family and endpoint; reply parsing for every family.
- ``stream``: :class:`StreamAssembler`, SSE event dicts of any family -> neutral deltas.
- ``embeddings``: batch planning, request bodies and vector parsing per embedding family.
- ``rerank``: reranker request bodies and result parsing.
- ``families``: model family detection (catalog first, reply shape for unknown ids).
"""

from __future__ import annotations

__all__: list[str] = []
