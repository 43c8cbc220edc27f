"""The shipped table: :data:`MODELS`, generated from the published definitions.

Kept as the import path other modules use; the types live in ``_info`` and the rows in
``_generated`` (regenerate with ``python -m workersai.catalog._sync``).
"""

from __future__ import annotations

from ._generated import MODELS, RECOMMENDED
from ._info import NEURONS_PER_USD, Family, JsonMode, ModelInfo, Price, Reasoning, Task

__all__ = ["MODELS", "RECOMMENDED", "NEURONS_PER_USD", "Family", "JsonMode", "ModelInfo", "Price",
           "Reasoning", "Task"]
