"""The progress line: on a terminal (standard error a pseudo-terminal here), both CLIs show the core's lines for
each stage of the read loop once the delay has passed, replace each with the next and erase the last before they
print; in pipes and with ``--format json`` they show nothing. ``AMR_CMK_PROGRESS_AFTER_MS`` sets the delay (the
core's default is one second), so the tests need no slow input and time nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_BIN = ROOT / "bindings-js" / "bin" / "amr-cmk.js"
NOW = "2026-11-27T00:00:00Z"
TENANT = "tests/fixtures/resource-graph/tenant"
CLIS = ["python", "node"]


def command(cli: str) -> list[str]:
    return [sys.executable, "-m", "amr_cmk"] if cli == "python" else ["node", str(NODE_BIN)]


def env(after_ms: str) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    e["AMR_CMK_PROGRESS_AFTER_MS"] = after_ms
    return e


def on_terminal(cli: str, args: list[str], after_ms: str = "0") -> tuple[int, bytes, bytes]:
    """Runs a CLI with standard error on a pseudo-terminal and standard output in a file: the exit code, the
    output and what the terminal received."""
    master, slave = os.openpty()
    received: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: every writer closed
                return
            if not data:
                return
            received.append(data)

    reader = threading.Thread(target=drain)
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(
            [*command(cli), *args], stdin=subprocess.DEVNULL, stdout=out, stderr=slave, env=env(after_ms), cwd=ROOT
        )
        os.close(slave)
        reader.start()
        code = proc.wait(timeout=120)
        reader.join(timeout=30)
        os.close(master)
        out.seek(0)
        stdout = out.read()
    return code, stdout, b"".join(received)


def line(text: str) -> bytes:
    return b"\r" + text.encode() + b"\x1b[K"


CLEAR = b"\r\x1b[K"


@pytest.mark.parametrize("cli", CLIS)
def test_each_stage_of_a_directory_then_cleared(cli: str) -> None:
    code, stdout, terminal = on_terminal(cli, ["check", "--now", NOW, TENANT])
    assert code == 1
    assert stdout.startswith(b"Summary: 5 caches checked"), stdout[:200]
    assert terminal == b"".join(
        [
            line(f"amr-cmk: reading {TENANT}…"),
            line(f"amr-cmk: checking {TENANT}…"),
            line("amr-cmk: reading 3 files…"),
            line("amr-cmk: checking 3 files…"),
            CLEAR,
        ]
    )
    # No progress text reaches the output.
    assert b"\r" not in stdout and b"amr-cmk: reading" not in stdout


@pytest.mark.parametrize("cli", CLIS)
def test_plan_and_an_error_after_the_line(cli: str) -> None:
    code, _, terminal = on_terminal(cli, ["plan", "--now", NOW, f"{TENANT}/resources.json", f"{TENANT}/keys.json"])
    assert code == 0
    assert terminal == line("amr-cmk: reading 2 files…") + line("amr-cmk: planning 2 files…") + CLEAR
    # The line is erased before the error is printed (the terminal turns \n into \r\n).
    code, _, terminal = on_terminal(cli, ["check", "missing.json"])
    assert code == 2
    assert terminal.startswith(line("amr-cmk: reading missing.json…"))
    assert terminal.endswith(CLEAR + b"amr-cmk: error: cannot read missing.json: No such file or directory\r\n")


@pytest.mark.parametrize("cli", CLIS)
def test_nothing_before_the_delay(cli: str) -> None:
    code, stdout, terminal = on_terminal(cli, ["check", "--now", NOW, TENANT], after_ms="600000")
    assert code == 1 and stdout.startswith(b"Summary: ")
    assert terminal == b""


@pytest.mark.parametrize("cli", CLIS)
@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_nothing_for_machine_output(cli: str, fmt: str) -> None:
    code, stdout, terminal = on_terminal(cli, ["check", "--format", fmt, "--now", NOW, TENANT])
    assert code == 1 and stdout.startswith(b"{")
    assert terminal == b""


@pytest.mark.parametrize("cli", CLIS)
def test_nothing_in_pipes(cli: str) -> None:
    out = subprocess.run([*command(cli), "check", "--now", NOW, TENANT], capture_output=True, env=env("0"), cwd=ROOT)
    assert out.returncode == 1
    assert out.stderr == b""
    assert b"\r" not in out.stdout and b"amr-cmk: reading" not in out.stdout


def test_both_clis_show_the_same_bytes() -> None:
    for args in (["check", "--now", NOW, TENANT], ["check", "--format", "json", TENANT], ["rules"], ["check", "x.json"]):
        py, node = on_terminal("python", args), on_terminal("node", args)
        assert py == node, args
