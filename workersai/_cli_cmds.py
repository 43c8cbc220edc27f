"""The ``workersai`` commands (parsing and exit codes live in ``_cli``)."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as _dt
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, get_args

from . import catalog
from ._cli_models import is_retired, models_table
from ._defaults import DEFAULT_CHAT_MODEL
from ._progress import progress
from .catalog import CatalogSnapshot
from .catalog._live_map import task_slug
from .config import Config
from .cost import CallCost, cost_of
from .errors import ConfigurationError, InvalidInputError
from .types import ChatParams, Message, ResponseMeta, StreamDelta

if TYPE_CHECKING:
    from .client import Client

__all__ = ["COMMANDS", "UsageError", "emulator", "format_cost", "models_table"]


class UsageError(Exception):
    """A command line the commands cannot act on (exit status 2, no traceback)."""


class Context(Protocol):
    """What a command needs besides its arguments (``_cli.Context`` is the real one)."""

    def client(self) -> Client:
        """A client from the environment."""
        ...


def format_cost(cost: CallCost) -> str:
    """``[usage] 12 input + 30 output tokens, 5.20 neurons ($0.000057)``; ``~`` = estimate."""
    tokens = f"{cost.input_tokens} input + {cost.output_tokens} output tokens"
    if cost.neurons is None:
        return f"[usage] {tokens}, neurons unknown"
    approx = "~" if cost.estimated else ""
    return f"[usage] {tokens}, {approx}{cost.neurons:,.2f} neurons (${cost.usd or 0.0:.6f})"


def _prompt(text: str) -> str:
    return sys.stdin.read() if text == "-" else text


def _close_line(open_line: bool) -> bool:
    """End the reasoning line on stderr before anything else is written; ``False``."""
    if open_line:
        sys.stderr.write("\n")
    return False


def model_id(text: str) -> str:
    """A full model id: short ids resolve through the catalog, or fail as a usage error
    naming the closest ids."""
    try:
        return catalog.resolve(text)
    except catalog.UnknownModelError as err:
        raise UsageError(str(err)) from None


def _model_and_prompt(words: Sequence[str]) -> tuple[str, str]:
    """``[MODEL] PROMPT``: one word is the prompt (default model), two are both."""
    if len(words) == 1:
        return DEFAULT_CHAT_MODEL, words[0]
    if len(words) == 2:
        return model_id(words[0]), words[1]
    raise UsageError(f"run takes [MODEL] PROMPT, got {len(words)} arguments; quote the "
                     "prompt: workersai run \"Tell me a joke\"")


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Stream the answer to stdout; reasoning (``--reasoning``) and usage to stderr."""
    model, prompt = _model_and_prompt(args.words)
    messages = [Message("system", args.system)] if args.system else []
    messages.append(Message("user", _prompt(prompt)))
    params = ChatParams(max_tokens=args.max_tokens, temperature=args.temperature)
    final: StreamDelta | None = None
    thinking = False  # reasoning is on stderr and its line is still open
    with ctx.client() as client:
        for delta in client.stream_chat(model, messages, params):
            if delta.reasoning and args.reasoning:
                sys.stderr.write(delta.reasoning)
                sys.stderr.flush()
                thinking = True
            if delta.text:
                thinking = _close_line(thinking)
                sys.stdout.write(delta.text)
                sys.stdout.flush()
            if delta.final:
                final = delta
    _close_line(thinking)
    sys.stdout.write("\n")
    if final is not None:
        print(format_cost(cost_of(model, final.usage, final.meta)), file=sys.stderr)
    return 0


def embed(args: argparse.Namespace, ctx: Context) -> int:
    """Vectors: dimensions and the first ``--values`` values each, or all as JSON."""
    if args.values < 0:
        raise InvalidInputError("--values must be >= 0")
    model = model_id(args.model)
    show = sys.stderr.isatty() if args.progress is None else args.progress
    with ctx.client() as client, progress(show, "Embedding") as on_progress:
        result = client.embed(model, list(args.texts), on_progress=on_progress)
    dims = len(result.vectors[0]) if result.vectors else 0
    if args.json:
        print(json.dumps({"model": model, "dimensions": dims, "vectors": result.vectors}))
    else:
        for i, vector in enumerate(result.vectors):
            head = ", ".join(f"{v:.4f}" for v in vector[: args.values])
            more = ", ..." if len(vector) > args.values else ""
            print(f"[{i}] {len(vector)} dims: [{head}{more}]")
    reported = [m.neurons for m in result.meta if m.neurons is not None]
    meta = ResponseMeta(neurons=sum(reported)) if reported else None
    print(format_cost(cost_of(model, result.usage, meta)), file=sys.stderr)
    return 0


# --- models ----------------------------------------------------------------------------------

def _describe(snap: CatalogSnapshot) -> str:
    if snap.source == "shipped":
        return "the table shipped with workersai"
    when = _dt.datetime.fromtimestamp(snap.fetched_at or 0, _dt.UTC).strftime("%Y-%m-%d %H:%M")
    kind = "the API" if snap.source == "live" else "the cache" + (" (stale)" if snap.stale else "")
    return f"{kind}, fetched {when} UTC"


def _snapshot(args: argparse.Namespace, ctx: Context) -> CatalogSnapshot:
    if args.offline:
        return catalog.load()
    try:
        Config.resolve().require_credentials()
    except ConfigurationError:
        if args.refresh:
            raise
        return catalog.load()
    with ctx.client() as client:
        return client.models.refresh(force=args.refresh, apply=False)


def _check_task(task: str | None, snap: CatalogSnapshot) -> None:
    """A usage error listing the valid tasks when ``task`` names none of them."""
    if task is None:
        return
    valid = sorted(set(get_args(catalog.Task)) | {m.task for m in snap.models})
    if task_slug(task) not in valid:
        raise UsageError(f"unknown task {task!r}; pick one of: {', '.join(valid)}")


def models(args: argparse.Namespace, ctx: Context) -> int:
    """The catalog filtered by ``--task`` and ``--capability`` (retired models only with
    ``--all``): status, prices in their published units, flags."""
    snap = _snapshot(args, ctx)
    _check_task(args.task, snap)
    found = snap.filter(task=args.task, capabilities=tuple(args.capability))
    hidden = ""
    if not args.all:  # retired models are refused before sending: hidden unless --all
        today = catalog._today()
        kept = [m for m in found if not is_retired(m, today)]
        if len(kept) < len(found):
            hidden = f" ({len(found) - len(kept)} retired hidden: --all shows them)"
        found = kept
    if args.json:
        print(json.dumps([dataclasses.asdict(m) for m in found], indent=2))
    else:
        print(models_table(found))
    print(f"{len(found)} models{hidden}, from {_describe(snap)}", file=sys.stderr)
    return 0


def emulator(argv: Sequence[str]) -> int:
    """``python -m workersai.emulator`` with these arguments."""
    from .emulator.__main__ import main as emulator_main

    return emulator_main(list(argv))


COMMANDS: dict[str, Callable[[argparse.Namespace, Context], int]] = {
    "run": run, "models": models, "embed": embed,
}
