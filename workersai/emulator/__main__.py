"""``python -m workersai.emulator``: serve the emulator on loopback until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import signal
import sys
from collections.abc import Sequence

from ._app import DEFAULT_TOKEN
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
    auth = parser.add_mutually_exclusive_group()
    auth.add_argument("--token", default=None,
                      help="the API token to accept (default: the one the banner prints); "
                           "any other gets a 401, code 10000, as from Cloudflare")
    auth.add_argument("--any-token", action="store_true",
                      help="accept any non-empty Bearer token")
    parser.add_argument("--event-delay", type=float, default=None,
                        help="send each SSE event in its own write, this many seconds apart")
    parser.add_argument("--rate-limit", type=int, default=None,
                        help="requests per (account, model) per --rate-window; more get 429")
    parser.add_argument("--rate-window", type=float, default=60.0,
                        help="seconds of the rate-limit window (default 60; less scales time)")
    return parser


def _banner(host: str, port: int, account_id: str, token: str | None) -> str:
    base = f"http://{host}:{port}{API_PREFIX}"
    accepted = ("any non-empty Bearer token is accepted (--any-token)" if token is None
                else "other tokens get a 401 (set another with --token, or --any-token)")
    return (f"Workers AI emulator listening on {base}\n"
            f"  export WORKERSAI_BASE_URL={base}\n"
            f"  export CLOUDFLARE_ACCOUNT_ID={account_id}\n"
            f"  export CLOUDFLARE_API_TOKEN={token or DEFAULT_TOKEN}\n"
            f"({accepted})\n")


async def _run(args: argparse.Namespace) -> None:
    from ._app import DEFAULT_ACCOUNT_ID, Emulator

    token = None if args.any_token else (args.token or DEFAULT_TOKEN)
    emu = Emulator(token=token, seed=args.seed, latency=args.latency,
                   chunk_size=args.chunk_size, event_delay=args.event_delay,
                   rate_limit=args.rate_limit, rate_window=args.rate_window)
    task = asyncio.current_task()
    assert task is not None
    with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)

    def ready(port: int) -> None:
        sys.stdout.write(_banner(args.host, port, DEFAULT_ACCOUNT_ID, token))
        sys.stdout.flush()

    with contextlib.suppress(asyncio.CancelledError):
        await serve(emu, args.host, args.port, ready=ready)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and serve until Ctrl-C or SIGTERM; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.token is not None and not args.token.strip():
        parser.error("--token must not be empty (use --any-token to accept any token)")
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_run(args))
    except OSError as err:
        sys.stderr.write(f"{parser.prog}: error: {_bind_error(err, args.host, args.port)}\n")
        return 2
    return 0


def _bind_error(err: OSError, host: str, port: int) -> str:
    """One line for a socket that cannot be opened (port taken, host not ours, ...)."""
    if err.errno == errno.EADDRINUSE:
        return (f"port {port} on {host} is already in use (another emulator?); "
                "pick another with --port N, or --port 0 for any free port")
    if err.errno in (errno.EACCES, errno.EPERM):
        return f"not allowed to listen on {host}:{port}; pick a port above 1023 with --port"
    return f"cannot listen on {host}:{port}: {err.strerror or err}"


if __name__ == "__main__":
    raise SystemExit(main())
