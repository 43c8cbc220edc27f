"""Per-event-loop state of the async transport: the pooled ``httpx.AsyncClient`` and the
concurrency gate of that loop, released when the loop ends.

An ``httpx.AsyncClient`` belongs to the loop it first ran on. One ``AsyncClient`` used from
many ``asyncio.run`` calls gets one pooled client per loop; each is closed when its loop
shuts down: a tiny async generator is started on the loop, and ``asyncio.run`` (like any
loop calling ``shutdown_asyncgens``) closes it, which closes the client and its sockets.
States of loops closed some other way are dropped on the next call.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass

import httpx

__all__ = ["LoopState", "LoopStates"]


@dataclass(slots=True)
class LoopState:
    """What one event loop uses: its client (owned or injected) and its gate."""

    client: httpx.AsyncClient
    gate: asyncio.Semaphore
    keeper: AsyncGenerator[None, None] | None = None


async def _keep(client: httpx.AsyncClient) -> AsyncGenerator[None, None]:
    """Suspended for the loop's lifetime; closing it (at loop shutdown) closes ``client``."""
    try:
        yield
    finally:
        await client.aclose()


def _start(client: httpx.AsyncClient) -> AsyncGenerator[None, None]:
    keeper = _keep(client)
    step = keeper.__anext__()  # registers the generator with the running loop
    with contextlib.suppress(StopIteration):
        step.send(None)  # runs it to its ``yield``
    return keeper


class LoopStates:
    """Loop -> :class:`LoopState`, weakly keyed; closed loops are swept out."""

    def __init__(self, make: Callable[[], httpx.AsyncClient] | None,
                 injected: httpx.AsyncClient | None, gate_size: int) -> None:
        self._make = make
        self._injected = injected
        self._size = gate_size
        self._states: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LoopState]
        self._states = weakref.WeakKeyDictionary()

    def __len__(self) -> int:
        return len(self._states)

    def get(self) -> LoopState:
        """The running loop's state (built on its first call)."""
        loop = asyncio.get_running_loop()
        state = self._states.get(loop)
        if state is None:
            state = self._states[loop] = self._new()
        return state

    def _new(self) -> LoopState:
        self._sweep()
        gate = asyncio.Semaphore(self._size)
        if self._injected is not None:
            return LoopState(self._injected, gate)
        assert self._make is not None
        client = self._make()
        return LoopState(client, gate, _start(client))

    def _sweep(self) -> None:
        for loop in [lp for lp in list(self._states.keys()) if lp.is_closed()]:
            self._states.pop(loop, None)

    async def aclose(self) -> None:
        """Close the running loop's owned client; forget those of other loops (their
        connections belong to their loop, which closes them when it shuts down)."""
        states = list(self._states.items())
        self._states.clear()
        loop = asyncio.get_running_loop()
        for owner, state in states:
            if owner is loop and state.keeper is not None:
                await state.keeper.aclose()
