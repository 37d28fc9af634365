"""Sharded publishing (issue 22, item 3): ``make site SHARD=k/N`` and ``make site-assemble``.

The synthetic district in 3 shards, assembled, is byte for byte the one-job
``make site`` (same SOURCE_DATE_EPOCH, different folders); each shard read and
typeset only its own agencies' reports. The assemble job refuses shards that
are missing or disagree with its own checks.
"""

from __future__ import annotations

import filecmp
import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from govreport.portal.publish import Plan
from govreport.portal.shards import Shard, parse, shard_of
from govreport.portal.shardsite import Handed, _lay_out, agree
from govreport.web import sitefiles
from portal_helpers import district_into
from test_publish import ROOT, clean_env, project_copy

EPOCH = "1706659200"  # 2024-01-31


def district_project(dest: Path) -> Path:
    """The project (Makefile, conf.py, the shared .venv) with the synthetic district as its reports;
    one report left a draft by a placeholder on its page (X802): the index's card says so, from what
    the report's shard found when it read the page."""
    project_copy(dest)
    for part in ("data", "docs"):
        shutil.rmtree(dest / part)
    district_into(dest)
    docs = dest / "docs"
    page = docs / "nanshan" / "2023.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n（请概述本年度政府信息公开工作。）\n", encoding="utf-8")
    # What a part must write as the whole build does, though it has not read the other page: the
    # header's link to the codes page (hasdoc), images of the same name in two agencies' pages, a
    # Markdown link and a {doc} link from one part's page to another's.
    shutil.copy(ROOT / "docs" / "codes.md", docs / "codes.md")
    index = docs / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("status\n", "status\ncodes\n"), encoding="utf-8")
    for agency, colour in (("nanshan", b"\x00"), ("jiaoyu", b"\xff")):
        (docs / agency / "org.png").write_bytes(_png(colour))
        report = docs / agency / "2022.md"
        report.write_text(report.read_text(encoding="utf-8") + "\n![机构图](org.png)\n\n参见[水务局 2023 年报告](../shuiwu/2022.md)和{doc}`西关 <../xiguan/2022>`。\n", encoding="utf-8")
    rollup = docs / "agency-quzhengfu.md"
    rollup.write_text(rollup.read_text(encoding="utf-8") + "\n最新的一份：[南山 2023 年报告](nanshan/2023.md)。\n", encoding="utf-8")
    return dest


def _png(grey: bytes) -> bytes:
    """A 1×1 grey PNG."""
    raw = b"\x00" + grey
    body = zlib.compress(raw)
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def make(tree: Path, *args: str) -> str:
    proc = subprocess.run(["make", "-s", *args], cwd=tree, env=clean_env(SOURCE_DATE_EPOCH=EPOCH, FORCE_SOURCE_DATE="1", JOBS="2"),
                          capture_output=True, text=True)
    assert proc.returncode == 0, f"make {' '.join(args)}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


