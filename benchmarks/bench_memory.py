"""Benchmark 5: memory. Peak RSS while streaming a 100,000-token reply.

Each subject runs in a fresh interpreter that streams the reply and discards the pieces
(as a UI would print them), reporting its peak RSS after a 1,000-token warm-up and after
the full reply. Flat means the growth does not scale with the reply: the 100,000-token
figure is compared with a 10,000-token run. The floor is a raw httpx client; the
LangChain floor (a minimal ``BaseChatModel`` around raw httpx) shows what LangChain's own
``stream()`` keeps (it aggregates every chunk for its callbacks).

    python benchmarks/bench_memory.py [--tokens 100000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from _harness import ACCOUNT_ID, TOKEN, emulator_process, print_table

MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"

CHILD = r'''
import json, resource, sys
sys.path.insert(0, {here!r})
base_url, kind, tokens = sys.argv[1], sys.argv[2], int(sys.argv[3])
prompt = f"Write {{tokens}} words about rivers and mountains."

def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def stream(n):
    p = f"Write {{n}} words about rivers and mountains."
    count = 0
    if kind == "raw":
        import httpx
        body = json.dumps({{"messages": [{{"role": "user", "content": p}}], "max_tokens": n,
                           "stream": True}})
        url = f"{{base_url}}/accounts/{account}/ai/run/{model}"
        with httpx.Client(timeout=120) as c, c.stream("POST", url, content=body, headers={{
                "Authorization": "Bearer {token}"}}) as r:
            for line in r.iter_lines():
                if line.startswith("data: {{"):
                    count += len(json.loads(line[6:]).get("response") or "") > 0
    elif kind == "core":
        from workersai import Client
        from workersai.types import ChatParams, Message
        client = Client(account_id="{account}", api_token="{token}", base_url=base_url)
        for delta in client.stream_chat("{model}", [Message("user", p)], ChatParams(max_tokens=n)):
            count += bool(delta.text)
    elif kind == "langchain-floor":
        from _floors import RawLangChainChat
        llm = RawLangChainChat(url=f"{{base_url}}/accounts/{account}/ai/run/{model}",
                               token="{token}", max_tokens=n)
        for chunk in llm.stream(p):
            count += bool(chunk.content)
    elif kind == "langchain":
        from langchain_workersai import ChatWorkersAI
        llm = ChatWorkersAI(model="{model}", account_id="{account}", api_token="{token}",
                            base_url=base_url, max_tokens=n)
        for chunk in llm.stream(p):
            count += bool(chunk.content)
    elif kind == "llamaindex":
        from llama_index.core.llms import ChatMessage
        from llamaindex_workersai import WorkersAI
        llm = WorkersAI(model="{model}", account_id="{account}", api_token="{token}",
                        base_url=base_url, max_tokens=n)
        for item in llm.stream_chat([ChatMessage(role="user", content=p)]):
            count += bool(item.delta)
    return count

stream(1000)
before = rss_mb()
got = stream(tokens)
print(json.dumps({{"before": before, "after": rss_mb(), "pieces": got}}))
'''


def measure(base_url: str, kind: str, tokens: int) -> dict[str, float]:
    import json

    code = CHILD.format(here=str(Path(__file__).parent), account=ACCOUNT_ID, token=TOKEN,
                        model=MODEL)
    out = subprocess.run([sys.executable, "-c", code, base_url, kind, str(tokens)],
                         check=True, capture_output=True, text=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tokens", type=int, default=100_000)
    args = parser.parse_args()
    rows = []
    with emulator_process() as server:
        for kind in ("raw", "core", "langchain-floor", "langchain", "llamaindex"):
            small = measure(server.base_url, kind, args.tokens // 10)
            big = measure(server.base_url, kind, args.tokens)
            grow_small = small["after"] - small["before"]
            grow_big = big["after"] - big["before"]
            rows.append([kind, f"{big['before']:.1f}", f"{big['after']:.1f}",
                         f"{grow_small:.1f}", f"{grow_big:.1f}", f"{int(big['pieces']):,}"])
    print_table(f"Peak RSS streaming a {args.tokens:,}-token reply (MB; fresh process each)",
                ["client", "after warm-up", "after reply", f"growth, {args.tokens // 10:,} tok",
                 f"growth, {args.tokens:,} tok", "pieces"], rows)


if __name__ == "__main__":
    main()
