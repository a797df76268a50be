"""``python -m amr_cmk check FILE...``: reads the files the core asks for and prints what it answers.

Argument parsing, checking and rendering are the core's (``cli_plan`` / ``cli_run``), so this prints the same
bytes as ``npx amr-cmk``. It passes the current UTC time (for the key's expiry checks when there is no ``--now``),
and on a terminal shows the core's progress lines for inputs that take over a second (``_Progress``).
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import threading
import time
from datetime import datetime, timezone
from typing import Any, Callable, TypeVar

from . import AmrCmkError, cli_plan, cli_run
from ._types import CliOutput, CliPlan, CliProgress


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


T = TypeVar("T")


class _Progress:
    """The core's progress lines (the plan's ``progress``, then each answer's with ``read``) on standard error,
    only when it is a terminal and only once ``afterMs`` have passed since the start (``AMR_CMK_PROGRESS_AFTER_MS``
    overrides it); each replaces the last (``\\r``, the line, erase to its end) and ``clear`` erases it. The same
    as the Node CLI's ``Progress``."""

    def __init__(self, progress: CliProgress | None) -> None:
        self.enabled = progress is not None and sys.stderr.isatty()
        after = os.environ.get("AMR_CMK_PROGRESS_AFTER_MS", "")
        ms = int(after) if after.isdigit() else int(progress["afterMs"]) if progress else 0
        self.deadline = time.monotonic() + ms / 1000
        self.line = ""
        self.shown = ""

    def stage(self, line: str) -> None:
        self.line = line
        self.tick()

    def tick(self) -> None:
        if self.enabled and self.line != self.shown and time.monotonic() >= self.deadline:
            sys.stderr.write(f"\r{self.line}\x1b[K")
            sys.stderr.flush()
            self.shown = self.line

    def run(self, work: Callable[[], T]) -> T:
        """``work()`` (a core call, which releases the GIL), showing the line if it is still running at the
        deadline."""
        if not self.enabled:
            return work()
        result: list[T] = []
        failure: list[BaseException] = []

        def target() -> None:
            try:
                result.append(work())
            except BaseException as e:  # handed to the main thread
                failure.append(e)

        worker = threading.Thread(target=target, daemon=True)
        worker.start()
        worker.join(max(0.0, self.deadline - time.monotonic()))
        if worker.is_alive():
            self.tick()
            worker.join()
        if failure:
            raise failure[0]
        return result[0]

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.shown = ""


def main(argv: list[str] | None = None) -> int:
    """Runs the command line; returns the exit code (0 pass, 1 findings reach --fail-on, 2 unusable input).

    An error the core raises is one line on standard error (its message and code), exit 2: never a traceback.
    """
    try:
        return _main(argv)
    except AmrCmkError as e:
        sys.stderr.write(f"amr-cmk: error: {e.message} [{e.code}]\n")
    except MemoryError:
        sys.stderr.write("amr-cmk: error: out of memory\n")
    except BrokenPipeError:
        # The reader went away (`| head`): nothing more to say. Point stdout at /dev/null so the interpreter's
        # final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return 130
    return 2


def _main(argv: list[str] | None) -> int:
    plan = cli_plan(sys.argv[1:] if argv is None else argv)
    progress = _Progress(plan.get("progress"))
    try:
        out = _read_and_run(plan, progress)
    finally:
        progress.clear()
    return _finish(out)


def _read_all(names: list[str], progress: _Progress) -> list[dict[str, Any]]:
    read = []
    for name in names:
        read.append(_read(name))
        progress.tick()
    return read


def _read_and_run(plan: CliPlan, progress: _Progress) -> CliOutput:
    """The read loop: the plan's files, then the paths each answer asks for (the files of a directory), until
    the core has what it needs."""
    lines = plan.get("progress")
    if lines:
        progress.stage(lines["reading"])
    inputs = _read_all(plan["files"], progress)
    color = plan["color"] == "always" or (
        plan["color"] == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    while True:
        if lines:
            progress.stage(lines["checking"])
        args = {"plan": plan, "inputs": inputs, "color": color, "now": now}
        out = progress.run(lambda: cli_run(args))
        more: list[str] = out.get("read", [])
        if not more:
            return out
        lines = out.get("progress")
        if lines:
            progress.stage(lines["reading"])
        inputs += _read_all(more, progress)


def _finish(out: CliOutput) -> int:
    """Backups, writes, then the output; the exit code."""
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