@pytest.mark.slow
def test_three_shards_assemble_to_the_one_job_site(tmp_path: Path) -> None:
    one = district_project(tmp_path / "one")
    make(one, "site")
    sharded = district_project(tmp_path / "sharded")
    agencies = sorted(p.name for p in (sharded / "data").iterdir())
    for k in (1, 2, 3):
        out = make(sharded, "site", f"SHARD={k}/3")
        mine = [a for a in agencies if shard_of(a, 3) == k]
        assert f"分片 {k}/3：{len(mine)} 个单位" in out
        # The shard read and typeset its own agencies' reports only.
        work = sharded / "_build" / "publish" / f"shard-{k}"
        read = {p.parent.name for p in (work / "doctrees" / "latex").glob("*/*.doctree")}
        assert read == set(mine), (k, read, mine)
        assert {p.stem.rsplit("-", 1)[0] for p in (sharded / "_build" / "shards" / f"shard-{k}" / "pdf").glob("*.pdf")} <= set(mine)
        # Its HTML and Word builds too (and the index, which Sphinx must have; not handed over).
        for builder in ("html", "docx"):
            read = {p.parent.name for p in (work / "doctrees" / builder).glob("*/*.doctree")}
            assert read == set(mine), (k, builder, read, mine)
        handed = sharded / "_build" / "shards" / f"shard-{k}" / "html"
        assert {p.name for p in handed.iterdir() if p.is_dir()} <= {*mine, "data", "opendata", "_sources", "_images"}
        assert not [p for p in handed.iterdir() if p.is_file()]
    manifest = json.loads((sharded / "_build/shards/shard-2/shard.json").read_text(encoding="utf-8"))
    assert "shuiwu/2023" in manifest["reports"] and "shuiwu/2023" not in manifest["published"]  # withheld (R303)
    make(sharded, "site-assemble")
    # The site-wide build read no page of an agency: the shards built them.
    site_part = sharded / "_build" / "publish" / "site-part" / "doctrees" / "html"
    assert not list(site_part.glob("*/*.doctree")) and (site_part / "index.doctree").is_file()

    a, b = one / "_build" / "site", sharded / "_build" / "site"
    files = sitefiles.files(a)
    assert files == sitefiles.files(b)
    assert len([f for f in files if f.startswith("pdf/")]) == 17 and "pdf/shuiwu-2023.pdf" not in files
    _, mismatch, errors = filecmp.cmpfiles(a, b, files, shallow=False)
    assert mismatch == [] and errors == [], mismatch + errors
    assert "objects.inv" not in files
    # The draft's card on the index (written by the site-wide build, from the shard's reading of the page).
    card = re.search(r'<li class="gov-agency-card"[^>]*>(?:(?!</li>).)*nanshan/2023\.html(?:(?!</li>).)*</li>', (b / "index.html").read_text(encoding="utf-8"), re.S)
    assert card is not None and "gov-badge-draft" in card.group(0)

    # The cross-part links and images are there, as in the one-job site.
    page = (b / "nanshan" / "2022.html").read_text(encoding="utf-8")
    assert 'href="../shuiwu/2022.html"' in page and 'href="../xiguan/2022.html"' in page
    assert len({p.name for p in (b / "_images").iterdir()}) == 2
    assert 'href="nanshan/2023.html"' in (b / "agency-quzhengfu.html").read_text(encoding="utf-8")
    assert 'href="../codes.html"' in page

    # Again in the same folders, after a report became withheld and with another count of shards:
    # what the earlier runs left (pages, records of agencies now in another shard; the withheld
    # report's) does not reach the site, which is the one-job site's again.
    for tree in (one, sharded):
        t4 = tree / "data" / "jiaoyu" / "2022" / "table4.csv"
        t4.write_text(t4.read_text(encoding="utf-8").replace("行政复议,", "行政复议,9", 1), encoding="utf-8")
    make(one, "site")
    for k in (1, 2):
        make(sharded, "site", f"SHARD={k}/2")
    assert not (sharded / "_build" / "shards" / "shard-3").exists()  # a shard of 2 drops those of 3
    make(sharded, "site-assemble")
    files = sitefiles.files(a)
    assert "jiaoyu/2022.html" not in files and files == sitefiles.files(b)
    _, mismatch, errors = filecmp.cmpfiles(a, b, files, shallow=False)
    assert mismatch == [] and errors == [], mismatch + errors

    # A missing shard: the assemble job refuses to publish.
    shutil.rmtree(sharded / "_build" / "shards" / "shard-2")
    proc = subprocess.run(["make", "-s", "site-assemble"], cwd=sharded, env=clean_env(SOURCE_DATE_EPOCH=EPOCH), capture_output=True, text=True)
    assert proc.returncode != 0 and "缺少分片 2/2" in proc.stderr


