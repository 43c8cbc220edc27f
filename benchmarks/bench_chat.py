"""Benchmark 1: chat overhead. 300 sequential calls, zero server latency.

Measures client milliseconds per call for a raw httpx client (the floor: one POST, one
``json.loads``, read ``result.response``), the core ``Client.chat``, LangChain's
``ChatWorkersAI.invoke`` and LlamaIndex's ``WorkersAI.chat`` (and, when installed with
the ``bench`` extra, langchain-cloudflare's chat model and ``ChatOpenAI`` on ``/ai/v1``),
all against the same
loopback emulator in its own process. Target: within 1.3x of the floor. The framework
floors (a minimal LangChain ``BaseChatModel`` / LlamaIndex ``LLM`` whose only work is the
raw httpx call) show what each framework's own machinery costs per call.

With ``--replay``, every client's httpx transport answers from memory with one reply
the emulator sent (no socket, no server process): what is left is each client's own
work per call, steady enough on a busy machine to tell a few percent apart (peers, which
take no injected client, are skipped).

With ``--instructions``, each client instead runs ``--calls`` calls in a child process
under valgrind's callgrind (``benchmarks/_callgrind_requests.py``), which prints instructions per
call: a figure that does not move with the machine's load, to compare ours with the
framework floors to a fraction of a percent (with ``--replay``: no socket, each client's
own work; without: over loopback, the client's user-space socket work included).

    python benchmarks/bench_chat.py [--calls 300] [--runs 5] [--replay]
    python benchmarks/bench_chat.py --instructions [--replay] [--calls 200] [--jobs 2]
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import _callgrind_requests as _callgrind
import httpx
from _harness import ACCOUNT_ID, TOKEN, Server, emulator_process, print_table, ratio
from _peers import cloudflare_chat, openai_chat

MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
PROMPT = "Say hello to the benchmark."


def _socket_client() -> httpx.Client:
    return httpx.Client(timeout=30)


HTTP: Callable[[], httpx.Client] = _socket_client
"""How every subject gets its httpx client (``--replay`` swaps in a replaying one)."""


def record(server: Server) -> dict[str, Any]:
    """One emulator reply to the benchmark's request (status, raw headers, body)."""
    body = json.dumps({"messages": [{"role": "user", "content": PROMPT}], "max_tokens": 32})
    with httpx.Client(timeout=30) as client:
        reply = client.post(server.run_url(MODEL), content=body, headers=server.headers)
    return {"status": reply.status_code,
            "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in
                        reply.headers.raw],
            "content": base64.b64encode(reply.content).decode("ascii")}


def replaying(server: Server, recorded: dict[str, Any] | None = None
              ) -> Callable[[], httpx.Client]:
    """Clients whose transport answers every request with one recorded emulator reply."""
    recorded = recorded or record(server)
    status, content = recorded["status"], base64.b64decode(recorded["content"])
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in recorded["headers"]]

    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        return httpx.Response(status, headers=headers, content=content)

    return lambda: httpx.Client(transport=httpx.MockTransport(answer))


def raw_floor(server: Server) -> Callable[[], str]:
    client = HTTP()
    url = server.run_url(MODEL)
    headers = server.headers

    def call() -> str:
        body = json.dumps({"messages": [{"role": "user", "content": PROMPT}], "max_tokens": 32})
        resp = client.post(url, content=body, headers=headers)
        data = json.loads(resp.content)
        return str(data["result"]["response"])

    return call


def core_client(server: Server) -> Callable[[], str]:
    from workersai import Client
    from workersai.types import ChatParams, Message

    client = Client(account_id=ACCOUNT_ID, api_token=TOKEN, base_url=server.base_url,
                    http_client=HTTP())
    messages = [Message("user", PROMPT)]
    params = ChatParams(max_tokens=32)
    return lambda: client.chat(MODEL, messages, params).text


def langchain(server: Server) -> Callable[[], str]:
    from langchain_workersai import ChatWorkersAI

    llm = ChatWorkersAI(model=MODEL, account_id=ACCOUNT_ID, api_token=TOKEN,
                        base_url=server.base_url, max_tokens=32, http_client=HTTP())
    return lambda: str(llm.invoke(PROMPT).content)


def llamaindex(server: Server) -> Callable[[], str]:
    from llama_index.core.llms import ChatMessage

    from llamaindex_workersai import WorkersAI

    llm = WorkersAI(model=MODEL, account_id=ACCOUNT_ID, api_token=TOKEN,
                    base_url=server.base_url, max_tokens=32, http_client=HTTP())
    messages = [ChatMessage(role="user", content=PROMPT)]
    return lambda: str(llm.chat(messages).message.content)


def langchain_floor(server: Server) -> Callable[[], str]:
    from _floors import RawLangChainChat

    llm = RawLangChainChat(url=server.run_url(MODEL), token=TOKEN)
    llm._http = HTTP()
    return lambda: str(llm.invoke(PROMPT).content)


def llamaindex_floor(server: Server) -> Callable[[], str]:
    from _floors import RawLlamaIndexLLM
    from llama_index.core.llms import ChatMessage

    llm = RawLlamaIndexLLM(url=server.run_url(MODEL), token=TOKEN)
    llm._http = HTTP()
    messages = [ChatMessage(role="user", content=PROMPT)]
    return lambda: str(llm.chat(messages).message.content)


