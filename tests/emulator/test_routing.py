"""Routing, auth, envelopes, headers, recording, delivery knobs, independence."""

from __future__ import annotations

import ast
import json
import uuid
from pathlib import Path

import pytest

import workersai.emulator as emulator_pkg
from workersai.emulator._app import DEFAULT_ACCOUNT_ID, Emulator
from workersai.emulator._types import EmuRequest
from workersai.emulator.faults import RateLimited

from .helpers import CLASSIC, GEMMA4, LLAMA4, call, collect, run, user

AUTH_BODY = {"result": None, "success": False,
             "errors": [{"code": 10000, "message": "Authentication error"}], "messages": []}


@pytest.mark.parametrize("headers", [{"authorization": ""}, {"authorization": "Bearer "},
                                     {"authorization": "Basic abc"}])
def test_missing_or_malformed_auth_is_401_with_the_exact_body(emu: Emulator,
                                                            headers: dict[str, str]) -> None:
    reply = run(emu, CLASSIC, user("hi"), headers=headers)
    assert reply.status == 401
    assert reply.json == AUTH_BODY
    assert "cf-ai-req-id" not in reply.headers and "cf-ray" in reply.headers


def test_token_knob_accepts_only_that_token() -> None:
    emu = Emulator(token="s3cret")
    assert run(emu, CLASSIC, user("hi")).status == 401
    ok = run(emu, CLASSIC, user("hi"), headers={"authorization": "Bearer s3cret"})
    assert ok.status == 200
    assert run(Emulator(), CLASSIC, user("hi"), headers={"authorization": "Bearer any"}).status \
        == 200


def test_success_envelope_and_headers(emu: Emulator) -> None:
    reply = run(emu, CLASSIC, user("Tell me about cats"))
    assert reply.status == 200
    assert reply.headers["content-type"] == "application/json"
    assert set(reply.json) == {"result", "success", "errors", "messages"}
    uuid.UUID(reply.headers["cf-ai-req-id"])
    assert reply.headers["cf-ray"].endswith("-SJC")
    usage = reply.result["usage"]
    # published $0.29 / $2.25 per M tokens, in neurons ($0.011 per 1,000)
    expected = (usage["prompt_tokens"] * 0.29 + usage["completion_tokens"] * 2.25) / 0.011e-3 / 1e6
    assert float(reply.headers["cf-ai-neurons"]) == pytest.approx(expected, abs=1e-4)


def test_model_ids_with_slashes_and_no_client_v4_prefix(emu: Emulator) -> None:
    reply = call(emu, f"/run/{LLAMA4}", user("hi"), base=f"/accounts/{DEFAULT_ACCOUNT_ID}/ai")
    assert reply.status == 200 and "response" in reply.result


def test_malformed_account_id_is_400_with_7003_and_7000(emu: Emulator) -> None:
    reply = call(emu, f"/run/{CLASSIC}", user("hi"), base="/client/v4/accounts/not-an-id/ai")
    assert reply.status == 400
    codes = [e["code"] for e in reply.json["errors"]]
    assert codes == [7003, 7000]
    assert "perhaps your object identifier is invalid" in reply.json["errors"][0]["message"]


def test_unknown_path_is_404_and_models_list_is_405(emu: Emulator) -> None:
    assert call(emu, "/nothing/here", {}).status == 404
    assert call(emu, "/v1/models", method="GET").status == 405
    assert call(emu, f"/run/{CLASSIC}", method="GET").status == 405


def test_unknown_model_is_5007(emu: Emulator) -> None:
    reply = run(emu, "@cf/nobody/nothing-7b", user("hi"))
    assert reply.status == 400
    assert reply.error() == {"code": 5007, "message": "No such model @cf/nobody/nothing-7b or task"}


def test_lora_on_a_model_without_it_is_405_5005(emu: Emulator) -> None:
    reply = run(emu, CLASSIC, {**user("hi"), "lora": "my-adapter"})
    assert reply.status == 405 and reply.error()["code"] == 5005
    assert run(emu, "@cf/mistralai/mistral-small-3.1-24b-instruct",
               {**user("hi"), "lora": "my-adapter"}).status == 200


def test_free_plan_refuses_paid_only_models() -> None:
    paid = "@cf/moonshotai/kimi-k2.6"
    assert run(Emulator(), paid, user("hi")).status == 200
    reply = run(Emulator(free_plan=True), paid, user("hi"))
    assert reply.status == 403 and "Workers Free plan" in reply.error()["message"]
    assert run(Emulator(free_plan=True), CLASSIC, user("hi")).status == 200


