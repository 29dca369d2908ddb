"""Which cut of scripts without spaces finds what readers type: dictionary words, character pairs, or both.

Runs ``bench/relevance.py`` (engine only) with ``search.words`` cutting
runs of Chinese and Japanese (Han, kana), Korean (Hangul) and Thai, Lao,
Khmer and Burmese as a strategy says:

* ``icu-hangul-pairs`` (the library's choice): ICU's dictionary words for
  all but Hangul, syllable pairs for Hangul;
* ``icu``: ICU's word break iterator for all (as Elasticsearch's
  ``icu_tokenizer``; Hangul then stays whole, particles attached);
* ``pairs``: character pairs for all (as the ``cjk`` analyzer, extended);
* ``cjk-pairs``: pairs for Han, kana and Hangul, ICU for Thai, Lao, Khmer
  and Burmese;
* ``none``: no cut (each run of letters one word, as before ``search.segment``).

``--pairs-only`` indexes syllable pairs without their first syllables
(``search.segment.first_of_pair``), so that a query of one syllable finds
only a text where it stands alone.  Every variant builds its own index
(``--work DIR/<strategy>[-pairs-only]``)::

    python bench/segmentation.py --strategy icu --work /tmp/seg -- \\
        --corpus /tmp/lo16 --queries /tmp/lo16-queries/queries.ja.jsonl --limit 500

Everything after ``--`` goes to ``bench/relevance.py`` (``--engine-only``
and ``--index`` are added; the default merging method only).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import search.analysis  # noqa: E402
import search.words  # noqa: E402
from search import segment  # noqa: E402

CLASSES = {
    "cj": "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c\u3040-\u30ff"
          "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
          "\U00020000-\U0003134f",
    "ko": "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff",
    "sea": "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\ua9e0-\ua9ff\uaa60-\uaa7f",
}
"""The scripts cut, by class (together the library's ``segment.SCRIPTS``)."""

STRATEGIES = {
    "icu-hangul-pairs": {"cj": "dictionary", "ko": "pairs", "sea": "dictionary"},
    "icu": {"cj": "dictionary", "ko": "dictionary", "sea": "dictionary"},
    "pairs": {"cj": "pairs", "ko": "pairs", "sea": "pairs"},
    "cjk-pairs": {"cj": "pairs", "ko": "pairs", "sea": "dictionary"},
    "none": {"cj": "whole", "ko": "whole", "sea": "whole"},
}
CUTS = {"pairs": segment._pairs, "dictionary": segment._dictionary,
        "whole": lambda run: [(0, len(run))]}


def segmenter(strategy: str):
    """A replacement for ``search.segment.segments`` that cuts each class as ``strategy`` says."""
    runs = re.compile("|".join(f"(?P<{kind}>[{letters}][{letters}\ufe00-\ufe0f]*)"
                               for kind, letters in CLASSES.items()))
    how = STRATEGIES[strategy]

    def segments(word: str) -> list[tuple[int, int]]:
        spans, done = [], 0
        for run in runs.finditer(word):
            if run.start() > done:
                spans.append((done, run.start()))
            cut = CUTS[how[run.lastgroup]]
            spans.extend((run.start() + a, run.start() + b) for a, b in cut(run.group()))
            done = run.end()
        if done < len(word):
            spans.append((done, len(word)))
        return spans

    return segments


def main(argv: list[str]) -> int:
    """Patch the cut, then run the relevance benchmark on an index built with it."""
    split = argv.index("--") if "--" in argv else len(argv)
    ours, theirs = argv[:split], argv[split + 1:]
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--strategy", choices=STRATEGIES, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--pairs-only", action="store_true",
                        help="index no pair's first character")
    args = parser.parse_args(ours)
    search.words.segments = segmenter(args.strategy)
    if args.pairs_only:
        search.analysis.first_of_pair = lambda word: None
    import relevance
    from search.merge import DEFAULT_METHOD, METHODS

    relevance.METHODS = {DEFAULT_METHOD: METHODS[DEFAULT_METHOD]}
    index = args.work / (args.strategy + ("-pairs-only" if args.pairs_only else ""))
    return relevance.main(theirs + ["--engine-only", "--index", str(index)])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
