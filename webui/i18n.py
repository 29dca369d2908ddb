"""The interface's language: chosen by ?ui=, then a cookie, then Accept-Language."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, g, request
from flask_babel import Babel, get_locale

COOKIE = "ui"
COOKIE_AGE = 365 * 24 * 3600


def select_locale() -> str:
    """The UI language for this request, one of the app's UI_LANGUAGES."""
    languages = current_app.config["UI_LANGUAGES"]
    asked = request.args.get("ui")
    if asked in languages:
        g.ui_chosen = asked
        return asked
    cookie = request.cookies.get(COOKIE)
    if cookie in languages:
        return cookie
    return request.accept_languages.best_match(languages) or languages[0]


def _remember_choice(response):
    """A language picked with ?ui= sticks for later visits."""
    chosen = g.get("ui_chosen")
    if chosen:
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_AGE, samesite="Lax",
                            httponly=True)
    return response


def ui_args(args, code: str) -> str:
    """The current URL's query string with the UI language set to ``code``."""
    pairs = [(k, v) for k, v in args.items(multi=True) if k != "ui"]
    return urlencode(pairs + [("ui", code)])


def init_app(app) -> None:
    Babel(app, locale_selector=select_locale)
    app.after_request(_remember_choice)
    app.add_template_filter(ui_args)
    app.jinja_env.globals["get_locale"] = get_locale
