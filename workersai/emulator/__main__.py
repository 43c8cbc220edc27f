"""``python -m workersai.emulator``: serve the emulator on loopback until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Sequence

from .server import API_PREFIX, serve

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    """The command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m workersai.emulator",
        description="A wire-faithful Cloudflare Workers AI emulator on loopback.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8787, help="TCP port, 0 = any (8787)")
    parser.add_argument("--latency", type=float, default=0.0,
                        help="seconds of simulated model latency (default 0)")
    parser.add_argument("--seed", type=int, default=0, help="seed for generated output")
    parser.add_argument("--chunk-size", type=int, default=None,
                        help="re-cut streamed bodies into pieces of this many bytes")
    parser.add_argument("--event-delay", type=float, default=None,
                        help="send each SSE event in its own write, this many seconds apart")
    parser.add_argument("--rate-limit", type=int, default=None,
                        help="requests per (account, model) per --rate-window; more get 429")
    parser.add_argument("--rate-window", type=float, default=60.0,
                        help="seconds of the rate-limit window (default 60; less scales time)")
    return parser


def _banner(host: str, port: int, account_id: str, token: str) -> str:
    base = f"http://{host}:{port}{API_PREFIX}"
    return (f"Workers AI emulator listening on {base}\n"
            f"  export WORKERSAI_BASE_URL={base}\n"
            f"  export CLOUDFLARE_ACCOUNT_ID={account_id}\n"
            f"  export CLOUDFLARE_API_TOKEN={token}\n")


async def _run(args: argparse.Namespace) -> None:
    from ._app import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN, Emulator

    emu = Emulator(seed=args.seed, latency=args.latency, chunk_size=args.chunk_size,
                   event_delay=args.event_delay, rate_limit=args.rate_limit,
                   rate_window=args.rate_window)
    task = asyncio.current_task()
    assert task is not None
    with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)

    def ready(port: int) -> None:
        sys.stdout.write(_banner(args.host, port, DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN))
        sys.stdout.flush()

    with contextlib.suppress(asyncio.CancelledError):
        await serve(emu, args.host, args.port, ready=ready)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and serve until Ctrl-C or SIGTERM; returns the exit status."""
    args = build_parser().parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
