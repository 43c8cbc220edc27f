"""The package version: the single source (``pyproject.toml`` reads it through hatch, and
``workersai``, ``langchain_workersai`` and ``llamaindex_workersai`` re-export it)."""

__version__ = "0.1.0"
