"""Align real user-written Greeklish sentences with their human Greek version, word by word.

Input: raw/<name>.greeklish.txt and raw/<name>.greek1.txt, line-aligned copies of
the "real_world" files of the LREC-COLING 2024 Greeklish repository (see SOURCES.md).
A line pair is used only when both sides have the same number of word tokens; the
words are then paired by position.  Each pair gets a rough similarity score (a crude
romanisation of the Greek word compared with a normalised Greeklish word) so that
misalignments, abbreviations and annotator slips can be reviewed by eye.

Output: candidates.tsv (every positional pair with its score and context), which
build.py turns into spellings.tsv after review.
"""

import difflib
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw"

# Each corpus: (file stem, source id).
CORPORA = [
    ("gazzetta_accepted", "aueb-gazzetta"),
    ("gazzetta_rejected", "aueb-gazzetta"),
    ("survivorbot", "aueb-survivorbot"),
]

TOKEN = re.compile(r"[0-9A-Za-z@\u0370-\u03ff\u1f00-\u1fff]+")
GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
LATIN = re.compile(r"[A-Za-z]")

ROMAN = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
    "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "ks", "ο": "o", "π": "p",
    "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "i", "φ": "f", "χ": "x", "ψ": "ps",
    "ω": "o",
}


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def romanise(greek: str) -> str:
    g = strip_accents(greek.lower())
    g = g.replace("ου", "u").replace("αι", "e").replace("ει", "i").replace("οι", "i")
    g = g.replace("αυ", "av").replace("ευ", "ev").replace("μπ", "b").replace("ντ", "d")
    g = g.replace("γκ", "g").replace("γγ", "g")
    return "".join(ROMAN.get(c, c) for c in g).replace("th", "0")


def normalise_greeklish(w: str) -> str:
    w = w.lower()
    w = w.replace("ou", "u").replace("ai", "e").replace("ei", "i").replace("oi", "i")
    w = w.replace("th", "0").replace("8", "0").replace("9", "0").replace("3", "ks")
    w = w.replace("mp", "b").replace("nt", "d").replace("gk", "g").replace("gg", "g")
    w = w.replace("ps", "ps").replace("ch", "x").replace("h", "i").replace("y", "i")
    w = w.replace("w", "o").replace("j", "ks").replace("c", "ps")
    w = w.replace("b", "v").replace("af", "av").replace("ef", "ev")
    return w


def squeeze(s: str) -> str:
    # collapse letter repetitions (mm, ll, ss...) which Greek and Greeklish double freely
    return re.sub(r"(.)\1+", r"\1", s)


def score(greeklish: str, greek: str) -> float:
    a = squeeze(normalise_greeklish(greeklish))
    b = squeeze(romanise(greek).replace("b", "v"))
    return difflib.SequenceMatcher(None, a, b).ratio()


def tokens(line: str):
    return [t.strip("'") for t in TOKEN.findall(line)]


def main() -> int:
    out = []
    stats = {}
    for stem, src in CORPORA:
        gl = (RAW / f"{stem}.greeklish.txt").read_text(encoding="utf-8").splitlines()
        gr = (RAW / f"{stem}.greek1.txt").read_text(encoding="utf-8").splitlines()
        assert len(gl) == len(gr), (stem, len(gl), len(gr))
        used = 0
        for n, (a, b) in enumerate(zip(gl, gr), start=1):
            ta, tb = tokens(a), tokens(b)
            if not ta or len(ta) != len(tb):
                continue
            used += 1
            for i, (x, y) in enumerate(zip(ta, tb)):
                if not LATIN.search(x) or not GREEK.search(y) or LATIN.search(y):
                    continue
                out.append((x.lower(), y, f"{score(x, y):.2f}", src, f"{stem}:{n}", a.strip()))
        stats[stem] = (len(gl), used)
    with open(HERE / "candidates.tsv", "w", encoding="utf-8") as f:
        f.write("greeklish\tgreek_as_annotated\tscore\tsource\tline\tcontext\n")
        for row in out:
            f.write("\t".join(row) + "\n")
    for stem, (total, used) in stats.items():
        print(f"{stem}: {used}/{total} line pairs with equal token counts", file=sys.stderr)
    print(f"{len(out)} candidate word pairs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
