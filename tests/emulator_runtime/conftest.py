from __future__ import annotations

from collections.abc import Iterator

import pytest

from workersai.emulator.server import EmulatorServer

from .stub import StubHandler


@pytest.fixture
def stub() -> StubHandler:
    return StubHandler()


@pytest.fixture
def stub_server(stub: StubHandler) -> Iterator[EmulatorServer]:
    with EmulatorServer(stub) as server:
        yield server
