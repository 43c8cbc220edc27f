"""Benchmark 2: streaming. One 2,000-token reply, client microseconds per token.

A raw httpx client (the floor: ``iter_lines``, ``json.loads`` per event, concatenate
``response``) beside the core ``Client.stream_chat``, ``ChatWorkersAI.stream`` and
LlamaIndex ``WorkersAI.stream_chat``. Each run checks the text is complete (the same
2,000 words as the floor) and that usage arrived exactly once. Target: within 1.5x per
token of the floor.

The emulator answers a request for "N words" with exactly N words (its documented length
rule), so the reply size is decided by the prompt.

    python benchmarks/bench_streaming.py [--tokens 2000] [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

import httpx
from _harness import ACCOUNT_ID, TOKEN, Server, emulator_process, print_table, ratio

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tokens", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--repeats", type=int, default=5,
                        help="replies streamed per sample (steadier figures)")
    args = parser.parse_args()
    subjects = {"raw httpx (floor)": raw_floor, "workersai.Client.stream_chat": core_client,
                "LangChain floor (BaseChatModel around raw httpx)": langchain_floor,
                "ChatWorkersAI.stream": langchain,
                "LlamaIndex floor (LLM around raw httpx)": llamaindex_floor,
                "llamaindex WorkersAI.stream_chat": llamaindex}
    with emulator_process() as server:
        runs = {name: make(server, args.tokens) for name, make in subjects.items()}
        expected, _ = runs["raw httpx (floor)"]()
        assert len(expected.split()) == args.tokens, len(expected.split())
        samples: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.runs):
            for name, run in runs.items():
                start = time.perf_counter()
                for _ in range(args.repeats):
                    text, usage = run()
                    assert text.split() == expected.split(), f"{name}: incomplete text"
                    assert usage == 1, f"{name}: usage reported {usage} times"
                elapsed = time.perf_counter() - start
                samples[name].append(elapsed / (args.tokens * args.repeats) * 1e6)
    mid = args.runs // 2
    floor = sorted(samples["raw httpx (floor)"])[mid]
    rows = [[name, f"{sorted(v)[mid]:.2f}", ratio(sorted(v)[mid], floor), "yes", "1"]
            for name, v in samples.items()]
    print_table(f"Streaming a {args.tokens:,}-token reply, median of {args.runs} samples "
                f"of {args.repeats} replies",
                ["client", "µs per token", "vs floor", "text complete", "usage reports"],
                rows)


if __name__ == "__main__":
    main()
