"""Peers measured in the same run as our classes, when they are installed.

* ``langchain-cloudflare``: ``ChatCloudflareWorkersAI`` (native ``/ai/run``) and
  ``CloudflareWorkersAIEmbeddings``;
* ``langchain-openai``: ``ChatOpenAI`` on Workers AI's OpenAI-compatible ``/ai/v1``.

Install them with ``pip install -e ".[bench]"``. A peer that is not installed is left out
of the table (with a note), never faked.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

from _harness import ACCOUNT_ID, TOKEN, Server

__all__ = ["cloudflare_chat", "cloudflare_embeddings", "installed", "openai_chat"]


def installed(module: str) -> bool:
    """Whether ``module`` can be imported (notes the absence on stderr)."""
    found = importlib.util.find_spec(module) is not None
    if not found:
        print(f"(peer {module} not installed: pip install -e '.[bench]')", file=sys.stderr)
    return found


def cloudflare_chat(server: Server, model: str, max_tokens: int) -> Any | None:
    """langchain-cloudflare's chat model on the emulator, or None."""
    if not installed("langchain_cloudflare"):
        return None
    from langchain_cloudflare import ChatCloudflareWorkersAI

    return ChatCloudflareWorkersAI(model=model, account_id=ACCOUNT_ID, api_token=TOKEN,
                                   base_url=server.base_url, max_tokens=max_tokens)


def cloudflare_embeddings(server: Server, model: str) -> Any | None:
    """langchain-cloudflare's embeddings on the emulator (its default batch of 50), or None."""
    if not installed("langchain_cloudflare"):
        return None
    from langchain_cloudflare import CloudflareWorkersAIEmbeddings

    return CloudflareWorkersAIEmbeddings(account_id=ACCOUNT_ID, api_token=TOKEN,
                                         model_name=model,
                                         api_base_url=f"{server.base_url}/accounts")


def openai_chat(server: Server, model: str, max_tokens: int) -> Any | None:
    """langchain-openai's ``ChatOpenAI`` on ``/ai/v1``, or None."""
    if not installed("langchain_openai"):
        return None
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(model=model, api_key=TOKEN, max_tokens=max_tokens,  # type: ignore[arg-type]
                      base_url=f"{server.base_url}/accounts/{ACCOUNT_ID}/ai/v1",
                      stream_usage=True, max_retries=0)
