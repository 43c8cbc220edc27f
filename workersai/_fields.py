"""Framework-free parts of the front ends' connection fields (pickling without secrets).

Both front ends (LangChain and LlamaIndex) keep their classes' connection settings as
pydantic fields and build the core clients lazily. This module holds what they share and
what knows no framework.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .config import env_api_token

__all__ = ["PickleWithoutSecrets", "LEFT_OUT_OF_PICKLES"]

LEFT_OUT_OF_PICKLES = ("api_token", "http_client", "http_async_client", "binding")
"""Fields never pickled: the token (re-read from the environment on load) and the injected
objects, which belong to the process that made them."""

_CLIENT_ATTRS = ("_client", "_aclient")


class PickleWithoutSecrets(BaseModel):
    """Pickles carry no API token and no clients; on load the token is read again from
    ``CLOUDFLARE_API_TOKEN`` / ``CF_AI_API_TOKEN`` (so multiprocessing workers configured
    by the environment still work) and the core clients are rebuilt on first use."""

    def __getstate__(self) -> dict[str, Any]:
        state: dict[str, Any] = super().__getstate__()
        fields = state["__dict__"]
        state["__dict__"] = {k: v for k, v in fields.items() if k not in LEFT_OUT_OF_PICKLES}
        private = state.get("__pydantic_private__")
        if private:
            state["__pydantic_private__"] = {
                k: v for k, v in private.items() if k not in _CLIENT_ATTRS
            }
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for name in LEFT_OUT_OF_PICKLES:
            if self.__dict__.get(name) is None:
                self.__dict__[name] = None
        if self.__dict__["api_token"] is None:
            self.__dict__["api_token"] = env_api_token()
        private = self.__pydantic_private__
        if private is not None:
            for name in _CLIENT_ATTRS:
                private[name] = None
