"""Benchmark 7: a bulk embedding job at the account's rate limit, not into it.

100,000 texts against the emulator limited to 3,000 requests a minute, the Text
Embeddings default. Batches of 20 texts (5,000 requests) keep the job bound by the limit,
not by the emulator (about 4,000 texts/s on the 2-core reference machine; batches of 100
would need 5,000 texts/s to reach the limit). At real scale the floor is 5,000 / 3,000
minutes = 100 s, so the run scales time: the emulator's window and the pacer's window are
both ``--window`` seconds instead of 60 (default 30: twice as fast), which keeps every
ratio (requests per window, burst, safety margin) the same. Reported: wall time against
the floor (requests / limit x window; target: within 1.05x) and the share of requests
answered 429 (target: under 1%), for the paced client and, with ``--unpaced``, for the
same client with pacing off (it runs into the limit and leans on its retries).

    python benchmarks/bench_pacing.py [--texts 100000] [--limit 3000] [--window 30]
"""

from __future__ import annotations

import argparse
import time

from _harness import ACCOUNT_ID, TOKEN, emulator_process, print_table

from workersai import Client, Pacing

MODEL = "@cf/baai/bge-small-en-v1.5"  # 384 dimensions: the emulator is not the bottleneck


def run(base_url: str, texts: list[str], pacing: Pacing, concurrency: int, batch: int
        ) -> tuple[float, int]:
    client = Client(account_id=ACCOUNT_ID, api_token=TOKEN, base_url=base_url, max_retries=50)
    start = time.perf_counter()
    out = client.embed(MODEL, texts, batch_size=batch, max_concurrency=concurrency,
                       pacing=pacing)
    wall = time.perf_counter() - start
    assert len(out.vectors) == len(texts)
    client.close()
    return wall, sum(m.attempts for m in out.meta)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--texts", type=int, default=100_000)
    parser.add_argument("--limit", type=int, default=3000, help="requests per window")
    parser.add_argument("--batch", type=int, default=20, help="texts per request")
    parser.add_argument("--window", type=float, default=30.0,
                        help="seconds standing for one minute (60 = real time)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--unpaced", action="store_true",
                        help="also run with pacing off (slow: it waits out Retry-After)")
    args = parser.parse_args()
    texts = [f"Document {i} about rivers." for i in range(args.texts)]
    requests = -(-args.texts // args.batch)
    floor = requests / args.limit * args.window
    rows = []
    modes = [("paced (default)", Pacing(per_minute=args.limit, window=args.window))]
    if args.unpaced:
        modes.append(("pacing off", Pacing(enabled=False)))
    for name, pacing in modes:
        with emulator_process(rate_limit=args.limit, rate_window=args.window) as server:
            wall, attempts = run(server.base_url, texts, pacing, args.concurrency,
                                 args.batch)
        refused = attempts - requests
        rows.append([name, f"{requests:,}", f"{wall:.2f}", f"{floor:.2f}",
                     f"{wall / floor:.3f}x", f"{refused:,}", f"{refused / attempts:.2%}"])
    print_table(f"{args.texts:,} texts at {args.limit:,} requests per {args.window:g} s "
                f"(a minute scaled {60 / args.window:g}x), batch {args.batch}, "
                f"concurrency {args.concurrency}",
                ["client", "requests", "wall s", "limit floor s", "vs floor", "429s",
                 "429 share"], rows)


if __name__ == "__main__":
    main()
