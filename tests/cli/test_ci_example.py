"""The CI example's commands work as written on a real template (the fixtures stand in for infra/main.json)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = (ROOT / "examples" / "ci" / "github-actions.yml").read_text(encoding="utf-8")


def commands() -> list[list[str]]:
    lines = re.findall(r"run: (python -m amr_cmk check [^>\n]*?)(?: > \S+)?\n", WORKFLOW)
    assert len(lines) == 2, lines
    return [line.split()[3:] for line in lines]


def test_ci_example_commands() -> None:
    text_args, sarif_args = commands()
    broken = str(ROOT / "tests" / "fixtures" / "arm" / "broken.json")
    valid = str(ROOT / "tests" / "fixtures" / "arm" / "valid.json")
    run = lambda args, f: subprocess.run([sys.executable, "-m", "amr_cmk", *args[:-1], f], capture_output=True)  # noqa: E731
    assert run(text_args, broken).returncode == 1
    assert run(text_args, valid).returncode == 0
    sarif = run(sarif_args, broken)
    assert sarif.returncode == 0
    doc = json.loads(sarif.stdout)
    assert doc["version"] == "2.1.0" and doc["runs"][0]["results"]
