"""Warn when a file's text looks like another language than the one it declares."""

from __future__ import annotations

from search import LANGUAGES, get_language

from .corpus import Document

MIN_CHARACTERS = 40
"""Shorter texts are not judged: identification is unreliable on a few words."""


def _identifier():
    """py3langid's identifier, restricted to the registry's languages it knows."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE,
                                                   norm_probs=True)
    identifier.set_languages([c for c in LANGUAGES if c in identifier.nb_classes])
    return identifier


def detect(documents: list[Document]) -> dict[str, tuple[str, float]]:
    """The language py3langid sees in each document's title and text, with its probability."""
    identifier = _identifier()
    return {doc.file: identifier.classify(f"{doc.title}\n{doc.text}")
            for doc in documents}


def language_warnings(documents: list[Document], corpus) -> list[str]:
    """One line per file whose text looks like another registered language."""
    warnings = []
    detected = detect([d for d in documents if len(d.text) >= MIN_CHARACTERS])
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
