"""The main job: a RAG pipeline and a tool-calling agent, with LangChain and LlamaIndex.

Runs live when CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN are set, otherwise against
the embedded Workers AI emulator (in-process, offline). The first line says which.

    pip install -e ".[all]" && python examples/main.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import langchain_pipeline
import llamaindex_pipeline
from _connect import connect


def main() -> None:
    conn = connect()
    print(conn.banner)
    langchain_pipeline.main(conn)
    print()
    llamaindex_pipeline.main(conn)


if __name__ == "__main__":
    main()
