"""``make new|import|diff|ci-diff``: the user's values from the environment, never the shell.

The Makefile exports each value unexpanded (``$(value NAME)``) as
``GOVREPORT_<NAME>`` and runs ``python -m govreport.cli.makeargs <command>``; the
values reach the program as one argument each, whatever they contain (quotes,
``$``, backticks, spaces, newlines), because no shell ever parses them.
"""

from __future__ import annotations

import os
import sys

USAGE = {
    "new": "用法：make new AGENCY=xiangshan YEAR=2022 [NAME=沙坡头区香山乡]（新机构必须给 NAME）",
    "import": "用法：make import FILE=报告.txt AGENCY=huaian YEAR=2024 [NAME=淮安市] [FORCE=1]",
}


def _env(name: str) -> str:
    return os.environ.get(f"GOVREPORT_{name}", "")


def argv(command: str) -> list[str] | None:
    """The ``python -m govreport`` arguments for ``command``; None when a required value is missing."""
    agency, year, name, full, file = (_env(k) for k in ("AGENCY", "YEAR", "NAME", "FULL_NAME", "FILE"))
    # "--name=VALUE": a value starting with "-" stays a value; likewise "./" before a FILE like that.
    names = ([f"--name={name}"] if name else []) + ([f"--full-name={full}"] if full else [])
    file = f"./{file}" if file.startswith("-") else file
    if command == "new":
        return ["new", agency, year, *names] if agency and year else None
    if command == "import":
        force = ["--force"] if _env("FORCE") else []
        return ["import", file, agency, year, *names, *force] if file and agency and year else None
    if command in ("diff", "ci-diff"):
        return ["diff", *(["--summary"] if command == "ci-diff" else []), _env("BASE") or "HEAD"]
    raise SystemExit(f"unknown command {command}")


def main() -> int:
    from .commands import main as cli_main

    command = sys.argv[1] if len(sys.argv) > 1 else ""
    args = argv(command)
    if args is None:
        print(USAGE[command])
        return 2
    if command in ("new", "import") and not args[2 if command == "new" else 3].isdigit():
        print(f"年度“{args[2 if command == 'new' else 3]}”应为四位数字的年份，例如 2024")
        return 2
    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
