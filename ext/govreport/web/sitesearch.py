"""The site's full-text search index: what a query needs, and nothing else (issue 21).

A phone on a slow network must not download the whole site's index before it
can search (Sphinx's ``searchindex.js``: 865 KB at 550 reports, linear in the
reports), nor a search engine's runtime (Pagefind's script and WebAssembly are
151 KB before the first byte of index). So the index is static files cut to the
queries, read by a few kilobytes of script (``static/govreport-sitesearch.js``):

* ``b/<k>.grs``: the buckets of terms. A term is a Han character, two adjacent
  Han characters, or a Latin word or number; a term lives in bucket
  ``fnv1a(term) % buckets``, with its pages (ids ascending, as differences) in
  the body and, apart, those with it in the title. A query reads one bucket per
  term: 政务公开 is 政务, 务公, 公开. Chinese needs no dictionary this way, and a
  query's cost does not grow with the number of words in the site.
* ``f/<id>.grs``: one page's title, unit, year, address and its sentences by
  section: shown for the results on screen only, and used to keep only pages
  where the query's words really stand together.
* ``filters.grs``: the units and years, with their pages, for the two filters.

Pages are numbered newest year first, so the first ids a query meets are the
results shown first. Files are gzip (``mtime`` 0: the same pages, the same
bytes), decompressed by the browser (``DecompressionStream``); their suffix is
not ``.gz`` so that no server adds a ``Content-Encoding`` to them. Pure Python:
the Sphinx side (``sphinxext/sitesearch.py``) hands over the pages' HTML.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

SUFFIX = ".grs"
#: A bucket file's size before gzip that the number of buckets aims at: a query
#: of a four-character word reads three of them.
BUCKET_TARGET = 24_000
#: A sentence longer than this is cut, at a space where there is one (a wide table row). Terms
#: are taken from the cut pieces, so a cut may split a word: it is set far above any real
#: sentence; the browser shows a window of a long sentence around the words found.
SENTENCE_MAX = 1000
# Han: the CJK Unified Ideographs and their extensions, compatibility ideographs.
# The same ranges stand in govreport-sitesearch.js: the browser must split a
# query exactly as the index was split.
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003347f"  # 〇 too: 二〇二二年
_TOKEN = re.compile(f"([{_HAN}]+)|([a-z0-9]+)")
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


def normalize(text: str) -> str:
    """Full-width letters and digits as ASCII, lower case (as the browser does: NFKC, toLowerCase)."""
    return unicodedata.normalize("NFKC", text).lower()


def terms(text: str) -> set[str]:
    """The index terms of ``text``: every Han character and pair, every Latin word or number."""
    found: set[str] = set()
    for han, word in _TOKEN.findall(normalize(text)):
        if word:
            found.add(word)
            continue
        found.update(han)
        found.update(han[i : i + 2] for i in range(len(han) - 1))
    return found


def query_terms(query: str) -> list[str]:
    """The terms a query looks up (each must be in a page): a lone Han character as
    itself, a longer run by its pairs. The browser's ``queryTerms`` does the same."""
    out: list[str] = []
    for han, word in _TOKEN.findall(normalize(query)):
        parts = [word] if word else ([han] if len(han) == 1 else [han[i : i + 2] for i in range(len(han) - 1)])
        out.extend(p for p in parts if p not in out)
    return out


