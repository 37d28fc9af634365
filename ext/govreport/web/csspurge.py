"""Keep only the CSS rules a site can use (issue 21: light pages).

The theme's stylesheets are written for every site Sphinx can build (377 KB for
pydata-sphinx-theme alone); a page here uses a few dozen of its classes. A rule
is kept when every class and id its selector names (outside ``:not(…)`` and the
other functional pseudo-classes, which only narrow it) occurs in the site's
pages or in the scripts that may add it; dark-mode rules go (the site is light
only), and so do the icon font's ``@font-face`` rules (icons are inline SVG).
Pure text in, text out: PurgeCSS's idea with tinycss2's parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import tinycss2
from tinycss2.ast import AtRule, Declaration, Node, QualifiedRule

from ..pycache import kept

_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_ID = re.compile(r"#(-?[_a-zA-Z][\w-]*)")
_PAREN = re.compile(r"\((?:[^()]|\([^()]*\))*\)")
_DARK = re.compile(r"""data-(?:theme|mode|bs-theme)\s*=\s*["']?dark""")
# The attribute's name starts a word (``\b`` before it, checked in ``_attrs``): a leading ``\b`` in the
# pattern would keep the regex engine from scanning for the literal name, several times slower on a site.
_ATTR_CLASS = re.compile(r"""class\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ATTR_ID = re.compile(r"""id\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_WORD = re.compile(r"[A-Za-z_][\w-]*")
_STRING = re.compile(r"""(["'`])((?:(?!\1)[^\\\n]|\\.)*)\1""")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
# At-rules whose block holds rules (pruned inside); others are kept as they are.
_NESTED = {"media", "supports", "layer", "container"}


def _attrs(pattern: re.Pattern[str], html: str) -> Iterator[str]:
    """The values of one attribute in ``html``: where ``pattern`` matches at the start of a word."""
    pos = 0
    while (m := pattern.search(html, pos)) is not None:
        i = m.start()
        if i and (html[i - 1].isalnum() or html[i - 1] == "_"):  # inside a word: not \b (as re's \w)
            pos = i + 1  # look again from the next character, as the \b pattern would (a match may start inside this one)
            continue
        yield m.group(1) or m.group(2) or ""
        pos = m.end()


def html_names(html: str, classes: set[str], ids: set[str]) -> None:
    """Add the class names and ids of one page to ``classes`` and ``ids``."""
    for value in _attrs(_ATTR_CLASS, html):
        classes.update(value.split())
    ids.update(_attrs(_ATTR_ID, html))


_CLASS_LIST = re.compile(r"classList\.(?:add|remove|toggle|replace|contains)\(([^)]*)\)")


def script_words(js: str, class_lists_only: bool = False) -> set[str]:
    """Every word in a script's strings: a class or id it may add (kept whether or not it does).
    ``class_lists_only``: only the strings given to ``classList`` (a theme's script, whose other
    strings name the features this site does not use: version switcher, search dialog…)."""
    if class_lists_only:
        js = " ".join(m.group(1) for m in _CLASS_LIST.finditer(js))
    return {w for m in _STRING.finditer(js) for w in _WORD.findall(m.group(2))}


def _selector_used(selector: str, classes: set[str], ids: set[str]) -> bool:
    if _DARK.search(selector):
        return False
    plain = _PAREN.sub("", selector)  # :not(.x), :is(.a, .b), :has(…): narrowing only
    plain = re.sub(r"\[[^\]]*\]", "", plain)  # [class*=…]: attribute tests are not names
    return all(c in classes for c in _CLASS.findall(plain)) and all(i in ids for i in _ID.findall(plain))


def _split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside :is(…))."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(prelude[start:i])
            start = i + 1
    out.append(prelude[start:])
    return [s.strip() for s in out if s.strip()]


#: A stylesheet's rules as ``_prune`` reads them, serialised once (``_outline``): a qualified rule is
#: ``("q", selectors, block)``; an at-rule ``("at", name, keyword, prelude, whole, awesome, inner rules or None)``.
Outline = tuple[tuple[Any, ...], ...]


