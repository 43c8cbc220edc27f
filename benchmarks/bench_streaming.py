"""Benchmark 2: streaming, client cost per token.

Two modes, each one run with every contestant side by side:

* ``--mode live`` (default): tokens arrive as from a live model, each SSE event in its
  own write (its own HTTP chunk), ``--delay`` seconds apart (live models: 10-50 ms; the
  default 2 ms keeps the run short; the per-event cost does not depend on the pause).
  Reported: client **CPU** microseconds per token (``time.process_time`` of the client
  process; the emulator runs in another process), the ratio to the raw floor, and how
  many concurrent 50-token/s streams one core can carry (1e6 / (µs per token x 50)).
* ``--mode burst``: the emulator writes up to 16 events per network write with no pause
  (one 2,000-token reply); wall microseconds per token. Merging the text of one read
  hides most per-event cost here, so this mode flatters every client that merges.

A raw httpx client (the floor: ``iter_lines``, ``json.loads`` per event, concatenate
``response``) beside the core ``Client.stream_chat``, ``ChatWorkersAI.stream`` and
LlamaIndex ``WorkersAI.stream_chat``. Each run checks the text is complete (the same
2,000 words as the floor) and that usage arrived exactly once. Target: within 1.5x per
token of the floor.

The emulator answers a request for "N words" with exactly N words (its documented length
rule), so the reply size is decided by the prompt.

Peers run when installed (``pip install -e ".[bench]"``): langchain-cloudflare's
``ChatCloudflareWorkersAI`` and ``ChatOpenAI`` on ``/ai/v1``. Their usage reports are
shown, not required.

    python benchmarks/bench_streaming.py [--mode live] [--tokens 400] [--delay 0.002]
    python benchmarks/bench_streaming.py --mode burst [--tokens 2000] [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

import httpx
from _harness import ACCOUNT_ID, TOKEN, Server, emulator_process, print_table, ratio
from _peers import cloudflare_chat, openai_chat

MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
Stream = Callable[[], tuple[str, int]]  # -> (text, number of usage reports)


def prompt(tokens: int) -> str:
    return f"Write {tokens} words about rivers and mountains."


def raw_floor(server: Server, tokens: int) -> Stream:
    client = httpx.Client(timeout=60)
    body = json.dumps({"messages": [{"role": "user", "content": prompt(tokens)}],
                       "max_tokens": tokens, "stream": True})

    def run() -> tuple[str, int]:
        parts: list[str] = []
        usage = 0
        with client.stream("POST", server.run_url(MODEL), content=body,
                           headers=server.headers) as resp:
            for line in resp.iter_lines():
                if not line.startswith("data: ") or line == "data: [DONE]":
                    continue
                event = json.loads(line[6:])
                parts.append(event.get("response") or "")
                usage += "usage" in event
        return "".join(parts), usage

    return run


def core_client(server: Server, tokens: int) -> Stream:
    from workersai import Client
    from workersai.types import ChatParams, Message

    client = Client(account_id=ACCOUNT_ID, api_token=TOKEN, base_url=server.base_url)
    messages = [Message("user", prompt(tokens))]
    params = ChatParams(max_tokens=tokens)

    def run() -> tuple[str, int]:
        parts: list[str] = []
        usage = 0
        for delta in client.stream_chat(MODEL, messages, params):
            parts.append(delta.text)
            usage += delta.usage is not None
        return "".join(parts), usage

    return run


def langchain(server: Server, tokens: int) -> Stream:
    from langchain_workersai import ChatWorkersAI

    llm = ChatWorkersAI(model=MODEL, account_id=ACCOUNT_ID, api_token=TOKEN,
                        base_url=server.base_url, max_tokens=tokens)

    def run() -> tuple[str, int]:
        parts: list[str] = []
        usage = 0
        for chunk in llm.stream(prompt(tokens)):
            parts.append(str(chunk.content))
            usage += chunk.usage_metadata is not None
        return "".join(parts), usage

    return run


def llamaindex(server: Server, tokens: int) -> Stream:
    from llama_index.core.llms import ChatMessage

    from llamaindex_workersai import WorkersAI

    llm = WorkersAI(model=MODEL, account_id=ACCOUNT_ID, api_token=TOKEN,
                    base_url=server.base_url, max_tokens=tokens)
    messages = [ChatMessage(role="user", content=prompt(tokens))]

    def run() -> tuple[str, int]:
        last = None
        usage = 0
        for item in llm.stream_chat(messages):
            last = item
            usage += "usage" in (item.raw or {})
        assert last is not None
        return str(last.message.content), usage

    return run


def langchain_floor(server: Server, tokens: int) -> Stream:
    from _floors import RawLangChainChat

    llm = RawLangChainChat(url=server.run_url(MODEL), token=TOKEN, max_tokens=tokens)

    def run() -> tuple[str, int]:
        text = "".join(str(c.content) for c in llm.stream(prompt(tokens)))
        return text, 1  # the floor does not read usage

    return run


def llamaindex_floor(server: Server, tokens: int) -> Stream:
    from _floors import RawLlamaIndexLLM
    from llama_index.core.llms import ChatMessage

    llm = RawLlamaIndexLLM(url=server.run_url(MODEL), token=TOKEN, max_tokens=tokens)
    messages = [ChatMessage(role="user", content=prompt(tokens))]

    def run() -> tuple[str, int]:
        items = list(llm.stream_chat(messages))
        return str(items[-1].message.content), 1

    return run


def _peer(make_llm: Callable[[Server, str, int], object | None]
          ) -> Callable[[Server, int], Stream | None]:
    def make(server: Server, tokens: int) -> Stream | None:
        llm = make_llm(server, MODEL, tokens)
        if llm is None:
            return None

        def run() -> tuple[str, int]:
            parts: list[str] = []
            usage = 0
            for chunk in llm.stream(prompt(tokens)):  # type: ignore[attr-defined]
                parts.append(str(chunk.content))
                usage += chunk.usage_metadata is not None
            return "".join(parts), usage

        return run

    return make


SUBJECTS: dict[str, Callable[[Server, int], Stream | None]] = {
    "raw httpx (floor)": raw_floor,
    "workersai.Client.stream_chat": core_client,
    "LangChain floor (BaseChatModel around raw httpx)": langchain_floor,
    "ChatWorkersAI.stream": langchain,
    "peer: langchain-cloudflare ChatCloudflareWorkersAI.stream": _peer(cloudflare_chat),
    "peer: langchain-openai ChatOpenAI.stream on /ai/v1": _peer(openai_chat),
    "LlamaIndex floor (LLM around raw httpx)": llamaindex_floor,
    "llamaindex WorkersAI.stream_chat": llamaindex,
}
OURS = {"workersai.Client.stream_chat", "ChatWorkersAI.stream",
        "llamaindex WorkersAI.stream_chat"}


def _sample(name: str, run: Stream, expected: str, repeats: int, clock: Callable[[], float]
            ) -> tuple[float, str]:
    """Seconds (by ``clock``) for ``repeats`` replies, and what they showed: text complete
    (required of ours and the floors; a peer's shortfall is reported) and usage reports."""
    start = clock()
    seen = ""
    for _ in range(repeats):
        text, usage = run()
        complete = text.split() == expected.split()
        peer = name.startswith("peer:")
        assert complete or peer, f"{name}: incomplete text"
        assert usage == 1 or name not in OURS, f"{name}: usage reported {usage} times"
        seen = f"{'yes' if complete else 'NO (' + str(len(text.split())) + ' words)'} | {usage}"
    return clock() - start, seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mode", choices=("live", "burst"), default="live")
    parser.add_argument("--tokens", type=int, default=None,
                        help="words per reply (live 400, burst 2000)")
    parser.add_argument("--delay", type=float, default=0.002,
                        help="live mode: seconds between events (default 0.002)")
    parser.add_argument("--runs", type=int, default=None, help="samples (live 5, burst 9)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="replies streamed per sample (live 1, burst 5)")
    args = parser.parse_args()
    live = args.mode == "live"
    tokens = args.tokens or (400 if live else 2000)
    runs = args.runs or (5 if live else 9)
    repeats = args.repeats or (1 if live else 5)
    clock = time.process_time if live else time.perf_counter
    with emulator_process(event_delay=args.delay if live else None) as server:
        made = {name: make(server, tokens) for name, make in SUBJECTS.items()}
        subjects = {name: run for name, run in made.items() if run is not None}
        expected, _ = subjects["raw httpx (floor)"]()
        assert len(expected.split()) == tokens, len(expected.split())
        for name, run in subjects.items():  # warm up: connections, imports, caches
            _sample(name, run, expected, 1, clock)
        samples: dict[str, list[float]] = {name: [] for name in subjects}
        usages: dict[str, str] = {}
        for _ in range(runs):  # interleaved so drift hits every subject alike
            for name, run in subjects.items():
                spent, usages[name] = _sample(name, run, expected, repeats, clock)
                samples[name].append(spent / (tokens * repeats) * 1e6)
    _report(samples, usages, live, tokens, runs, repeats, args.delay)


def _report(samples: dict[str, list[float]], usages: dict[str, str], live: bool, tokens: int,
            runs: int, repeats: int, delay: float) -> None:
    mid = runs // 2
    floor = sorted(samples["raw httpx (floor)"])[mid]
    rows = []
    for name, values in samples.items():
        med = sorted(values)[mid]
        spread = f"{min(values) / floor:.2f}-{max(values) / floor:.2f}x"
        row = [name, f"{med:.1f}", ratio(med, floor), spread]
        if live:
            row.append(f"{1e6 / (med * 50):,.0f}")
        rows.append([*row, usages[name]])
    if live:
        title = (f"Streaming as tokens arrive: one event per write, {delay * 1000:g} ms apart, "
                 f"{tokens}-token replies, client CPU, median of {runs} samples")
        header = ["client", "CPU µs per token", "vs floor", "spread", "50 tok/s streams per core",
                  "text complete", "usage reports"]
    else:
        title = (f"Streaming a {tokens:,}-token reply in bursts (16 events per write), "
                 f"median of {runs} samples of {repeats} replies")
        header = ["client", "µs per token", "vs floor", "spread", "text complete",
                  "usage reports"]
    print_table(title, header, rows)


if __name__ == "__main__":
    main()
