"""Benchmark 4: bulk embeddings. 5,000 and 50,000 texts at 50 ms per request.

Wall time of a raw ``httpx.AsyncClient`` (the floor client: batches of 100, 8 in flight,
stdlib ``json``) beside ``WorkersAIEmbeddings.aembed_documents`` and
``WorkersAIEmbedding.aget_text_embedding_batch`` at the same batch size and concurrency,
reported beside the latency floor ceil(N / batch) x latency / concurrency. Every run checks
the vector count and that vector i belongs to text i. Target: within 1.3x of the raw
client.

    python benchmarks/bench_embeddings.py [--sizes 5000 50000] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import time
from collections.abc import Awaitable, Callable

import httpx
from _harness import ACCOUNT_ID, TOKEN, Server, emulator_process, print_table, ratio

MODEL = "@cf/baai/bge-base-en-v1.5"
BATCH = 100
CONCURRENCY = 8
Embed = Callable[[list[str]], Awaitable[list[list[float]]]]


def texts_for(n: int) -> list[str]:
    topics = ("rivers", "databases", "volcanoes", "violins", "satellites", "bread")
    return [f"Document {i} explains {topics[i % len(topics)]} in plain words." for i in range(n)]


def raw_floor(server: Server) -> Embed:
    client = httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=CONCURRENCY))
    url = server.run_url(MODEL)

    async def embed(texts: list[str]) -> list[list[float]]:
        sem = asyncio.Semaphore(CONCURRENCY)
        out: list[list[float]] = [[] for _ in texts]

        async def batch(start: int) -> None:
            async with sem:
                chunk = texts[start:start + BATCH]
                resp = await client.post(url, content=json.dumps({"text": chunk}),
                                         headers=server.headers)
                for j, vec in enumerate(json.loads(resp.content)["result"]["data"]):
                    out[start + j] = vec

        await asyncio.gather(*(batch(s) for s in range(0, len(texts), BATCH)))
        return out

    return embed


def langchain(server: Server) -> Embed:
    from langchain_workersai import WorkersAIEmbeddings

    emb = WorkersAIEmbeddings(model=MODEL, account_id=ACCOUNT_ID, api_token=TOKEN,
                              base_url=server.base_url, batch_size=BATCH,
                              max_concurrency=CONCURRENCY)
    return emb.aembed_documents


def llamaindex(server: Server) -> Embed:
    from llamaindex_workersai import WorkersAIEmbedding

    emb = WorkersAIEmbedding(model=MODEL, account_id=ACCOUNT_ID, api_token=TOKEN,
                             base_url=server.base_url, embed_batch_size=BATCH,
                             num_workers=CONCURRENCY)
    return emb.aget_text_embedding_batch


def fingerprint(vectors: list[list[float]]) -> list[tuple[float, ...]]:
    return [tuple(round(x, 6) for x in v[:4]) for v in vectors]


async def measure(server: Server, sizes: list[int], latency: float) -> list[list[str]]:
    subjects = {"raw httpx (floor)": raw_floor(server),
                "WorkersAIEmbeddings.aembed_documents": langchain(server),
                "WorkersAIEmbedding.aget_text_embedding_batch": llamaindex(server)}
    rows = []
    for n in sizes:
        texts = texts_for(n)
        floor_s = math.ceil(n / BATCH) * latency / CONCURRENCY
        reference: list[tuple[float, ...]] | None = None
        walls: dict[str, float] = {}
        for name, embed in subjects.items():
            start = time.perf_counter()
            vectors = await embed(texts)
            walls[name] = time.perf_counter() - start
            assert len(vectors) == n, f"{name}: {len(vectors)} vectors for {n} texts"
            prints = fingerprint(vectors)
            del vectors
            if reference is None:
                reference = prints
            assert prints == reference, f"{name}: vectors out of order"
        raw = walls["raw httpx (floor)"]
        for name, wall in walls.items():
            rows.append([f"{n:,}", name, f"{wall:.2f}", f"{floor_s:.2f}", ratio(wall, raw),
                         "ok"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 50000])
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    with emulator_process(latency=args.latency) as server:
        rows = asyncio.run(measure(server, args.sizes, args.latency))
    print_table(f"Bulk embeddings ({MODEL}, batch {BATCH}, concurrency {CONCURRENCY}, "
                f"{args.latency * 1000:.0f} ms per request)",
                ["texts", "client", "wall s", "latency floor s", "vs raw client",
                 "count & order"], rows)


if __name__ == "__main__":
    main()
