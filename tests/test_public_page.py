"""The published edition (``make site``) shows the public no writer's to-do list.

In a writer's build a report page with a warning opens with the 检查提示 box
and marks the cells; in the published edition (``govreport_publish =
"passing"``) the same page has neither, while the warning is still logged.
dongyuan 2022 of the synthetic district repeats its 2021 narrative: U910.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

PAGE = Path("dongyuan") / "2022.html"


@pytest.mark.sphinx("html", testroot="district")
def test_writer_build_shows_the_warning_on_the_page(app: SphinxTestApp) -> None:
    app.build()
    page = (Path(app.outdir) / PAGE).read_text(encoding="utf-8")
    assert "检查提示：1 个警告" in page and "U910" in page


@pytest.mark.sphinx("html", testroot="district", confoverrides={"govreport_publish": "passing"})
def test_published_page_has_no_findings_box(app: SphinxTestApp) -> None:
    app.build()
    assert app.statuscode == 0
    page = (Path(app.outdir) / PAGE).read_text(encoding="utf-8")
    assert "检查提示" not in page and "gov-findings" not in page and "gov-flag" not in page
    assert "U910" in strip_colors(app.warning.getvalue())  # still in the build log
