"""Benchmark 2: streaming, client cost per token.

Two modes, each one run with every contestant side by side:

* ``--mode live`` (default): tokens arrive as from a live model, each SSE event in its
  own write (its own HTTP chunk), ``--delay`` seconds apart (live models: 10-50 ms; the
  default 2 ms keeps the run short; the per-event cost does not depend on the pause).
  Reported: client **CPU** microseconds per token (``time.process_time`` of the client
  process; the emulator runs in another process), the ratio to the raw floor, and how
  many concurrent 50-token/s streams one core can carry (1e6 / (µs per token x 50)).
  ``--measure instructions`` counts the client's **instructions** per token instead
  (valgrind's callgrind, see ``_callgrind``): the same on a busy machine as on an idle
  one, so a few percent between two clients is a real difference. Events then come
  30 ms apart (a client runs some 50x slower under valgrind and must still read one
  event per network read).
* ``--mode burst``: the emulator writes up to 16 events per network write with no pause
  (one 2,000-token reply); wall microseconds per token. Merging the text of one read
  hides most per-event cost here, so this mode flatters every client that merges.

Two wire formats (``--format``, both by default), each its own table: ``classic``
(``@cf/meta/llama-3.3-70b-instruct-fp8-fast``: ``{"response": "tok", "tool_calls": [],
"p": ...}`` per token, as the service sends it) and ``chat``
(``@cf/aisingapore/gemma-sea-lion-v4-27b-it``: ``chat.completion.chunk`` events with
per-chunk usage). langchain-cloudflare reads every classic event that has a
``tool_calls`` key as a tool call, even the empty list the service sends on each token,
and emits no text after the first; its classic figure is for empty chunks. The chat
table is the fair comparison with it.

A raw httpx client (the floor: ``iter_lines``, ``json.loads`` per event, the text of each
event) beside the core ``Client.stream_chat``, ``ChatWorkersAI.stream`` and LlamaIndex
``WorkersAI.stream_chat``, and the framework floors (a bare ``BaseChatModel`` / ``LLM``
around raw httpx). Each run checks the text is complete (the same words as the floor) and
that usage arrived exactly once. Targets: ``ChatWorkersAI.stream`` within 1.1x of the
LangChain floor and at or below langchain-cloudflare; ``WorkersAI.stream_chat`` within
1.1x of the LlamaIndex floor.

The emulator answers a request for "N words" with exactly N words (its documented length
rule), so the reply size is decided by the prompt.

Peers run when installed (``pip install -e ".[bench]"``): langchain-cloudflare's
``ChatCloudflareWorkersAI`` and ``ChatOpenAI`` on ``/ai/v1``. Their usage reports are
shown, not required.

    python benchmarks/bench_streaming.py [--mode live] [--tokens 400] [--delay 0.002]
    python benchmarks/bench_streaming.py --measure instructions [--tokens 100]
    python benchmarks/bench_streaming.py --format chat
    python benchmarks/bench_streaming.py --mode burst [--tokens 2000] [--runs 9]
"""

from __future__ import annotations

import argparse
import functools
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import _callgrind
import httpx
from _floors import chat_text, classic_text
from _harness import ACCOUNT_ID, TOKEN, Server, emulator_process, print_table, ratio
from _peers import cloudflare_chat, openai_chat

FORMATS = {"classic": "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
           "chat": "@cf/aisingapore/gemma-sea-lion-v4-27b-it"}
Stream = Callable[[], tuple[str, int]]  # -> (text, number of usage reports)
Make = Callable[[Server, str, int], "Stream | None"]  # (server, model, tokens)


def prompt(tokens: int) -> str:
    return f"Write {tokens} words about rivers and mountains."


def _chat_format(model: str) -> bool:
    return model == FORMATS["chat"]


def raw_floor(server: Server, model: str, tokens: int) -> Stream:
    client = httpx.Client(timeout=60)
    body = json.dumps({"messages": [{"role": "user", "content": prompt(tokens)}],
                       "max_tokens": tokens, "stream": True})
    text_of = chat_text if _chat_format(model) else classic_text

    def run() -> tuple[str, int]:
        parts: list[str] = []
        usage = 0
        with client.stream("POST", server.run_url(model), content=body,
                           headers=server.headers) as resp:
            for line in resp.iter_lines():
                if not line.startswith("data: ") or line == "data: [DONE]":
                    continue
                event = json.loads(line[6:])
                parts.append(text_of(event))
                usage += "usage" in event and "choices" not in event  # the native total
        return "".join(parts), usage

    return run


