"""The call options a WorkersAI LLM's fields resolve to are kept between calls, and never
outlive a change: assignment, in-place edits of list/dict fields and copies each show in
the next request; per-call arguments bypass the kept options."""

from __future__ import annotations

from typing import Any

from llama_index.core.llms import ChatMessage

from llamaindex_workersai import WorkersAI

from .._recording import FIELDS, recording_client

HI = [ChatMessage(role="user", content="hi")]


def _llm(**kw: Any) -> tuple[WorkersAI, list[dict[str, Any]]]:
    http, sent = recording_client()
    return WorkersAI(**{**FIELDS, **kw}, http_client=http), sent


def test_fields_alone_resolve_once() -> None:
    llm, _ = _llm()
    assert llm._call({}, "chat") is llm._call({}, "chat")
    assert llm._call({"max_tokens": 5}, "chat") is not llm._call({}, "chat")


def test_assignment_and_in_place_edits_show_in_the_next_request() -> None:
    llm, sent = _llm(stop=["x"], additional_kwargs={"seed": 1}, endpoint="openai")
    llm.chat(HI)
    llm.max_tokens = 7
    llm.chat(HI)
    llm.stop.append("y")  # type: ignore[union-attr]
    llm.additional_kwargs["seed"] = 2
    llm.chat(HI)
    assert [(s["max_tokens"], s["stop"], s["seed"]) for s in sent] == [
        (32, ["x"], 1), (7, ["x"], 1), (7, ["x", "y"], 2)]


def test_copies_send_their_own_fields() -> None:
    llm, sent = _llm()
    llm.chat(HI)
    llm.model_copy(update={"max_tokens": 9}).chat(HI)
    llm.model_copy().chat(HI)
    llm.chat(HI)
    assert [s["max_tokens"] for s in sent] == [32, 9, 32, 32]


def test_per_call_arguments_bypass_the_kept_options() -> None:
    llm, sent = _llm()
    llm.chat(HI)
    llm.chat(HI, max_tokens=5, temperature=0.2)
    llm.complete("hi")
    llm.chat(HI)
    assert (sent[1]["max_tokens"], sent[1]["temperature"]) == (5, 0.2)
    assert sent[2]["max_tokens"] == 32 and sent[3] == sent[0]


def test_metadata_is_kept_until_a_field_it_reads_changes() -> None:
    llm = WorkersAI(account_id="a" * 32, api_token="t")
    first = llm.metadata
    assert llm.metadata is first
    llm.context_window = 1234
    assert llm.metadata.context_window == 1234
    llm.max_tokens = 77
    assert llm.metadata.num_output == 77
    llm.is_function_calling = False
    assert llm.metadata.is_function_calling_model is False
    other = llm.model_copy(update={"model": "@cf/meta/llama-3.1-8b-instruct"})
    assert other.metadata.model_name == "@cf/meta/llama-3.1-8b-instruct"
    assert llm.metadata.model_name != other.metadata.model_name
