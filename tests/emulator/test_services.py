"""Batch flow, AI Gateway cache, models API, scripted replies."""

from __future__ import annotations

import json

import pytest

from workersai.emulator._app import Emulator

from .helpers import BGE_M3, CLASSIC, GEMMA4, LLAMA4, QWEN3, WEATHER, call, run, user

GW = {"cf-aig-gateway-id": "my-gateway"}


def test_batch_flow_queued_running_done(emu: Emulator) -> None:
    q = {"queueRequest": "true"}
    body = {"requests": [{**user("Tell me about cats"), "external_reference": "a"},
                         {"prompt": "a", **user("b")}, {"prompt": "Hello"}]}
    submitted = run(emu, CLASSIC, body, query=q).result
    assert submitted["status"] == "queued" and submitted["model"] == CLASSIC
    rid = submitted["request_id"]
    assert run(emu, CLASSIC, {"request_id": rid}, query=q).result == {
        "status": "queued", "request_id": rid}
    assert run(emu, CLASSIC, {"request_id": rid}, query=q).result["status"] == "running"
    done = run(emu, CLASSIC, {"request_id": rid}, query=q).result
    first, bad, third = done["responses"]
    assert first["success"] is True and first["external_reference"] == "a"
    assert isinstance(first["result"]["response"], str)
    assert bad["success"] is False and bad["errors"][0]["code"] == 5006
    assert third["id"] == 2 and third["external_reference"] is None
    usage = done["usage"]
    assert usage["prompt_tokens"] == 5
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert run(emu, CLASSIC, {"request_id": rid}, query=q).result == done


def test_batch_failures_on_demand_and_shuffled_order(emu: Emulator) -> None:
    q = {"queueRequest": "true"}
    emu.batches.fail_items(1, code=3040)
    emu.batches.shuffle = True
    body = {"requests": [user("one"), user("two"), user("three")]}
    rid = run(emu, CLASSIC, body, query=q).result["request_id"]
    for _ in range(2):
        run(emu, CLASSIC, {"request_id": rid}, query=q)
    done = run(emu, CLASSIC, {"request_id": rid}, query=q).result["responses"]
    assert [r["id"] for r in done] == [2, 1, 0]
    assert [r["success"] for r in done] == [True, False, True]
    assert done[1]["errors"][0]["code"] == 3040
    emu.batches.clear_failures()
    rid = run(emu, CLASSIC, body, query=q).result["request_id"]
    for _ in range(2):
        run(emu, CLASSIC, {"request_id": rid}, query=q)
    assert all(r["success"] for r in run(emu, CLASSIC, {"request_id": rid},
                                          query=q).result["responses"])


def test_batch_embeddings_and_errors(emu: Emulator) -> None:
    q = {"queueRequest": "true"}
    body = {"requests": [{"query": "Cloudflare story", "contexts": [
        {"text": "a story about Cloudflare"}, {"text": "bananas"}]}]}
    rid = run(emu, BGE_M3, body, query=q).result["request_id"]
    for _ in range(2):
        run(emu, BGE_M3, {"request_id": rid}, query=q)
    done = run(emu, BGE_M3, {"request_id": rid}, query=q).result
    assert [r["id"] for r in done["responses"][0]["result"]["response"]] == [0, 1]
    assert run(emu, BGE_M3, {"request_id": "nope"}, query=q).status == 404
    assert run(emu, "@cf/meta/llama-3.2-1b-instruct", body, query=q).status == 400
    assert run(emu, CLASSIC, {"requests": []}, query=q).status == 400


def test_gateway_cache_hit_miss_skip(emu: Emulator) -> None:
    first = run(emu, CLASSIC, user("cache me"), headers=GW)
    assert first.headers["cf-aig-cache-status"] == "MISS" and first.headers["cf-aig-log-id"]
    second = run(emu, CLASSIC, user("cache me"), headers=GW)
    assert second.headers["cf-aig-cache-status"] == "HIT"
    assert second.raw == first.raw
    assert second.headers["cf-aig-log-id"] != first.headers["cf-aig-log-id"]
    skipped = run(emu, CLASSIC, user("cache me"), headers={**GW, "cf-aig-skip-cache": "true"})
    assert skipped.headers["cf-aig-cache-status"] == "MISS"
    other = run(emu, CLASSIC, user("something else"), headers=GW)
    assert other.headers["cf-aig-cache-status"] == "MISS"
    no_gateway = run(emu, CLASSIC, user("cache me"))
    assert "cf-aig-cache-status" not in no_gateway.headers


def test_gateway_cache_ttl_zero_and_streams(emu: Emulator) -> None:
    ttl0 = {**GW, "cf-aig-cache-ttl": "0"}
    run(emu, CLASSIC, user("x y"), headers=ttl0)
    assert run(emu, CLASSIC, user("x y"), headers=ttl0).headers["cf-aig-cache-status"] == "MISS"
    body = {**user("stream me"), "stream": True}
    first = run(emu, CLASSIC, body, headers=GW)
    second = run(emu, CLASSIC, body, headers=GW)
    assert second.headers["cf-aig-cache-status"] == "HIT" and second.raw == first.raw
    errors = run(emu, CLASSIC, {}, headers=GW)
    assert errors.status == 400
    assert run(emu, CLASSIC, {}, headers=GW).headers["cf-aig-cache-status"] == "MISS"


