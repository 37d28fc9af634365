"""csspurge: the theme's CSS trimmed to what the site's pages use (issue 21)."""

from __future__ import annotations

from govreport.web.csspurge import html_names, purge, script_words

CSS = """
:root { --used: red; --unused: blue; --chain: var(--used); }
.a { color: var(--chain); }
.b, .a > .c { margin: 0; }
.a:not(.zzz) { padding: 0; }
#top .a { border: 0; }
html[data-theme=dark] .a { color: white; }
.fa-bars { font: var(--fa); }
@media (max-width: 10px) { .b { color: blue; } .a { color: green; } }
@keyframes spin { to { transform: rotate(1turn); } }
@font-face { font-family: "Font Awesome 7 Free"; src: url(x.woff2); }
p { line-height: 1; }
"""


def test_purge_keeps_what_pages_use() -> None:
    classes: set[str] = set()
    ids: set[str] = set()
    html_names('<div class="a fa-bars"><span class="c">x</span></div>', classes, ids)
    assert (classes, ids) == ({"a", "fa-bars", "c"}, set())
    out = purge(CSS, classes, ids, drop=("fa-",))
    assert out == (":root{--used: red;--chain: var(--used)}\n"
                   ".a{color: var(--chain)}\n"
                   ".a > .c{margin: 0}\n"
                   ".a:not(.zzz){padding: 0}\n"
                   "@media (max-width: 10px){.a{color: green}}\n"
                   "p{line-height: 1}\n")


def test_script_words_are_kept() -> None:
    words = script_words('el.classList.add("b"); const x = `#top`; // c')
    assert {"b", "top"} <= words and "el" not in words and "c" not in words
    out = purge(CSS, {"a", *words}, words)
    assert ".b{margin: 0}" in out
    assert "#top .a{border: 0}" in out


def test_a_theme_script_counts_only_for_the_classes_it_sets() -> None:
    js = 'el.classList.add("active"); x.innerHTML = `<div class="version-switcher">`;'
    assert script_words(js, class_lists_only=True) == {"active"}
    assert "version-switcher" in script_words(js)


def test_attribute_names_only_at_a_word_start_and_not_hidden_by_one_inside_a_word() -> None:
    """``class=``/``id=`` count where a word starts (as ``\\bclass``); one inside a word (data-subclass, valid)
    is passed over without skipping a real attribute written inside its value."""
    classes: set[str] = set()
    ids: set[str] = set()
    html_names("""<div data-subclass="a class='b'" class="c d"><input valid="<a id='z'>" id=q x_id="n" 中id="m">""", classes, ids)
    assert classes == {"b", "c", "d"}
    assert ids == {"z"}
