"""Run the comparison benchmarks and draw their ratios as one SVG chart (no dependency).

Each bar is a client's median ratio to the raw httpx client in the same run (lower is
better), with a whisker over the spread of its samples. Runs ``bench_chat``,
``bench_streaming`` (live mode) and ``bench_embeddings`` (5,000 texts), collecting their
tables through ``BENCH_JSON``; ``--from FILE`` redraws from a saved collection.

    python benchmarks/chart.py [--out docs/benchmarks.svg] [--from results.jsonl]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = [["bench_chat.py", "--calls", "200", "--runs", "5"],
        ["bench_streaming.py", "--mode", "live"],
        ["bench_embeddings.py", "--sizes", "5000"]]
ROW_H, LEFT, WIDTH, SCALE_MAX = 18, 430, 900, 4.0


def collect(path: Path) -> None:
    env = {**os.environ, "BENCH_JSON": str(path),
           "PYTHONPATH": os.pathsep.join([str(HERE.parent), os.environ.get("PYTHONPATH", "")])}
    for args in RUNS:
        subprocess.run([sys.executable, str(HERE / args[0]), *args[1:]], check=True, env=env,
                       cwd=HERE)


def _bars(table: dict[str, object]) -> list[tuple[str, float, float, float]]:
    header = list(table["header"])  # type: ignore[call-overload]
    ratio_col = next(i for i, h in enumerate(header) if h.startswith("vs "))
    spread_col = header.index("spread") if "spread" in header else None
    bars = []
    for row in table["rows"]:  # type: ignore[attr-defined]
        name = row[1] if header[0] == "texts" else row[0]
        mid = float(row[ratio_col].rstrip("x"))
        low = high = mid
        if spread_col is not None:
            low, high = (float(x) for x in row[spread_col].rstrip("x").split("-"))
        bars.append((name, mid, low, high))
    return bars


def svg(tables: list[dict[str, object]]) -> str:
    parts: list[str] = []
    y = 10
    for table in tables:
        parts.append(f'<text x="6" y="{y + 12}" font-weight="bold">'
                     f'{html.escape(str(table["title"]))[:150]}</text>')
        y += 20
        for name, mid, low, high in _bars(table):
            x = lambda r: LEFT + min(r, SCALE_MAX) / SCALE_MAX * (WIDTH - LEFT - 60)  # noqa: E731
            ours = not name.startswith(("raw", "peer", "LangChain floor", "LlamaIndex floor"))
            color = "#f38020" if ours else "#8c8c8c" if "floor" in name else "#4a7ab5"
            parts.append(f'<text x="{LEFT - 6}" y="{y + 12}" text-anchor="end">'
                         f'{html.escape(name)[:70]}</text>')
            parts.append(f'<rect x="{LEFT}" y="{y + 3}" width="{x(mid) - LEFT:.1f}" '
                         f'height="{ROW_H - 6}" fill="{color}"/>')
            parts.append(f'<line x1="{x(low):.1f}" x2="{x(high):.1f}" y1="{y + 9}" '
                         f'y2="{y + 9}" stroke="black"/>')
            parts.append(f'<text x="{x(max(mid, high)) + 4:.1f}" y="{y + 12}">{mid:.2f}x</text>')
            y += ROW_H
        y += 10
    one = LEFT + 1 / SCALE_MAX * (WIDTH - LEFT - 60)
    parts.append(f'<line x1="{one:.1f}" x2="{one:.1f}" y1="25" y2="{y}" stroke="black" '
                 'stroke-dasharray="3,3"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{y + 10}" '
            f'font-family="sans-serif" font-size="11"><rect width="100%" height="100%" '
            f'fill="white"/>{"".join(parts)}</svg>\n')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(HERE.parent / "docs" / "benchmarks.svg"))
    parser.add_argument("--from", dest="source", default=None)
    args = parser.parse_args()
    if args.source:
        path = Path(args.source)
    else:
        path = Path(tempfile.mkdtemp()) / "results.jsonl"
        collect(path)
    tables = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    Path(args.out).write_text(svg(tables))
    print(f"wrote {args.out} ({len(tables)} tables; raw results in {path})")


if __name__ == "__main__":
    main()
