"""Unknown model ids get the closest catalog ids; short ids become full ids."""

from __future__ import annotations

import httpx
import pytest
from pydantic import ValidationError

from langchain_workersai import ChatWorkersAI, WorkersAIEmbeddings
from llamaindex_workersai import WorkersAI, WorkersAIEmbedding
from workersai import Client, catalog
from workersai._errors_map import error_from_payload, model_hint
from workersai.emulator import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN
from workersai.errors import ModelNotFoundError
from workersai.types import Message

LLAMA = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
BGE = "@cf/baai/bge-base-en-v1.5"
TYPO = LLAMA[:-2] + "ts"  # ...-fp8-fats


def test_a_typo_suggests_the_model_it_misses() -> None:
    assert catalog.suggest(TYPO)[0] == LLAMA
    assert catalog.did_you_mean(TYPO) == f"did you mean {LLAMA!r}?"


def test_nothing_close_suggests_nothing() -> None:
    assert catalog.suggest("@cf/acme/zzzzzzzzzzzz") == []
    assert catalog.did_you_mean("@cf/acme/zzzzzzzzzzzz") == ""


def test_suggestions_come_from_the_catalog_api() -> None:
    ids = {m.id for m in catalog.MODELS}
    assert set(catalog.suggest("instruct", n=10)) <= ids


def test_short_ids_resolve_to_the_unique_full_id() -> None:
    assert catalog.resolve(LLAMA.rsplit("/", 1)[1]) == LLAMA
    assert catalog.resolve(BGE.rsplit("/", 1)[1]) == BGE


def test_full_and_unknown_full_ids_pass_unchanged() -> None:
    assert catalog.resolve(LLAMA) == LLAMA
    assert catalog.resolve("@cf/acme/brand-new-model") == "@cf/acme/brand-new-model"
    assert catalog.resolve("workers-ai/@cf/x") == "workers-ai/@cf/x"


def test_a_short_id_matching_nothing_is_refused_with_the_full_ids() -> None:
    with pytest.raises(catalog.UnknownModelError) as info:
        catalog.resolve("llama-3.3-70b-instruct-fp8-fats")
    assert LLAMA in str(info.value) and info.value.suggestions[0] == LLAMA
    assert "@cf/" in str(info.value)


def test_an_ambiguous_short_id_lists_every_candidate(monkeypatch: pytest.MonkeyPatch) -> None:
    from workersai.catalog import _suggest

    monkeypatch.setattr(_suggest, "_ids", lambda: ["@cf/a/same-name", "@hf/b/same-name"])
    with pytest.raises(catalog.UnknownModelError, match="ambiguous") as info:
        catalog.resolve("same-name")
    assert info.value.suggestions == ["@cf/a/same-name", "@hf/b/same-name"]


@pytest.mark.parametrize("cls", [ChatWorkersAI, WorkersAI])
def test_front_ends_take_short_chat_ids(cls: type) -> None:
    assert cls(model="llama-3.3-70b-instruct-fp8-fast").model == LLAMA


def test_front_ends_take_short_embedding_ids() -> None:
    assert WorkersAIEmbeddings(model="bge-base-en-v1.5").model == BGE
    embed = WorkersAIEmbedding(model="bge-base-en-v1.5")
    assert embed.model_name == BGE
    assert embed.embed_batch_size == catalog.lookup(BGE).batch_limit  # type: ignore[union-attr]


@pytest.mark.parametrize("cls", [ChatWorkersAI, WorkersAI])
def test_front_ends_refuse_a_bad_short_id_with_a_suggestion(cls: type) -> None:
    with pytest.raises(ValidationError, match="did you mean") as info:
        cls(model="llama-3.3-70b-instruct-fp8-fats")
    assert LLAMA in str(info.value)


def test_the_no_such_model_error_gets_a_hint() -> None:
    err = error_from_payload(
        {"errors": [{"code": 5007, "message": f"No such model {TYPO} or task"}]}, 400, {})
    assert isinstance(err, ModelNotFoundError)
    assert f"did you mean {LLAMA!r}?" in str(err)
    assert model_hint("No such model") == ""


@pytest.mark.emulator
def test_the_service_error_names_the_model_to_use(emulator_http_client: httpx.Client) -> None:
    client = Client(account_id=DEFAULT_ACCOUNT_ID, api_token=DEFAULT_TOKEN,
                    http_client=emulator_http_client)
    with pytest.raises(ModelNotFoundError) as info:
        client.chat(TYPO, [Message("user", "hi")])
    assert "No such model" in str(info.value) and LLAMA in str(info.value)
