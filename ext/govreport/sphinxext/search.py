"""Chinese full-text search that finds Chinese words.

Sphinx's Chinese search splits text with jieba; this adds three things:

* a small dictionary of the form's terms (``search/terms.txt``) and of the
  agencies' names and their parts (沙坡头区香山乡 → 沙坡头区, 香山乡), so that
  the form's terms and 香山乡 are words of the index;
* the splitting cached: the tables' labels repeat on every page;
* the browser splitting a query the same way (``govreport-search.js``: longest
  words of the index first; Sphinx would look up 政府信息公开申请 as one word),
  and a working JavaScript stemmer: Sphinx 9.0.4 writes
  ``window.Stemmer = ChineseStemmer`` for zh, which is not defined, and the
  search page never leaves "正在搜索中".
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.search.zh import SearchChinese

from ..model.report import discover, load_meta
from .common import data_root

HERE = Path(__file__).parent.parent
TERMS = HERE / "search" / "terms.txt"
SPLITTER_JS = HERE / "static" / "govreport-search.js"
# Where an administrative name divides: 沙坡头区|香山乡, 中卫市|沙坡头区.
_PARTS = re.compile(r".+?(?:自治区|自治州|自治县|街道办事处|街道|省|市|区|县|旗|乡|镇|盟)")
_WORDS: set[str] = set()
_PENDING: set[Path] = set()  # sites whose agency names are still to be added (on the first split)


def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    return jieba


# No "Building prefix dict…" lines on stderr in a quiet build: jieba logs them at
# DEBUG when its dictionary loads (sphinx.search.zh has imported it by now).
logging.getLogger("jieba").setLevel(logging.WARNING)


@functools.lru_cache(maxsize=1 << 17)
def _cut(text: str) -> tuple[str, ...]:
    """jieba's search split of one text (cached: the same labels come on every page)."""
    return tuple(_jieba().cut_for_search(text))


def add_words(words: list[str]) -> None:
    """Words jieba must keep whole (agency names); the cache is cleared when new ones come."""
    new = [w for w in words if w and w not in _WORDS]
    if not new:
        return
    jieba = _jieba()
    for w in new:
        jieba.add_word(w, freq=20000)
        _WORDS.add(w)
    _cut.cache_clear()


def name_words(name: str) -> list[str]:
    """An agency's name and its administrative parts."""
    return [name, *(m.group(0) for m in _PARTS.finditer(name))]


class GovSearchChinese(SearchChinese):
    """Sphinx's Chinese search with the form's dictionary, a cached split and
    the browser-side query split."""

    # The JS stemmer for Latin words is the English one (what SearchChinese.stem
    # uses); Sphinx 9.0.4 names the class after language_name ("ChineseStemmer").
    language_name = "English"
    js_splitter_code = SPLITTER_JS.read_text(encoding="utf-8")

    def __init__(self, options: dict[str, str]) -> None:
        options = {"dict": str(TERMS), **options}
        if not _WORDS or options["dict"] != str(TERMS):
            _cut.cache_clear()
        super().__init__(options)

    def split(self, input: str) -> list[str]:
        if _PENDING:
            _add_names()
        latin1 = [term.strip() for term in self.latin1_letters.findall(input)]
        self.latin_terms.update(latin1)
        return [*_cut(input), *latin1]


def _agency_words(app: Sphinx) -> None:
    """The agencies' names become words, but only once a page is indexed: a
    rebuild with nothing to write does not load jieba (half a second)."""
    if app.builder.format == "html":
        _PENDING.add(data_root(app.env))


def _add_names() -> None:
    words: list[str] = []
    for root in sorted(_PENDING):
        for agency, year in discover(root):
            meta = load_meta(root, agency, year)
            words += name_words(meta.name) + name_words(meta.full_name)
    _PENDING.clear()
    add_words(sorted(set(words)))


def setup_search(app: Sphinx) -> None:
    app.add_search_language(GovSearchChinese)
    app.connect("builder-inited", _agency_words)
