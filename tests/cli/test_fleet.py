"""A whole tenant through both command lines: Resource Graph output and key outputs joined from a directory,
the fleet summary first, and a 50 MB input (10,000 caches) that both CLIs check."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NODE_BIN = ROOT / "bindings-js" / "bin" / "amr-cmk.js"
NOW = "2026-11-27T00:00:00Z"
ENV = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
TENANT = "tests/fixtures/resource-graph/tenant"


def both(args: list[str]) -> tuple[subprocess.CompletedProcess[bytes], float, float]:
    t0 = time.perf_counter()
    py = subprocess.run([sys.executable, "-m", "amr_cmk", *args], capture_output=True, env=ENV, cwd=ROOT)
    t1 = time.perf_counter()
    node = subprocess.run(["node", str(NODE_BIN), *args], capture_output=True, env=ENV, cwd=ROOT)
    t2 = time.perf_counter()
    assert (py.returncode, py.stdout, py.stderr) == (node.returncode, node.stdout, node.stderr)
    return py, t1 - t0, t2 - t1


def test_a_tenant_from_a_directory_and_from_files() -> None:
    out, _, _ = both(["check", "--now", NOW, TENANT])
    assert out.returncode == 1, out.stderr
    text = out.stdout.decode()
    assert text.startswith("Summary: 5 caches checked: 1 passing (1 with checks to confirm), 4 failing"), text[:300]
    for code in ("vault.purge_protection_disabled", "identity.not_attached", "access.role_missing", "key_uri.version_missing"):
        assert code in text
    files = [f"{TENANT}/{n}" for n in ("resources.json", "roles.json", "keys.json")]
    same, _, _ = both(["check", "--now", NOW, *files])
    assert same.stdout == out.stdout
    # File by file, the caches lose their vaults' keys and role assignments: not the same answer.
    each, _, _ = both(["check", "--each", "--now", NOW, *files])
    assert each.returncode == 2 and b"roles.json" in each.stderr and b"[input.no_cache]" in each.stderr


def test_a_50_mb_tenant(tmp_path: Path) -> None:
    big = tmp_path / "fleet-10000.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_fleet.py"), "10000", "--out", str(big)], check=True)
    assert big.stat().st_size > 40_000_000
    out, py_s, node_s = both(["check", "--format", "json", "--now", NOW, str(big)])
    assert out.returncode == 1, out.stderr[:500]
    assert b'"caches": 10000' in out.stdout and b'"failing": 1000' in out.stdout
    print(f"50 MB tenant: python {py_s:.2f} s, node {node_s:.2f} s")