def test_requests_are_recorded(emu: Emulator) -> None:
    run(emu, CLASSIC, user("one"), query={"x": "1"})
    run(emu, GEMMA4, user("two"))
    first, second = emu.requests
    assert first.method == "POST" and first.path.endswith(CLASSIC)
    assert first.query == {"x": "1"} and json.loads(first.body) == user("one")
    assert second.headers["authorization"].startswith("Bearer ")


def test_faults_are_consulted_first(emu: Emulator) -> None:
    emu.faults.add(RateLimited(), times=1)
    assert run(emu, CLASSIC, user("hi")).status == 429
    assert run(emu, CLASSIC, user("hi")).status == 200
    assert len(emu.requests) == 2


def test_latency_knob_adds_a_leading_pause() -> None:
    reply = run(Emulator(latency=0.25), CLASSIC, user("hi"))
    assert reply.items[0] == 0.25 and reply.status == 200
    assert not any(isinstance(i, float) for i in run(Emulator(), CLASSIC, user("hi")).items)


def test_chunk_size_knob_cuts_bodies_inside_utf8() -> None:
    emu = Emulator(chunk_size=3)
    emu.script.text("héllo wörld 你好")
    reply = run(emu, CLASSIC, {**user("hi"), "stream": True})
    pieces = [i for i in reply.items if isinstance(i, bytes)]
    assert all(len(p) == 3 for p in pieces[:-1])
    assert any(_splits_utf8(p) for p in pieces)
    text = "".join(e["response"] for e in reply.events[:-1] if "tool_calls" in e)
    assert text == "héllo wörld 你好"
    with pytest.raises(ValueError):
        Emulator(chunk_size=0)


def _splits_utf8(piece: bytes) -> bool:
    try:
        piece.decode()
    except UnicodeDecodeError:
        return True
    return False


def test_unified_run_needs_a_gateway_for_cf_models(emu: Emulator) -> None:
    body = {"model": CLASSIC, "input": user("What is Cloudflare?")}
    assert call(emu, "/run", body).status == 400
    reply = call(emu, "/run", body, headers={"cf-aig-gateway-id": "default"})
    assert reply.status == 200 and isinstance(reply.result["response"], str)
    assert reply.headers["cf-aig-cache-status"] == "MISS"


def test_unified_run_serves_binary_task_models(emu: Emulator) -> None:
    body = {"model": "@cf/stabilityai/stable-diffusion-xl-base-1.0",
            "input": {"prompt": "a red fox"}}
    reply = call(emu, "/run", body, headers={"cf-aig-gateway-id": "default"})
    assert reply.status == 200
    assert reply.headers["content-type"] == "image/png"
    assert reply.raw.startswith(b"\x89PNG")


def test_legacy_gateway_host_path(emu: Emulator) -> None:
    path = f"/v1/{DEFAULT_ACCOUNT_ID}/my-gw/workers-ai/{CLASSIC}"
    reply = collect(emu.handle(EmuRequest("POST", path, {}, {
        "authorization": "Bearer t"}, json.dumps(user("hi")).encode())))
    assert reply.status == 200 and "cf-aig-log-id" in reply.headers


def test_invalid_json_body_is_5006(emu: Emulator) -> None:
    reply = run(emu, CLASSIC, None, raw=b"{not json")
    assert reply.status == 400 and reply.error()["code"] == 5006


def test_task_models_are_served(emu: Emulator) -> None:
    reply = run(emu, "@cf/meta/m2m100-1.2b", {"text": "hello", "target_lang": "fr"})
    assert reply.status == 200 and reply.result == {"translated_text": "[fr] hello"}
    assert "cf-ai-req-id" in reply.headers


def test_emulator_imports_only_catalog_from_workersai() -> None:
    folder = Path(emulator_pkg.__file__).parent
    allowed = ("workersai.catalog", "workersai.emulator")
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level == 2:  # from ..x import
                    assert node.module is not None and node.module.startswith("catalog"), path
                elif node.level == 0 and node.module and node.module.split(".")[0] == "workersai":
                    assert node.module.startswith(allowed), (path, node.module)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "workersai":
                        assert alias.name.startswith(allowed), (path, alias.name)
