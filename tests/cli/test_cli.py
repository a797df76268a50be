"""Both command lines (`python -m amr_cmk` and the napi package's `bin`) on every fixture and on broken files:
identical stdout, stderr and exit code, in every output format."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted((ROOT / "tests" / "fixtures").glob("*/*.json"))
BROKEN = sorted((ROOT / "tests" / "cli").glob("*.json"))
NODE_BIN = ROOT / "bindings-js" / "bin" / "amr-cmk.js"
NOW = "2026-11-27T00:00:00Z"
ENV = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}


def run_python(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "amr_cmk", *args], input=stdin, capture_output=True, env=ENV)


def run_node(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["node", str(NODE_BIN), *args], input=stdin, capture_output=True, env=ENV)


def both(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    py, node = run_python(args, stdin), run_node(args, stdin)
    assert (py.returncode, py.stdout, py.stderr) == (node.returncode, node.stdout, node.stderr)
    return py


def test_fixtures_exist() -> None:
    assert len(FIXTURES) >= 6 and len(BROKEN) == 3


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
@pytest.mark.parametrize("fixture", FIXTURES, ids=[f"{p.parent.name}/{p.name}" for p in FIXTURES])
def test_same_output_on_fixtures(fixture: Path, fmt: str) -> None:
    out = both(["check", "--format", fmt, "--now", NOW, str(fixture.relative_to(ROOT))])
    assert out.returncode in (0, 1), out.stderr
    if fmt != "text":
        doc = json.loads(out.stdout)
        if fmt == "json":
            assert out.returncode == (0 if doc["valid"] else 1)
        else:
            assert doc["version"] == "2.1.0"


def test_fail_on_warning_and_stdin() -> None:
    fixture = ROOT / "tests" / "fixtures" / "arm" / "valid.json"
    text = fixture.read_bytes()
    a = both(["check", "--now", NOW, "-"], stdin=text)
    b = both(["check", "--now", NOW, str(fixture.relative_to(ROOT))])
    assert a.returncode == b.returncode == 0


BROKEN_CODES = {
    "wrong-json.json": b"[input.invalid_json]",
    "wrong-shape.json": b"[input.unrecognized_format]",
    "unknown-resource-type.json": b"[input.no_cache]",
}


@pytest.mark.parametrize("broken", BROKEN, ids=[p.name for p in BROKEN])
def test_broken_files_exit_2_with_a_clear_message(broken: Path) -> None:
    out = both(["check", str(broken.relative_to(ROOT))])
    assert out.returncode == 2
    assert out.stdout == b""
    assert BROKEN_CODES[broken.name] in out.stderr, out.stderr
    assert out.stderr.startswith(b"amr-cmk: error: " + str(broken.relative_to(ROOT)).encode())


def test_unreadable_file_and_usage_errors() -> None:
    assert both(["check", "no-such-file.json"]).returncode == 2
    assert both(["frobnicate"]).returncode == 2
    assert both(["check", "--format", "xml", "x.json"]).returncode == 2
    assert both(["--help"]).returncode == 0


def test_current_time_by_default(tmp_path: Path) -> None:
    """Both CLIs pass their clock: a key that expired on 2026-01-01 is an error without --now (the text output
    does not show the time, so the bytes match even when the two runs straddle a second)."""
    vectors = json.loads((ROOT / "tests" / "conformance" / "check-cli.json").read_text(encoding="utf-8"))["vectors"]
    (vector,) = [v for v in vectors if v["name"] == "cli-run-clock-finds-expired-key"]
    key = tmp_path / "key.json"
    key.write_text(vector["input"]["inputs"][0]["text"], encoding="utf-8")
    out = both(["check", str(key)])
    assert out.returncode == 1 and b"ERROR   key.expired" in out.stdout
    none = both(["check", "--now", "none", str(key)])
    assert none.returncode == 0 and b"Result: PASS with 1 check to confirm: " in none.stdout
    assert both(["check", "--now", "none", "--fail-on", "inconclusive", str(key)]).returncode == 1
    assert both(["check", "--now", "2025-12-01T00:00:00Z", str(key)]).returncode == 0


BROKEN_ARM = ROOT / "tests" / "fixtures" / "arm" / "broken.json"


def both_in(cwd: Path, args: list[str]) -> subprocess.CompletedProcess[bytes]:
    """Both CLIs in `cwd`, each on a fresh copy of the inputs (they may write files)."""
    results = []
    for runner in ("py", "node"):
        work = cwd / runner
        work.mkdir()
        (work / "broken.json").write_bytes(BROKEN_ARM.read_bytes())
        cmd = [sys.executable, "-m", "amr_cmk"] if runner == "py" else ["node", str(NODE_BIN)]
        results.append(subprocess.run([*cmd, *args], capture_output=True, env=ENV, cwd=work))
    py, node = results
    assert (py.returncode, py.stdout, py.stderr) == (node.returncode, node.stdout, node.stderr)
    for name in sorted(p.name for p in (cwd / "py").iterdir()):
        assert (cwd / "py" / name).read_bytes() == (cwd / "node" / name).read_bytes(), name
    return py


def test_fix_script(tmp_path: Path) -> None:
    out = both_in(tmp_path, ["check", "--fix-script", "broken.json"])
    assert out.returncode == 1
    script = out.stdout.decode()
    assert script.startswith("#!/bin/sh\n")
    assert "set -eu\n" in script and "never runs anything itself" in script
    assert "#   <key-version>\n" in script
    assert "\naz keyvault update --name orders-kv --enable-purge-protection true\n" in script
    assert "# ERROR vault.purge_protection_disabled" in script
    # Only the script is printed; nothing is written or run.
    assert sorted(p.name for p in (tmp_path / "py").iterdir()) == ["broken.json"]


def test_patch_writes_a_clean_template(tmp_path: Path) -> None:
    out = both_in(tmp_path, ["check", "--patch", "fixed.json", "broken.json"])
    assert out.returncode == 1  # the input still has its findings
    assert b"wrote fixed.json" in out.stderr and b"no errors" in out.stderr
    assert (tmp_path / "py" / "broken.json").read_bytes() == BROKEN_ARM.read_bytes()
    fixed = tmp_path / "py" / "fixed.json"
    doc = json.loads(fixed.read_text())
    assert doc["resources"][1]["properties"]["enablePurgeProtection"] is True
    again = both(["check", "--now", NOW, str(fixed)])
    assert again.returncode == 0, again.stdout
    assert b"0 errors" in again.stdout


def test_patch_refuses_to_overwrite(tmp_path: Path) -> None:
    out = both_in(tmp_path, ["check", "--patch", "broken.json", "broken.json"])
    assert out.returncode == 2 and b"--write" in out.stderr
    assert (tmp_path / "py" / "broken.json").read_bytes() == BROKEN_ARM.read_bytes()
    assert not (tmp_path / "py" / "broken.json.bak").exists()


def test_write_in_place_keeps_a_backup(tmp_path: Path) -> None:
    out = both_in(tmp_path, ["check", "--write", "broken.json"])
    assert out.returncode == 1 and b"backup broken.json.bak" in out.stderr
    assert (tmp_path / "py" / "broken.json.bak").read_bytes() == BROKEN_ARM.read_bytes()
    again = both(["check", "--now", NOW, str(tmp_path / "py" / "broken.json")])
    assert again.returncode == 0


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_plan(fmt: str) -> None:
    out = both(["plan", "--format", fmt, str(BROKEN_ARM.relative_to(ROOT))])
    assert out.returncode == 0, out.stderr
    if fmt == "json":
        doc = json.loads(out.stdout)
        steps = doc["files"][0]["plans"][0]["plan"]["steps"]
        assert [s["id"] for s in steps] == ["identity", "key", "vault", "permissions", "switch"]
    else:
        assert b"[ ] 3. todo: Vault" in out.stdout


README_EXAMPLES = [
    ["check", "tests/fixtures/arm/broken.json"],
    ["check", "--now", NOW, "tests/fixtures/terraform/gov-ec-key-plan.json"],
    ["check", "--now", NOW, "tests/fixtures/terraform/real/managed-redis-cmk-broken"],
]


@pytest.mark.parametrize("args", README_EXAMPLES, ids=lambda a: a[-1])
def test_readme_shows_real_output(args: list[str]) -> None:
    """The README's example outputs are what both CLIs print (so the README cannot drift from the renderer)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    marker = f"`python -m amr_cmk {' '.join(args)}`"
    start = readme.index("```text\n", readme.index(marker)) + len("```text\n")
    shown = readme[start : readme.index("```", start)]
    out = both(args)
    assert out.stdout.decode("utf-8") == shown