def test_shard_spec_and_stability() -> None:
    assert parse("2/4") == Shard(2, 4) and str(parse(" 3 / 10 ")) == "3/10"
    for bad in ("0/4", "5/4", "4", "a/b", "1/0"):
        with pytest.raises(ValueError, match="分片应写成 k/N"):
            parse(bad)
    # By agency only: every shard of N, stable whatever else is in the repository.
    assert [shard_of(a, 3) for a in ("dongyuan", "jiaoyu", "nanshan", "quzhengfu", "shuiwu", "xiguan")] == [3, 1, 2, 3, 2, 1]
    assert all(Shard(shard_of(a, 7), 7).has(a) for a in ("a", "b", "xiangshan"))


def test_assemble_refuses_shards_that_disagree(tmp_path: Path) -> None:
    every = ["jiaoyu/2023", "nanshan/2023", "xiguan/2023"]
    by = {k: shard_of(k.split("/")[0], 2) for k in every}
    p = Plan(published=["jiaoyu/2023", "xiguan/2023"], withheld={"nanshan/2023": 1})

    def handed(k: int, published: list[str] | None = None) -> Handed:
        mine = [r for r in every if by[r] == k]
        return Handed(tmp_path, Shard(k, 2), mine, [r for r in mine if r in p.published] if published is None else published)

    assert agree(p, [handed(1), handed(2)], every) == []
    assert agree(p, [handed(1)], every) == ["缺少分片 2/2"]
    assert agree(p, [], every) == ["_build/shards 中没有分片：先运行 make site SHARD=k/N（k = 1…N）"]
    k = by["nanshan/2023"]
    wrong = agree(p, [handed(k, ["nanshan/2023"]), handed(3 - k)], every)
    assert wrong == [f"分片 {k}/2 的检查结果与汇总时的检查结果不一致：重新运行这个分片"]


def test_make_site_shard_value_is_not_shell(tmp_path: Path) -> None:
    """SHARD reaches the program through the environment, never through a shell (like AGENCY, FILE…)."""
    tree = project_copy(tmp_path / "p")
    proc = subprocess.run(["make", "-s", "site", "SHARD=1/2; touch pwned"], cwd=tree, env=clean_env(), capture_output=True, text=True)
    assert proc.returncode != 0 and "分片应写成 k/N（1 ≤ k ≤ N ≤ 1000），例如 SHARD=2/4；现在是“1/2; touch pwned”" in proc.stderr
    assert not (tree / "pwned").exists()


def test_lay_out_links_pages_and_leaves_each_hand_over_as_it_was(tmp_path: Path) -> None:
    """The shards' pages are hard links in the site-wide build's output; a file two shards both
    hand over is the later one's without writing into the earlier's; images, which Sphinx copies
    into in place, are copies."""
    shards = []
    for k, agency, image in ((1, "a", "one"), (2, "b", "two")):
        folder = tmp_path / "_build" / "shards" / f"shard-{k}"
        for rel, text in ((f"{agency}/2021.html", agency), ("_images/e-0a1b2c3d.png", image), (f"{agency}/2021.json", "{}")):
            sub = "search" if rel.endswith(".json") else "html"
            (folder / sub / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / sub / rel).write_text(text, encoding="utf-8")
        shards.append(Handed(folder, Shard(k, 2), [f"{agency}/2021"], [f"{agency}/2021"]))
    html, _ = _lay_out(tmp_path, shards)
    first = tmp_path / "_build" / "shards" / "shard-1" / "html"
    assert (html / "a" / "2021.html").stat().st_ino == (first / "a" / "2021.html").stat().st_ino
    assert (html / "_images" / "e-0a1b2c3d.png").read_text(encoding="utf-8") == "two"
    assert (first / "_images" / "e-0a1b2c3d.png").read_text(encoding="utf-8") == "one"
    assert (html / "_images" / "e-0a1b2c3d.png").stat().st_ino != (tmp_path / "_build/shards/shard-2/html/_images/e-0a1b2c3d.png").stat().st_ino