def test_models_search_paging_and_filters(emu: Emulator) -> None:
    reply = call(emu, "/models/search", method="GET", query={
        "task": "Text Generation", "per_page": "5", "page": "2"})
    body = reply.json
    assert body["success"] is True and len(body["result"]) == 5
    assert body["result_info"]["page"] == 2 and body["result_info"]["count"] == 5
    total = body["result_info"]["total_count"]
    assert total > 10 and all(m["task"]["name"] == "Text Generation" for m in body["result"])
    last = call(emu, "/models/search", method="GET", query={
        "task": "text-generation", "per_page": "100"}).json
    assert len(last["result"]) == total
    model = next(m for m in last["result"] if m["name"] == CLASSIC)
    props = {p["property_id"]: p["value"] for p in model["properties"]}
    assert props["context_window"] == "24000" and props["function_calling"] == "true"
    # the published price ($0.29), no longer the pricing page's 0.2933
    assert props["price"][0] == {"unit": "per M input tokens", "price": 0.29,
                                 "currency": "USD"}
    assert model["task"]["id"] == "c329a1f9-323d-4e91-b2aa-582dd4188d34"
    meta = call(emu, "/models/search", method="GET", query={"author": "meta"}).json
    assert meta["result"] and all(m["name"].startswith("@cf/meta/") for m in meta["result"])
    found = call(emu, "/models/search", method="GET", query={"search": "bge-m3"}).json
    assert [m["name"] for m in found["result"]] == [BGE_M3]
    hf = call(emu, "/models/search", method="GET", query={"source": "2"}).json
    assert all(m["name"].startswith("@hf/") for m in hf["result"])
    assert call(emu, "/models/search", method="GET", query={"page": "0"}).status == 400


def test_models_schema(emu: Emulator) -> None:
    result = call(emu, "/models/schema", method="GET", query={"model": CLASSIC}).result
    prompt = result["input"]["oneOf"][0]["properties"]
    assert prompt["max_tokens"]["default"] == 256 and prompt["top_k"]["maximum"] == 50
    emb = call(emu, "/models/schema", method="GET",
               query={"model": "@cf/qwen/qwen3-embedding-0.6b"}).result
    assert emb["input"]["properties"]["text"]["oneOf"][1]["maxItems"] == 32
    assert call(emu, "/models/schema", method="GET", query={"model": "x"}).status == 400


@pytest.mark.parametrize("model", [CLASSIC, LLAMA4, GEMMA4])
def test_scripted_text_in_each_family(model: str) -> None:
    emu = Emulator()
    emu.script.text("Exactly this.")
    result = run(emu, model, user("anything")).result
    text = result["response"] if "response" in result else result["choices"][0]["message"][
        "content"]
    assert text == "Exactly this."
    assert run(emu, model, user("anything")).result != result  # queue consumed


def test_scripted_tool_call_json_error_and_clear() -> None:
    emu = Emulator()
    emu.script.tool_call("lookup", {"id": 7})
    emu.script.json({"ok": True})
    emu.script.error(429, 3040, "Capacity temporarily exceeded, please try again.")
    assert len(emu.script) == 3
    first = run(emu, CLASSIC, user("x")).result
    assert first["response"] is None and first["tool_calls"] == [
        {"name": "lookup", "arguments": {"id": 7}}]
    chat = run(emu, QWEN3, user("x")).result["choices"][0]
    assert json.loads(chat["message"]["content"]) == {"ok": True}
    error = run(emu, GEMMA4, user("x"))
    assert error.status == 429 and error.error()["code"] == 3040
    emu.script.text("never")
    emu.script.clear()
    assert run(emu, CLASSIC, user("Hello")).result["response"] != "never"


def test_scripted_stream_and_push_and_non_chat_untouched() -> None:
    emu = Emulator()
    reply = emu.script.tool_calls([("a", {"x": 1}), ("b", {})])
    emu.script.push(reply)  # already queued: not queued twice
    assert len(emu.script) == 1
    events = run(emu, GEMMA4, {**user("x"), "stream": True, "tools": [WEATHER]}).events
    names = [tc["function"]["name"] for e in events if isinstance(e, dict) and e.get("choices")
             for tc in e["choices"][0]["delta"].get("tool_calls", []) if "id" in tc]
    assert names == ["a", "b"]
    emu.script.text("for chat only")
    assert run(emu, "@cf/baai/bge-small-en-v1.5", {"text": "x"}).status == 200
    assert len(emu.script) == 1
    long = run(emu, CLASSIC, {**user("x"), "max_tokens": 1}).result
    assert long["response"] == "for chat only"


def test_scripted_reasoning_is_inlined_on_classic_shapes() -> None:
    emu = Emulator()
    emu.script.text("Paris.", reasoning="The capital of France is Paris.")
    text = run(emu, "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b", user("x")).result["response"]
    assert text == "The capital of France is Paris.\n</think>\n\nParis."
    emu.script.text("Paris.", reasoning="Because.")
    message = run(emu, GEMMA4, user("x")).result["choices"][0]["message"]
    assert (message["content"], message["reasoning_content"]) == ("Paris.", "Because.")
