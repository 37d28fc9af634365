"""The visible text of built pages, before and after a change (issue 20: portal pages as documents).

    python tools/pagetext.py OLD_HTML_DIR NEW_HTML_DIR [GLOB ...]

For each page matching a glob (default: the portal pages) in OLD_HTML_DIR, compares with the
same page in NEW_HTML_DIR: the <title>, the breadcrumbs and the article's text (whitespace
removed: the markup around the words may change, the words may not; header links, scripts
and styles left out). Prints each difference and a count; exits 1 when there is one.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

import lxml.html

PORTAL = ("compare-*.html", "*/index.html", "*/*-members.html", "index-*.html")


def text(path: Path) -> dict[str, str]:
    doc = lxml.html.parse(str(path)).getroot()
    for bad in doc.xpath('//a[contains(@class,"headerlink")]|//script|//style'):
        bad.drop_tree()
    article = doc.xpath('//article[contains(@class,"bd-article")]')
    return {"title": " ".join(doc.xpath("//title/text()")).strip(),
            "crumbs": re.sub(r"\s+", " ", " ".join(n.text_content() for n in doc.xpath('//nav[contains(@class,"gov-breadcrumbs")]'))).strip(),
            "article": re.sub(r"\s+", "", article[0].text_content()) if article else ""}


def main(argv: list[str]) -> int:
    before, after = Path(argv[0]), Path(argv[1])
    compared = differences = 0
    for pattern in argv[2:] or PORTAL:
        for old in sorted(before.glob(pattern)):
            rel = old.relative_to(before)
            compared += 1
            if not (after / rel).is_file():
                print(f"MISSING {rel}")
                differences += 1
                continue
            a, b = text(old), text(after / rel)
            for part in a:
                if a[part] != b[part]:
                    differences += 1
                    print(f"DIFF {rel} [{part}]")
                    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a[part], b[part]).get_opcodes():
                        if op != "equal":
                            print(f"   {op}: {a[part][max(0, i1 - 30):i2 + 30]!r} -> {b[part][max(0, j1 - 30):j2 + 30]!r}")
    print(f"{compared} pages compared, {differences} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
