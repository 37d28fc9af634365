"""A province of N member districts (issue 22, federation): figures, not assertions.

    PYTHONPATH=ext:. python -m bench.federation_scale [--members 10] [--towns 6] [--depts 3] [--years 3] [--repeat 1]

Makes N synthetic districts (``python -m govreport.portal.district``, seeds 1..N, 示例数据), publishes each
(``govreport site --no-pdf``, as ``make site`` without PDFs), then a province repository naming their
published sites by path in portal.toml, and times its ``govreport site --no-pdf`` with its peak
memory (GNU time, the largest process), cold and again with nothing changed. ``--repeat K`` names
each district K times (K×N members, the same files read again): the province's cost as members grow.
``--web``: the members are read over http from a local server (``url =``) instead of by path.
Also the loader alone (read, check and add up every member, no Sphinx). Prints a Markdown table and
the machine's load.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "work" / "federation-scale"


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO / "ext"), SOURCE_DATE_EPOCH="1706659200")


def run(cmd: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall seconds, peak MB and output of ``cmd`` (GNU time)."""
    proc = subprocess.run(["/usr/bin/time", "-f", "GNUTIME %e %M", *cmd], cwd=cwd, env=_env(), capture_output=True, text=True)
    m = re.search(r"GNUTIME ([\d.]+) (\d+)", proc.stderr)
    if proc.returncode != 0 or m is None:
        raise SystemExit(f"{' '.join(cmd)} 失败（{proc.returncode}）：\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return float(m.group(1)), int(m.group(2)) / 1024, proc.stdout + proc.stderr


def conf(dest: Path) -> None:
    """The project's conf.py with ``dest`` as the repository root."""
    main = REPO / "conf.py"
    old, new = "ROOT = Path(__file__).parent.resolve()", f"ROOT = Path({str(dest)!r})"
    (dest / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(REPO / 'ext')!r})\n_SRC = open({str(main)!r}, encoding='utf-8').read()\n"
        f"exec(compile(_SRC.replace({old!r}, {new!r}), {str(main)!r}, 'exec'))\n", encoding="utf-8")


def _serve(folder: Path) -> http.server.ThreadingHTTPServer:
    """``folder`` over http on 127.0.0.1 (a thread of this process; the builds are other processes)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--members", type=int, default=10)
    p.add_argument("--towns", type=int, default=6)
    p.add_argument("--depts", type=int, default=3)
    p.add_argument("--years", type=int, default=3)
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--web", action="store_true")
    a = p.parse_args(argv)
    py = sys.executable
    rows: list[tuple[str, float, float]] = []
    districts = []
    reports = csv_bytes = 0
    for i in range(1, a.members + 1):
        d = WORK / f"district-{i:02d}"
        if not (d / "_build" / "site" / "opendata" / "publication.json").is_file():
            shutil.rmtree(d, ignore_errors=True)
            run([py, "-m", "govreport.portal.district", str(d), "--towns", str(a.towns), "--depts", str(a.depts),
                 "--years", str(a.years), "--seed", str(i)], REPO)
            conf(d)
            secs, mb, _ = run([py, "-m", "govreport", "site", "--no-pdf", "-j", "1"], d)
            rows.append((f"district {i} published (`govreport site --no-pdf`)", secs, mb))
        districts.append(d)
        reports += len(list((d / "data").glob("*/*/report.toml")))
        csv_bytes += (d / "_build" / "site" / "opendata" / "all.csv").stat().st_size
    prov = WORK / f"province-{a.members}x{a.repeat}"
    shutil.rmtree(prov, ignore_errors=True)
    (prov / "docs").mkdir(parents=True)
    conf(prov)
    (prov / "docs" / "index.md").write_text("# 示例省（示例数据）\n\n```{federation-index}\n```\n", encoding="utf-8")
    server = _serve(WORK) if a.web else None
    where = (lambda d: f'url = "http://127.0.0.1:{server.server_address[1]}/{d.name}/_build/site/"') if server else (lambda d: f'path = "{d / "_build" / "site"}"')
    members = "".join(f'[[federation.members]]\nname = "示例区{k:02d}-{i:02d}"\n{where(d)}\n\n'
                      for k in range(1, a.repeat + 1) for i, d in enumerate(districts, 1))
    (prov / "portal.toml").write_text(f'[federation]\ntitle = "示例省"\n\n{members}', encoding="utf-8")
    n = a.members * a.repeat
    load = ("from pathlib import Path; from govreport.portal.federation.province import load_province; "
            f"p = load_province(Path({str(prov)!r})); [p.totals(y) for y in p.years]; print(len(p.districts), len(p.findings))")
    secs, mb, _ = run([py, "-c", load], prov)
    rows.append((f"province loader alone: read, check and add up {n} members (no Sphinx)", secs, mb))
    secs, mb, _ = run([py, "-m", "govreport", "site", "--no-pdf", "-j", "1"], prov)
    rows.append((f"province site, {n} members, cold (`govreport site --no-pdf`)", secs, mb))
    secs, mb, _ = run([py, "-m", "govreport", "site", "--no-pdf", "-j", "1"], prov)
    rows.append((f"province site, {n} members, again (nothing changed)", secs, mb))
    if server:
        server.shutdown()
    pages = len(list((prov / "_build" / "site").glob("province-*.html")))
    print(f"\n{'web ' if a.web else ''}{n} members ({a.members} districts × {a.repeat}), {reports * a.repeat} published reports in all, "
          f"all.csv {csv_bytes * a.repeat / 1e6:.1f} MB in all; province pages: {pages} + index\n")
    print("| step | wall s | peak MB |\n|---|---|---|")
    for label, s, m in rows:
        print(f"| {label} | {s:.1f} | {m:.0f} |")
    print("\nload: " + subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
