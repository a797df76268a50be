"""Every way a command line can go wrong ends in one line on standard error (`amr-cmk: error: ...`, the
core's wording) and exit code 2, in both CLIs: never a Python traceback or a Node stack trace."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_BIN = ROOT / "bindings-js" / "bin" / "amr-cmk.js"
ENV = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
TRACE_TEXT = (b"Traceback", b'File "', b"    at ", b"node:internal", b"Error: ", b"panicked")

def cases(tmp: Path) -> dict[str, tuple[list[str], bytes]]:
    """Name -> (arguments, a piece the message must hold)."""
    (tmp / "empty-dir").mkdir()
    (tmp / "empty-dir" / "notes.txt").write_text("nothing to check\n")
    (tmp / "invalid.json").write_text('{\n  "resources": [\n    1,,\n  ]\n}\n')
    (tmp / "deep.json").write_text("[" * 100 + "]" * 100)
    (tmp / "nested.json").write_text('{"a": {"b": {"c": [1]}}}')
    # One string over the 16 MiB string limit (the document as a whole is well within the size limit).
    (tmp / "long-string.json").write_text(json.dumps({"name": "x" * (16 * 1024 * 1024 + 1)}))
    (tmp / "not-utf8.json").write_bytes(b'{"a": "\xff\xfe"}')
    return {
        "unreadable file": (["check", str(tmp / "missing.json")], b"No such file or directory"),
        "directory with nothing to check": (["check", str(tmp / "empty-dir")], b"no Terraform"),
        "invalid JSON, with line and column": (["check", str(tmp / "invalid.json")], b"line 3 column 7"),
        "document over the depth limit": (["check", str(tmp / "deep.json")], b"[input.too_deep]"),
        "string over the length limit": (["check", str(tmp / "long-string.json")], b"[input.string_too_long]"),
        "not UTF-8 and not a resource": (["check", str(tmp / "not-utf8.json")], b"[input.unrecognized_format]"),
        "document over a limit set by an option": (
            ["check", "--max-depth", "2", str(tmp / "nested.json")],
            b"nested deeper than 2 levels [input.too_deep]",
        ),
        "document over --max-bytes": (["check", "--max-bytes", "1K", str(tmp / "long-string.json")], b"[input.too_large]"),
        "limit out of range": (["check", "--max-depth", "100", "x.json"], b"--max-depth must be an integer from 1 to 64"),
        "unknown option": (["check", "--frobnicate", "x.json"], b"unknown option '--frobnicate'"),
        "unknown command": (["frobnicate"], b"unknown command"),
        "bad option value": (["check", "--format", "xml", "x.json"], b"--format must be"),
    }


def run(cli: str, args: list[str]) -> subprocess.CompletedProcess[bytes]:
    cmd = [sys.executable, "-m", "amr_cmk"] if cli == "python" else ["node", str(NODE_BIN)]
    return subprocess.run([*cmd, *args], capture_output=True, env=ENV, timeout=60)


@pytest.mark.parametrize("cli", ["python", "node"])
def test_errors_are_one_line_and_exit_2(cli: str, tmp_path: Path) -> None:
    failures = []
    for name, (args, piece) in cases(tmp_path).items():
        out = run(cli, args)
        lines = out.stderr.decode("utf-8", "replace").splitlines()
        problems = []
        if out.returncode != 2:
            problems.append(f"exit {out.returncode}")
        if not lines or not lines[0].startswith("amr-cmk: error: "):
            problems.append("no 'amr-cmk: error:' line")
        # The message is one line; a usage error may add the one-line hint to --help.
        if len(lines) > 2 or (len(lines) == 2 and not lines[1].startswith("Run `amr-cmk --help`")):
            problems.append(f"{len(lines)} lines")
        if piece not in out.stderr:
            problems.append(f"no {piece!r}")
        if any(t in out.stderr for t in TRACE_TEXT):
            problems.append("a stack trace")
        if out.stdout:
            problems.append("output on stdout")
        if problems:
            failures.append(f"{name}: {', '.join(problems)}: {out.stderr[:400]!r}")
    assert not failures, "\n".join(failures)

def test_both_clis_say_the_same(tmp_path: Path) -> None:
    for name, (args, _) in cases(tmp_path).items():
        py, node = run("python", args), run("node", args)
        assert (py.returncode, py.stderr) == (node.returncode, node.stderr), name
