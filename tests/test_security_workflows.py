"""Issue 17: the workflows run with least privilege."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

WORKFLOWS = sorted((Path(__file__).resolve().parents[1] / ".github/workflows").glob("*.yml"))


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_checkout_keeps_no_token() -> None:
    for path in WORKFLOWS:
        for name, job in load(path)["jobs"].items():
            for step in job.get("steps", []):
                if str(step.get("uses", "")).startswith("actions/checkout"):
                    assert step.get("with", {}).get("persist-credentials") is False, f"{path.name}: {name}"


def test_read_only_by_default_and_pages_write_only_when_publishing_main() -> None:
    for path in WORKFLOWS:
        wf = load(path)
        assert wf["permissions"] == {"contents": "read"}, path.name
        for name, job in wf["jobs"].items():
            perms = job.get("permissions", {})
            writes = {k for k, v in perms.items() if v == "write"}
            if writes:
                assert path.name == "pages.yml" and name == "deploy" and writes == {"pages", "id-token"}
                assert "refs/heads/main" in job["if"]


def test_no_fork_code_with_secrets() -> None:
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        assert "secrets." not in text and "secrets: inherit" not in text, path.name
        wf = load(path)
        triggers = wf.get(True, wf.get("on"))  # YAML 1.1 reads the key "on" as True
        assert not {"pull_request_target", "workflow_run"} & set(triggers or {}), path.name
