"""The public surface for framework integrations: what a front end needs besides the client.

``langchain_workersai`` and ``llamaindex_workersai`` are built only on this module and the
rest of the public core; an adapter for a third framework can use the same pieces:

* :class:`LazyClients`: a pydantic base that builds the core ``Client``/``AsyncClient`` on
  first use from the connection fields the subclass declares (``account_id``,
  ``api_token``, ``base_url``, ``gateway``, ``gateway_options``, ``timeout``,
  ``max_retries``, ``default_headers``, ``http_client``, ``http_async_client``,
  ``binding``; optionally ``limits``, ``deadline``, ``max_connections`` and
  ``session_affinity``), closes them, and pickles without the token or injected clients
  (:data:`LEFT_OUT_OF_PICKLES`). Subclasses call ``self._sync_client()`` /
  ``self._async_client()``. :data:`MODEL_NAMES` / :data:`TOKEN_NAMES` are the constructor
  aliases (``model``/``model_name``, ``api_key``/``api_token``) and :data:`TokenInput` the
  token field's type (a plain ``str`` accepted, kept as a ``SecretStr``);
  :data:`MaxRetries` the ``max_retries`` field's type (``None`` is the core default,
  the rest checked at construction as the core checks it).
* :func:`require`: import a framework or raise an ``ImportError`` naming the extra to
  install; :func:`progress` / :class:`Progress` / :func:`queue_progress`: a progress bar
  (tqdm when installed, else one stderr line) for long embedding and queued jobs.
* :class:`FieldMemo`: call options resolved from an instance's fields once, reused until
  a field changes (reassigned, copied, or a list/dict field changed in place).
* :func:`request_options`: per-call keyword arguments (:data:`TRANSPORT_KEYS`) to
  :class:`workersai.RequestOptions`; :data:`SAMPLING_FIELDS`, the one table of the
  ``ChatParams`` fields an adapter exposes as settings overridable per call;
  :func:`reject_unknown`, the one answer to an unknown per-call argument
  (:class:`~workersai.errors.UnexpectedArgumentError`); the default models
  (:data:`DEFAULT_CHAT_MODEL`, :data:`DEFAULT_EMBED_MODEL`, :data:`DEFAULT_RERANK_MODEL`).
* The task-tool runner: :data:`TOOL_TASKS` (one :class:`ToolTask` per tool: name,
  description, argument schema, core call, result shaping), :func:`run_tool` /
  :func:`arun_tool`, :func:`given_arguments` / :func:`tool_arguments`, and the tools'
  :data:`DEFAULT_TASK_MODELS`.
* Transcript helpers for document loaders: :class:`AudioTranscriber` (a loader's
  speech-to-text settings; one audio file in, ``(text, metadata)`` :data:`Record` s out),
  :func:`transcript_records`, :func:`audio_media_type`, :data:`TranscriptMode`,
  :data:`TRANSCRIPT_BULKY_KEYS`.

The task-tool pieces load on first use, so importing this module stays cheap.

Example:
    .. code-block:: python

        from typing import Any

        from pydantic import SecretStr

        from workersai.integration import LazyClients, request_options
        from workersai.types import Message


        class MyFrameworkLLM(LazyClients):
            model: str = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
            account_id: str | None = None
            api_token: SecretStr | None = None
            base_url: str = "https://api.cloudflare.com/client/v4"
            gateway: str | None = None
            gateway_options: Any = None
            timeout: Any = None
            max_retries: int | None = None
            default_headers: dict[str, str] | None = None
            http_client: Any = None
            http_async_client: Any = None
            binding: Any = None

            def complete(self, prompt: str, **kwargs: Any) -> str:
                reply = self._sync_client().chat(
                    self.model, [Message("user", prompt)], options=request_options(kwargs)
                )
                return reply.text
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from ._defaults import DEFAULT_CHAT_MODEL, DEFAULT_EMBED_MODEL, DEFAULT_RERANK_MODEL
from ._extras import require
from ._fields import (
    LEFT_OUT_OF_PICKLES,
    MODEL_NAMES,
    TOKEN_NAMES,
    TRANSPORT_KEYS,
    LazyClients,
    MaxRetries,
    TokenInput,
    request_options,
)
from ._memo import FieldMemo
from ._progress import Progress, progress, queue_progress
from .errors import UnexpectedArgumentError
from .types import ChatParams

__all__ = [
    "FieldMemo",
    "LazyClients",
    "LEFT_OUT_OF_PICKLES",
    "MODEL_NAMES",
    "TOKEN_NAMES",
    "TokenInput",
    "MaxRetries",
    "TRANSPORT_KEYS",
    "request_options",
    "require",
    "Progress",
    "progress",
    "queue_progress",
    "DEFAULT_CHAT_MODEL",
    "DEFAULT_EMBED_MODEL",
    "DEFAULT_RERANK_MODEL",
    "SAMPLING_FIELDS",
    "reject_unknown",
    "Answer",
    "ToolTask",
    "TOOL_TASKS",
    "DEFAULT_TASK_MODELS",
    "given_arguments",
    "tool_arguments",
    "run_tool",
    "arun_tool",
    "AudioTranscriber",
    "Record",
    "TRANSCRIPT_BULKY_KEYS",
    "TranscriptMode",
    "audio_media_type",
    "transcript_records",
]

_NOT_SAMPLING = frozenset({"tools", "tool_choice", "parallel_tool_calls", "response_format",
                           "extra"})
SAMPLING_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(ChatParams) if f.name not in _NOT_SAMPLING)
"""The ``ChatParams`` fields an adapter exposes as instance settings, each overridable per
call (``max_tokens``, ``temperature``, ..., ``stop``, ``lora``, ``reasoning_effort``)."""


def reject_unknown(kwargs: Iterable[str], allowed: Iterable[str], where: str,
                   extra_fields: str | None = None) -> None:
    """Refuse the keyword arguments of a call that nobody would read (never drop them).

    ``extra_fields`` names the adapter's way to send extra body fields (for instance
    ``model_kwargs``), which the message then suggests.
    """
    unknown = sorted(set(kwargs) - set(allowed))
    if unknown:
        hint = (f" Pass extra request body fields explicitly as {extra_fields}={{...}}."
                if extra_fields else "")
        raise UnexpectedArgumentError(
            f"{where} got unexpected keyword argument(s) {unknown}.{hint}")


_LAZY = {
    "Answer": ".tasks._tool_run", "ToolTask": ".tasks._tool_run",
    "TOOL_TASKS": ".tasks._tool_run", "given_arguments": ".tasks._tool_run",
    "tool_arguments": ".tasks._tool_run", "run_tool": ".tasks._tool_run",
    "arun_tool": ".tasks._tool_run", "DEFAULT_TASK_MODELS": ".tasks._tool_specs",
    "TranscriptMode": ".tasks._tool_io", "TRANSCRIPT_BULKY_KEYS": ".tasks._tool_io",
    "audio_media_type": ".tasks._tool_io", "transcript_records": ".tasks._tool_io",
    "AudioTranscriber": "._transcriber", "Record": "._transcriber",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, "workersai"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from ._transcriber import AudioTranscriber, Record
    from .tasks._tool_io import (
        TRANSCRIPT_BULKY_KEYS,
        TranscriptMode,
        audio_media_type,
        transcript_records,
    )
    from .tasks._tool_run import (
        TOOL_TASKS,
        Answer,
        ToolTask,
        arun_tool,
        given_arguments,
        run_tool,
        tool_arguments,
    )
    from .tasks._tool_specs import DEFAULT_TASK_MODELS
