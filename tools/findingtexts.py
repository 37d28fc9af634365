"""Who writes finding messages: figures for issue 20 (item 2), before and after the templates.

``python3 tools/findingtexts.py [PACKAGE_DIR]`` prints, for the package's sources (default
ext/govreport): the calls that construct a finding (``Finding.make``/``Finding.of``/``Finding(``),
how many of them pass a message text of their own (a string, f-string or other expression as the
message), the modules that do, and for each code the number of distinct message texts written at
call sites. Reads source only (works on an old checkout too).

``--assembled`` lists instead the message parts still assembled in Python from Chinese text: a
``Finding.of``/``Finding.declared`` field (or one of a helper of the module handing its ``**fields`` on) (a template's named field, not ``expected``/``found``)
whose value is, or is a local name assigned from, an expression containing a Chinese literal
(a text, an f-string's text, the separator of a ``str.join``); exits 1 when there is one.
``CATALOGUE[…].phrase(…)`` is the catalogue's wording and does not count.
"""

from __future__ import annotations

import ast
import re
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


#: Chinese characters and the full-width punctuation the messages use (＋ ； ， “ ” …).
CHINESE = re.compile(r"[\u3000-\u303f\u2014\u2018-\u201d\u2026\u4e00-\u9fff\uff00-\uffef]")
#: Keyword arguments of a finding that are not fields of its message.
NOT_FIELDS = frozenset({"variant", "line", "col", "column", "expected", "found"})


def _chinese(expr: ast.expr) -> list[str]:
    """The Chinese literals in ``expr``, leaving out the catalogue's phrases (``….phrase(…)``)."""
    out: list[str] = []

    def walk(node: ast.AST) -> None:
        if isinstance(node, ast.Compare):
            return  # ``"未" in text``: a test, not a text of the message
        if isinstance(node, ast.IfExp):
            walk(node.body)
            walk(node.orelse)
            return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr not in ("join", "format"):
            if node.func.attr != "phrase":  # the catalogue's wording; ``s.split("、")`` parses a value
                walk(node.func.value)
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CHINESE.search(node.value):
            out.append(node.value)
        for child in ast.iter_child_nodes(node):
            walk(child)

    walk(expr)
    return out


def _assignments(func: ast.AST) -> dict[str, list[ast.expr]]:
    """Every value assigned (or augmented, or appended) to each local name in ``func``."""
    out: dict[str, list[ast.expr]] = defaultdict(list)
    for node in ast.walk(func):
        if isinstance(node, ast.Assign):
            for t in node.targets:  # a name, or names unpacked (not ``d[k] = …``: that names no text)
                if isinstance(t, ast.Name):
                    out[t.id].append(node.value)
                elif isinstance(t, (ast.Tuple, ast.List)):  # ``a, b = x, y`` (or ``… if … else …``): each its own
                    branches = [node.value.body, node.value.orelse] if isinstance(node.value, ast.IfExp) else [node.value]
                    for value in branches:
                        if isinstance(value, (ast.Tuple, ast.List)):
                            for n, v in zip(t.elts, value.elts, strict=False):
                                if isinstance(n, ast.Name):
                                    out[n.id].append(v)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name) and node.value:
            out[node.target.id].append(node.value)
        elif isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.target, ast.Name):
            out[node.target.id].append(node.iter)  # ``for k in KEYS``: k.what is KEYS' text
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("append", "extend")
              and isinstance(node.func.value, ast.Name)):
            out[node.func.value.id] += node.args
    return out


def _value_names(expr: ast.expr) -> list[str]:
    """The local names whose text becomes (part of) ``expr``'s value: the name itself, the operands
    of ``+``/``or``/``… if … else …``, an f-string's fields, the items a ``str.join`` joins; not the
    arguments of other calls, attributes or indexes (a label looked up in the spec is a value)."""
    if isinstance(expr, ast.Name):
        return [expr.id]
    if isinstance(expr, (ast.Attribute, ast.Subscript)):  # ``k.what``, ``RETIRED[k]``: the text of k's data
        return _value_names(expr.value)
    if isinstance(expr, (ast.Tuple, ast.List)):
        return [n for e in expr.elts for n in _value_names(e)]
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):  # a function of the module: what it returns
        return [f"{expr.func.id}()"]
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in ("items", "values", "get"):
        return _value_names(expr.func.value)
    if isinstance(expr, ast.BinOp):
        return _value_names(expr.left) + _value_names(expr.right)
    if isinstance(expr, ast.BoolOp):
        return [n for v in expr.values for n in _value_names(v)]
    if isinstance(expr, ast.IfExp):
        return _value_names(expr.body) + _value_names(expr.orelse)
    if isinstance(expr, ast.JoinedStr):
        return [n for v in expr.values if isinstance(v, ast.FormattedValue) for n in _value_names(v.value)]
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "join" and expr.args:
        arg = expr.args[0]
        return _value_names(arg.elt) if isinstance(arg, (ast.GeneratorExp, ast.ListComp)) else _value_names(arg)
    return []


def assembled(root: Path) -> list[str]:
    """``path:line: CODE field: literals`` for every message field built from Chinese text in Python."""
    found: list[str] = []
    for path in sorted(root.rglob("*.py")):
        if path == root / "findings.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        # The module's names: its constants, and what each of its functions returns (``f()``).
        module: dict[str, list[ast.expr]] = defaultdict(list)
        for stmt in tree.body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                for t in stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]:
                    if isinstance(t, ast.Name):
                        module[t.id].append(stmt.value)
        for f in functions:
            local = _assignments(f)
            for ret in ast.walk(f):
                if isinstance(ret, ast.Return) and ret.value is not None:
                    module[f"{f.name}()"].append(ret.value)
                    # what the function's own names hold: followed as names of the module (one level)
                    for n in _value_names(ret.value):
                        module[f"{f.name}()"] += local.get(n, [])
        # A helper that hands its keyword arguments on to a finding (``def bad(…, **fields)``) is a
        # finding's constructor too: its callers' fields are checked as the finding's.
        makers = {"Finding.of", "Finding.declared"}
        for f in functions:
            rest = f.args.kwarg.arg if f.args.kwarg else None
            for call in ast.walk(f):
                if (rest and isinstance(call, ast.Call) and ast.unparse(call.func) in ("Finding.of", "Finding.declared")
                        and any(rest in {n.id for n in ast.walk(k.value) if isinstance(n, ast.Name)} for k in call.keywords)):
                    makers.add(f.name)
        for scope in functions:
            names = {**module, **_assignments(scope)}
            for node in ast.walk(scope):
                if not (isinstance(node, ast.Call) and ast.unparse(node.func) in makers):
                    continue
                code = ast.unparse(node.args[0]).strip("\"'") if node.args else "?"
                for kw in node.keywords:
                    if kw.arg in NOT_FIELDS:
                        continue
                    seen: set[str] = set()
                    todo, lits = [kw.value], []
                    while todo:  # the value, and what the local names it is made of were assigned
                        expr = todo.pop()
                        lits += _chinese(expr)
                        for n in _value_names(expr):
                            if n not in seen:
                                seen.add(n)
                                todo += names.get(n, [])
                    entry = f"{path.relative_to(root)}:{node.lineno}: {code} {kw.arg or '**'}: {' '.join(sorted(set(lits)))}"
                    if lits and entry not in found:
                        found.append(entry)
    return found


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--assembled":
        parts = assembled(Path(argv[1] if len(argv) > 1 else "ext/govreport"))
        print(f"message parts assembled in Python from Chinese text: {len(parts)}")
        if parts:
            print("\n".join(parts))
        return 1 if parts else 0
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
