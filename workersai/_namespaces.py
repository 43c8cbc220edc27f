"""``client.tasks`` and ``client.batch``: the task and batch calls bound to one client.

Each verb is the implementation in ``workersai.tasks._<task>`` / ``workersai._batch_calls``
with the client filled in, so ``client.tasks.translate(model, text, "fr")`` is the call
``translate(client, model, text, "fr")`` of the previous release (which stays one release
as a deprecated alias). Each verb is declared once with its two implementations; the sync
twin's namespace binds the first, the async twin's the second (awaited). A verb's ``model``
may be a short id, as for ``client.chat``: it is made full (``_ops.with_full_model``, the catalog's
one resolver) before the implementation sees it, so a mistyped one is refused before
anything is sent.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from . import _batch_calls as _b
from ._ops import with_full_model
from .tasks import _classify, _describe, _detect, _image, _speech, _summarize, _translation, _tts

__all__ = ["AsyncBatch", "AsyncTasks", "Batch", "Tasks"]

P = ParamSpec("P")
R = TypeVar("R")
AP = ParamSpec("AP")
AR = TypeVar("AR")


class _Namespace:
    """Holds the client the verbs are bound to."""

    __slots__ = ("_client",)

    def __init__(self, client: Any) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class _Sync(_Namespace):
    """A namespace of ``Client``: its verbs call the sync implementations."""

    __slots__ = ()


class _Async(_Namespace):
    """A namespace of ``AsyncClient``: its verbs call the async implementations."""

    __slots__ = ()


class _Verb(Generic[P, R, AP, AR]):
    """A call whose first argument is the namespace's client, in its sync and async forms."""

    def __init__(self, fn: Callable[Concatenate[Any, P], R],
                 afn: Callable[Concatenate[Any, AP], AR], *, model: bool = True) -> None:
        self.fn = fn
        self.afn = afn
        self.model = model
        """Whether the first argument after the client is a model id (short ids resolved)."""

    @overload
    def __get__(self, ns: None, owner: type) -> _Verb[P, R, AP, AR]: ...

    @overload
    def __get__(self, ns: _Sync, owner: type) -> Callable[P, R]: ...

    @overload
    def __get__(self, ns: _Async, owner: type) -> Callable[AP, AR]: ...

    def __get__(self, ns: _Namespace | None, owner: type) -> Any:
        if ns is None:
            return self
        aio = isinstance(ns, _Async)
        fn: Callable[..., Any] = self.afn if aio else self.fn
        if not self.model:
            return functools.update_wrapper(functools.partial(fn, ns._client), fn)
        return functools.update_wrapper((_abound if aio else _bound)(fn, ns._client), fn)


def _bound(fn: Callable[..., Any], client: Any) -> Callable[..., Any]:
    def call(*args: Any, **kw: Any) -> Any:
        args, kw = with_full_model(args, kw)
        return fn(client, *args, **kw)

    return call


def _abound(fn: Callable[..., Any], client: Any) -> Callable[..., Any]:
    async def call(*args: Any, **kw: Any) -> Any:
        args, kw = with_full_model(args, kw)  # raised when awaited, as by client.chat
        return await fn(client, *args, **kw)

    return call


class _TaskVerbs:
    """The task verbs of both twins (see :mod:`workersai.tasks` for inputs and results)."""

    __slots__ = ()
    generate_image = _Verb(_image.generate_image, _image.agenerate_image)
    transcribe = _Verb(_speech.transcribe, _speech.atranscribe)
    synthesize_speech = _Verb(_tts.synthesize_speech, _tts.asynthesize_speech)
    translate = _Verb(_translation.translate, _translation.atranslate)
    classify_text = _Verb(_classify.classify_text, _classify.aclassify_text)
    classify_image = _Verb(_classify.classify_image, _classify.aclassify_image)
    detect_objects = _Verb(_detect.detect_objects, _detect.adetect_objects)
    summarize = _Verb(_summarize.summarize, _summarize.asummarize)
    describe_image = _Verb(_describe.describe_image, _describe.adescribe_image)


class _BatchVerbs:
    """The batch verbs of both twins (see :mod:`workersai.batch` for the knobs)."""

    __slots__ = ()
    submit = _Verb(_b.submit_batch, _b.asubmit_batch)
    poll = _Verb(_b.poll, _b.apoll, model=False)  # the job carries its (full) model id
    run = _Verb(_b.run_batch, _b.arun_batch)
    chat = _Verb(_b.chat_batch, _b.achat_batch)
    embed = _Verb(_b.embed_batch, _b.aembed_batch)


class Tasks(_TaskVerbs, _Sync):
    """``Client.tasks``: images, speech, translation, classification and more
    (see :mod:`workersai.tasks` for the inputs and results)."""

    __slots__ = ()


class AsyncTasks(_TaskVerbs, _Async):
    """``AsyncClient.tasks``: the verbs of :class:`Tasks`, awaited."""

    __slots__ = ()


class Batch(_BatchVerbs, _Sync):
    """``Client.batch``: the async batch queue (see :mod:`workersai.batch` for the knobs)."""

    __slots__ = ()


class AsyncBatch(_BatchVerbs, _Async):
    """``AsyncClient.batch``: the verbs of :class:`Batch`, awaited."""

    __slots__ = ()
