"""Read a live WordPress site's posts through its REST API (``/wp-json/wp/v2/posts``), page by page.

Everything is fetched before anything is written: a site that times out,
answers an HTTP error, a page that is not JSON, or a rate limit that does
not clear within a few seconds stops the import with a message naming the
URL, and the corpus stays as it was.  Categories and tags come embedded
(``_embed=wp:term``); languages and translations from Polylang's ``lang``
and ``translations`` fields, or WPML's ``wpml_current_locale`` and
``wpml_translations``, where the site exposes them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from ..errors import FetchFailed
from ..progress import progress
from .html_markdown import post_markdown
from .records import Post, Skipped, date_of, http_url, text_of

PER_PAGE = 100
"""The most the REST API gives in one page."""
RETRIES = 3
MAX_WAIT = 10.0
"""A rate limit asking to wait longer than this (seconds) stops the import instead."""
USER_AGENT = "statements-search-importer (python -m indexer import wp-json)"


@dataclass
class Site:
    """What a site gave: the posts to import, the ones left out, what else was seen."""

    posts: list[Post] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def api_root(url: str) -> str:
    """``https://example.org`` or ``https://example.org/wp-json/`` as ``https://example.org/wp-json``."""
    url = url.rstrip("/")
    return url if url.endswith("/wp-json") else url + "/wp-json"


def read_site(url: str, categories: set[str] | None = None, pages: bool = False,
              timeout: float = 30.0, session: requests.Session | None = None) -> Site:
    """The site's published posts (and pages) of ``categories`` (all when None).

    :raise FetchFailed: the site could not be read; nothing is returned.
    """
    client = _Client(api_root(url), timeout, session or requests.Session())
    site = Site()
    query = {"per_page": PER_PAGE, "_embed": "wp:term", "status": "publish"}
    if categories:
        query["categories"] = ",".join(str(i) for i in client.category_ids(categories))
    items = client.pages("/wp/v2/posts", query, "posts")
    if pages:
        page_query = {k: v for k, v in query.items() if k != "categories"}
        items += client.pages("/wp/v2/pages", page_query, "pages")
    groups = _groups(items)
    origin = urlsplit(client.root)
    base = f"{origin.scheme}://{origin.netloc}{origin.path[:-len('/wp-json')]}"
    for item in items:
        _read_item(item, base, groups, site)
    return site


class _Client:
    """GET JSON from the API, with clear errors and patience for a short rate limit."""

    def __init__(self, root: str, timeout: float, session: requests.Session):
        self.root, self.timeout, self.session = root, timeout, session
        self.session.headers.setdefault("User-Agent", USER_AGENT)

    def get(self, route: str, query: dict) -> tuple[object, requests.Response]:
        url = self.root + route
        for attempt in range(1, RETRIES + 1):
            try:
                response = self.session.get(url, params=query, timeout=self.timeout)
            except requests.Timeout:
                raise FetchFailed(url, f"no answer within {self.timeout:g} s; the site may "
                                       "be slow or down: try again later, or pass a longer "
                                       "--timeout") from None
            except requests.ConnectionError as error:
                raise FetchFailed(url, f"cannot connect ({_reason(error)}); check the "
                                       "address and that the site is up") from None
            except requests.RequestException as error:
                raise FetchFailed(url, f"the request failed ({error})") from None
            if response.status_code in (429, 503) and attempt < RETRIES:
                wait = _retry_after(response)
                if wait is not None and wait <= MAX_WAIT:
                    time.sleep(wait)
                    continue
            return self._json(response), response
        raise AssertionError("unreachable")

    def _json(self, response: requests.Response) -> object:
        url = response.url
        if response.status_code == 429:
            wait = _retry_after(response)
            after = f" after {wait:g} s" if wait is not None else " later"
            raise FetchFailed(url, f"the site limits how fast it may be read (HTTP 429 Too "
                                   f"Many Requests); run the import again{after}")
        if response.status_code >= 400:
            hint = {401: "the API needs a login", 403: "the site refuses the API to "
                    "this client", 404: "no WordPress REST API here: is the address the "
                    "site's, and is its REST API enabled?"}.get(response.status_code, "")
            raise FetchFailed(url, f"HTTP {response.status_code} {response.reason}"
                                   + (f": {hint}" if hint else ""))
        try:
            return response.json()
        except ValueError as error:
            raise FetchFailed(url, f"the answer is not JSON ({error}); the site may be "
                                   "showing an error page or a login page instead") from None

    def pages(self, route: str, query: dict, what: str) -> list[dict]:
        """Every item of a paged collection, page after page."""
        items, number, total = [], 1, None
        bar = None
        while total is None or number <= total:
            data, response = self.get(route, {**query, "page": number})
            if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
                raise FetchFailed(response.url, f"the answer is not a list of {what}: is "
                                                "this a WordPress REST API?")
            if total is None:
                try:
                    total = int(response.headers.get("X-WP-TotalPages", "1"))
                except ValueError:
                    total = 1
                bar = progress(max(total, 1), f"reading {what}")
            items.extend(data)
            bar.update(1)
            if not data:
                break
            number += 1
        if bar is not None:
            bar.close()
        return items

    def category_ids(self, wanted: set[str]) -> list[int]:
        """The ids of the categories named by slug or name."""
        found = self.pages("/wp/v2/categories", {"per_page": PER_PAGE}, "categories")
        lower = {w.lower() for w in wanted}
        ids = [c["id"] for c in found
               if str(c.get("slug", "")).lower() in lower
               or text_of(str(c.get("name", ""))).lower() in lower]
        if not ids:
            known = ", ".join(sorted(str(c.get("slug")) for c in found)) or "none"
            raise FetchFailed(self.root + "/wp/v2/categories",
                              f"no category {', '.join(sorted(wanted))} on the site "
                              f"(its categories: {known})")
        return ids


