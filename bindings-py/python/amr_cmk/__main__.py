"""``python -m amr_cmk check FILE...``: reads the files the core asks for and prints what it answers.

Argument parsing, checking and rendering are the core's (``cli_plan`` / ``cli_run``), so this prints the same
bytes as ``npx amr-cmk``. It passes the current UTC time (for the key's expiry checks when there is no ``--now``).
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
from datetime import datetime, timezone
from typing import Any

from . import cli_plan, cli_run


def _read(name: str) -> dict[str, Any]:
    """The file's text (invalid UTF-8 replaced, as Node's reader does), a directory's entry names (subdirectories
    with a trailing ``/``), or the C library's wording of the error."""
    try:
        if name != "-" and os.path.isdir(name):
            with os.scandir(name) as it:
                return {"name": name, "entries": [e.name + ("/" if e.is_dir() else "") for e in it]}
        if name == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(name, "rb") as f:
                data = f.read()
        return {"name": name, "text": data.decode("utf-8", errors="replace")}
    except OSError as e:
        return {"name": name, "error": e.strerror or os.strerror(e.errno or errno.EIO)}


def main(argv: list[str] | None = None) -> int:
    """Runs the command line; returns the exit code (0 pass, 1 findings reach --fail-on, 2 unusable input)."""
    plan = cli_plan(sys.argv[1:] if argv is None else argv)
    inputs = [_read(name) for name in plan["files"]]
    color = plan["color"] == "always" or (
        plan["color"] == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    while True:
        out = cli_run({"plan": plan, "inputs": inputs, "color": color, "now": now})
        # The core asks for more paths (the files of a directory) until it has what it needs.
        more: list[str] = out.get("read", [])
        if not more:
            break
        inputs += [_read(name) for name in more]
    code: int = out["exitCode"]
    stderr: str = out["stderr"]
    current = ""
    try:
        # Backups first, then the files the core asks for (check --patch / --write). Nothing is ever run.
        for b in out.get("backups", []):
            current = b["to"]
            shutil.copyfile(b["from"], b["to"])
        for w in out.get("writes", []):
            current = w["path"]
            with open(w["path"], "w", encoding="utf-8", newline="\n") as f:
                f.write(w["text"])
    except OSError as e:
        stderr = f"amr-cmk: error: cannot write {current}: {e.strerror or os.strerror(e.errno or errno.EIO)}\n"
        code = 2
    sys.stdout.write(out["stdout"])
    sys.stderr.write(stderr)
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
