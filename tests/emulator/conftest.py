from __future__ import annotations

import pytest

from workersai.emulator._app import Emulator


@pytest.fixture
def emu() -> Emulator:
    return Emulator()
