"""Benchmark 3: 50 concurrent calls at 200 ms server latency.

Wall time for 50 concurrent calls, and the peak number of requests in flight, for a raw
``httpx.AsyncClient`` (the floor) and for our classes; langchain-cloudflare too when it is
installed (``pip install -e ".[bench]"``).

* ``--operation chat``: ``ChatWorkersAI.ainvoke`` / ``WorkersAI.achat``. Target: within
  1.2x of the floor.
* ``--operation embed``: independent single query embeddings,
  ``WorkersAIEmbeddings.aembed_query`` / ``WorkersAIEmbedding.aget_query_embedding``.
  ``num_workers`` bounds the parallel batches of one call, never separate calls, so 50
  queries take about the time of one (1.0x of the floor, 50 in flight).

    python benchmarks/bench_concurrency.py [--operation chat|embed] [--concurrency 50]
        [--latency 0.2] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import time
from collections.abc import Awaitable, Callable

import httpx
from _harness import ACCOUNT_ID, TOKEN, Server, emulator_process, print_table, ratio
from _peers import cloudflare_embeddings, installed

MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
EMBED_MODEL = "@cf/baai/bge-base-en-v1.5"
PROMPT = "Say hello to the benchmark."
QUERY = "How many free neurons does an account get per day?"
Call = Callable[[], Awaitable[object]]
Maker = Callable[[Server, int], Call]


def raw_floor(server: Server, limit: int) -> Call:
    client = httpx.AsyncClient(timeout=30)  # httpx's default pool, as a hand-written client
    url = server.run_url(MODEL)

    async def call() -> str:
        body = json.dumps({"messages": [{"role": "user", "content": PROMPT}], "max_tokens": 32})
        resp = await client.post(url, content=body, headers=server.headers)
        return str(json.loads(resp.content)["result"]["response"])

    return call


def langchain(server: Server, limit: int) -> Call:
    from langchain_workersai import ChatWorkersAI

    llm = ChatWorkersAI(model=MODEL, account_id=ACCOUNT_ID, api_token=TOKEN,
                        base_url=server.base_url, max_tokens=32)

    async def call() -> str:
        return str((await llm.ainvoke(PROMPT)).content)

    return call


def llamaindex(server: Server, limit: int) -> Call:
    from llama_index.core.llms import ChatMessage

    from llamaindex_workersai import WorkersAI

    llm = WorkersAI(model=MODEL, account_id=ACCOUNT_ID, api_token=TOKEN,
                    base_url=server.base_url, max_tokens=32)
    messages = [ChatMessage(role="user", content=PROMPT)]

    async def call() -> str:
        return str((await llm.achat(messages)).message.content)

    return call


def raw_embed_floor(server: Server, limit: int) -> Call:
    client = httpx.AsyncClient(timeout=30)
    url = server.run_url(EMBED_MODEL)

    async def call() -> list[float]:
        resp = await client.post(url, content=json.dumps({"text": [QUERY]}),
                                 headers=server.headers)
        return list(json.loads(resp.content)["result"]["data"][0])

    return call


def ours_embed(module: str, cls: str, method: str) -> Maker:
    """One of our embedding classes, calling ``method`` with one query."""
    def make(server: Server, limit: int) -> Call:
        made = getattr(importlib.import_module(module), cls)(
            model=EMBED_MODEL, account_id=ACCOUNT_ID, api_token=TOKEN,
            base_url=server.base_url)
        embed = getattr(made, method)

        async def call() -> list[float]:
            return list(await embed(QUERY))

        return call

    return make


def cloudflare_embed(server: Server, limit: int) -> Call:
    peer = cloudflare_embeddings(server, EMBED_MODEL)

    async def call() -> list[float]:
        return list(await peer.aembed_query(QUERY))

    return call


def subjects(operation: str) -> dict[str, Maker]:
    """The clients to measure for ``operation``, the floor first."""
    if operation == "chat":
        return {"raw httpx (floor)": raw_floor, "ChatWorkersAI.ainvoke": langchain,
                "llamaindex WorkersAI.achat": llamaindex}
    found: dict[str, Maker] = {
        "raw httpx (floor)": raw_embed_floor,
        "WorkersAIEmbeddings.aembed_query":
            ours_embed("langchain_workersai", "WorkersAIEmbeddings", "aembed_query"),
        "WorkersAIEmbedding.aget_query_embedding":
            ours_embed("llamaindex_workersai", "WorkersAIEmbedding", "aget_query_embedding")}
    if installed("langchain_cloudflare"):
        found["langchain-cloudflare aembed_query"] = cloudflare_embed
    return found


async def wave(call: Call, n: int) -> tuple[float, int]:
    in_flight = peak = 0

    async def one() -> None:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        try:
            assert await call()
        finally:
            in_flight -= 1

    start = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(n)))
    return time.perf_counter() - start, peak


async def measure(server: Server, args: argparse.Namespace) -> list[list[str]]:
    makers = subjects(args.operation)
    calls = {name: make(server, args.concurrency) for name, make in makers.items()}
    walls: dict[str, list[float]] = {name: [] for name in calls}
    peaks: dict[str, int] = {}
    for call in calls.values():
        await wave(call, args.concurrency)  # warm up: open the pool
    for _ in range(args.runs):
        for name, call in calls.items():
            wall, peak = await wave(call, args.concurrency)
            walls[name].append(wall)
            peaks[name] = max(peaks.get(name, 0), peak)
    mid = args.runs // 2
    floor = sorted(walls["raw httpx (floor)"])[mid]
    return [[name, f"{sorted(v)[mid] * 1000:.0f}", str(peaks[name]),
             ratio(sorted(v)[mid], floor)] for name, v in walls.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--operation", choices=["chat", "embed"], default="chat")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with emulator_process(latency=args.latency) as server:
        rows = asyncio.run(measure(server, args))
    print_table(f"{args.concurrency} concurrent {args.operation} calls at "
                f"{args.latency * 1000:.0f} ms latency, median of {args.runs}",
                ["client", "wall ms", "peak in flight", "vs floor"], rows)


if __name__ == "__main__":
    main()
