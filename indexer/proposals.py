"""Translation proposals for a curator: each kept pair, its evidence in words, the line to add.

A curator links two versions of a statement by giving them one
``translation_key``.  Accepting a proposal means adding the line it gives to
the front matter of the file it names; the lines are chosen so that accepting
every proposal gives each group of linked statements one key.  The evidence is
spelt out so that the curator can judge a pair without opening both files.
Nothing here changes a file.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path

from .corpus import Document
from .translations import DATE_TOLERANCE_DAYS, Pair, score_pairs, select

SHOWN = 5
"""Numbers and names listed in a proposal's evidence."""


@dataclass
class Proposal:
    """A proposed pair and the line of front matter that would link it."""

    pair: Pair
    edit: list[str]       # the files to give the key, the pair's own first
    key: str              # the key to give them
    via: str | None       # the partner, when it takes this key in another proposal
    replaces: bool        # does the pair's file already set a translation_key?

    @property
    def line(self) -> str:
        return f'translation_key = "{_toml_escape(self.key)}"'

    def evidence(self) -> list[str]:
        """The signals in words, for a curator."""
        pair, parts = self.pair, []
        da, db = pair.a.doc.date, pair.b.doc.date
        if da and db:
            gap = abs((da - db).days)
            parts.append(f"same date ({da.isoformat()})" if gap == 0 else
                         f"dates {gap} days apart ({da.isoformat()}, {db.isoformat()})"
                         if gap <= DATE_TOLERANCE_DAYS else
                         f"different dates ({da.isoformat()}, {db.isoformat()})")
        numbers = self.numbers()
        if numbers:
            noun = "number" if len(numbers) == 1 else "numbers"
            more = "…" if len(numbers) > SHOWN else ""
            parts.append(f"{len(numbers)} shared {noun} "
                         f"({', '.join(numbers[:SHOWN])}{more})")
        phrases = self.names()
        if phrases:
            more = "…" if len(phrases) > SHOWN else ""
            parts.append(f"shared names: {', '.join(phrases[:SHOWN])}{more}")
        if pair.a.paragraphs > 2 or pair.b.paragraphs > 2:
            parts.append(f"paragraphs {pair.a.paragraphs}/{pair.b.paragraphs}, "
                         f"{pair.breaks_lined_up} breaks line up")
        parts.append(f"length ratio {pair.length_ratio:.2f}")
        if pair.shared_tags:
            parts.append("shared tags: " + ", ".join(pair.shared_tags))
        if pair.rival:
            parts.append(f"best rival {pair.rival} scores {pair.lead:.1f} less"
                         if pair.lead >= 0 else
                         f"rival {pair.rival} scores {-pair.lead:.1f} more")
        return parts

    def numbers(self) -> list[str]:
        """The shared numbers as the first file writes them, rarest first."""
        return [self.pair.a.numbers[n] for n in self.pair.shared_numbers]

    def names(self) -> list[str]:
        """Shared names in the first file's order; neighbouring words make one phrase.

        A name matched by its skeleton shows both spellings: ``Παρίσι~Paris``.
        """
        pair = self.pair
        phrases: list[str] = []
        last = None
        for ka, kb in pair.shared_names:
            written, position = pair.a.names[ka]
            if ka != kb:
                phrases.append(f"{written}~{pair.b.names[kb][0]}")
                last = None
                continue
            if last is not None and position == last + 1:
                phrases[-1] += " " + written
            else:
                phrases.append(written)
            last = position
        return phrases

    def to_json(self) -> dict:
        pair = self.pair
        return {
            "confidence": round(pair.confidence, 3),
            "files": [pair.a.doc.file, pair.b.doc.file],
            "languages": [pair.a.doc.lang, pair.b.doc.lang],
            "keys": [pair.a.doc.key, pair.b.doc.key],
            "evidence": self.evidence(),
            "dates": [d.isoformat() if d else None
                      for d in (pair.a.doc.date, pair.b.doc.date)],
            "shared_numbers": self.numbers(),
            "shared_names": self.names(),
            "paragraphs": [pair.a.paragraphs, pair.b.paragraphs],
            "length_ratio": round(pair.length_ratio, 3),
            "shared_tags": pair.shared_tags,
            "signals": {name: round(value, 3) for name, value in pair.signals.items()},
            "contributions": pair.contributions(),
            "score": round(pair.score, 3),
            "lead": round(pair.lead, 3),
            "rival": pair.rival,
            "edit": {"files": self.edit, "line": self.line, "key": self.key,
                     "replaces": self.replaces, "via": self.via},
        }

    def to_line(self) -> str:
        pair = self.pair
        verb = "set in" if self.replaces else "add to"
        also = f" (and {', '.join(self.edit[1:])})" if len(self.edit) > 1 else ""
        via = f" (the key {self.via} takes in another proposal)" if self.via else ""
        return (f"{pair.confidence:.2f}  {pair.a.doc.file}  {pair.b.doc.file}  "
                f"{'; '.join(self.evidence())}  => {verb} {self.edit[0]}{also}: "
                f"{self.line}{via}")


