"""Benchmark: thousands of concurrent calls on one object at zero server latency.

Wall time for N concurrent calls through one object (``AsyncClient.chat`` and
``ChatWorkersAI.ainvoke``) against raw ``httpx`` behind ``asyncio.Semaphore(100)`` (the
floor). Before the per-client gate (``max_connections``), 1,000 ``ainvoke`` took ~22 s and
2,000 failed with PoolTimeout; the gate keeps the pool from thrashing.

    python benchmarks/bench_many_calls.py [--calls 1000 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Awaitable, Callable

import httpx
from _harness import ACCOUNT_ID, TOKEN, Server, emulator_process, median_of, print_table, ratio

MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
PROMPT = "Say hello."
Pair = tuple[Callable[[], Awaitable[object]], Callable[[], Awaitable[None]]]
"""One call to time, and how to close what it used."""
Factory = Callable[[Server], Pair]


def raw_floor(server: Server) -> Pair:
    client = httpx.AsyncClient(timeout=60)
    gate = asyncio.Semaphore(100)
    url = server.run_url(MODEL)
    body = json.dumps({"messages": [{"role": "user", "content": PROMPT}], "max_tokens": 16})

    async def call() -> object:
        async with gate:
            resp = await client.post(url, content=body, headers=server.headers)
        return json.loads(resp.content)["result"]["response"]

    return call, client.aclose


def core(server: Server) -> Pair:
    from workersai import AsyncClient
    from workersai.types import ChatParams, Message

    client = AsyncClient(account_id=ACCOUNT_ID, api_token=TOKEN, base_url=server.base_url)
    params = ChatParams(max_tokens=16)

    async def call() -> object:
        return (await client.chat(MODEL, [Message("user", PROMPT)], params)).text

    return call, client.aclose


def langchain(server: Server) -> Pair:
    from langchain_workersai import ChatWorkersAI

    llm = ChatWorkersAI(model=MODEL, account_id=ACCOUNT_ID, api_key=TOKEN,
                        base_url=server.base_url, max_tokens=16)

    async def call() -> object:
        return (await llm.ainvoke(PROMPT)).content

    return call, llm.aclose


def measure(server: Server, factory: Factory, n: int) -> float:
    async def main() -> float:
        call, close = factory(server)
        await asyncio.gather(*(call() for _ in range(20)))  # warm: imports and pool
        start = time.perf_counter()
        results = await asyncio.gather(*(call() for _ in range(n)), return_exceptions=True)
        took = time.perf_counter() - start
        await close()
        failed = [r for r in results if isinstance(r, BaseException)]
        if failed:
            print(f"  {len(failed)} of {n} failed: {failed[0]!r}")
        return took

    return asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows: list[list[str]] = []
    with emulator_process(latency=0.0) as server:
        for n in args.calls:
            floor, ours, lc = (
                median_of(lambda f=f, n=n: measure(server, f, n), args.runs)  # type: ignore[misc]
                for f in (raw_floor, core, langchain)
            )
            rows.append([str(n), f"{floor:.2f}s", f"{ours:.2f}s ({ratio(ours, floor)})",
                         f"{lc:.2f}s ({ratio(lc, floor)})"])
    print_table(f"{', '.join(map(str, args.calls))} concurrent calls, zero latency",
                ["calls", "httpx + Semaphore(100)", "AsyncClient.chat", "ChatWorkersAI.ainvoke"],
                rows)


if __name__ == "__main__":
    main()
