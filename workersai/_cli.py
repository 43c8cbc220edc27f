"""``workersai`` / ``python -m workersai``: try a model from a terminal.

Commands: ``run [MODEL] PROMPT`` (streams the answer), ``models`` (lists the catalog by task
and capability, refreshed from the API), ``embed MODEL TEXT...`` and ``emulator`` (the
loopback emulator). Credentials come from ``CLOUDFLARE_ACCOUNT_ID`` /
``CLOUDFLARE_API_TOKEN`` (and ``WORKERSAI_BASE_URL``). Exit status: 0 done, 1 the API or
the transport failed (one line, no traceback), 2 usage or configuration error. A closed
pipe (``workersai models | head``) ends the command quietly.

Tests (and embedders) call :func:`run_cli` with an ``http_client``: the seam through which
an in-process emulator answers without sockets.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from ._cli_cmds import UsageError
from ._defaults import DEFAULT_CHAT_MODEL
from ._version import __version__
from .catalog import CAPABILITIES
from .client import Client
from .config import Config
from .errors import ConfigurationError, WorkersAIError

__all__ = ["UsageError", "build_parser", "cli_wording", "main", "run_cli"]

PROG = "workersai"
EXIT_API, EXIT_USAGE, EXIT_INTERRUPT = 1, 2, 130
OFFLINE_HINT = ("to try it offline, run 'workersai emulator' in another terminal and "
                "export the variables it prints")


def cli_wording(message: str) -> str:
    """A core configuration message worded for the terminal: environment variables instead
    of constructor arguments, and where to go offline."""
    message = re.sub(r"pass \w+=\.\.\. or set ", "set ", message)
    return f"{message.rstrip('.')}; {OFFLINE_HINT}"


@dataclass(slots=True)
class Context:
    """What a command needs besides its arguments: the injected HTTP client, if any."""

    http_client: httpx.Client | None = None

    def client(self) -> Client:
        """A client from the environment; a missing credential raises ConfigurationError
        worded for the terminal."""
        config = Config.resolve()
        try:
            config.require_credentials()
        except ConfigurationError as err:
            raise ConfigurationError(cli_wording(str(err))) from None
        return Client(config=config, http_client=self.http_client)


def _add_run(sub: Any) -> None:
    p = sub.add_parser("run", help="stream a model's answer to PROMPT",
                       usage="%(prog)s [-h] [options] [MODEL] PROMPT",
                       description="Stream a chat model's answer to stdout; usage and "
                                   f"neurons go to stderr. MODEL defaults to {DEFAULT_CHAT_MODEL}"
                                   "; a short id (llama-3.3-70b-instruct-fp8-fast) works.")
    p.add_argument("words", nargs="+", metavar="[MODEL] PROMPT",
                   help="an optional model id, then the user message ('-' reads stdin)")
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
    p.add_argument("--task", help="e.g. text-generation or 'Text Embeddings' (a wrong one "
                                  "lists the valid ones)")
    p.add_argument("--capability", action="append", choices=CAPABILITIES, default=[],
                   help="keep models with this capability (repeatable)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--refresh", action="store_true", help="fetch the list now")
    mode.add_argument("--offline", action="store_true", help="never ask the API")
    p.add_argument("--all", action="store_true",
                   help="include retired models (hidden by default: calls to them are refused)")
    p.add_argument("--json", action="store_true", help="print JSON")


def _add_embed(sub: Any) -> None:
    p = sub.add_parser("embed", help="embed texts and show the vectors",
                       description="Embed each TEXT; prints dimensions and the first values.")
    p.add_argument("model", help="model id, e.g. @cf/baai/bge-base-en-v1.5")
    p.add_argument("texts", nargs="+", metavar="TEXT")
    p.add_argument("--values", type=int, default=5, help="values shown per vector (5)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show progress on stderr (default: when stderr is a terminal)")
    p.add_argument("--json", action="store_true", help="print every vector as JSON")


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="Cloudflare Workers AI from a terminal.",
        epilog="Credentials: CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN; offline: "
               "'workersai emulator'.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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
    except (ConfigurationError, UsageError) as err:
        return _fail(str(err), EXIT_USAGE)
    except WorkersAIError as err:
        return _fail(f"{type(err).__name__}: {err}", EXIT_API)
    except KeyboardInterrupt:
        return _fail("interrupted", EXIT_INTERRUPT)


def main(argv: Sequence[str] | None = None) -> int:
    """The ``workersai`` console script; a reader that goes away (``| head``) ends it
    quietly, as with other Unix tools."""
    try:
        status = run_cli(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_API
    return status


def _silence_stdout() -> None:
    """Point stdout at the null device so the interpreter's final flush cannot fail."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
