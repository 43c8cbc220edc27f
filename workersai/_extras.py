"""Front ends that say which extra to install when their framework is missing."""

from __future__ import annotations

import importlib

__all__ = ["DISTRIBUTION", "require"]

DISTRIBUTION = "workersai-integrations"


def require(module: str, *, extra: str, framework: str, front_end: str) -> None:
    """Import ``module``; when it (or its top-level package) is missing, raise an
    ``ImportError`` naming the ``pip install`` line. Other import failures pass as they are."""
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as err:
        missing = err.name or ""
        if missing != module and not module.startswith(missing + "."):
            raise
        raise ImportError(
            f"{front_end} needs {framework} ({module} is not installed): "
            f'pip install "{DISTRIBUTION}[{extra}]"',
            name=module,
        ) from err
