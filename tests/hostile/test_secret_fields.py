"""Secret header values and URL credentials stay out of every form of an object.

``default_headers`` values whose names look secret (``authorization``,
``cf-aig-authorization``, anything naming a token, key or secret) are masked in reprs,
dumps, LangChain's serialized form (which every callback and tracer receives) and
LlamaIndex's ``to_dict``/``to_json``, and left out of pickles; they are still sent. A
``base_url`` with ``user:password@`` is refused (httpx would silently swap the Bearer token
for Basic auth), with a message that names the field and not the password.
"""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.load import dumpd

from langchain_workersai import ChatWorkersAI
from llamaindex_workersai import WorkersAI
from tests.reliability.test_secrets import DRIVERS, Driver, close_any, object_forms
from workersai import AsyncClient, Client
from workersai import errors as wa

from .recorder import recorder
from .replies import ok

GATEWAY_SECRET = "gw-secret-7f3a9c1e5d2b"
HEADERS = {
    "cf-aig-authorization": f"Bearer {GATEWAY_SECRET}",
    "X-Api-Key": GATEWAY_SECRET + "-k",
    "x-team": "search",
}


@pytest.mark.parametrize("driver", DRIVERS[:6], ids=lambda d: d.name)
async def test_secret_headers_are_masked_and_still_sent(driver: Driver) -> None:
    with recorder(ok) as server:
        obj = driver.make(account_id="a" * 32, api_token="t" * 40, base_url=server.url,
                          default_headers=HEADERS)
        forms = object_forms(obj)
        try:
            await driver.calls[0](obj) if _is_async(driver.calls[0]) else driver.calls[0](obj)
            forms += object_forms(obj)
            pickled = pickle.dumps(obj)
        finally:
            await close_any(obj)
    assert [f for f in forms if GATEWAY_SECRET in f] == []
    assert any("x-team" in f and "search" in f for f in forms)  # plain headers still show
    assert GATEWAY_SECRET.encode() not in pickled
    assert pickle.loads(pickled).default_headers == {"x-team": "search"}
    sent = server.requests[0].headers
    assert sent["cf-aig-authorization"] == f"Bearer {GATEWAY_SECRET}"
    assert sent["x-api-key"] == GATEWAY_SECRET + "-k"


def _is_async(fn: Any) -> bool:
    import inspect

    return inspect.iscoroutinefunction(fn)


class _Capture(BaseCallbackHandler):
    def __init__(self) -> None:
        self.seen: list[str] = []

    def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
        self.seen.append(repr(serialized) + repr(kwargs))


def test_langchain_callbacks_never_see_secret_headers() -> None:
    capture = _Capture()
    with recorder(ok) as server:
        llm = ChatWorkersAI(account_id="a" * 32, api_token="t" * 40, base_url=server.url,
                            default_headers=HEADERS, callbacks=[capture])
        llm.invoke("hi")
    assert capture.seen and all(GATEWAY_SECRET not in s for s in capture.seen)
    assert "**********" in repr(dumpd(llm)["kwargs"]["default_headers"])


URL = "https://alice:hunter2-pass@gateway.example/v4"


@pytest.mark.parametrize("driver", DRIVERS, ids=lambda d: d.name)
def test_a_base_url_with_credentials_is_refused(driver: Driver) -> None:
    with pytest.raises(wa.ConfigurationError) as info:
        driver.make(account_id="a" * 32, api_token="t" * 40, base_url=URL)
    assert "base_url" in str(info.value) and "hunter2" not in str(info.value)


def test_a_base_url_with_credentials_is_refused_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WORKERSAI_BASE_URL", URL)
    for make in (Client, AsyncClient, ChatWorkersAI, WorkersAI):
        with pytest.raises(wa.ConfigurationError, match="WORKERSAI_BASE_URL") as info:
            make()
        assert "hunter2" not in str(info.value)


def test_a_base_url_with_credentials_is_refused_on_assignment() -> None:
    llm = WorkersAI(account_id="a" * 32, api_token="t" * 40)
    with pytest.raises(wa.ConfigurationError):
        llm.base_url = URL
    assert "hunter2" not in repr(llm)
