"""Project-wide pytest configuration."""

pytest_plugins = ["workersai.emulator.plugin"]
