"""Typed use of the results, checked by ``mypy --strict`` (``make test-py``) and run by pytest.

``assert_type`` is a no-op at run time; mypy fails on it when a result is ``Any`` or a plain ``dict``, so this
file proves the functions' annotations reach the fields. (The values themselves are checked in test_types.py.)
"""

from __future__ import annotations

import sys
from typing import Any

import amr_cmk
from amr_cmk import (
    Command,
    Fix,
    KeyIdDict,
    Outcome,
    PlanStep,
    Severity,
    SkuInfo,
    StepStatus,
    TerraformChange,
    Tier,
    VaultKind,
)
from _helpers import vectors

if sys.version_info >= (3, 11):
    from typing import assert_never, assert_type
else:
    from typing_extensions import assert_never, assert_type

KEY = "https://contoso-kv.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef"
CONFIG: dict[str, Any] = {
    "cache": {"name": "c1", "location": "eastus", "sku": "Balanced_B10", "existing": True},
    "encryption": {"customerManagedKeyEncryption": {"keyEncryptionKeyUrl": KEY}},
    "vault": {"name": "contoso-kv", "location": "eastus", "enablePurgeProtection": False},
}


def rank(severity: Severity) -> int:
    """Exhaustive over the Literal: mypy proves every severity is handled."""
    match severity:
        case "error":
            return 2
        case "warning":
            return 1
        case "info":
            return 0
        case _:
            assert_never(severity)


def test_report() -> None:
    report = amr_cmk.validate(CONFIG)
    assert_type(report["valid"], bool)
    assert_type(report["summary"]["errors"], int)
    finding = report["findings"][0]
    assert_type(finding["docUrl"], str)
    assert_type(finding["severity"], Severity)
    assert_type(finding["params"], dict[str, Any])
    assert_type(finding.get("fix"), Fix | None)
    assert_type(report["checks"][0]["outcome"], Outcome)
    assert_type(report["checks"][0].get("needs", []), list[str])
    assert_type(report["key"], KeyIdDict | None)
    assert_type(report["sku"], SkuInfo | None)
    worst = max(rank(f["severity"]) for f in report["findings"])
    assert worst == 2 and not report["valid"]
    fixes = [f["fix"] for f in report["findings"] if "fix" in f]
    assert_type(fixes[0]["commands"], list[Command])
    assert_type(fixes[0]["commands"][0]["argv"], list[str])
    assert fixes[0]["commands"][0]["argv"][0] == "az"
    key = report["key"]
    assert key is not None and key["vaultName"] == "contoso-kv"


def test_plan() -> None:
    plan = amr_cmk.plan(CONFIG)
    assert_type(plan["from"], amr_cmk.KeySource | None)
    assert_type(plan["existing"], bool | None)
    step = plan["steps"][-1]
    assert_type(step, PlanStep)
    assert_type(step["status"], StepStatus)
    assert_type(step.get("note"), str | None)
    assert step["id"] == "switch" and plan["to"] == "customerManaged"


def test_check_and_render() -> None:
    (terraform,) = [v["input"] for v in vectors() if v["name"] == "check-terraform-gov-ec-key"]
    result = amr_cmk.check(terraform)
    assert_type(result["format"], amr_cmk.InputFormat)
    report = result["reports"][0]
    assert_type(report["resource"]["pointer"], str)
    assert_type(report["resource"].get("address"), str | None)
    changes = [c for f in report["report"]["findings"] for c in f.get("fix", {}).get("terraform", [])]
    assert_type(changes, list[TerraformChange])
    assert result["format"] == "terraformPlan" and changes[0]["address"].startswith("azurerm_")
    text = amr_cmk.render({"result": result, "format": "text"})
    assert_type(text, str)


def test_command_line() -> None:
    cli = amr_cmk.cli_plan(["check", "--fail-on", "warning", "-"])
    assert_type(cli["failOn"], amr_cmk.FailOn)
    assert_type(cli["files"], list[str])
    out = amr_cmk.cli_run({"plan": cli, "inputs": [{"name": "-", "text": "{}"}]})
    assert_type(out["exitCode"], int)
    assert_type([b["from"] for b in out.get("backups", [])], list[str])
    assert cli["failOn"] == "warning" and out["exitCode"] in (0, 1, 2)


def test_parsers_and_catalogue() -> None:
    key = amr_cmk.parse_key_uri(KEY).to_dict()
    assert_type(key, KeyIdDict)
    assert_type(key["vaultKind"], VaultKind)
    assert_type(key["version"], str | None)
    identity = amr_cmk.parse_identity_id(
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
        "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1"
    )
    assert_type(identity["subscriptionId"], str)
    assert_type(amr_cmk.tier_for_sku("Balanced_B10")["tier"], Tier)
    disks = amr_cmk.coverage_matrix()[0]["disks"]
    assert_type(disks[0]["keys"], list[amr_cmk.KeyType])
    rule = amr_cmk.rules()[0]
    assert_type(rule["docUrl"], str)
    assert_type(rule["severity"], Severity)
    assert rule["code"] in amr_cmk.rule_codes() and identity["resourceGroup"] == "rg"
