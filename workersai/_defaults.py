"""Default model ids shared by the front ends and the CLI (one place to change them)."""

__all__ = ["DEFAULT_CHAT_MODEL"]

DEFAULT_CHAT_MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
"""The chat model ``ChatWorkersAI``, ``WorkersAI`` and ``workersai run`` use by default."""
