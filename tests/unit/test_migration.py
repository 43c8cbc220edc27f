"""Other integrations' argument names and variables get a hint naming ours; unknown
arguments are refused by every class; errors never echo a value."""

from __future__ import annotations

import warnings

import httpx
import pytest
from pydantic import ValidationError

from langchain_workersai import ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker
from llamaindex_workersai import WorkersAI, WorkersAIEmbedding, WorkersAIRerank
from workersai._migrate import env_token_hint
from workersai.config import Config
from workersai.emulator import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN, Emulator
from workersai.emulator.transport import emulator_http_client
from workersai.errors import ConfigurationError, MigrationWarning

CLASSES = [ChatWorkersAI, WorkersAIEmbeddings, WorkersAIReranker,
           WorkersAI, WorkersAIEmbedding, WorkersAIRerank]
SECRET = "sekrit-value-0123456789"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_renamed_arguments_are_moved_with_a_warning(cls: type) -> None:
    with pytest.warns(MigrationWarning, match="use api_token= instead"):
        obj = cls(cloudflare_api_token=SECRET)
    assert obj.api_token.get_secret_value() == SECRET
    with pytest.warns(MigrationWarning, match="use account_id= instead"):
        assert cls(cloudflare_account_id="a" * 32).account_id == "a" * 32
    with pytest.warns(MigrationWarning, match="use gateway= instead"):
        assert cls(ai_gateway="my-gw").gateway == "my-gw"
    with pytest.warns(MigrationWarning, match="use timeout= instead"):
        assert cls(request_timeout=5).timeout == 5
    with pytest.warns(MigrationWarning, match="use session_affinity= instead"):
        assert cls(session_id="conv-1").session_affinity == "conv-1"


def test_llamaindex_auth_token_and_stop_sequences() -> None:
    with pytest.warns(MigrationWarning, match="llama-index"):
        assert WorkersAIEmbedding(auth_token=SECRET).api_token.get_secret_value() == SECRET
    with pytest.warns(MigrationWarning, match="use stop= instead"):
        assert ChatWorkersAI(stop_sequences=["END"]).stop == ["END"]
    with pytest.raises(ValidationError, match="unknown argument stop_sequences="):
        WorkersAIEmbeddings(stop_sequences=["END"])  # no stop here: nothing to map to


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@pytest.mark.parametrize(("name", "hint"), [
    ("cloudflare_api_base", "use base_url="),
    ("aig_cache_ttl", "GatewayOptions(cache_ttl=...)"),
    ("aig_anything", "GatewayOptions(...=...)"),
])
def test_different_shapes_are_refused_with_the_replacement(cls: type, name: str, hint: str
                                                           ) -> None:
    with pytest.raises(ValidationError) as info:
        cls(**{name: SECRET})
    assert hint in str(info.value) and SECRET not in str(info.value)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_unknown_arguments_are_refused_without_echoing_them(cls: type) -> None:
    with pytest.raises(ValidationError) as info:
        cls(api_tokn=SECRET)
    text = str(info.value) + repr(info.value.errors(include_input=False))
    assert "api_tokn" in text and "did you mean api_token=" in text
    assert SECRET not in text


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_type_errors_do_not_echo_the_input(cls: type) -> None:
    with pytest.raises(ValidationError) as info:
        cls(api_key=SECRET, max_retries=SECRET)
    assert SECRET not in str(info.value)


def test_session_affinity_is_sent_on_every_request() -> None:
    emu = Emulator()
    llm = ChatWorkersAI(account_id=DEFAULT_ACCOUNT_ID, api_key=DEFAULT_TOKEN,
                        session_affinity="conv-42", http_client=emulator_http_client(emu))
    llm.invoke("Hello")
    assert emu.requests[-1].headers.get("x-session-affinity") == "conv-42"
    plain = ChatWorkersAI(account_id=DEFAULT_ACCOUNT_ID, api_key=DEFAULT_TOKEN,
                          http_client=httpx.Client(transport=emulator_http_client(emu)._transport))
    plain.invoke("Hello")
    assert "x-session-affinity" not in emu.requests[-1].headers


def test_foreign_token_variables_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CLOUDFLARE_API_TOKEN", "CF_AI_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLOUDFLARE_AUTH_TOKEN", SECRET)
    monkeypatch.setenv("CLOUDFLARE_API_KEY", SECRET)
    with pytest.raises(ConfigurationError) as info:
        Config.resolve(account_id="a" * 32).require_credentials()
    text = str(info.value)
    assert "CLOUDFLARE_AUTH_TOKEN is set" in text and "CLOUDFLARE_API_KEY is set" in text
    assert "Global API Key" in text and SECRET not in text
    assert env_token_hint({}) == ""


def test_the_migration_warning_is_public_and_filterable() -> None:
    import workersai._migrate as migrate

    assert migrate.MigrationWarning is MigrationWarning
    assert issubclass(MigrationWarning, DeprecationWarning)
    with warnings.catch_warnings():
        warnings.simplefilter("error", MigrationWarning)
        with pytest.raises(MigrationWarning, match=r"api_token|api_key"):
            ChatWorkersAI(account_id="a" * 32, cloudflare_api_token="t")  # type: ignore[call-arg]
