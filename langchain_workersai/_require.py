"""Imported first by the package: a missing LangChain names the extra to install."""

from workersai.integration import require

require("langchain_core", extra="langchain", framework="LangChain",
        front_end="langchain_workersai")
