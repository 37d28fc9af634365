"""The search index of an incremental build equals a clean build's (issue 22).

When pages leave a build (a withheld report, a deleted page), Sphinx prunes
them from the search index it kept but leaves each word they alone contained,
with an empty list of pages: ``"1051":[]``. Harmless to a reader, but the
published site would then differ from a clean build's. Just before the index is
written (``html-collect-pages`` runs before it), such words are dropped.
"""

from __future__ import annotations

from sphinx.application import Sphinx


def _drop_empty_words(app: Sphinx) -> list[tuple[str, dict[str, object], str]]:
    indexer = getattr(app.builder, "indexer", None)
    if indexer is not None:
        indexer.prune(app.env.all_docs)  # what Sphinx does next anyway; words emptied by it go too
        for mapping in (indexer._mapping, indexer._title_mapping):  # no public API for this
            for word in [w for w, docs in mapping.items() if not docs]:
                del mapping[word]
    return []  # no pages of its own


def setup_searchprune(app: Sphinx) -> None:
    app.connect("html-collect-pages", _drop_empty_words, priority=900)  # after every other page generator
