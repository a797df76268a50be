"""The result types (``amr_cmk/_types.py``) describe exactly what the core returns.

Every conformance vector's ``expected`` output, and what the Python function actually returns for its input, is
checked against the return annotation of that function (``_typecheck.conform``): every key present is declared,
every required key is present, every value has the declared type (Literal values included). Then every field
of every reachable TypedDict and every Literal value must be reached by some vector (or by one of the few
Python-only samples below), so a field the core stops emitting fails too. A field the core adds, removes or
retypes therefore fails here until ``_types.py`` (and ``bindings-js/index.d.ts``) follow.
"""

from __future__ import annotations

import copy
import functools
import re
from typing import Any, Callable, get_type_hints

import pytest

import amr_cmk
from amr_cmk import _native
from _helpers import call, function, vectors
from _typecheck import Seen, conform, describe, fields, literals, typeddicts

VECTORS = [v for v in vectors() if "expected" in v]

# Fields whose type is any JSON value, on purpose: (TypedDict, key) -> why.
UNTYPED: dict[tuple[str, str], str] = {
    ("Finding", "params"): "the values the message was built from; their names depend on the code",
    ("ErrorInfo", "params"): "the values the message was built from; their names depend on the code",
    ("PatchOp", "value"): "whatever JSON the template needs at that path",
    ("TerraformChange", "value"): "an attribute's value, or the attributes of a new resource",
}


def return_type(core_name: str) -> Any:
    """The declared result type of the Python function for a core function."""
    found = function(core_name)
    if found is amr_cmk.parse_key_uri:
        # It returns a KeyId; KeyId.to_dict() is the JSON value (annotated KeyIdDict in _native.pyi, which
        # test_typed_usage.py makes mypy check).
        return amr_cmk.KeyIdDict
    return get_type_hints(found)["return"]


def result_of(core_name: str, arg: Any) -> Any:
    result = call(core_name, arg)
    return result.to_dict() if isinstance(result, amr_cmk.KeyId) else result


def _vector(name: str) -> dict[str, Any]:
    (found,) = [v for v in VECTORS if v["name"] == name]
    return found


