"""Default model ids shared by the front ends and the CLI (one place to change them).

Front ends read them through :mod:`workersai.integration`; the CLI reads them here.
"""

__all__ = ["DEFAULT_CHAT_MODEL", "DEFAULT_EMBED_MODEL", "DEFAULT_RERANK_MODEL"]

DEFAULT_CHAT_MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
"""The chat model ``ChatWorkersAI``, ``WorkersAI`` and ``workersai run`` use by default."""
DEFAULT_EMBED_MODEL = "@cf/baai/bge-base-en-v1.5"
"""The embedding model both front ends use when none is given."""
DEFAULT_RERANK_MODEL = "@cf/baai/bge-reranker-base"
"""The reranker both front ends use when none is given."""