def _peer(make: Callable[[Server, str, int], object | None]
          ) -> Callable[[Server], Callable[[], str] | None]:
    def build(server: Server) -> Callable[[], str] | None:
        if HTTP is not _socket_client:  # a peer builds its own client: nothing to replay
            return None
        llm = make(server, MODEL, 32)
        if llm is None:
            return None
        return lambda: str(llm.invoke(PROMPT).content)  # type: ignore[attr-defined]

    return build


def per_call(call: Callable[[], str], calls: int) -> tuple[float, float]:
    """Wall milliseconds and client CPU microseconds per call (the emulator's CPU is in
    its own process, so the second figure is this client's work alone and holds up on a
    busy machine)."""
    for _ in range(10):  # warm up: connections, imports, caches
        assert call()
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        call()
    return ((time.perf_counter() - start) / calls * 1000,
            (time.process_time() - cpu) / calls * 1e6)


def subjects() -> dict[str, Callable[[Server], Callable[[], str] | None]]:
    return {"raw httpx (floor)": raw_floor, "workersai.Client.chat": core_client,
                "LangChain floor (BaseChatModel around raw httpx)": langchain_floor,
                "ChatWorkersAI.invoke": langchain,
                "peer: langchain-cloudflare ChatCloudflareWorkersAI.invoke":
                    _peer(cloudflare_chat),
                "peer: langchain-openai ChatOpenAI.invoke on /ai/v1": _peer(openai_chat),
                "LlamaIndex floor (LLM around raw httpx)": llamaindex_floor,
                "llamaindex WorkersAI.chat": llamaindex}


FLOORS = {"ChatWorkersAI.invoke": "LangChain floor (BaseChatModel around raw httpx)",
          "llamaindex WorkersAI.chat": "LlamaIndex floor (LLM around raw httpx)"}
"""Each of our framework classes and the framework floor it is held to."""


def child(name: str, base_url: str, reply_file: str | None, calls: int) -> None:
    """Under callgrind: build one subject and run ``calls`` instrumented calls."""
    global HTTP
    server = Server(base_url=base_url, process=None)  # type: ignore[arg-type]
    if reply_file:
        HTTP = replaying(server, json.loads(Path(reply_file).read_text(encoding="utf-8")))
    call = subjects()[name](server)
    assert call is not None
    _callgrind.measure(call, calls)


def instructions(args: argparse.Namespace) -> None:
    """Instructions per call of every subject, each in its own callgrind child."""
    missing = _callgrind.available()
    if missing:
        sys.exit(f"--instructions needs valgrind: {missing}")
    names = [n for n in subjects() if not (args.replay and n.startswith("peer:"))]
    with emulator_process() as server, tempfile.TemporaryDirectory() as tmp:
        reply_file = ""
        if args.replay:
            reply_file = str(Path(tmp) / "reply.json")
            Path(reply_file).write_text(json.dumps(record(server)), encoding="utf-8")

        def one(name: str) -> float:
            argv = [__file__, "--child", name, "--base-url", server.base_url,
                    "--calls", str(args.calls)] + (["--reply", reply_file] if reply_file else [])
            return _callgrind.count(argv, args.calls)

        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            counts = dict(zip(names, pool.map(one, names), strict=True))
    raw = counts["raw httpx (floor)"]
    rows = []
    for name, value in counts.items():
        floor = FLOORS.get(name)
        extra = (f"{ratio(value, counts[floor])} (+{value - counts[floor]:,.0f})"
                 if floor in counts else "")
        rows.append([name, f"{value:,.0f}", ratio(value, raw), extra])
    how = "replayed from memory" if args.replay else "over loopback"
    print_table(f"Chat instructions per call ({args.calls} calls under callgrind, {how})",
                ["client", "instructions per call", "vs raw", "vs framework floor (extra)"],
                rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=None)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--replay", action="store_true",
                        help="answer from memory with one recorded reply (no socket)")
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions per call under valgrind's callgrind")
    parser.add_argument("--jobs", type=int, default=2, help="callgrind children at once")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--reply", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.base_url, args.reply, args.calls)
    if args.instructions:
        args.calls = args.calls or 200
        return instructions(args)
    args.calls = args.calls or 300
    global HTTP
    with emulator_process() as server:
        if args.replay:
            HTTP = replaying(server)
        made = {name: make(server) for name, make in subjects().items()}
        calls = {name: call for name, call in made.items() if call is not None}
        samples: dict[str, list[float]] = {name: [] for name in calls}
        cpu: dict[str, list[float]] = {name: [] for name in calls}
        for _ in range(args.runs):  # interleave runs so drift hits every subject alike
            for name, call in calls.items():
                wall, used = per_call(call, args.calls)
                samples[name].append(wall)
                cpu[name].append(used)
    mid = args.runs // 2
    floor = sorted(samples["raw httpx (floor)"])[mid]
    cpu_floor = min(cpu["raw httpx (floor)"])  # CPU: the best run (noise only adds)
    rows = []
    for name, values in samples.items():
        med, med_cpu = sorted(values)[mid], min(cpu[name])
        spread = f"{min(values) / floor:.2f}-{max(values) / floor:.2f}x"
        rows.append([name, f"{med:.3f}", ratio(med, floor), spread, f"{med_cpu:.0f}",
                     ratio(med_cpu, cpu_floor)])
    how = ", replayed from memory" if args.replay else ""
    print_table(f"Chat overhead: {args.calls} sequential calls{how}, median of {args.runs} runs",
                ["client", "ms per call", "vs floor", "spread", "client CPU us per call (best run)",
                 "CPU vs raw"], rows)


if __name__ == "__main__":
    main()
