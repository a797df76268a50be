"""Release metadata in step (issue 18): one version everywhere, the LICENSE copies, CHANGELOG.md, and the
release workflow naming the same napi targets as bindings-js/package.json. Run by `make test-meta`."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def workspace_version() -> str:
    cargo = tomllib.loads((ROOT / "Cargo.toml").read_text())
    version = cargo["workspace"]["package"]["version"]
    assert isinstance(version, str)
    return version


def package_json(rel: str) -> dict[str, Any]:
    data = json.loads((ROOT / rel).read_text())
    assert isinstance(data, dict)
    return data


PACKAGE_JSONS = ["bindings-js/package.json", "bindings-js/wasm/package.json"]


def test_every_manifest_has_the_workspace_version() -> None:
    version = workspace_version()
    for rel in PACKAGE_JSONS:
        assert package_json(rel)["version"] == version, rel
    lock = package_json("bindings-js/package-lock.json")
    assert lock["version"] == version and lock["packages"][""]["version"] == version, "package-lock.json"
    for crate in ["core", "bindings-js", "bindings-py"]:
        manifest = tomllib.loads((ROOT / crate / "Cargo.toml").read_text())
        assert manifest["package"]["version"] == {"workspace": True}, f"{crate}/Cargo.toml"
    pyproject = tomllib.loads((ROOT / "bindings-py/pyproject.toml").read_text())
    # maturin takes the version from bindings-py/Cargo.toml, which inherits the workspace's.
    assert "version" not in pyproject["project"] and "version" in pyproject["project"]["dynamic"]


def test_license_copies() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License")
    for d in ["bindings-py", "bindings-js", "bindings-js/wasm"]:
        assert (ROOT / d / "LICENSE").read_text() == text, f"{d}/LICENSE differs from LICENSE"
    pyproject = tomllib.loads((ROOT / "bindings-py/pyproject.toml").read_text())
    assert pyproject["project"]["license"] == "MIT"
    assert pyproject["project"]["license-files"] == ["LICENSE"]
    for rel in PACKAGE_JSONS:
        assert package_json(rel)["license"] == "MIT", rel


def test_package_metadata() -> None:
    pyproject = tomllib.loads((ROOT / "bindings-py/pyproject.toml").read_text())["project"]
    assert pyproject["keywords"] and pyproject["readme"] == "README.md"
    assert {"Homepage", "Repository", "Issues", "Changelog"} <= set(pyproject["urls"])
    assert "Programming Language :: Rust" in pyproject["classifiers"]
    for rel in PACKAGE_JSONS:
        pkg = package_json(rel)
        assert pkg["keywords"] and pkg["repository"]["url"] and pkg["engines"]["node"], rel
        assert (ROOT / rel).with_name("README.md").is_file(), rel
    assert package_json("bindings-js/wasm/package.json")["sideEffects"] is False


def test_changelog_in_step_with_the_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text()
    version = workspace_version()
    assert "keepachangelog.com" in text
    headings = re.findall(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", text, re.M)
    assert headings and headings[0][0] == "Unreleased", "the first section is [Unreleased]"
    released = [h for h in headings if h[0] != "Unreleased"]
    assert released and released[0][0] == version, f"the newest release section is not [{version}]"
    assert all(date for _, date in released), "every release section has a date"
    for name, _ in headings:
        assert re.search(rf"^\[{re.escape(name)}\]: https://", text, re.M), f"no link for [{name}]"


def load_workflow() -> dict[Any, Any]:
    data = yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text())
    assert isinstance(data, dict)
    return data


def test_release_workflow_parses_and_names_the_napi_targets() -> None:
    wf = load_workflow()
    assert wf["name"] and "jobs" in wf
    # PyYAML reads the key `on` as True.
    assert (wf.get("on") or wf.get(True)) is not None
    jobs = wf["jobs"]
    napi = [entry["target"] for entry in jobs["napi"]["strategy"]["matrix"]["include"]]
    local = jobs["linux-x64"]["env"]["TARGET"]
    assert local not in napi, "the linux-x64 job (make dist) builds its addon"
    targets = sorted([local, *napi])
    assert targets == sorted(package_json("bindings-js/package.json")["napi"]["targets"])
    wheel_targets = sorted(entry["target"] for entry in jobs["wheels"]["strategy"]["matrix"]["include"])
    assert wheel_targets == targets, "wheels are built for the same platforms as the addon"


def test_release_workflow_linux_x64_runs_make_dist_and_publishes_with_provenance() -> None:
    text = (ROOT / ".github/workflows/release.yml").read_text()
    wf = load_workflow()
    runs = [step.get("run", "") for step in wf["jobs"]["linux-x64"]["steps"]]
    assert any("make dist" in r for r in runs) and any("make test-dist" in r for r in runs)
    assert "npm publish --provenance" in text
    assert "pypa/gh-action-pypi-publish" in text
    assert wf["jobs"]["publish-pypi"]["permissions"]["id-token"] == "write"
    assert wf["jobs"]["publish-npm"]["permissions"]["id-token"] == "write"
