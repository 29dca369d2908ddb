/*! <statement-search>: an embeddable search box for the statements search.
 * Embed: <script src="https://HOST/widget.js" defer></script>
 *        <statement-search languages="el,pl" ui-lang="el" per-page="5"></statement-search>
 * No dependencies, no cookies, no build step. Documentation: docs/widget.md. */
(() => {
  'use strict';
  if (typeof window === 'undefined' || !window.customElements) return;

  // The API is wherever this script came from. Pagefind's guard: it must really be a
  // <script>, not a clobbered `document.currentScript` such as <img name="currentScript">.
  const current = document.currentScript;
  const SCRIPT_BASE = current && current.tagName.toUpperCase() === 'SCRIPT' && current.src
    ? new URL('.', current.src).href : null;

  const STRINGS = {
    en: {
      label: 'Search statements', placeholder: 'Search statements…', loading: 'Searching…',
      empty: 'No statements found', count: {one: '%d statement', other: '%d statements'},
      also: 'Also in:', more: 'More results', failed: 'Search failed: %s',
      unreachable: 'Server unreachable', results: 'Statements',
    },
    el: {
      label: 'Αναζήτηση διακηρύξεων', placeholder: 'Αναζήτηση διακηρύξεων…', loading: 'Αναζήτηση…',
      empty: 'Δεν βρέθηκαν διακηρύξεις', count: {one: '%d διακήρυξη', other: '%d διακηρύξεις'},
      also: 'Επίσης στα:', more: 'Περισσότερα αποτελέσματα', failed: 'Η αναζήτηση απέτυχε: %s',
      unreachable: 'Ο διακομιστής δεν είναι προσβάσιμος', results: 'Διακηρύξεις',
    },
    pl: {
      label: 'Wyszukiwarka oświadczeń', placeholder: 'Szukaj w oświadczeniach…', loading: 'Szukam…',
      empty: 'Nie znaleziono oświadczeń',
      count: {one: '%d oświadczenie', few: '%d oświadczenia', many: '%d oświadczeń', other: '%d oświadczenia'},
      also: 'Także po:', more: 'Więcej wyników', failed: 'Wyszukiwanie nie powiodło się: %s',
      unreachable: 'Serwer jest nieosiągalny', results: 'Oświadczenia',
    },
  };

  // `all: initial` cuts every inherited page style (twice: a page rule naming the element,
  // or `*`, beats :host); only the custom properties, and the font size, pass.
  const CSS = `
:host{all:initial;display:block;--a:var(--statement-search-accent,#1d4ed8);--r:var(--statement-search-radius,6px);--b:var(--statement-search-background,#fff)}
:host([hidden]){display:none}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
.root{all:initial;display:block;font-size:inherit;font-family:var(--statement-search-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);
 color:var(--statement-search-text,#1a1a1a);line-height:1.45;text-align:start;background:var(--b);border-radius:var(--r)}
input{display:block;width:100%;margin:0;padding:.55em .75em;font:inherit;color:inherit;background:var(--b);
 border:1px solid #767676;border-radius:var(--r);appearance:none}
input:focus-visible{outline:2px solid var(--a);outline-offset:1px;border-color:var(--a)}
ul{display:block;list-style:none;margin:.25em 0 0;padding:0}
li{display:block;margin:0;padding:.5em .75em;border:2px solid transparent;border-radius:var(--r);cursor:pointer}
li:hover{border-color:#ccc}
li.active{border-color:var(--a);background:color-mix(in srgb,var(--a) 9%,var(--b))}
a{color:var(--a);text-decoration:underline;text-underline-offset:.15em}
a:focus-visible{outline:2px solid var(--a);outline-offset:2px}
p{display:block;margin:.25em 0 0}
.title{font-weight:600;font-size:1.05em}
.lang{margin-inline-start:.5em;font-size:.85em}
.snippet{font-size:.925em}
.also{font-size:.85em}
mark{background:var(--statement-search-mark,#fde68a);color:var(--statement-search-mark-text,#1a1a1a);padding:0 .1em;border-radius:2px}
.status{display:block;margin:.3em 0 0;font-size:.875em}
.status.error{color:#b91c1c;font-weight:600}
.more{display:inline-block;margin:.25em 0 0;font-size:.9em}`;

  let sheet;
  const styles = () => {
    if (sheet === undefined) {
      try {
        sheet = new CSSStyleSheet();  // adopted, so a page's CSP `style-src 'self'` allows it
        sheet.replaceSync(CSS);
      } catch (e) { sheet = null; }   // no constructable stylesheets: unstyled but working
    }
    return sheet;
  };

  // The only HTML taken from the server is its escaped text with <mark class="..."> tags.
  const MARKS = /<mark(?: class="[\w -]*")?>|<\/mark>/g;
  const trusted = (html) => typeof html === 'string' && !html.replace(MARKS, '').includes('<');
  // Anything else is shown as text, read from an inert document (no script runs, nothing loads).
  const text = (html) => new DOMParser().parseFromString(String(html || ''), 'text/html').body.textContent;
  const setHTML = (node, html, fallback) => {
    if (trusted(html)) node.innerHTML = html;
    else node.textContent = fallback != null ? fallback : text(html);
  };

  const el = (tag, attrs = {}, content) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) if (v != null) node.setAttribute(k, v);
    if (content != null) node.textContent = content;
    return node;
  };

  const pick = (lang) => {
    lang = String(lang || '').toLowerCase();
    const short = lang.split('-')[0];
    return STRINGS[lang] ? lang : STRINGS[short] ? short : 'en';
  };

  // Languages written right to left: each title, snippet and language name says its direction.
  const RTL = /^(ar|arc|ckb|dv|fa|he|iw|ks|ku-arab|ps|sd|ug|ur|yi)(-|$)/i;
  const dir = (lang) => RTL.test(lang) ? 'rtl' : 'ltr';
  // An untitled statement is labelled by its first words, less its paragraph number ("1. ").
  const NUMBER = /^\s*\(?\d{1,3}[.)\-–]\s+/;
  // A phrase or bracket the reader has opened and not yet closed, closed for a search as they type.
  const closed = (q) => {
    let open = 0, quoted = false;
    for (const c of q) {
      if (c === '"') quoted = !quoted;
      else if (!quoted && c === '(') open++;
      else if (!quoted && c === ')' && open) open--;
    }
    return q + (quoted ? '"' : '') + ')'.repeat(open);
  };

  const event = (host, detail) => host.dispatchEvent(
    new CustomEvent('statement-search:results', {bubbles: true, composed: true, detail}));

  class StatementSearch extends HTMLElement {
    static get observedAttributes() { return ['languages', 'ui-lang', 'per-page', 'placeholder', 'api']; }

    /** Register the element; safe to call again (an existing definition is kept). */
    static define(tag = 'statement-search', registry = customElements) {
      if (!registry.get(tag)) {
        try { registry.define(tag, this); } catch (e) { if (e.name !== 'NotSupportedError') throw e; }
      }
      return this;
    }

    constructor() {
      super();
      this._n = 0;          // request counter: only the newest request's answer is shown
      this._ctrl = null;    // the AbortController of the request in flight
      this._timer = 0;
      this._active = -1;
      this._results = [];
      this._query = '';
      this._onDocClick = (e) => { if (!e.composedPath().includes(this)) this._close(); };
      const root = this.shadowRoot || this.attachShadow({mode: 'open'});
      if (styles()) root.adoptedStyleSheets = [sheet];
      this._root = el('div', {class: 'root', role: 'search', part: 'root'});
      this._input = el('input', {
        type: 'search', part: 'input', role: 'combobox', 'aria-expanded': 'false',
        'aria-controls': 'results', 'aria-autocomplete': 'list', autocomplete: 'off',
        spellcheck: 'false', enterkeyhint: 'search',
      });
      this._list = el('ul', {id: 'results', role: 'listbox', part: 'results', hidden: ''});
      this._status = el('div', {class: 'status', part: 'status', role: 'status', 'aria-live': 'polite'});
      this._more = el('a', {class: 'more', part: 'more', hidden: ''});
      this._root.append(this._input, this._status, this._list, this._more);
      root.replaceChildren(this._root);
      this._input.addEventListener('input', () => this._onInput());
      this._input.addEventListener('keydown', (e) => this._onKey(e));
      this._input.addEventListener('focus', () => this._open());
      this._list.addEventListener('click', (e) => {
        const li = e.target.closest('li');
        if (li && !e.target.closest('a')) li.querySelector('a').click();
      });
    }

    connectedCallback() {
      this._strings();
      document.addEventListener('click', this._onDocClick);
    }

    disconnectedCallback() {
      document.removeEventListener('click', this._onDocClick);
      this._cancel();
    }

    attributeChangedCallback(name) {
      this._strings();
      if (this._query && name !== 'placeholder') this._search(this._query);
    }

    /** ui-lang, else the nearest lang attribute, else <html lang>, else English. */
    get uiLang() {
      const near = this.closest('[lang]');
      return pick(this.getAttribute('ui-lang') || (near && near.lang) || document.documentElement.lang);
    }

    /** The API's base URL, ending in a slash: the api attribute, else the script's folder. */
    get base() {
      const api = this.getAttribute('api');
      const url = api ? new URL(api, document.baseURI).href : SCRIPT_BASE || new URL('/', location.href).href;
      return url.endsWith('/') ? url : url + '/';
    }

    get languages() {
      return (this.getAttribute('languages') || '').split(/[\s,]+/).filter(Boolean);
    }

    get _t() { return STRINGS[this.uiLang]; }

    _strings() {
      const t = this._t;
      this._root.setAttribute('aria-label', t.label);
      this._root.setAttribute('lang', this.uiLang);
      this._input.setAttribute('aria-label', t.label);
      this._input.setAttribute('placeholder', this.getAttribute('placeholder') || t.placeholder);
      this._list.setAttribute('aria-label', t.results);
      this._more.textContent = t.more;
    }

    _url(path, params) {
      const url = new URL(path, this.base);
      for (const [k, v] of params) url.searchParams.append(k, v);
      return url.href;
    }

    _langParams() { return this.languages.map((l) => ['lang', l]); }

    _onInput() {
      const q = this._input.value.trim();
      clearTimeout(this._timer);
      if (q.length < 2) {
        this._cancel();
        this._clear();
        return;
      }
      this._timer = setTimeout(() => this._search(q, true), 250);
    }

    _onKey(e) {
      const n = this._results.length;
      const open = !this._list.hidden;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (!n) return;
        e.preventDefault();
        const step = e.key === 'ArrowDown' ? 1 : -1;
        if (!open) this._open();
        this._activate(this._active < 0 ? (step > 0 ? 0 : n - 1) : (this._active + step + n) % n);
      } else if (e.key === 'Enter') {
        e.preventDefault();
        if (open && this._active >= 0) return this._list.children[this._active].querySelector('a').click();
        const q = this._input.value.trim();
        if (q) this._search(q);
      } else if (e.key === 'Escape') {
        e.preventDefault();  // a search input would clear itself: only the second Escape does
        if (open) return this._close();
        this._cancel();
        this._input.value = '';
        this._clear();
      }
    }

    _cancel() {
      clearTimeout(this._timer);
      this._n++;
      if (this._ctrl) this._ctrl.abort();
      this._ctrl = null;
    }

    /** Search for q; while the reader is still typing (typing), a phrase or bracket left
     * open is closed for them, and a query the server cannot run yet is no failure. */
    async _search(q, typing = false) {
      const t = this._t;
      this._cancel();
      const n = this._n;
      const ctrl = this._ctrl = new AbortController();
      this._query = q;
      this._setStatus(t.loading);
      const params = [['q', typing ? closed(q) : q], ...this._langParams(),
                      ['per_page', this.getAttribute('per-page') || '5'], ['prefer', this.uiLang]];
      let response, data;
      try {
        response = await fetch(this._url('search.json', params), {signal: ctrl.signal,
          credentials: 'omit', mode: 'cors', headers: {Accept: 'application/json', 'Accept-Language': this.uiLang}});
        data = await response.json().catch(() => null);
      } catch (e) {
        if (n === this._n && e.name !== 'AbortError') this._fail(t.unreachable);
        return;
      }
      if (n !== this._n) return;  // a newer query was typed meanwhile: drop this answer
      this._ctrl = null;
      if (data && data.ok !== false && response.ok) this._render(q, data);
      else if (typing && response.status === 400) this._setStatus('');
      else this._fail(t.failed.replace('%s', (data && (data.message || data.error)) || `${response.status} ${response.statusText}`));
    }

    _render(q, data) {
      const t = this._t;
      const results = Array.isArray(data.results) ? data.results : [];
      const total = typeof data.total === 'number' ? data.total : results.length;
      this._results = results;
      this._active = -1;
      this._input.removeAttribute('aria-activedescendant');
      this._list.replaceChildren(...results.map((r, i) => this._item(r, i, q)));
      const rule = new Intl.PluralRules(this.uiLang).select(total);
      this._setStatus(total ? (t.count[rule] || t.count.other).replace('%d', total.toLocaleString(this.uiLang))
                            : t.empty);
      this._more.href = this._url('search', [['q', q], ...this._langParams()]);
      this._more.hidden = !total;
      if (this._input.value.trim()) this._open(); else this._close();
      event(this, {query: q, total, results});
    }

    _item(r, i, q) {
      const t = this._t;
      const id = `option-${i}`;
      const versions = Array.isArray(r.versions) ? r.versions : [];
      const own = versions.find((v) => v.lang === r.lang);
      const link = (lang) => this._url(`statement/${encodeURIComponent(r.key)}`, [['lang', lang], ['q', q]]);
      const li = el('li', {role: 'option', id, part: 'result', 'aria-selected': 'false',
                           'aria-labelledby': `${id}-t ${id}-l`});
      const title = el('a', {id: `${id}-t`, class: 'title', part: 'title', href: link(r.lang),
                             lang: r.lang, dir: dir(r.lang), tabindex: '-1'});
      setHTML(title, r.untitled ? String(r.title_html || '').replace(NUMBER, '') : r.title_html,
              r.title || r.key);
      const language = el('span', {id: `${id}-l`, class: 'lang', part: 'language', lang: r.lang, dir: dir(r.lang)},
                          (own && own.language) || r.lang);
      const snippet = el('p', {class: 'snippet', part: 'snippet', lang: r.lang, dir: dir(r.lang)});
      setHTML(snippet, r.snippet);
      li.append(title, language, snippet);
      const others = versions.filter((v) => v.lang !== r.lang);
      if (others.length) {
        const also = el('p', {class: 'also', part: 'versions'}, `${t.also} `);
        others.forEach((v, j) => {
          if (j) also.append(', ');
          also.append(el('a', {href: link(v.lang), lang: v.lang, hreflang: v.lang, dir: dir(v.lang),
                               tabindex: '-1'}, v.language || v.lang));
        });
        li.append(also);
      }
      return li;
    }

    _fail(message) {
      const query = this._query;
      this._clear();
      this._query = query;  // kept, so a changed attribute retries
      this._setStatus(message, true);
      event(this, {query, total: 0, results: [], error: message});
    }

    _clear() {
      this._query = '';
      this._results = [];
      this._list.replaceChildren();
      this._close();
      this._more.hidden = true;
      this._setStatus('');
    }

    _setStatus(message, error = false) {
      this._status.textContent = message;
      this._status.classList.toggle('error', error);
    }

    _open() {
      if (!this._results.length) return;
      this._list.hidden = false;
      this._input.setAttribute('aria-expanded', 'true');
    }

    _close() {
      this._activate(-1);
      this._list.hidden = true;
      this._input.setAttribute('aria-expanded', 'false');
    }

    _activate(i) {
      const items = this._list.children;
      const old = items[this._active];
      if (old) {
        old.classList.remove('active');
        old.setAttribute('aria-selected', 'false');
      }
      this._active = i;
      const item = items[i];
      if (item) {
        item.classList.add('active');
        item.setAttribute('aria-selected', 'true');
        this._input.setAttribute('aria-activedescendant', item.id);
        item.scrollIntoView({block: 'nearest'});
      } else {
        this._input.removeAttribute('aria-activedescendant');
      }
    }
  }

  StatementSearch.define();
  if (!window.StatementSearch) window.StatementSearch = StatementSearch;
})();
