"""Load: 500 concurrent ``ChatWorkersAI.astream`` calls over loopback sockets all complete,
and afterwards no connection, file descriptor or memory is left behind."""

from __future__ import annotations

import asyncio
import gc
import os
import time
from collections.abc import Callable
from typing import Any

import pytest

from langchain_workersai import ChatWorkersAI
from workersai.emulator import Emulator, EmulatorServer

from ._surfaces import CHAT_MODEL

pytestmark = [pytest.mark.emulator, pytest.mark.usefixtures("before_retirements")]
Connect = Callable[..., dict[str, Any]]

STREAMS = 500
FD_SLACK = 4
RSS_SLACK = 64_000_000  # allocator arenas are kept; a per-stream leak would be far larger
PROMPT = "Tell me about reliable systems."


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def connections_to(port: int) -> int:
    """Established TCP connections whose remote end is ``port`` (the client sides)."""
    with open("/proc/net/tcp") as f:
        rows = [line.split() for line in f.read().splitlines()[1:]]
    return sum(1 for row in rows if int(row[2].split(":")[1], 16) == port and row[3] == "01")


async def settle(
    done: Callable[[int, dict[str, int]], bool], patience: float = 5.0
) -> tuple[int, dict[str, int]]:
    """Descriptors and live objects once closing has run its course: transports close on
    later loop iterations, and the server thread closes its side when it sees EOF."""
    deadline = time.monotonic() + patience
    while True:
        await asyncio.sleep(0.05)
        fds, objects = open_fds(), census()
        if done(fds, objects) or time.monotonic() > deadline:
            return fds, objects


async def one_stream(llm: ChatWorkersAI) -> tuple[str, int]:
    text, usages = [], 0
    async for chunk in llm.astream(PROMPT):
        text.append(chunk.text)
        usages += chunk.usage_metadata is not None
    return "".join(text), usages


async def run_round(llm: ChatWorkersAI, n: int) -> list[tuple[str, int]]:
    return list(await asyncio.gather(*(one_stream(llm) for _ in range(n))))


def rss() -> int:
    """Resident set size in bytes."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


WATCHED = (
    "AIMessageChunk", "ChatGenerationChunk", "StreamDelta", "StreamAssembler", "StreamInfo",
    "AsyncClient", "Response", "AsyncConnectionPool", "AsyncHTTP11Connection", "Task",
)


def census() -> dict[str, int]:
    """Live objects of the types a leaking stream would keep (chunks, responses, pools)."""
    gc.collect()
    counts = dict.fromkeys(WATCHED, 0)
    for obj in gc.get_objects():
        name = type(obj).__name__
        if name in counts:
            counts[name] += 1
    return counts


async def test_500_concurrent_streams_complete_and_leave_nothing_behind(
    emulator: Emulator, emulator_server: EmulatorServer, connect: Connect
) -> None:
    fds_before = open_fds()  # before any connection exists
    llm = ChatWorkersAI(model_name=CHAT_MODEL, **connect(timeout=30.0))
    expected, _ = (await run_round(llm, 1))[0]
    await run_round(llm, 20)  # warm-up: one-time imports, caches and pools are built
    await llm.aclose()
    emulator.requests.clear()
    _, objects_before = await settle(
        lambda fds, objects: fds <= fds_before and objects["AsyncHTTP11Connection"] == 0
    )
    assert objects_before["AsyncHTTP11Connection"] == 0  # the warm-up pool is gone
    rss_before = rss()
    results = await run_round(llm, STREAMS)
    assert len(results) == STREAMS
    assert all(text == expected for text, _ in results)  # every reply complete
    assert all(usages == 1 for _, usages in results)  # usage reported once per stream
    texts = {text for text, _ in results}
    del results
    await llm.aclose()
    emulator.requests.clear()  # the emulator's own record is not the client's memory
    fds_after, objects_after = await settle(
        lambda fds, objects: fds <= fds_before + FD_SLACK and objects == objects_before
    )
    assert fds_after <= fds_before + FD_SLACK, (fds_before, fds_after)
    assert objects_after == objects_before
    assert connections_to(emulator_server.port) == 0
    grown = rss() - rss_before
    print(f"rss grew {grown / 1e6:.1f} MB; {len(texts)} distinct texts")
    assert grown < RSS_SLACK, f"resident memory grew by {grown / 1e6:.1f} MB"


async def test_sequential_calls_reuse_one_pooled_connection(
    emulator_server: EmulatorServer, connect: Connect
) -> None:
    llm = ChatWorkersAI(model_name=CHAT_MODEL, **connect())
    try:
        for _ in range(3):
            await llm.ainvoke(PROMPT)
        assert connections_to(emulator_server.port) == 1
    finally:
        await llm.aclose()


async def test_sequential_streams_reuse_one_pooled_connection(
    emulator_server: EmulatorServer, connect: Connect
) -> None:
    llm = ChatWorkersAI(model_name=CHAT_MODEL, **connect())
    try:
        for _ in range(3):
            await one_stream(llm)
        assert connections_to(emulator_server.port) == 1
    finally:
        await llm.aclose()
