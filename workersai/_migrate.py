"""Argument names from the integrations people migrate from, and what to say about them.

Used by the front ends' constructors (a ``mode="before"`` validator on
:class:`workersai._fields.LazyClients`) and by :meth:`workersai.config.Config` when no
token is found. Two kinds of foreign name (documented in ``docs/migrating.md``):

* **renamed**, same meaning: accepted, moved to our name, with a :class:`MigrationWarning`
  (``cloudflare_account_id``, ``cloudflare_api_token``, ``auth_token``, ``ai_gateway``,
  ``request_timeout``, ``stop_sequences``, ``session_id``);
* **different shape**: refused with the replacement spelled out (``cloudflare_api_base``,
  ``aig_*`` headers as separate arguments).

Any other unknown argument is refused naming the closest accepted ones. Error messages
never repeat a value, only names.
"""

from __future__ import annotations

import difflib
import os
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

from ._stack import LIBRARY_PREFIXES, user_stacklevel
from .errors import MigrationWarning

_SKIP = (*LIBRARY_PREFIXES, "pydantic")
"""Frames past which a migration hint points: this package, pydantic, the frameworks."""

__all__ = [
    "MigrationWarning",
    "RENAMED",
    "REFUSED",
    "check_arguments",
    "env_token_hint",
]


RENAMED: dict[str, tuple[str, str]] = {
    "cloudflare_account_id": ("account_id", "langchain-cloudflare"),
    "cloudflare_api_token": ("api_token", "langchain-cloudflare"),
    "auth_token": ("api_token", "llama-index-embeddings-cloudflare-workersai"),
    "ai_gateway": ("gateway", "langchain-cloudflare"),
    "request_timeout": ("timeout", "langchain-cloudflare / ChatOpenAI"),
    "stop_sequences": ("stop", "langchain-cloudflare"),
    "session_id": ("session_affinity", "langchain-cloudflare"),
}
"""Old name -> (our name, where it comes from): same meaning, accepted with a warning."""

REFUSED: dict[str, str] = {
    "cloudflare_api_base": (
        "use base_url= (the API root, e.g. https://api.cloudflare.com/client/v4 or a "
        "loopback emulator's URL); the account id goes in account_id="
    ),
    "api_base": "use base_url= (the API root, e.g. https://api.cloudflare.com/client/v4)",
}
"""Old name -> what to write instead (the meaning differs, so nothing is guessed)."""

_GATEWAY_FIELDS = ("cache_ttl", "skip_cache", "cache_key", "metadata", "collect_log",
                   "event_id", "request_timeout_ms", "max_attempts", "retry_delay_ms",
                   "backoff")


def _refusal(name: str) -> str | None:
    if name in REFUSED:
        return f"{name}= is not an argument here: {REFUSED[name]}"
    if name.startswith("aig_"):
        option = name[4:]
        known = option if option in _GATEWAY_FIELDS else "..."
        return (f"{name}= is not an argument here: AI Gateway options go in "
                f"gateway_options=GatewayOptions({known}=...) (from workersai import "
                "GatewayOptions), with gateway= naming the gateway")
    return None


def check_arguments(data: Any, accepted: Iterable[str], owner: str, *, strict: bool = True
                    ) -> Any:
    """``data`` with renamed foreign arguments moved to our names (warning once per
    call); a ``ValueError`` for a refused argument, or (``strict``: the class forbids
    extra fields) an unknown one, naming what to use."""
    if not isinstance(data, Mapping):
        return data
    names = set(accepted)
    if all(key in names for key in data):
        return data
    moved = dict(data)
    for key in list(moved):
        if key in names:
            continue
        refusal = _refusal(key)
        if refusal is not None:
            raise ValueError(f"{owner}: {refusal}")
        ours = RENAMED.get(key, (None, ""))[0]
        if ours is not None and ours in names and ours not in moved:
            warnings.warn(f"{owner}({key}=...) is {RENAMED[key][1]}'s name; "
                          f"use {ours}= instead", MigrationWarning,
                          stacklevel=user_stacklevel(_SKIP))
            moved[ours] = moved.pop(key)
            continue
        if strict:
            raise ValueError(f"{owner}: unknown argument {key}=" + _closest(key, names))
    return moved


def _closest(name: str, names: set[str]) -> str:
    public = sorted(n for n in names if not n.startswith("_"))
    close = difflib.get_close_matches(name, public, n=3, cutoff=0.6)
    if close:
        return "; did you mean " + " or ".join(f"{c}=" for c in close) + "?"
    return ""


_ENV_HINTS = {
    "CLOUDFLARE_AUTH_TOKEN": "is llama-index's name for the token; export it as "
                             "CLOUDFLARE_API_TOKEN",
    "CLOUDFLARE_API_KEY": "holds a Global API Key, which Workers AI does not take; create "
                          "an API token (Workers AI Read and Edit) and export "
                          "CLOUDFLARE_API_TOKEN",
}


def env_token_hint(environ: Mapping[str, str] | None = None) -> str:
    """`` (CLOUDFLARE_AUTH_TOKEN is set: ...)`` when a foreign token variable is set (it is
    not read), else ``""``."""
    env = os.environ if environ is None else environ
    hints = [f"{name} is set but {why}" for name, why in _ENV_HINTS.items() if env.get(name)]
    return f" ({'; '.join(hints)})" if hints else ""
