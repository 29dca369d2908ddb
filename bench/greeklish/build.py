"""Turn candidates.tsv (from align.py) into spellings.tsv and excluded.tsv.

Every decision below was taken by reading the pair in its sentence (see SOURCES.md):
  * pairs with a low similarity score are dropped unless listed in KEEP_LOW;
  * EXCLUDE lists pairs where the human Greek version does not spell the same word
    form as the Greeklish (annotator reworded, different inflection, reordering,
    annotator error) or where the Greeklish is a slip rather than a spelling;
  * GREEK_FIX corrects obvious typos in the human Greek version (the Greeklish is
    never changed, only lower-cased);
  * abbreviations (no vowel letter at all, e.g. "k", "gt", "dn") and elongated
    words / laughter are dropped;
  * the Greek side is lower-cased; words the annotator wrote in capitals without
    accents get their accent from the wordfreq Greek word list.
"""

import csv
import re
import unicodedata
from collections import Counter
from pathlib import Path

from wordfreq import top_n_list

HERE = Path(__file__).resolve().parent

KEEP_LOW = {
    ("auth", "αυτή"), ("poy", "που"), ("thn", "την"), ("toy", "του"), ("ths", "της"),
    ("pai", "πάει"), ("soy", "σου"), ("xava", "ξανά"), ("va", "να"), ("aytoys", "αυτούς"),
    ("sthn", "στην"), ("uyeieis", "υγιείς"), ("alloy", "αλλου"), ("skounth", "σκουντή"),
    ("efuge", "έφυγε"), ("aythn", "αυτήν"), ("prwth", "πρώτη"), ("pvs", "πως"),
    ("duo", "δύο"), ("xoynta", "χουντα"), ("eive", "είναι"), ("paixth", "παίχτη"),
    ("pexi", "πάιξει"), ("xerei", "ξέρει"), ("afou", "αφού"), ("parth", "πάρτη"),
    ("xero", "ξέρω"), ("esu", "εσύ"), ("dixi", "δείξει"), ("ehw", "έχω"),
    ("anafera", "ανέφερα"), ("ksefuge", "ξέφυγε"), ("epaixe", "έπαιξε"), ("kozia", "κότσια"),
    ("epexe", "έπαιξε"), ("paikths", "παίκτης"), ("recor", "ρεκόρ"),
}

# (greeklish, greek as annotated, lower-cased) -> reason
EXCLUDE = {
    ("karagjosi", "καραγκιόζης"): "Greeklish spells the accusative καραγκιόζη",
    ("8odikie", "δόθηκε"): "unclear spelling",
    ("rvssoa", "ρωσσος"): "typing slip (a for Σ)",
    ("dvuoyn", "βγουν"): "Greeklish spells δοθούν (keyboard layout), annotator wrote βγουν",
    ("ekane", "κάνει"): "Greeklish spells έκανε",
    ("ena", "εάν"): "Greeklish spells ένα",
    ("ena", "ένας"): "Greeklish spells ένα",
    ("ma", "να"): "typing slip (m for n)",
    ("auro", "αύριο"): "Greeklish is a slip for αυτό (other annotators agree)",
    ("arxhos", "αρχηγος"): "typing slip (letter missing)",
    ("amudika", "ομαδικά"): "Greeklish spells αμυντικά (annotators disagree)",
    ("timwrhse", "τιμωρείσαι"): "Greeklish spells τιμώρησε",
    ("aytokriikh", "αυτοκριτική"): "typing slip (letter missing)",
    ("xere", "΄ξερε"): "elided form",
    ("allote", "άλλωστε"): "Greeklish spells άλλοτε",
    ("anevei", "ανεβαίνει"): "Greeklish spells ανέβει",
    ("gi", "γι"): "elided form γι'",
    ("gi", "για"): "elided form γι'",
    ("de", "δεν"): "Greeklish spells δε",
    ("a", "α"): "interjection",
    ("elliniki", "ελληνικό"): "Greeklish spells ελληνική",
    ("ena", "έναν"): "Greeklish spells ένα",
    ("thewreis", "θεωρεί"): "Greeklish spells θεωρείς",
    ("kalhmeraa", "καλημέραα"): "elongated word",
    ("kanoune", "κάνουμε"): "Greeklish spells κάνουνε",
    ("efrasi", "έκφρασή"): "typing slip (letter missing)",
    ("thete", "θέλετε"): "typing slip (letter missing)",
    ("ked", "κεδ"): "acronym",
    ("mme", "μμε"): "acronym",
    ("aek", "αεκ"): "acronym",
    ("apoel", "αποελ"): "acronym",
    ("mpaok", "μπαοκ"): "acronym",
    ("pao", "παο"): "acronym",
    ("oaka", "οακα"): "acronym",
    ("osfp", "οσφπ"): "acronym",
    ("ote", "οτε"): "acronym",
    ("naii", "ναιι"): "elongated word",
    ("pote", "ποτε"): "annotator left it unaccented: πότε or ποτέ",
    ("poly", "πολλή"): "Greeklish spells πολύ",
    ("sxoleia", "σχόλια"): "Greeklish spells σχολεία",
    ("ston", "στο"): "Greeklish spells στον",
    ("sti", "στην"): "Greeklish spells στη",
    ("to", "τον"): "Greeklish spells το",
    ("xar", "χαρά"): "truncated word",
    ("xwr", "χώρα"): "truncated word",
    ("xete", "χετε"): "elided form",
    ("y", "υ"): "abbreviation",
    ("mpo", "μπο"): "nickname, not a word",
    ("m@lkia", "μαλακία"): "obfuscated with @",
    ("rthei", "έρθει"): "elided form 'ρθει",
}

