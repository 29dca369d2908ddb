"""The result of a search: plain data that serialises to the one JSON shape."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields


class ByName:
    """A result whose fields also read by name (``page["lines"]``), as its JSON object's do.

    The statement page and the concordance were dicts before they were typed;
    callers that read them so keep working.
    """

    def __getitem__(self, name: str):
        if name not in {f.name for f in fields(self)}:
            raise KeyError(name)
        return getattr(self, name)


@dataclass
class Version:
    """One language version of a statement."""

    lang: str
    language: str
    title: str
    url: str | None
    file: str
    matched: bool
    why: list[dict] = field(default_factory=list)
    """For a matched version, each query word that matched and how: ``{"word", "form"}``,
    form one of ``search.explain.FORMS``."""
    missing: list[str] = field(default_factory=list)
    """For a matched version, the query's counted words it lacks in every form, as
    typed: a plain word, or a group such as ``(a OR b)`` (``Query.units``)."""


@dataclass
class Result:
    """One statement, represented by its best-matching version."""

    key: str
    lang: str
    title: str
    title_html: str
    snippet: str
    score: float
    date: str | None
    url: str | None
    file: str
    versions: list[Version]
    untitled: bool = False
    missing: list[str] = field(default_factory=list)
    """The query's words that the statement lacks: those of its matched version
    that lacks fewest, so empty when one of them holds them all."""


@dataclass
class ResultPage:
    """A page of statements and what the whole search found."""

    query: str
    total: int
    """Statements that match: hold at least one of the query's words (and every required part)."""
    all_words: int
    """Of those, the statements that hold every word of the query."""
    page: int
    per_page: int
    sort: str
    languages: dict[str, int]
    suggestion: str | None
    results: list[Result]
    understood: dict
    took_ms: float
    method: str
    partial: bool = False
    timeline: dict[str, dict[str, int]] = field(default_factory=dict)
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, -(-self.total // self.per_page))

    def to_dict(self) -> dict:
        """The JSON shape documented in docs/json.md."""
        return asdict(self)
