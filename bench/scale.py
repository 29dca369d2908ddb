"""Run ``bench/peers.py`` at several corpus sizes and plot how the systems scale.

    # 1. corpora: ~100k real documents and deterministic subsets of them
    python bench/debian_corpus.py --fetch --lists /tmp/apt-lists-bench \\
        --langs en,el,pl,de,fr,es,it,ru,da,pt,nl,cs,fi,sv,hu,tr,ca,eu,id,eo,ro
    python bench/debian_corpus.py --lists /tmp/apt-lists-bench \\
        --langs en,el,pl,de,fr,es,it,ru,da,pt,nl,cs,fi,sv,hu,tr,ca,eu,id,eo,ro \\
        --limit 17000 --out /tmp/peers/debian-17000
    python bench/scale.py corpora --source /tmp/peers/debian-17000 \\
        --source /tmp/lo-corpus --out /tmp/peers

    # 2. measure every scale point (one peers.py run each, results as JSON);
    #    at 100k one indexing run and latency of engine-p2, whoosh, fts5 and
    #    tantivy only; the update of one file is measured at 10k
    python bench/scale.py run --out /tmp/peers --sizes 1k,10k,20k,100k [--code DIR]

    # 3. plot (and print the tables of) whatever results exist
    python bench/scale.py plot --out /tmp/peers --docs docs

Arguments after those of ``run`` go to ``peers.py`` (e.g. ``--code DIR``,
``--query-repeat 10``).

``corpora`` hard-links the files of every ``--source`` folder into
``<out>/c100k`` (all of them) and into ``<out>/c1k``, ``c10k``, ``c20k``:
whole statements (every language version of one slug) in the order of the
SHA-1 of their slug, until the size is reached.  The order is effectively
random but fixed, so a subset has the same mix of languages and sources as
the whole, and each smaller subset is contained in the larger ones.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = {"1k": 1_000, "10k": 10_000, "20k": 20_000, "100k": None}
SYSTEM_ORDER = ["engine-p2", "engine-p1", "whoosh", "fts5", "tantivy", "tantivy-1t"]
STYLE = {"engine-p2": ("#c0392b", "o", "-"), "engine-p1": ("#e67e22", "o", "--"),
         "whoosh": ("#7f8c8d", "s", "-"), "fts5": ("#2980b9", "^", "-"),
         "tantivy": ("#27ae60", "D", "-"), "tantivy-1t": ("#27ae60", "D", "--")}


def statement_of(name: str) -> str:
    """The statement a corpus file belongs to: its slug (``<slug>.<lang>.md``)."""
    return name.split(".", 1)[0]


def make_corpora(sources: list[Path], out: Path) -> dict[str, int]:
    """Hard-link the sources into ``out/c100k`` and its subsets; return file counts."""
    files: dict[str, Path] = {}
    for source in sources:
        for path in sorted(source.iterdir()):
            if path.suffix == ".md" and path.name.lower() != "readme.md":
                if path.name in files:
                    raise SystemExit(f"{path.name} is in two sources")
                files[path.name] = path
    statements: dict[str, list[str]] = defaultdict(list)
    for name in files:
        statements[statement_of(name)].append(name)
    order = sorted(statements, key=lambda s: hashlib.sha1(s.encode()).hexdigest())
    counts = {}
    for label, size in SIZES.items():
        folder = out / f"c{label}"
        if folder.exists() and any(folder.iterdir()):
            raise SystemExit(f"{folder} is not empty")
        folder.mkdir(parents=True, exist_ok=True)
        chosen: list[str] = []
        for slug in order:
            if size is not None and len(chosen) >= size:
                break
            chosen.extend(statements[slug])
        for name in chosen:
            os.link(files[name], folder / name)
        counts[label] = len(chosen)
        print(f"{folder}: {len(chosen)} files")
    return counts


def run(out: Path, sizes: list[str], extra: list[str]) -> None:
    """One ``peers.py`` run per size, each writing ``out/results-<size>.json``."""
    for label in sizes:
        cmd = [sys.executable, str(HERE / "peers.py"), "--corpus", str(out / f"c{label}"),
               "--work", str(out / f"work-{label}"),
               "--json", str(out / f"results-{label}.json"), *extra]
        if label == "100k":  # one indexing run; the slowest systems' twins not queried
            cmd += ["--repeat", "1", "--query-systems", "engine-p2,whoosh,fts5,tantivy"]
        if label == "10k":
            cmd += ["--update"]
        print("+", " ".join(cmd), flush=True)
        subprocess.run(cmd, check=True)


def load_results(out: Path) -> list[dict]:
    found = []
    for label in SIZES:
        path = out / f"results-{label}.json"
        if path.exists():
            data = json.loads(path.read_text())
            data["label"] = label
            found.append(data)
    return found


def plot(out: Path, docs: Path) -> None:
    """``docs/scaling-indexing.svg`` and ``docs/scaling-latency.svg`` from the results."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = load_results(out)
    if not results:
        raise SystemExit(f"no results-*.json in {out}")
    matplotlib.rcParams["svg.hashsalt"] = "scaling"  # stable ids: diff-friendly SVG
    matplotlib.rcParams["svg.fonttype"] = "none"

    fig, ax = plt.subplots(figsize=(7, 4.2))
    for system in SYSTEM_ORDER:
        points = [(r["corpus"]["files"], r["indexing"][system]["docs_per_s"])
                  for r in results if system in r.get("indexing", {})]
        if points:
            colour, marker, line = STYLE[system]
            ax.plot(*zip(*points), marker=marker, linestyle=line, color=colour,
                    label=system)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("documents in the corpus")
    ax.set_ylabel("documents indexed per second (median)")
    ax.set_title("Full rebuild throughput (higher is better)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(docs / "scaling-indexing.svg", metadata={"Date": None})
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(8.5, 4.2))
    for system in SYSTEM_ORDER:
        rows = [(r["corpus"]["files"], r["latency"][system]["all"])
                for r in results if system in r.get("latency", {})]
        if rows:
            colour, marker, _ = STYLE[system]
            xs = [x for x, _ in rows]
            ax.plot(xs, [s["p50"] for _, s in rows], marker=marker, color=colour,
                    linestyle="-", label=f"{system} p50")
            ax.plot(xs, [s["p95"] for _, s in rows], marker=marker, color=colour,
                    linestyle=":", label=f"{system} p95", alpha=0.7)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("documents in the corpus")
    ax.set_ylabel("query latency, ms (all query types)")
    ax.set_title("Warm query latency, top 10 with highlights (lower is better)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(docs / "scaling-latency.svg", metadata={"Date": None})
    plt.close(fig)
    print(f"wrote {docs / 'scaling-indexing.svg'} and {docs / 'scaling-latency.svg'}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    corpora = commands.add_parser("corpora", help="build c1k, c10k, c20k, c100k")
    corpora.add_argument("--source", type=Path, action="append", required=True)
    corpora.add_argument("--out", type=Path, required=True)
    runner = commands.add_parser("run", help="run peers.py at each size")
    runner.add_argument("--out", type=Path, required=True)
    runner.add_argument("--sizes", default="1k,10k,20k,100k")
    plotter = commands.add_parser("plot", help="plot and print the results")
    plotter.add_argument("--out", type=Path, required=True)
    plotter.add_argument("--docs", type=Path, default=HERE.parent / "docs")
    args, extra = parser.parse_known_args(argv)
    if args.command == "corpora":
        make_corpora(args.source, args.out)
    elif args.command == "run":
        run(args.out, [s.strip() for s in args.sizes.split(",") if s.strip()], extra)
    else:
        plot(args.out, args.docs)
        sys.path.insert(0, str(HERE))
        from peers import markdown_tables
        for result in load_results(args.out):
            print(f"\n## {result['label']}: {result['corpus']['files']} files\n")
            print(markdown_tables(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