def _outline(rules: Iterable[Node]) -> Outline:
    out: list[tuple[Any, ...]] = []
    for rule in rules:
        if isinstance(rule, QualifiedRule):
            out.append(("q", tinycss2.serialize(rule.prelude), tinycss2.serialize(rule.content).strip()))
        elif isinstance(rule, AtRule):
            name = rule.lower_at_keyword
            inner = None
            if name in _NESTED and rule.content is not None:
                inner = _outline(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
            out.append(("at", name, rule.at_keyword, tinycss2.serialize(rule.prelude).strip(), tinycss2.serialize([rule]),
                        "awesome" in tinycss2.serialize(rule.content or []).lower(), inner))
    return tuple(out)


def outline(css: str) -> Outline:
    """The rules of ``css`` (``_outline``), kept pickled beside the bytecode by the stylesheet's text
    (``pycache.kept``): the theme's 450 KB are the same at every build of every site, and parsing
    them was a third of writing the trimmed stylesheet."""
    key = b"\0".join((css.encode("utf-8"), Path(__file__).read_bytes(), tinycss2.__version__.encode()))
    return kept(Path(__file__).parent, "css-outline", key,
                lambda: _outline(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)),
                lambda v: isinstance(v, tuple))


def _prune(rules: Outline, classes: set[str], ids: set[str]) -> list[str]:
    out: list[str] = []
    for rule in rules:
        if rule[0] == "q":
            keep = [s for s in _split_selectors(rule[1]) if _selector_used(s, classes, ids)]
            if keep:
                out.append(",".join(keep) + "{" + rule[2] + "}")
            continue
        _, name, keyword, prelude, whole, awesome, inner = rule
        if name == "font-face" and awesome:
            continue
        if inner is not None:
            pruned = _prune(inner, classes, ids)
            if pruned:
                out.append(f"@{keyword} {prelude}{{{''.join(pruned)}}}")
        elif name != "import":
            out.append(whole)
    return out


def _drop_unused_properties(rules: list[str]) -> list[str]:
    """Custom properties (``--x: …``) that no kept rule reads with ``var(--x)`` removed,
    until none is left: Bootstrap's palette is mostly variables nothing uses."""
    while True:
        used = set(_VAR.findall("".join(rules)))
        out, dropped = [], False
        for text in rules:
            new = _drop_in(text, used)
            dropped = dropped or new != text
            if new:
                out.append(new)
        rules = out
        if not dropped:
            return rules


def _drop_in(text: str, used: set[str]) -> str:
    parsed = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    out = []
    for rule in parsed:
        if isinstance(rule, QualifiedRule):
            decls = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
            kept = [d for d in decls if not (isinstance(d, Declaration) and d.name.startswith("--") and d.name not in used)]
            if not kept:
                continue
            body = ";".join(tinycss2.serialize([d]).strip().rstrip(";") for d in kept)
            out.append(tinycss2.serialize(rule.prelude).strip() + "{" + body + "}")
        elif isinstance(rule, AtRule) and rule.lower_at_keyword in _NESTED and rule.content is not None:
            inner = _drop_in(tinycss2.serialize(rule.content), used)
            if inner:
                out.append(f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()}{{{inner}}}")
        else:
            out.append(tinycss2.serialize([rule]))
    return "".join(out)


def _drop_unused_keyframes(rules: list[str]) -> list[str]:
    """``@keyframes x`` that no kept rule animates with (the icon font's spin, bounce…)."""
    frames = [r for r in rules if r.startswith("@keyframes")]
    rest = "".join(r for r in rules if not r.startswith("@keyframes"))
    unused = {r for r in frames if not re.search(r"\b" + re.escape(r.split()[1].split("{")[0]) + r"\b", rest)}
    return [r for r in rules if r not in unused]


def purge(css: str, classes: set[str], ids: set[str], drop: tuple[str, ...] = ()) -> str:
    """``css`` with only the rules whose selectors can match (see the module's docstring);
    classes starting with one of ``drop`` count as unused (the icon font's, replaced)."""
    if drop:
        classes = {c for c in classes if not c.startswith(drop)}
    return "\n".join(_drop_unused_properties(_drop_unused_keyframes(_prune(outline(css), classes, ids)))) + "\n"
