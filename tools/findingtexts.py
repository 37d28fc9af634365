"""Who writes finding messages: figures for issue 20 (item 2), before and after the templates.

``python3 tools/findingtexts.py [PACKAGE_DIR]`` prints, for the package's sources (default
ext/govreport): the calls that construct a finding (``Finding.make``/``Finding.of``/``Finding(``),
how many of them pass a message text of their own (a string, f-string or other expression as the
message), the modules that do, and for each code the number of distinct message texts written at
call sites. Reads source only (works on an old checkout too).
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path


def _message(node: ast.Call) -> ast.expr | None:
    name = ast.unparse(node.func)
    if name == "Finding.make" and len(node.args) >= 2:
        return node.args[1]
    if name == "Finding":
        return next((k.value for k in node.keywords if k.arg == "message"), None)
    return None


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else "ext/govreport")
    calls = written = fstrings = 0
    modules: set[str] = set()
    texts: dict[str, set[str]] = defaultdict(set)
    for path in sorted(root.rglob("*.py")):
        if path == root / "findings.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and ast.unparse(node.func) in ("Finding.make", "Finding.of", "Finding")):
                continue
            calls += 1
            msg = _message(node)
            if msg is None or (isinstance(msg, ast.Call) and ast.unparse(msg.func) == "str"):
                continue  # Finding.of, or a finding read back from JSON (summary.py)
            written += 1
            fstrings += isinstance(msg, ast.JoinedStr)
            modules.add(str(path.relative_to(root)))
            code = node.args[0] if node.args else None
            if isinstance(code, ast.Constant):
                texts[str(code.value)].add(ast.unparse(msg))
    print(f"finding constructors: {calls}; with a message text written at the call: {written} ({fstrings} f-strings)")
    print(f"modules writing finding messages: {len(modules)}: {' '.join(sorted(modules))}")
    several = {c: len(t) for c, t in sorted(texts.items()) if len(t) > 1}
    print(f"codes with several texts written at call sites: {len(several)}: {several}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
