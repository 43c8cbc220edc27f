"""Project-wide pytest configuration."""

import pytest

pytest_plugins = ["workersai.emulator.plugin"]


@pytest.fixture(autouse=True)
def _fresh_pacer() -> None:
    """Each test starts with empty rate buckets: the process-wide pacer shares one bucket
    per (account, model), which would otherwise carry one test's requests into the next."""
    from workersai._pacer import PACER

    PACER.reset()
