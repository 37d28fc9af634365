"""A district's or province's rule packs (issue 20): the YAML files its ``portal.toml`` names.

    rule_packs = ["rules/shiliqu.yaml"]     # repository-relative, inside the repository

Each pack is loaded and validated by ``format.rulepack`` (errors name ``file:line``,
raised as :class:`~govreport.format.rulepack.PackError`, like a spec's), its codes
declared in the findings catalogue, and its rules run by ``checks.packrules`` in
the check pipeline, before the waivers (a rule in ``checks.registry.RULES``: :func:`register`).
The packs and portal.toml are files every check reads, so editing a pack checks
the reports again (the check cache, a build). Pure Python.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from ..checks.registry import RULES
from ..findings import Finding, declare_pack_code
from ..model.pagefile import inside
from ..model.report import Report

if TYPE_CHECKING:
    from ..format.rulepack import Pack

# The loader (format.rulepack: PyYAML, jsonschema) and the rules (checks.packrules) are imported
# when a repository names packs: ``import govreport`` stays as light as without them.

FILE = "portal.toml"
KEY = "rule_packs"
#: More packs than this is a mistake, not a district's rules.
MAX_PACKS = 20

_MEMO: dict[str, tuple[tuple[tuple[str, int], ...], tuple[Pack, ...]]] = {}


@functools.lru_cache(maxsize=16)
def _named(path: Path, mtime: int) -> tuple[object, int, str | None] | None:
    """portal.toml's ``rule_packs`` value, its line and a parse error (None: the key is not
    written); read once per version of the file (``mtime``), not at every report's check."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    m = re.search(rf"^\s*{KEY}\s*=", text, re.MULTILINE)
    if m is None:
        return None
    line = text.count("\n", 0, m.start()) + 1
    try:
        return tomllib.loads(text).get(KEY), line, None
    except tomllib.TOMLDecodeError as exc:
        return None, line, str(exc)


def pack_files(root: Path) -> list[tuple[Path, str]]:
    """The packs ``portal.toml`` names: ``(path, repository-relative name)``; none without the key.
    A wrong list, or a file that is missing or outside the repository, is a :class:`PackError`."""
    named = _named(root / FILE, _mtime(root / FILE))
    if named is None:
        return []  # a district without packs; portal.toml's other readers report its other problems
    from ..format.rulepack import PackError
    names, line, broken = named
    where = f"{FILE}:{line}"
    if broken is not None:
        raise PackError([f"{FILE}:1: portal.toml cannot be read ({broken})"])
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names) or len(names) > MAX_PACKS:
        raise PackError([f'{where}: {KEY}: write a list of at most {MAX_PACKS} files, e.g. {KEY} = ["rules/district.yaml"]'])
    out: list[tuple[Path, str]] = []
    errors: list[str] = []
    real = root.resolve()
    for name in dict.fromkeys(names):
        path = root / name
        if os.path.isabs(name) or not inside(path, [real]):
            errors.append(f"{where}: {KEY}: “{name}” is outside the repository")
        elif not path.is_file():
            errors.append(f"{where}: {KEY}: “{name}” does not exist")
        else:
            out.append((path, Path(name).as_posix()))
    if errors:
        raise PackError(errors)
    return out


def packs(root: Path) -> tuple[Pack, ...]:
    """The loaded packs of the repository at ``root``, their codes declared; read again when
    portal.toml or a pack changes. Raises :class:`PackError`."""
    files = pack_files(root)
    if not files:
        _MEMO.pop(str(root), None)
        return ()
    from ..format.rulepack import load_packs

    stamp = tuple((str(p), _mtime(p)) for p in [root / FILE, *(p for p, _ in files)])
    hit = _MEMO.get(str(root))
    if hit is not None and hit[0] == stamp:
        for pack in hit[1]:  # another repository checked in this process may have declared the same code
            for rule in pack.rules:
                declare_pack_code(rule.code)
        return hit[1]
    loaded = load_packs(files)
    _MEMO[str(root)] = (stamp, loaded)
    return loaded


def _mtime(path: Path) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def check_rule_packs(report: Report) -> list[Finding]:
    """The packs' findings; portal.toml and the packs are files this check read."""
    loaded = packs(report.root)
    report.files.extend([report.root / FILE, *(report.root / p.path for p in loaded)])
    if not loaded:
        return []
    from ..checks.packrules import check_packs

    return check_packs(report, loaded)


def register() -> None:
    """Run the packs in every check, after the portal's rules and before the waivers (idempotent)."""
    RULES.add(check_rule_packs, name="portal.rule_packs", order=750, codes=(), pack_codes=True)
