"""Benchmark 4: bulk embeddings. 5,000 and 50,000 texts at 50 ms per request.

Wall time of a raw httpx client (the floor client: batches of 100, 8 in flight, stdlib
``json``; async with ``httpx.AsyncClient``, sync with a pool of 8 threads) beside our
LangChain ``WorkersAIEmbeddings`` and LlamaIndex ``WorkersAIEmbedding`` at the same batch
size and concurrency, async and sync, reported beside the latency floor
ceil(N / batch) x latency / concurrency. langchain-cloudflare's
``CloudflareWorkersAIEmbeddings`` runs too when installed (its own batch of 50; it sends
one batch at a time). Every run checks the vector count and that vector i belongs to text
i. Target: at or below the raw client (install the ``speed`` extra: orjson). On a small
machine the emulator (another process) generating the vectors can dominate the wall time,
so the client's own CPU seconds (``time.process_time``) are reported too.

    python benchmarks/bench_embeddings.py [--sizes 5000 50000] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
from _harness import ACCOUNT_ID, TOKEN, Server, emulator_process, print_table, ratio
from _peers import cloudflare_embeddings

from workersai import Pacing

MODEL = "@cf/baai/bge-base-en-v1.5"
BATCH = 100
CONCURRENCY = 8
Embed = Callable[[list[str]], Awaitable[list[list[float]]]]
UNPACED = Pacing(enabled=False)
"""Client overhead is compared with an unpaced raw client (bench_pacing measures pacing)."""


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


def raw_floor_sync(server: Server) -> Callable[[list[str]], list[list[float]]]:
    client = httpx.Client(timeout=60, limits=httpx.Limits(max_connections=CONCURRENCY))
    url = server.run_url(MODEL)

    def embed(texts: list[str]) -> list[list[float]]:
        def batch(start: int) -> list[list[float]]:
            resp = client.post(url, content=json.dumps({"text": texts[start:start + BATCH]}),
                               headers=server.headers)
            return list(json.loads(resp.content)["result"]["data"])

        with ThreadPoolExecutor(CONCURRENCY) as pool:
            parts = list(pool.map(batch, range(0, len(texts), BATCH)))
        return [vec for part in parts for vec in part]

    return embed


def _as_async(fn: Callable[[list[str]], list[list[float]]]) -> Embed:
    async def embed(texts: list[str]) -> list[list[float]]:
        return fn(texts)  # run on the loop's thread: nothing else is running

    return embed


def _ours_langchain(server: Server) -> object:
    from langchain_workersai import WorkersAIEmbeddings

    return WorkersAIEmbeddings(model=MODEL, account_id=ACCOUNT_ID, api_token=TOKEN,
                               base_url=server.base_url, batch_size=BATCH,
                               max_concurrency=CONCURRENCY, pacing=UNPACED)


def _ours_llamaindex(server: Server) -> object:
    from llamaindex_workersai import WorkersAIEmbedding

    return WorkersAIEmbedding(model=MODEL, account_id=ACCOUNT_ID, api_token=TOKEN,
                              base_url=server.base_url, embed_batch_size=BATCH,
                              num_workers=CONCURRENCY, pacing=UNPACED)


ASYNC_FLOOR, SYNC_FLOOR = "raw httpx async (floor)", "raw httpx sync, 8 threads (floor)"
SYNC = {SYNC_FLOOR, "LangChain WorkersAIEmbeddings.embed_documents",
        "LlamaIndex WorkersAIEmbedding.get_text_embedding_batch",
        "peer: langchain-cloudflare embed_documents"}


def subjects_for(server: Server, peers: bool = True) -> dict[str, Embed]:
    """Every contestant as an async callable (sync ones run on the loop's own thread)."""
    lc, li = _ours_langchain(server), _ours_llamaindex(server)
    subjects: dict[str, Embed] = {
        ASYNC_FLOOR: raw_floor(server),
        "LangChain WorkersAIEmbeddings.aembed_documents": lc.aembed_documents,  # type: ignore[attr-defined]
        "LlamaIndex WorkersAIEmbedding.aget_text_embedding_batch":
            li.aget_text_embedding_batch,  # type: ignore[attr-defined]
        SYNC_FLOOR: _as_async(raw_floor_sync(server)),
        "LangChain WorkersAIEmbeddings.embed_documents":
            _as_async(lc.embed_documents),  # type: ignore[attr-defined]
        "LlamaIndex WorkersAIEmbedding.get_text_embedding_batch":
            _as_async(li.get_text_embedding_batch),  # type: ignore[attr-defined]
    }
    peer = cloudflare_embeddings(server, MODEL) if peers else None
    if peer is not None:
        subjects["peer: langchain-cloudflare aembed_documents"] = peer.aembed_documents
        subjects["peer: langchain-cloudflare embed_documents"] = _as_async(peer.embed_documents)
    return subjects


def fingerprint(vectors: list[list[float]]) -> list[tuple[float, ...]]:
    return [tuple(round(x, 6) for x in v[:4]) for v in vectors]


async def measure(server: Server, sizes: list[int], latency: float, peers: bool, runs: int
                  ) -> list[list[str]]:
    subjects = subjects_for(server, peers)
    for embed in subjects.values():  # warm up: connections, imports
        await embed(texts_for(200))
    rows = []
    for n in sizes:
        texts = texts_for(n)
        floor_s = math.ceil(n / BATCH) * latency / CONCURRENCY
        reference: list[tuple[float, ...]] | None = None
        walls: dict[str, list[float]] = {name: [] for name in subjects}
        cpus: dict[str, list[float]] = {name: [] for name in subjects}
        for _ in range(runs):  # interleaved so drift hits every subject alike
            for name, embed in subjects.items():
                start, cpu = time.perf_counter(), time.process_time()
                vectors = await embed(texts)
                walls[name].append(time.perf_counter() - start)
                cpus[name].append(time.process_time() - cpu)
                assert len(vectors) == n, f"{name}: {len(vectors)} vectors for {n} texts"
                prints = fingerprint(vectors)
                del vectors
                if reference is None:
                    reference = prints
                assert prints == reference, f"{name}: vectors out of order"
        med = {name: statistics.median(v) for name, v in walls.items()}
        cpu_med = {name: statistics.median(v) for name, v in cpus.items()}
        for name, wall in med.items():
            floor_name = SYNC_FLOOR if name in SYNC else ASYNC_FLOOR
            raw = med[floor_name]
            spread = f"{min(walls[name]) / raw:.2f}-{max(walls[name]) / raw:.2f}x"
            rows.append([f"{n:,}", name, f"{wall:.2f}", f"{floor_s:.2f}", ratio(wall, raw),
                         spread, f"{cpu_med[name]:.2f}", ratio(cpu_med[name], cpu_med[floor_name]),
                         "ok"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 50000])
    parser.add_argument("--runs", type=int, default=3, help="samples per size (median)")
    parser.add_argument("--skip-peers", action="store_true",
                        help="leave out langchain-cloudflare (sequential: slow at 50,000)")
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    with emulator_process(latency=args.latency) as server:
        rows = asyncio.run(measure(server, args.sizes, args.latency, not args.skip_peers,
                                   args.runs))
    print_table(f"Bulk embeddings ({MODEL}, batch {BATCH}, concurrency {CONCURRENCY}, "
                f"{args.latency * 1000:.0f} ms per request)",
                ["texts", "client", "wall s", "latency floor s", "vs raw client (same mode)",
                 "spread", "client CPU s", "CPU vs raw", "count & order"], rows)


if __name__ == "__main__":
    main()
