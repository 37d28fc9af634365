"""A district's rule packs in the Sphinx build (issue 20): loaded before any page is read.

A broken pack is a ``ConfigError`` naming its file and line, as a broken format
spec is (``_load_specs``); a good one declares its codes, so every page's check
(the rule ``portal.rule_packs``) reports its findings as build warnings, and the codes page
(``finding-codes``) lists them after the catalogue's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError

from ..findings import Code
from ..format.rulepack import PackError
from ..portal.rulepacks import FILE, packs
from .common import note_files


def pack_codes(env: BuildEnvironment, root: Path) -> list[Code]:
    """The codes the repository's packs declare, in pack order (none when a pack is broken:
    the build has stopped with its errors already); the page listing them depends on the packs."""
    try:
        loaded = packs(root)
    except PackError:
        loaded = ()
    # An absent portal.toml is watched, not noted (Sphinx would read the page on every build).
    note_files(env, [root / FILE, *(root / pack.path for pack in loaded)])
    return [rule.code for pack in loaded for rule in pack.rules]


def _load_packs(app: Sphinx, config: Config) -> None:
    try:
        packs(Path(config.govreport_root).resolve())
    except PackError as exc:
        raise ConfigError(f"规则包有误：\n{exc}") from None  # the located lines are the whole story


def setup_rulepacks(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _load_packs, priority=600)  # after the root is known (_default_root)
    return {}
