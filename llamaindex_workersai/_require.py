"""Imported first by the package: a missing LlamaIndex names the extra to install."""

from workersai.integration import require

require("llama_index.core", extra="llamaindex", framework="LlamaIndex",
        front_end="llamaindex_workersai")