# (greeklish, greek as annotated) -> Greek form actually spelled, where the first
# annotator chose another valid spelling and the other annotators agree with this one
PAIR_FIX = {
    ("kainourgio", "καινούριο"): "καινούργιο",
    ("kenourgio", "καινούριο"): "καινούργιο",
}

# Typos in the human Greek version -> correct spelling of the same word form.
GREEK_FIX = {
    "κέιμενο": "κείμενο",
    "πάικτης": "παίκτης",
    "πάιξει": "παίξει",
    "μυγιάζοται": "μυγιάζονται",
    "σχόλιό": "σχόλιο",
    "κράτησέ": "κράτησε",
    "αντίπαλές": "αντίπαλες",
    "λάρισσα": "λάρισα",
    "αρχηγοσ": "αρχηγός",
    "δεμ": "δεν",
    "ποδοσφαιριατής": "ποδοσφαιριστής",
    "μετοχικούς": "μετοχικού",
    "όνομά": "όνομα",
    "αλανι": "αλάνι",
    "παραγαδι": "παραγάδι",
    "παραγαδια": "παραγάδια",
    "ψαρεψει": "ψαρέψει",
}

FUNCTION_WORDS = set("""
και κι να το τα ο η οι του της των τον την τη τους τις στο στα στη στην στον στους στις σε σ με
για από απο που πού δεν δε θα μου σου μας σας ότι οτι αλλά αλλα ή αν εάν ένα ένας μια μία μιας
ενός ας πως πώς τι τί ποιος ποια ποιο ποιοι όπως οπότε όταν ενώ επειδή γιατί μη μην ναι όχι
αυτό αυτά αυτός αυτή αυτήν αυτοί αυτούς αυτές εγώ εσύ εμείς εσείς πιο πολύ λίγο ούτε είτε μα
έτσι εδώ εκεί τώρα πάλι ρε βρε μόνο όλα όλοι όλους όλες αφού μέχρι πριν μετά τόσο τόσα όσο
κάτι κάποιος κάποιοι κάποιες τίποτα ακόμα ακόμη λοιπόν άλλο άλλοι άλλους άλλα άλλες δηλαδή πια
""".split())

LAUGH = re.compile(r"^(x|a|h)?(a?x+a+)+x?$|^(ha)+h?$")


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def final_sigma(w: str) -> str:
    return re.sub(r"σ$", "ς", w)


def has_accent(w: str) -> bool:
    return strip_accents(w) != w


def load_lexicon():
    best = {}
    for w in top_n_list("el", 1_000_000):  # most frequent first
        w = final_sigma(w)
        best.setdefault(strip_accents(w), w)
    return best


def elongated(w: str) -> bool:
    return re.search(r"([a-z])\1\1", w) is not None


def main() -> None:
    lex = load_lexicon()
    rows = list(csv.DictReader(open(HERE / "candidates.tsv", encoding="utf-8"), delimiter="\t"))
    kept, dropped = {}, {}
    for r in rows:
        gl = r["greeklish"]
        raw = r["greek_as_annotated"]
        low = final_sigma(raw.lower())
        key = (gl, low)
        reason = None
        if LAUGH.match(gl) or elongated(gl):
            reason = "laughter or elongated word"
        elif re.search(r"[0-9]", raw):
            reason = "contains a number"
        elif not re.search(r"[aeiouyhw]", gl):
            reason = "abbreviation (no vowel letter)"
        elif key in EXCLUDE:
            reason = EXCLUDE[key]
        elif float(r["score"]) < 0.75 and key not in KEEP_LOW:
            reason = "human Greek version does not match this word (reworded / reordered / slip)"
        greek = PAIR_FIX.get(key, GREEK_FIX.get(low, low))
        if reason is None and not has_accent(greek) and raw.isupper():
            # annotator wrote capitals without accents: take the accented form from wordfreq
            greek = lex.get(strip_accents(greek), greek)
            greek = GREEK_FIX.get(greek, greek)
        if reason is None:
            kept.setdefault((gl, greek), r)
        else:
            dropped.setdefault((gl, low), (reason, r))

    # cap function words at ~20% of the rows, keeping the most varied spellings
    content = [k for k in kept if k[1] not in FUNCTION_WORDS]
    func = [k for k in kept if k[1] in FUNCTION_WORDS]
    limit = len(content) // 4  # func <= 20% of total
    if len(func) > limit:
        by_word = Counter(k[1] for k in func)
        # prefer words with several spellings (variants are the point), then keep order
        func.sort(key=lambda k: (-by_word[k[1]], k[1], k[0]))
        for k in func[limit:]:
            dropped.setdefault(k, ("function word, over the 20% cap", kept[k]))
        func = func[:limit]
    final = sorted(content + func, key=lambda k: (strip_accents(k[1]), k[1], k[0]))

    with open(HERE / "spellings.tsv", "w", encoding="utf-8") as f:
        f.write("greeklish\tgreek\tsource\n")
        for k in final:
            f.write(f"{k[0]}\t{k[1]}\t{kept[k]['source']}\n")
    with open(HERE / "excluded.tsv", "w", encoding="utf-8") as f:
        f.write("greeklish\tgreek_as_annotated\treason\tline\tcontext\n")
        for (gl, low), (reason, r) in sorted(dropped.items(), key=lambda x: x[1][0]):
            f.write(f"{gl}\t{low}\t{reason}\t{r['line']}\t{r['context']}\n")
    src = Counter(kept[k]["source"] for k in final)
    print(len(final), "rows;", len(func), "function-word rows;", dict(src), ";", len(dropped), "excluded")


if __name__ == "__main__":
    main()
