"""``client.tasks`` and ``client.batch``: the task and batch calls bound to one client.

Each verb is the implementation in ``workersai.tasks._<task>`` / ``workersai._batch_calls``
with the client filled in, so ``client.tasks.translate(model, text, "fr")`` is the call
``translate(client, model, text, "fr")`` of the previous release (which stays one release
as a deprecated alias). The verbs have the same names on both twins; on ``AsyncClient``
they are awaited.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast, overload

from . import _batch_calls as _b
from .tasks import _classify, _describe, _detect, _image, _speech, _summarize, _translation, _tts

__all__ = ["AsyncBatch", "AsyncTasks", "Batch", "Tasks"]

P = ParamSpec("P")
R = TypeVar("R")


class _Namespace:
    """Holds the client the verbs are bound to."""

    __slots__ = ("_client",)

    def __init__(self, client: Any) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class _Verb(Generic[P, R]):
    """A call whose first argument is the namespace's client."""

    def __init__(self, fn: Callable[Concatenate[Any, P], R]) -> None:
        self.fn = fn
        self.__doc__ = fn.__doc__

    @overload
    def __get__(self, ns: None, owner: type) -> _Verb[P, R]: ...

    @overload
    def __get__(self, ns: _Namespace, owner: type) -> Callable[P, R]: ...

    def __get__(self, ns: _Namespace | None, owner: type) -> _Verb[P, R] | Callable[P, R]:
        if ns is None:
            return self
        bound = functools.update_wrapper(functools.partial(self.fn, ns._client), self.fn)
        return cast(Callable[P, R], bound)


class Tasks(_Namespace):
    """``Client.tasks``: images, speech, translation, classification and more
    (see :mod:`workersai.tasks` for the inputs and results)."""

    __slots__ = ()
    generate_image = _Verb(_image.generate_image)
    transcribe = _Verb(_speech.transcribe)
    synthesize_speech = _Verb(_tts.synthesize_speech)
    translate = _Verb(_translation.translate)
    classify_text = _Verb(_classify.classify_text)
    classify_image = _Verb(_classify.classify_image)
    detect_objects = _Verb(_detect.detect_objects)
    summarize = _Verb(_summarize.summarize)
    describe_image = _Verb(_describe.describe_image)


class AsyncTasks(_Namespace):
    """``AsyncClient.tasks``: the verbs of :class:`Tasks`, awaited."""

    __slots__ = ()
    generate_image = _Verb(_image.agenerate_image)
    transcribe = _Verb(_speech.atranscribe)
    synthesize_speech = _Verb(_tts.asynthesize_speech)
    translate = _Verb(_translation.atranslate)
    classify_text = _Verb(_classify.aclassify_text)
    classify_image = _Verb(_classify.aclassify_image)
    detect_objects = _Verb(_detect.adetect_objects)
    summarize = _Verb(_summarize.asummarize)
    describe_image = _Verb(_describe.adescribe_image)


class Batch(_Namespace):
    """``Client.batch``: the async batch queue (see :mod:`workersai.batch` for the knobs)."""

    __slots__ = ()
    submit = _Verb(_b.submit_batch)
    poll = _Verb(_b.poll)
    run = _Verb(_b.run_batch)
    chat = _Verb(_b.chat_batch)
    embed = _Verb(_b.embed_batch)


class AsyncBatch(_Namespace):
    """``AsyncClient.batch``: the verbs of :class:`Batch`, awaited."""

    __slots__ = ()
    submit = _Verb(_b.asubmit_batch)
    poll = _Verb(_b.apoll)
    run = _Verb(_b.arun_batch)
    chat = _Verb(_b.achat_batch)
    embed = _Verb(_b.aembed_batch)
