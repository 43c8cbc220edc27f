"""The Workers AI async batch queue (``?queueRequest=true``) behind one call.

For large offline jobs: submit a list of model inputs, poll with backoff until the queue
has run them, and get the outputs back in input order, with per-item failures kept apart
instead of failing the whole run. Works with ``Client`` (``run_batch``, ...) and
``AsyncClient`` (``arun_batch``, ...), also over a Python Worker binding.

Example:
    .. code-block:: python

        from workersai import Client

        with Client() as client:
            out = client.batch.run("@cf/baai/bge-m3",
                                   [{"text": ["a story"]}, {"text": ["another"]}],
                                   on_progress=lambda p: print(p.status, p.finished, p.total))
            print(out.results, out.failed)        # results[i] is None where failed[i]
            vectors = client.batch.embed("@cf/baai/bge-base-en-v1.5", texts).vectors

Calls live on the client, the same names on ``Client`` and ``AsyncClient`` (awaited):
primitives ``client.batch.submit`` / ``client.batch.poll``; high level
``client.batch.run``; typed helpers ``client.batch.chat`` (``Reply`` per conversation) and
``client.batch.embed`` (an ``EmbeddingResult``, like ``Client.embed``). This module keeps
the result types, and the free functions of the previous release (``run_batch(client,
...)``, ``arun_batch``, ...) as deprecated aliases.
Knobs (keyword arguments of every high-level call): ``poll_interval`` (first wait,
seconds, default 1), ``backoff`` (multiplier per poll round, default 1.5),
``max_interval`` (cap, default 30), ``max_wait`` (give up with
:class:`BatchTimeoutError`, default 3600), ``on_progress`` (called with a
:class:`BatchProgress`), ``raise_on_failure`` (raise ``BatchError`` carrying results and
failures instead of returning them), ``max_payload_bytes`` (split into several jobs
above this submit size; the API takes < 10 MB) and ``options`` (``RequestOptions``).
"""

from __future__ import annotations

from . import _batch_calls as _calls
from ._batch_calls import BatchOptions
from ._batch_plan import BatchJob, BatchProgress, BatchResult, BatchTimeoutError
from ._deprecate import deprecated_alias
from .wire.batch import BatchStatus

__all__ = [
    "BatchJob",
    "BatchOptions",
    "BatchProgress",
    "BatchResult",
    "BatchStatus",
    "BatchTimeoutError",
    "achat_batch",
    "aembed_batch",
    "apoll",
    "arun_batch",
    "asubmit_batch",
    "chat_batch",
    "embed_batch",
    "poll",
    "run_batch",
    "submit_batch",
]

submit_batch = deprecated_alias(_calls.submit_batch, "batch.submit_batch", "client.batch.submit")
asubmit_batch = deprecated_alias(_calls.asubmit_batch, "batch.asubmit_batch",
                                 "client.batch.submit")
poll = deprecated_alias(_calls.poll, "batch.poll", "client.batch.poll", model=False)
apoll = deprecated_alias(_calls.apoll, "batch.apoll", "client.batch.poll", model=False)
run_batch = deprecated_alias(_calls.run_batch, "batch.run_batch", "client.batch.run")
arun_batch = deprecated_alias(_calls.arun_batch, "batch.arun_batch", "client.batch.run")
chat_batch = deprecated_alias(_calls.chat_batch, "batch.chat_batch", "client.batch.chat")
achat_batch = deprecated_alias(_calls.achat_batch, "batch.achat_batch", "client.batch.chat")
embed_batch = deprecated_alias(_calls.embed_batch, "batch.embed_batch", "client.batch.embed")
aembed_batch = deprecated_alias(_calls.aembed_batch, "batch.aembed_batch", "client.batch.embed")
