"""The call options a ChatWorkersAI's fields resolve to are kept between calls, and never
outlive a change: assignment, in-place edits of list/dict fields and copies each show in
the next request; per-call arguments bypass the kept options."""

from __future__ import annotations

from typing import Any

from langchain_workersai import ChatWorkersAI

from .._recording import FIELDS, recording_client


def _model(**kw: Any) -> tuple[ChatWorkersAI, list[dict[str, Any]]]:
    http, sent = recording_client()
    return ChatWorkersAI(**{**FIELDS, **kw}, http_client=http), sent


def test_fields_alone_resolve_once() -> None:
    llm, _ = _model()
    assert llm._call(None, {}) is llm._call(None, {})
    assert llm._call(None, {"max_tokens": 5}) is not llm._call(None, {})


def test_assignment_shows_in_the_next_request() -> None:
    llm, sent = _model(temperature=0.5)
    llm.invoke("a")
    llm.max_tokens, llm.temperature, llm.model_kwargs = 7, None, {"top_k": 3}
    llm.invoke("b")
    assert (sent[0]["max_tokens"], sent[0]["temperature"]) == (32, 0.5)
    assert sent[1]["max_tokens"] == 7 and "temperature" not in sent[1]
    assert sent[1]["top_k"] == 3


def test_in_place_edits_of_list_and_dict_fields_show() -> None:
    llm, sent = _model(stop=["x"], model_kwargs={"seed": 1}, endpoint="openai")
    llm.invoke("a")
    llm.stop.append("y")  # type: ignore[union-attr]
    llm.model_kwargs["seed"] = 2
    llm.invoke("b")
    assert (sent[0]["stop"], sent[0]["seed"]) == (["x"], 1)
    assert (sent[1]["stop"], sent[1]["seed"]) == (["x", "y"], 2)


def test_copies_send_their_own_fields() -> None:
    llm, sent = _model()
    llm.invoke("a")
    changed = llm.model_copy(update={"max_tokens": 9})
    changed.invoke("b")
    llm.invoke("c")
    same = llm.model_copy()
    same.invoke("d")
    assert [s["max_tokens"] for s in sent] == [32, 9, 32, 32]


def test_per_call_arguments_bypass_the_kept_options() -> None:
    llm, sent = _model(stop=["x"], endpoint="openai")
    llm.invoke("a")
    llm.invoke("b", max_tokens=5, stop=["z"])
    llm.bind(temperature=0.1).invoke("c")
    llm.invoke("a")
    assert (sent[1]["max_tokens"], sent[1]["stop"]) == (5, ["z"])
    assert sent[2]["temperature"] == 0.1
    assert sent[3] == sent[0]