def _without_role_assignments(options: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(options["document"])

    def drop(resources: list[Any]) -> list[Any]:
        return [r for r in resources if r["type"] != "azurerm_role_assignment"]

    doc["configuration"]["root_module"]["resources"] = drop(doc["configuration"]["root_module"]["resources"])
    doc["planned_values"]["root_module"]["resources"] = drop(doc["planned_values"]["root_module"]["resources"])
    doc["resource_changes"] = drop(doc["resource_changes"])
    return {**options, "document": doc}


def _versionless_key_reference(options: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(options["document"])
    for r in doc["configuration"]["root_module"]["resources"]:
        if r["type"] == "azurerm_managed_redis":
            r["expressions"]["customer_managed_key"][0]["key_vault_key_id"] = {
                "references": ["azurerm_key_vault_key.cmk.versionless_id", "azurerm_key_vault_key.cmk"]
            }
    return {**options, "document": doc}


def _ec_key(options: dict[str, Any]) -> dict[str, Any]:
    options = copy.deepcopy(options)
    for r in options["document"]["resources"]:
        if r["type"].lower() == "microsoft.keyvault/vaults/keys":
            r["properties"].update({"kty": "EC", "curveName": "P-256"})
            r["properties"].pop("keySize", None)
    return options


# Python-only samples for what no conformance vector reaches (built from vectors' inputs): label -> (core
# function, argument, what it reaches). Each must still reach it (test_extra_samples_reach_what_they_claim).
EXTRA: dict[str, tuple[str, Callable[[], Any], str]] = {
    "terraform-create": (
        "check",
        lambda: _without_role_assignments(_vector("check-terraform-valid-plan")["input"]),
        "TerraformChange.create",
    ),
    "terraform-expression": (
        "check",
        lambda: _versionless_key_reference(_vector("check-terraform-valid-plan")["input"]),
        "TerraformChange.expression",
    ),
    "arm-patch-remove": ("check", lambda: _ec_key(_vector("check-arm-valid")["input"]), "'remove'"),
    "cli-color-always-fail-on-none": (
        "cliPlan",
        lambda: ["check", "--color", "always", "--fail-on", "none", "a.json"],
        "'always' 'none'",
    ),
}


def _roots() -> set[Any]:
    return {return_type(name) for name in _native.FUNCTIONS}


def unreached(seen: Seen) -> list[str]:
    """Declared fields and Literal values that no checked value reached."""
    declared: dict[str, Any] = {}
    values: set[tuple[Any, ...]] = set()
    for root in _roots():
        typeddicts(root, declared)
        literals(root, values)
    missing = [f"{name}.{key}" for name, td in sorted(declared.items()) for key in fields(td)
               if (name, key) not in seen.keys]
    reached = {allowed for allowed, _ in seen.literals}
    missing += [" ".join(map(repr, allowed)) for allowed in sorted(values) if allowed not in reached]
    return missing


@functools.cache
def _all_samples() -> tuple[tuple[str, str, Any], ...]:
    """(label, core function, value) for every vector's expected output and actual result, and the extras."""
    out = []
    for v in VECTORS:
        out.append((v["name"], v["function"], v["expected"]))
        out.append((v["name"] + " (actual)", v["function"], result_of(v["function"], v["input"])))
    for label, (name, arg, _) in EXTRA.items():
        out.append((label, name, result_of(name, arg())))
    return tuple(out)


# --- the types ----------------------------------------------------------------------------------------------


def test_every_function_has_a_result_type() -> None:
    for name in _native.FUNCTIONS:
        root = return_type(name)
        assert root is not Any and root is not dict and "Any" not in describe(root), (name, root)


def test_untyped_fields_are_the_listed_ones() -> None:
    declared: dict[str, Any] = {}
    for root in _roots():
        typeddicts(root, declared)
    untyped = {
        (name, key)
        for name, td in declared.items()
        for key, tp in fields(td).items()
        if tp is Any or "Any" in describe(tp)
    }
    assert untyped == set(UNTYPED)


def test_types_are_exported() -> None:
    from amr_cmk import _types

    for name in _types.__all__:
        assert getattr(amr_cmk, name) is getattr(_types, name)
        assert name in amr_cmk.__all__, name


# --- every output has its declared type ---------------------------------------------------------------------


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector_output_has_the_declared_type(vector: dict[str, Any]) -> None:
    tp = return_type(vector["function"])
    conform(vector["expected"], tp)
    conform(result_of(vector["function"], vector["input"]), tp)


@pytest.mark.parametrize("label", list(EXTRA))
def test_extra_samples_reach_what_they_claim(label: str) -> None:
    name, arg, claim = EXTRA[label]
    seen = Seen()
    conform(result_of(name, arg()), return_type(name), "", seen)
    reached = {f"{td}.{key}" for td, key in seen.keys} | {repr(value) for _, value in seen.literals}
    for item in claim.split(" "):
        assert item in reached, f"{label} no longer reaches {item}"


def test_every_field_and_value_is_reached() -> None:
    """A declared field no output has is a field the core no longer emits (or a sample to add to EXTRA)."""
    seen = Seen()
    for label, name, value in _all_samples():
        conform(value, return_type(name), label, seen)
    missing = unreached(seen)
    assert not missing, (
        f"declared in _types.py but in no output: {missing}. Either the core no longer emits them (remove them "
        "from _types.py and bindings-js/index.d.ts) or no vector reaches them (add a sample to EXTRA)"
    )


# --- the checker fails on drift -----------------------------------------------------------------------------


def _report_with_fix() -> dict[str, Any]:
    for v in VECTORS:
        if v["function"] == "validate" and any("fix" in f for f in v["expected"]["findings"]):
            return copy.deepcopy(v["expected"])
    raise AssertionError("no validate vector has a finding with a fix")


def _finding(report: dict[str, Any]) -> dict[str, Any]:
    return next(f for f in report["findings"] if "fix" in f)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: _finding(r).update(docLink="x"), "not declared in Finding"),
        (lambda r: _finding(r).pop("docUrl"), "required keys ['docUrl'] of Finding are missing"),
        (lambda r: _finding(r)["fix"]["commands"][0].update(argv="az"), "list expected"),
        (lambda r: _finding(r).update(severity="fatal"), "'fatal' is not"),
        (lambda r: r["summary"].update(errors=True), "int expected"),
        (lambda r: r["summary"].update(errors=1.0), "int expected"),
        (lambda r: r.update(key={"uri": "x"}), "is not KeyIdDict | None"),
        (lambda r: r["checks"][0].update(needs=[1]), "str expected"),
    ],
    ids=["added", "removed", "list", "literal", "bool-for-int", "float-for-int", "nested", "list-item"],
)
def test_checker_catches_drift(change: Callable[[dict[str, Any]], Any], message: str) -> None:
    report = _report_with_fix()
    conform(report, amr_cmk.ValidationReport)
    change(report)
    with pytest.raises(AssertionError, match=re.escape(message)):
        conform(report, amr_cmk.ValidationReport)


def test_a_field_no_output_has_is_reported() -> None:
    """An optional field the core stops emitting is no type error, but it is no longer reached."""
    seen = Seen()
    for label, name, value in _all_samples():
        if name == "check":  # as if the core no longer said which Terraform resource a finding is about
            value = copy.deepcopy(value)
            for report in value["reports"]:
                for finding in report["report"]["findings"]:
                    finding.pop("address", None)
        conform(value, return_type(name), label, seen)
    assert unreached(seen) == ["Finding.address"]