def fnv1a(term: str) -> int:
    """32-bit FNV-1a over the term's UTF-16 code units (JavaScript's ``charCodeAt``)."""
    h = 0x811C9DC5
    data = term.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h ^= data[i] | (data[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


@dataclass(frozen=True)
class Section:
    anchor: str  # the section's id ("" for the top of the page)
    heading: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    """One report page as the index holds it."""

    url: str  # from the site's root: xiangshan/2021.html
    title: str
    unit: str
    year: int
    sections: tuple[Section, ...]

    def text(self) -> Iterable[str]:
        yield self.title
        for s in self.sections:
            yield s.heading
            yield from s.sentences

    def to_json(self) -> dict[str, Any]:
        return {"u": self.url, "t": self.title, "n": self.unit, "y": self.year,
                "s": [[s.anchor, s.heading, list(s.sentences)] for s in self.sections]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Page:
        return cls(str(data["u"]), str(data["t"]), str(data["n"]), int(data["y"]),
                   tuple(Section(str(a), str(h), tuple(str(x) for x in ss)) for a, h, ss in data["s"]))


def sentences(block: str) -> list[str]:
    """A block's text as sentences (ended by 。！？； and their Latin forms), none longer than SENTENCE_MAX."""
    text = re.sub(r"\s+", " ", block).strip()
    out: list[str] = []
    for part in _SENTENCE_END.split(text):
        part = part.strip()
        while len(part) > SENTENCE_MAX:
            cut = part.rfind(" ", SENTENCE_MAX // 2, SENTENCE_MAX)
            cut = cut if cut > 0 else SENTENCE_MAX
            out.append(part[:cut].strip())
            part = part[cut:].strip()
        if part:
            out.append(part)
    return out


_BLOCKS = frozenset({"p", "li", "tr", "caption", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_VOID = frozenset({"br", "img", "hr", "col", "input", "meta", "link", "wbr", "source"})
#: Not the report's words: its links to other years and to its files, scripts, charts' drawings
#: (their figures are in the tables beside them).
_SKIP_CLASSES = frozenset({"gov-years", "gov-report-links", "gov-pager", "headerlink", "gov-scroll-hint"})
_SKIP_TAGS = frozenset({"script", "style", "template", "svg"})


@dataclass
class _Open:
    tag: str
    skip: bool


@dataclass
class _Collect(HTMLParser):
    """A page's article as sections of sentences: each block (paragraph, list item,
    table row, heading) read as its text, a table row's cells apart by a space."""

    # [anchor, heading, sentences, opened by its heading]: text after a nested
    # section's end continues its parent, as an entry of its own with the parent's anchor.
    sections: list[tuple[str, str, list[str], bool]] = field(default_factory=list)
    _stack: list[_Open] = field(default_factory=list)
    _open_sections: list[list[str]] = field(default_factory=list)  # [id, heading] of each open <section>
    _buf: list[str] = field(default_factory=list)
    _heading: list[str] | None = None
    # How many open elements are skipped / are table rows / have each tag: asked at every piece
    # of text and every tag, so counted as the stack changes rather than by scanning it.
    _skips: int = 0
    _rows: int = 0
    _tags: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections.append(("", "", [], False))

    def _skipping(self) -> bool:
        return self._skips > 0

    def _in_row(self) -> bool:
        """Inside a table row: its cells' paragraphs are one sentence, not one each."""
        return self._rows > 0

    def _push(self, o: _Open) -> None:
        self._stack.append(o)
        self._skips += o.skip
        self._rows += o.tag == "tr"
        self._tags[o.tag] = self._tags.get(o.tag, 0) + 1

    def _pop(self) -> _Open:
        o = self._stack.pop()
        self._skips -= o.skip
        self._rows -= o.tag == "tr"
        self._tags[o.tag] -= 1
        return o

    def _flush(self) -> None:
        text = "".join(self._buf)
        self._buf.clear()
        if text.strip():
            self.sections[-1][2].extend(sentences(text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        a = dict(attrs)
        skip = tag in _SKIP_TAGS or "hidden" in a or not _SKIP_CLASSES.isdisjoint((a.get("class") or "").split())
        self._push(_Open(tag, skip))
        if tag == "section":
            self._flush()
            self._open_sections.append([a.get("id") or "", ""])
        elif tag in ("td", "th") or (tag in _BLOCKS and tag != "tr" and self._in_row()):
            self._buf.append(" ")
        elif tag in _HEADINGS and not self._skipping():
            self._flush()
            self._heading = []
        elif tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not self._tags.get(tag):
            return  # a stray end tag closes nothing
        while self._stack:  # close what the HTML left open up to this tag
            if self._pop().tag == tag:
                break
        if tag in _HEADINGS and self._heading is not None:
            heading = re.sub(r"\s+", " ", "".join(self._heading)).strip()
            self._heading = None
            # A section's heading opens it; the page's own (h1) is its title, the top of the page.
            anchor = self._open_sections[-1][0] if len(self._open_sections) > 1 else ""
            if self._open_sections:
                self._open_sections[-1][1] = heading
            if anchor or heading:
                self.sections.append((anchor, heading, [], True))
        elif tag == "section":
            self._flush()
            if self._open_sections:
                self._open_sections.pop()
            if self._open_sections:
                parent, heading = self._open_sections[-1]
                self.sections.append((parent if len(self._open_sections) > 1 else "", heading, [], False))
        elif tag in _BLOCKS and (tag == "tr" or not self._in_row()):
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skipping():
            return
        if self._heading is not None:
            self._heading.append(data)
        else:
            self._buf.append(data)


def page_sections(body_html: str) -> tuple[Section, ...]:
    """The sections of a page's article HTML (Sphinx's ``body``), with their sentences."""
    c = _Collect()
    c.feed(body_html)
    c.close()
    c._flush()
    return tuple(Section(a, h, tuple(ss)) for a, h, ss, own in c.sections if ss or (own and h))


def _deltas(ids: list[int]) -> str:
    prev, out = -1, []
    for i in ids:
        out.append(str(i - prev - 1))
        prev = i
    return ",".join(out)


def _packed(data: Any) -> bytes:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return gzip.compress(raw, compresslevel=9, mtime=0)


@dataclass(frozen=True)
class IndexInfo:
    """What the search page needs to read the index, and the figures of it."""

    version: str  # changes with every byte: the browser's cache never mixes two builds
    pages: int
    buckets: int
    files: int  # the .grs files
    size: int  # bytes, all files
    years: tuple[int, ...]  # newest first: the search page's year filter

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "pages": self.pages, "buckets": self.buckets, "files": self.files,
                "years": list(self.years)}


def order(pages: Iterable[Page]) -> list[Page]:
    """Newest year first; within a year by address (stable: the same site, the same ids)."""
    return sorted(pages, key=lambda p: (-p.year, p.url))


def index_files(pages: Sequence[Page]) -> tuple[IndexInfo, dict[str, bytes]]:
    """The index of ``pages`` (in the order given: an id is a position) as files by relative path."""
    body: dict[str, list[int]] = defaultdict(list)
    title: dict[str, list[int]] = defaultdict(list)
    files: dict[str, bytes] = {}
    for i, page in enumerate(pages):
        for t in set().union(*(terms(x) for x in page.text())):
            body[t].append(i)
        for t in terms(page.title):
            title[t].append(i)
        files[f"f/{i}{SUFFIX}"] = _packed(page.to_json())
    encoded = {t: _deltas(ids) for t, ids in body.items()}
    raw = sum(len(t.encode()) + len(v) + 6 for t, v in encoded.items())
    buckets = 1
    while raw / buckets > BUCKET_TARGET:
        buckets *= 2
    split: list[dict[str, Any]] = [{"b": {}, "t": {}} for _ in range(buckets)]
    for t, v in encoded.items():
        split[fnv1a(t) % buckets]["b"][t] = v
    for t, ids in title.items():
        split[fnv1a(t) % buckets]["t"][t] = _deltas(ids)
    years: dict[int, list[int]] = defaultdict(list)
    units: dict[str, list[int]] = defaultdict(list)
    for i, page in enumerate(pages):
        years[page.year].append(i)
        units[page.unit].append(i)
    filters = {"years": [[y, _deltas(ids)] for y, ids in sorted(years.items(), reverse=True)],
               "units": [[u, _deltas(ids)] for u, ids in sorted(units.items())]}
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name])
    for part in [*split, filters]:
        digest.update(_packed(part))
    version = digest.hexdigest()[:12]
    # The buckets and the filters say which index they belong to: a search page cached from an
    # earlier publish (its bucket count, its ids) must not read them as its own.
    for k, part in enumerate(split):
        files[f"b/{k}{SUFFIX}"] = _packed({**part, "v": version})
    files[f"filters{SUFFIX}"] = _packed({**filters, "v": version})
    info = IndexInfo(version, len(pages), buckets, len(files), sum(map(len, files.values())),
                     tuple(sorted(years, reverse=True)))
    files["index.json"] = (json.dumps(info.to_json(), sort_keys=True) + "\n").encode()
    return info, files


def write_index(pages: Iterable[Page], folder: Path) -> IndexInfo:
    """Write the index of ``pages`` into ``folder`` (its old content replaced: no
    page withheld since stays findable). Files with the same bytes are left as they
    are, so a publish that compares times sees only what changed."""
    info, files = index_files(order(pages))
    folder.mkdir(parents=True, exist_ok=True)
    keep = set(files)
    for path in sorted(folder.rglob("*"), reverse=True):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for rel, data in files.items():
        path = folder / rel
        try:
            if path.read_bytes() == data:
                continue
        except OSError:
            path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return info


def indexed_urls(folder: Path) -> list[str]:
    """The address of every page in the index written at ``folder`` (publishing checks them)."""
    info = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    return [str(json.loads(gzip.decompress((folder / "f" / f"{i}{SUFFIX}").read_bytes()))["u"]) for i in range(int(info["pages"]))]


def remove_index(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
