"""What docs/binding.md says does not go over a Python Worker binding is refused before the
binding is called: the models API (``search``/``schema``: ``ConfigurationError``; ``refresh``
falls back, tested in ``test_models_api.py``) and raw media bodies such as FLUX.2's form."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from workersai import AsyncClient
from workersai.errors import ConfigurationError, InvalidInputError


class _NeverCalled:
    async def run(self, *args: Any) -> Any:
        raise AssertionError("refused before the binding is called")


@pytest.mark.parametrize("call", ["search", "schema"])
def test_models_api_is_refused_over_a_binding(call: str) -> None:
    client = AsyncClient(binding=_NeverCalled())
    args = ("@cf/baai/bge-base-en-v1.5",) if call == "schema" else ()
    with pytest.raises(ConfigurationError, match="cannot call the models API"):
        asyncio.run(getattr(client.models, call)(*args))


def test_flux2_form_is_refused_over_a_binding() -> None:
    client = AsyncClient(binding=_NeverCalled())
    with pytest.raises(InvalidInputError, match="cannot be sent over the binding"):
        asyncio.run(client.tasks.generate_image("@cf/black-forest-labs/flux-2-dev", "a fox"))
