"""``workersai`` / ``python -m workersai``: try a model from a terminal.

Commands: ``run MODEL PROMPT`` (streams the answer), ``models`` (lists the catalog by task
and capability, refreshed from the API), ``embed MODEL TEXT...`` and ``emulator`` (the
loopback emulator). Credentials come from ``CLOUDFLARE_ACCOUNT_ID`` /
``CLOUDFLARE_API_TOKEN`` (and ``WORKERSAI_BASE_URL``). Exit status: 0 done, 1 the API or
the transport failed (one line, no traceback), 2 usage or configuration error.

Tests (and embedders) call :func:`run_cli` with an ``http_client``: the seam through which
an in-process emulator answers without sockets.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from .catalog import CAPABILITIES
from .client import Client
from .config import Config
from .errors import ConfigurationError, WorkersAIError

__all__ = ["build_parser", "main", "run_cli"]

PROG = "workersai"
EXIT_API, EXIT_USAGE, EXIT_INTERRUPT = 1, 2, 130


@dataclass(slots=True)
class Context:
    """What a command needs besides its arguments: the injected HTTP client, if any."""

    http_client: httpx.Client | None = None

    def client(self) -> Client:
        """A client from the environment; a missing credential raises ConfigurationError."""
        config = Config.resolve()
        config.require_credentials()
        return Client(config=config, http_client=self.http_client)


def _add_run(sub: Any) -> None:
    p = sub.add_parser("run", help="stream a model's answer to PROMPT",
                       description="Stream a chat model's answer to stdout; usage and "
                                   "neurons go to stderr.")
    p.add_argument("model", help="model id, e.g. @cf/meta/llama-3.3-70b-instruct-fp8-fast")
    p.add_argument("prompt", help="the user message ('-' reads it from stdin)")
    p.add_argument("--system", help="a system message")
    p.add_argument("--max-tokens", type=int, help="most tokens to generate")
    p.add_argument("--temperature", type=float, help="sampling temperature (0-5)")
    p.add_argument("--reasoning", action="store_true",
                   help="also stream the model's reasoning (to stderr)")


def _add_models(sub: Any) -> None:
    p = sub.add_parser("models", help="list models by task and capability",
                       description="List models. With credentials the list is refreshed "
                                   "from the API (cached for a day); without, the cached or "
                                   "shipped table is shown.")
    p.add_argument("--task", help="e.g. text-generation or 'Text Embeddings'")
    p.add_argument("--capability", action="append", choices=CAPABILITIES, default=[],
                   help="keep models with this capability (repeatable)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--refresh", action="store_true", help="fetch the list now")
    mode.add_argument("--offline", action="store_true", help="never ask the API")
    p.add_argument("--json", action="store_true", help="print JSON")


def _add_embed(sub: Any) -> None:
    p = sub.add_parser("embed", help="embed texts and show the vectors",
                       description="Embed each TEXT; prints dimensions and the first values.")
    p.add_argument("model", help="model id, e.g. @cf/baai/bge-base-en-v1.5")
    p.add_argument("texts", nargs="+", metavar="TEXT")
    p.add_argument("--values", type=int, default=5, help="values shown per vector (5)")
    p.add_argument("--json", action="store_true", help="print every vector as JSON")


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="Cloudflare Workers AI from a terminal.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_run(sub)
    _add_models(sub)
    _add_embed(sub)
    sub.add_parser("emulator", add_help=False,
                   help="serve the Workers AI emulator on loopback (see 'emulator --help')")
    return parser


@contextlib.contextmanager
def _one_line_warnings() -> Iterator[None]:
    """Warnings (deprecated model, stale catalog) as one ``workersai: warning:`` line."""
    def show(message: Warning | str, *args: Any, **kwargs: Any) -> None:
        print(f"{PROG}: warning: {message}", file=sys.stderr)

    with warnings.catch_warnings():
        warnings.simplefilter("default")
        warnings.showwarning = show
        yield


def _fail(message: str, status: int) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return status


def run_cli(argv: Sequence[str] | None = None, *, http_client: httpx.Client | None = None
            ) -> int:
    """Run one command; returns the exit status. ``http_client`` is used for every call."""
    from . import _cli_cmds

    args, extra = build_parser().parse_known_args(argv)
    if args.command == "emulator":
        return _cli_cmds.emulator(extra)
    if extra:
        return _fail(f"unrecognized arguments: {' '.join(extra)}", EXIT_USAGE)
    ctx = Context(http_client)
    try:
        with _one_line_warnings():
            return int(_cli_cmds.COMMANDS[args.command](args, ctx))
    except ConfigurationError as err:
        return _fail(str(err), EXIT_USAGE)
    except WorkersAIError as err:
        return _fail(f"{type(err).__name__}: {err}", EXIT_API)
    except KeyboardInterrupt:
        return _fail("interrupted", EXIT_INTERRUPT)


def main(argv: Sequence[str] | None = None) -> int:
    """The ``workersai`` console script."""
    return run_cli(argv)
