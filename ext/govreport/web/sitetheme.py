"""The site's look, in one place: theme, header, footer, search box, favicon.

``html_settings(root)`` returns the ``html_*`` settings of conf.py. The site's
own facts (its name, the office that runs it, contact, 网站标识码, ICP 备案号)
are read from ``site.toml`` at the repository root, so that an office changes
them without touching Python. The benchmark's csv-table baseline takes the same
settings, so both editions pay for the same theme.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ..format.spec import load_spec

HERE = Path(__file__).parent.parent  # the package: its templates/ and static/
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

#: site.toml keys, with what the site shows when one is not given.
SITE_DEFAULTS: dict[str, str] = {
    "name": "政府信息公开工作年度报告",
    "office": "",  # 主办单位
    "address": "",
    "phone": "",
    "email": "",
    "site_code": "",  # 网站标识码
    "icp": "",  # ICP 备案号
    "police": "",  # 公安机关备案号
}


def load_site(root: Path) -> dict[str, str]:
    """The site settings in ``root/site.toml`` over the defaults (all strings)."""
    site = dict(SITE_DEFAULTS)
    path = root / "site.toml"
    if path.is_file():
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        unknown = sorted(set(data) - set(SITE_DEFAULTS))
        if unknown:
            raise ValueError(f"site.toml：未知的设置项 {'、'.join(unknown)}；可用：{'、'.join(SITE_DEFAULTS)}")
        site.update({k: str(v).strip() for k, v in data.items()})
    return site


def html_settings(root: Path) -> dict[str, Any]:
    """Every ``html_*`` setting of the site (for ``globals().update`` in conf.py)."""
    site = load_site(root)
    return {
        "html_theme": "pydata_sphinx_theme",
        "html_title": site["name"],
        "html_short_title": site["name"],
        "html_favicon": str(STATIC / "favicon.svg"),
        "templates_path": [str(TEMPLATES)],
        "html_static_path": [str(STATIC)],
        "html_css_files": ["govreport.css"],
        "html_js_files": ["govreport.js"],
        "html_context": {"gov_site": site, "default_mode": "light"},
        "html_theme_options": {
            "navbar_start": ["gov-brand.html"],
            "navbar_center": ["gov-nav.html"],
            "navbar_end": [],
            # A plain form (search.html?q=…): works on every page, without a script (issue 21).
            "navbar_persistent": ["gov-search-field.html"],
            "disable_search": True,  # no Ctrl+K dialog: the header's form is the search box
            "navbar_align": "left",
            # The example query: a row label of the form (t4's review), as the spec writes it.
            "search_bar_text": f"搜索报告内容，例如：{load_spec('2021').tables['t4'].rows['review'].label}",
            "article_header_start": ["gov-breadcrumbs.html"],
            # Previous/next and the agency's other years are part of each report page.
            "show_prev_next": False,
            "secondary_sidebar_items": ["page-toc.html"],
            "primary_sidebar_end": [],
            "footer_start": ["gov-footer.html"],
            "footer_center": [],
            "footer_end": [],
            "show_toc_level": 1,
            "back_to_top_button": True,
            "pygments_light_style": "default",
            "pygments_dark_style": "default",
        },
        # No primary sidebar: no page builds the whole site's tree (that grows as N²).
        "html_sidebars": {"**": []},
        "html_show_sourcelink": False,
        "html_show_sphinx": False,
        "html_show_copyright": False,
        "html_copy_source": False,
        "html_last_updated_fmt": None,
        "html_permalinks": False,
        # No general index (genindex.html, linked from every page's head): reports have no index entries,
        # it was an empty page, and a sharded site has no one build that reads every page's (issue 22).
        "html_use_index": False,
    }