def core_client(server: Server, model: str, tokens: int) -> Stream:
    from workersai import Client
    from workersai.types import ChatParams, Message

    client = Client(account_id=ACCOUNT_ID, api_token=TOKEN, base_url=server.base_url)
    messages = [Message("user", prompt(tokens))]
    params = ChatParams(max_tokens=tokens)

    def run() -> tuple[str, int]:
        parts: list[str] = []
        usage = 0
        for delta in client.stream_chat(model, messages, params):
            parts.append(delta.text)
            usage += delta.usage is not None
        return "".join(parts), usage

    return run


def langchain(server: Server, model: str, tokens: int) -> Stream:
    from langchain_workersai import ChatWorkersAI

    llm = ChatWorkersAI(model=model, account_id=ACCOUNT_ID, api_token=TOKEN,
                        base_url=server.base_url, max_tokens=tokens)

    def run() -> tuple[str, int]:
        parts: list[str] = []
        usage = 0
        for chunk in llm.stream(prompt(tokens)):
            parts.append(str(chunk.content))
            usage += chunk.usage_metadata is not None
        return "".join(parts), usage

    return run


def llamaindex(server: Server, model: str, tokens: int) -> Stream:
    from llama_index.core.llms import ChatMessage

    from llamaindex_workersai import WorkersAI

    llm = WorkersAI(model=model, account_id=ACCOUNT_ID, api_token=TOKEN,
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


def langchain_floor(server: Server, model: str, tokens: int) -> Stream:
    from _floors import RawLangChainChat

    llm = RawLangChainChat(url=server.run_url(model), token=TOKEN, max_tokens=tokens,
                           chat_format=_chat_format(model))

    def run() -> tuple[str, int]:
        text = "".join(str(c.content) for c in llm.stream(prompt(tokens)))
        return text, 1  # the floor does not read usage

    return run


def llamaindex_floor(server: Server, model: str, tokens: int) -> Stream:
    from _floors import RawLlamaIndexLLM
    from llama_index.core.llms import ChatMessage

    llm = RawLlamaIndexLLM(url=server.run_url(model), token=TOKEN, max_tokens=tokens,
                           chat_format=_chat_format(model))
    messages = [ChatMessage(role="user", content=prompt(tokens))]

    def run() -> tuple[str, int]:
        items = list(llm.stream_chat(messages))
        return str(items[-1].message.content), 1

    return run


def _peer(make_llm: Callable[[Server, str, int], object | None]) -> Make:
    def make(server: Server, model: str, tokens: int) -> Stream | None:
        llm = make_llm(server, model, tokens)
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


SUBJECTS: dict[str, Make] = {
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


def _subjects(server: Server, model: str, tokens: int) -> tuple[dict[str, Stream], str]:
    """Every installed contestant, warmed up, and the text each must produce."""
    made = {name: make(server, model, tokens) for name, make in SUBJECTS.items()}
    subjects = {name: run for name, run in made.items() if run is not None}
    expected, _ = subjects["raw httpx (floor)"]()
    assert len(expected.split()) == tokens, len(expected.split())
    for name, run in subjects.items():  # warm up: connections, imports, caches
        _sample(name, run, expected, 1, time.perf_counter)
    return subjects, expected


def _timed(server: Server, model: str, tokens: int, runs: int, repeats: int,
           clock: Callable[[], float]) -> tuple[dict[str, list[float]], dict[str, str]]:
    subjects, expected = _subjects(server, model, tokens)
    samples: dict[str, list[float]] = {name: [] for name in subjects}
    usages: dict[str, str] = {}
    for _ in range(runs):  # interleaved so drift hits every subject alike
        for name, run in subjects.items():
            spent, usages[name] = _sample(name, run, expected, repeats, clock)
            samples[name].append(spent / (tokens * repeats) * 1e6)
    return samples, usages


def _worker(base_url: str, formats: list[str], tokens: int, repeats: int) -> None:
    """Under callgrind: warm every subject, then measure each as one profile; one JSON
    line per measured piece on stdout, in the order of the profiles."""
    server = Server(base_url=base_url)
    built = {fmt: _subjects(server, FORMATS[fmt], tokens) for fmt in formats}
    _callgrind.instrument()
    for fmt, (subjects, expected) in built.items():
        for name, run in subjects.items():
            piece = functools.partial(_sample, name, run, expected, repeats, time.perf_counter)
            _, seen = _callgrind.measured(piece)
            print(json.dumps({"format": fmt, "name": name, "seen": seen}), flush=True)


def _counted(base_url: str, formats: list[str], tokens: int, repeats: int
             ) -> dict[str, tuple[dict[str, list[float]], dict[str, str]]]:
    """Instructions per token of every subject, per format (one callgrind run)."""
    if not _callgrind.available():
        raise SystemExit("--measure instructions needs valgrind (callgrind_control) installed")
    with tempfile.TemporaryDirectory() as tmp:
        argv = [str(Path(__file__).resolve()), "--worker", base_url, "--tokens", str(tokens),
                "--repeats", str(repeats), "--format", ",".join(formats)]
        done = _run_quiet(_callgrind.command(Path(tmp), argv))
        counts = _callgrind.counts(Path(tmp))
    lines = [json.loads(line) for line in done.splitlines() if line.startswith("{")]
    assert len(lines) == len(counts), (len(lines), len(counts))
    out: dict[str, tuple[dict[str, list[float]], dict[str, str]]] = {
        fmt: ({}, {}) for fmt in formats}
    for line, count in zip(lines, counts, strict=True):
        samples, usages = out[line["format"]]
        samples[line["name"]] = [count / (tokens * repeats)]
        usages[line["name"]] = line["seen"]
    return out


def _run_quiet(cmd: list[str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"callgrind worker failed ({done.returncode})")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mode", choices=("live", "burst"), default="live")
    parser.add_argument("--measure", choices=("cpu", "instructions"), default="cpu",
                        help="live mode: client CPU time or instructions (callgrind)")
    parser.add_argument("--format", default="classic,chat",
                        help="wire formats: classic, chat or both (default classic,chat)")
    parser.add_argument("--tokens", type=int, default=None,
                        help="words per reply (live 400, instructions 100, burst 2000)")
    parser.add_argument("--delay", type=float, default=None,
                        help="live mode: seconds between events (2 ms; instructions 30 ms)")
    parser.add_argument("--runs", type=int, default=None, help="samples (live 5, burst 9)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="replies streamed per sample (live 1, instructions 2, burst 5)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # base URL: the callgrind child
    args = parser.parse_args()
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = set(formats) - set(FORMATS)
    if unknown:
        parser.error(f"unknown --format {sorted(unknown)} (known: {sorted(FORMATS)})")
    if args.worker:
        _worker(args.worker, formats, args.tokens, args.repeats)
        return
    live = args.mode == "live"
    counted = live and args.measure == "instructions"
    tokens = args.tokens or (100 if counted else 400 if live else 2000)
    runs = 1 if counted else args.runs or (5 if live else 9)
    repeats = args.repeats or (2 if counted else 1 if live else 5)
    delay = args.delay if args.delay is not None else 0.03 if counted else 0.002
    with emulator_process(event_delay=delay if live else None) as server:
        if counted:
            results = _counted(server.base_url, formats, tokens, repeats)
        else:
            clock = time.process_time if live else time.perf_counter
            results = {fmt: _timed(server, FORMATS[fmt], tokens, runs, repeats, clock)
                       for fmt in formats}
    unit = "instructions" if counted else "cpu" if live else "wall"
    for fmt, (samples, usages) in results.items():
        _report(samples, usages, unit, fmt, tokens, runs, repeats, delay)


def _report(samples: dict[str, list[float]], usages: dict[str, str], unit: str, fmt: str,
            tokens: int, runs: int, repeats: int, delay: float) -> None:
    mid = runs // 2
    floor = sorted(samples["raw httpx (floor)"])[mid]
    rows = []
    for name, values in samples.items():
        med = sorted(values)[mid]
        spread = f"{min(values) / floor:.2f}-{max(values) / floor:.2f}x"
        value = f"{med:,.0f}" if unit == "instructions" else f"{med:.1f}"
        row = [name, value, ratio(med, floor), spread]
        if unit == "cpu":
            row.append(f"{1e6 / (med * 50):,.0f}")
        rows.append([*row, usages[name]])
    wire = f"{fmt} format ({FORMATS[fmt]})"
    if unit == "wall":
        title = (f"Streaming a {tokens:,}-token reply in bursts (16 events per write), {wire}, "
                 f"median of {runs} samples of {repeats} replies")
        header = ["client", "µs per token", "vs floor", "spread", "text complete",
                  "usage reports"]
    else:
        what = ("client instructions (callgrind), " if unit == "instructions"
                else f"client CPU, median of {runs} samples, ")
        title = (f"Streaming as tokens arrive: one event per write, {delay * 1000:g} ms apart, "
                 f"{tokens}-token replies, {wire}, {what}{repeats} replies per sample")
        header = ["client", "instructions per token" if unit == "instructions"
                  else "CPU µs per token", "vs floor", "spread"]
        if unit == "cpu":
            header.append("50 tok/s streams per core")
        header += ["text complete", "usage reports"]
    print_table(title, header, rows)


if __name__ == "__main__":
    main()
