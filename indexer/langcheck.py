"""Warn when a file's text looks like another language than the one it declares."""

from __future__ import annotations

from search import LANGUAGES, get_language, locales

from .corpus import Document

MIN_CHARACTERS = 40
"""Shorter texts are not judged: identification is unreliable on a few words."""


def _identifier(codes=None):
    """py3langid's identifier, choosing among the registry's languages and ``codes``.

    Without ``codes``, among every language py3langid knows (an imported
    post may be in any).  A check gives the archive's languages rather than
    all: py3langid takes Serbian in Latin letters for Bosnian or Croatian,
    which a file rarely is in an archive without them.
    """
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE,
                                                   norm_probs=True)
    known = {c for c in identifier.nb_classes if locales.is_language(locales.canonical(c))}
    if codes is not None:
        wanted = set(LANGUAGES) | set(codes)
        known = {c for c in known if locales.canonical(c) in wanted}
    identifier.set_languages(sorted(known))
    return identifier


def detect(documents: list[Document], codes=()) -> dict[str, tuple[str, float]]:
    """The language py3langid sees in each document's title and text, with its probability.

    It chooses among the registry's languages and ``codes`` (the languages
    the archive's files declare), and names them by the registry's codes.
    """
    identifier = _identifier(codes)
    found = {}
    for doc in documents:
        code, probability = identifier.classify(f"{doc.title}\n{doc.text}")
        found[doc.file] = (locales.canonical(code), probability)
    return found


def language_warnings(documents: list[Document], corpus) -> list[str]:
    """One line per file whose text looks like another language of the archive."""
    warnings = []
    detected = detect([d for d in documents if len(d.text) >= MIN_CHARACTERS],
                      {doc.lang for doc in documents})
    for doc in documents:
        if doc.file not in detected:
            continue
        code, probability = detected[doc.file]
        if code != doc.lang:
            warnings.append(
                f"{corpus / doc.file}: warning: the text looks like "
                f"{get_language(code).name} ({probability:.0%}) but the file declares "
                f"{get_language(doc.lang).name}; check its language code")
    return warnings