def _reason(error: Exception) -> str:
    text = str(error)
    for marker in ("Connection refused", "Name or service not known",
                   "No address associated", "Network is unreachable"):
        if marker in text:
            return marker.lower()
    return type(error).__name__


def _retry_after(response: requests.Response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None


def _groups(items: list[dict]) -> dict[int, str]:
    """Translation groups from Polylang's ``translations`` or WPML's ``wpml_translations``."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    linked: set[int] = set()
    for item in items:
        own = item.get("id")
        if not isinstance(own, int):
            continue
        others = []
        if isinstance(item.get("translations"), dict):
            others = [v for v in item["translations"].values() if isinstance(v, int)]
        elif isinstance(item.get("wpml_translations"), list):
            others = [t.get("id") for t in item["wpml_translations"]
                      if isinstance(t, dict) and isinstance(t.get("id"), int)]
        for other in others:
            if other != own:
                parent[find(other)] = find(own)
                linked.update((own, other))
    return {x: f"rest:{find(x)}" for x in linked}


def _read_item(item: dict, base: str, groups: dict[int, str], site: Site) -> None:
    number = item.get("id")
    kind = item.get("type", "post")
    title = text_of(_rendered(item.get("title")))
    label = f'{kind} {number} "{title}"' if title else f"{kind} {number} (untitled)"
    if item.get("status", "publish") != "publish":
        site.skipped.append(Skipped(label, f"status {item.get('status')!r}, not published"))
        return
    content = item.get("content") if isinstance(item.get("content"), dict) else {}
    if content.get("protected"):
        site.skipped.append(Skipped(label, "password-protected: its text is not public"))
        return
    markdown = post_markdown(_rendered(content), stored=False)
    if not markdown:
        site.skipped.append(Skipped(label, "no text"))
        return
    terms = [t for group in (item.get("_embedded") or {}).get("wp:term", []) or []
             if isinstance(group, list) for t in group if isinstance(t, dict)]
    lang, lang_from = None, ""
    if isinstance(item.get("lang"), str) and item["lang"]:
        lang, lang_from = item["lang"], "Polylang"
    elif isinstance(item.get("wpml_current_locale"), str) and item["wpml_current_locale"]:
        lang, lang_from = item["wpml_current_locale"], "WPML"
    site.posts.append(Post(
        source=f"{base}/?p={number}",
        label=label,
        slug=str(item.get("slug") or "") or title,
        fallback_slug=f"{kind}-{number}",
        title=title,
        markdown=markdown,
        date=date_of(item.get("date")),
        url=http_url(item.get("link")),
        tags=tuple(dict.fromkeys(text_of(str(t.get("name", ""))) for t in terms
                                 if t.get("taxonomy") == "post_tag" and t.get("name"))),
        categories=tuple(dict.fromkeys(text_of(str(t.get("name", ""))) for t in terms
                                       if t.get("taxonomy") == "category"
                                       and t.get("name"))),
        lang=lang, lang_from=lang_from, group=groups.get(number)))


def _rendered(value) -> str:
    if isinstance(value, dict):
        value = value.get("rendered", "")
    return value if isinstance(value, str) else ""