def _toml_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def propose(documents: list[Document], min_confidence: float = 0.5,
            corpus_dir: Path | None = None) -> list[Proposal]:
    """Proposed translation pairs with at least ``min_confidence``, best first.

    :param corpus_dir: the folder of the files, to tell whether a file to
        edit already sets a translation_key (the line then replaces it).
    """
    kept = [p for p in select(score_pairs(documents)) if p.confidence >= min_confidence]
    return edits(kept, documents, corpus_dir)


def edits(pairs: list[Pair], documents: list[Document],
          corpus_dir: Path | None = None) -> list[Proposal]:
    """The line each pair needs, so that accepting every pair gives each group one key.

    The pairs link statements into groups.  Each group keeps the key of its
    largest statement (on a tie, the one whose first file sorts first), the
    anchor; every other statement of the group is edited once, in the pair
    that links it towards the anchor, and takes the anchor's key.
    """
    members: dict[str, list[str]] = defaultdict(list)
    for doc in documents:
        members[doc.key].append(doc.file)
    for files in members.values():
        files.sort()
    neighbours: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for n, pair in enumerate(pairs):
        ka, kb = pair.a.doc.key, pair.b.doc.key
        neighbours[ka].append((kb, n))
        neighbours[kb].append((ka, n))
    edited: dict[int, str] = {}     # pair -> the key whose files it edits
    anchor_of: dict[str, str] = {}
    for start in neighbours:
        if start in anchor_of:
            continue
        group, queue = [start], [start]
        anchor_of[start] = start
        while queue:           # collect the group
            for other, _ in neighbours[queue.pop()]:
                if other not in anchor_of:
                    anchor_of[other] = start
                    group.append(other)
                    queue.append(other)
        anchor = min(group, key=lambda k: (-len(members[k]), members[k][0]))
        seen, queue = {anchor}, deque([anchor])
        while queue:           # from the anchor outwards: each pair edits its far side
            key = queue.popleft()
            for other, n in neighbours[key]:
                if other not in seen:
                    seen.add(other)
                    edited[n] = other
                    queue.append(other)
        for key in group:
            anchor_of[key] = anchor
    proposals = []
    for n, pair in enumerate(pairs):
        target = edited[n]
        anchor = anchor_of[target]
        mine, partner = ((pair.a.doc, pair.b.doc) if pair.a.doc.key == target
                         else (pair.b.doc, pair.a.doc))
        edit = [mine.file] + [f for f in members[target] if f != mine.file]
        proposals.append(Proposal(
            pair=pair, edit=edit, key=anchor,
            via=None if partner.key == anchor else partner.file,
            replaces=corpus_dir is not None and _sets_key(corpus_dir / mine.file)))
    return proposals


def _sets_key(path: Path) -> bool:
    """Does the file's front matter already set translation_key?"""
    try:
        front = path.read_text(encoding="utf-8-sig").split("+++", 2)[1]
        return "translation_key" in tomllib.loads(front)
    except (OSError, IndexError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
