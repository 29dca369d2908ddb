"""MRR@10 by how many of a query's words its target holds in the form typed.

A known-item query may use the words of its target page as the page writes
them, or other forms of them (``Funciones estadísticas`` against a page that
says ``función`` and ``estadística``).  This reads the rank files that
``bench/relevance.py --json`` writes for one corpus and query set, puts each
query in a band (the target's text in the query's language holds none, some
or all of the query's words of four letters or more, as typed, case aside)
and gives each system's MRR@10 per band::

    python bench/forms.py RESULTS.json [MORE.json ...]

Every system of the first file is shown; of the others, the engine's rows
only, labelled with the code they measured (``--code`` snapshots of other
designs).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

BANDS = ("none typed", "some typed", "all typed")
SHORTEST = 4
"""Shorter words are mostly function words, which say nothing of forms."""


def words(text: str) -> list[str]:
    """Lower-cased runs of letters and digits (``relevance.load_queries`` splits so)."""
    return re.findall(r"\w+", text.lower())


def band(query: str, target: Path) -> str | None:
    """Which band a query falls in, or None when it has no long word or no target text."""
    asked = [word for word in words(query) if len(word) >= SHORTEST]
    if not asked or not target.exists():
        return None
    held = set(words(target.read_text(encoding="utf-8")))
    found = sum(word in held for word in asked)
    return BANDS[0] if not found else BANDS[2] if found == len(asked) else BANDS[1]


def reciprocal(rank: int | None) -> float:
    return 1 / rank if rank and rank <= 10 else 0.0


def columns(paths: list[Path]) -> dict[str, dict]:
    """System label -> {(lang, query): rank}: all of the first file's, the engine's of the others."""
    found: dict[str, dict] = {}
    for i, path in enumerate(paths):
        result = json.loads(path.read_text(encoding="utf-8"))
        for row in result["ranks"]:
            for system, rank in row["rank"].items():
                if i and not system.startswith("this engine"):
                    continue
                label = system if not i else f"{system} at {result['code']}"
                found.setdefault(label, {})[(row["lang"], row["query"])] = rank
    return found


def table(paths: list[Path]) -> str:
    """The Markdown table: a row per band, MRR@10 per system."""
    first = json.loads(paths[0].read_text(encoding="utf-8"))
    corpus = Path(first["corpus"])
    bands: dict[str, list] = defaultdict(list)
    for row in first["ranks"]:
        key = row["keys"][0]
        which = band(row["query"], corpus / f"{key}.{row['lang']}.md")
        if which:
            bands[which].append((row["lang"], row["query"]))
    systems = columns(paths)
    lines = ["| band | queries | " + " | ".join(systems) + " |",
             "| --- | ---: | " + " | ".join("---:" for _ in systems) + " |"]
    for name in BANDS:
        rows = bands.get(name, [])
        if rows:
            cells = [f"{sum(reciprocal(ranks.get(q)) for q in rows) / len(rows):.3f}"
                     for ranks in systems.values()]
            lines.append(f"| {name} | {len(rows)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", type=Path,
                        help="rank files of bench/relevance.py --json, one corpus and query set")
    args = parser.parse_args(argv)
    print(table(args.results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