def test_a_directory_is_read_through_the_core() -> None:
    """`check DIR`: the core asks for the directory's JSON documents (the CLIs only list and read), and checks
    them as one input; a directory with nothing to check is a usage error."""
    fixtures = ROOT / "tests" / "fixtures" / "az"
    out = both(["check", "--format", "json", "--now", NOW, str(fixtures.relative_to(ROOT))])
    assert out.returncode in (0, 1), out.stderr
    [entry] = json.loads(out.stdout)["files"]
    names = [f["name"] for f in entry["result"]["files"]]
    assert names == sorted(str(p.relative_to(ROOT)) for p in fixtures.glob("*.json"))
    empty = both(["check", "docs"])
    assert empty.returncode == 2 and empty.stdout == b""
    assert empty.stderr.startswith(b"amr-cmk: error: docs: no Terraform"), empty.stderr


EXISTING = "tests/fixtures/resource-graph/existing"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_plan_joins_files_like_check(fmt: str) -> None:
    """`plan A B C` and `plan DIR` plan over one bundle: the template's `existing` vault is settled by its
    `az keyvault show` output (purge protection off: the vault step is to do); alone, it is to confirm."""
    files = [f"{EXISTING}/{n}" for n in ("template.json", "vault.json", "key.json")]
    alone = both(["plan", "--format", fmt, files[0]])
    joined = both(["plan", "--format", fmt, *files])
    directory = both(["plan", "--format", fmt, EXISTING])
    assert alone.returncode == joined.returncode == directory.returncode == 0, joined.stderr
    if fmt == "json":
        def vault_step(out: subprocess.CompletedProcess[bytes]) -> str:
            (entry,) = json.loads(out.stdout)["files"]
            (plan,) = entry["plans"]
            assert plan["resource"]["name"] == "shop-redis"
            return next(s["status"] for s in plan["plan"]["steps"] if s["id"] == "vault")

        assert vault_step(alone) == "confirm"
        assert vault_step(joined) == vault_step(directory) == "todo"
        (entry,) = json.loads(directory.stdout)["files"]
        assert entry["plans"][0]["resource"]["file"] == files[0]
        assert [f["name"] for f in entry["files"]] == sorted(files)
    else:
        assert f"({files[0]}): ".encode() in joined.stdout
        assert b"todo: Vault" in joined.stdout and b"todo: Vault" not in alone.stdout
        assert directory.stdout == joined.stdout
        # File by file, the vault's output alone has no cache: an error line, exit 2.
        each = both(["plan", "--each", *files[:2]])
        assert each.returncode == 2 and b"[input.no_cache]" in each.stderr


def test_plan_of_a_terraform_configuration() -> None:
    """`plan DIR` on a Terraform root module: the configuration read as `check` reads it (no plan file needed)."""
    out = both(["plan", "--now", NOW, "tests/fixtures/terraform/real/managed-redis-cmk-broken"])
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(b"Migration plan for azurerm_managed_redis 'example-managed-redis' at ")
    assert b"/managed-redis-cmk-broken/main.tf): new cache" in out.stdout
