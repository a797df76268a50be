"""The binding's own behaviour: errors, type conversion of any Python value, KeyId, threads.

Inputs here are ad-hoc; what a URI or a configuration *means* is the conformance vectors' business.
"""

from __future__ import annotations

import copy as copy_module
import importlib.metadata
import inspect
import json
import pickle
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

import pytest

import amr_cmk
from amr_cmk import _native
from amr_cmk.__main__ import main as amr_cmk_main
from _helpers import python_name, snake, vectors

URI = "https://Contoso.vault.azure.net/keys/cmk/0123456789ABCDEF0123456789abcdef"
VERSIONLESS = "https://contoso.managedhsm.azure.net/keys/cmk"
IDENTITY = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
    "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1"
)
CONFIG: dict[str, Any] = {
    "cache": {"name": "c1", "location": "eastus", "sku": "Balanced_B10"},
    "encryption": {"customerManagedKeyEncryption": {"keyEncryptionKeyUrl": URI}},
}

# Every public function that takes one argument, with a valid argument.
ONE_ARG: list[tuple[Callable[[Any], Any], Any]] = [
    (amr_cmk.parse_key_uri, URI),
    (amr_cmk.parse_identity_id, IDENTITY),
    (amr_cmk.tier_for_sku, "Balanced_B10"),
    (amr_cmk.coverage, "Balanced"),
    (amr_cmk.validate, CONFIG),
]
NO_ARG: list[Callable[[], Any]] = [
    amr_cmk.coverage_matrix,
    amr_cmk.rule_codes,
    amr_cmk.rules,
    amr_cmk.error_codes,
    amr_cmk.version,
]


def _deep(levels: int) -> dict[str, Any]:
    root: dict[str, Any] = {}
    node = root
    for _ in range(levels):
        node["a"] = {}
        node = node["a"]
    return root


def _deep_list(levels: int) -> list[Any]:
    root: list[Any] = []
    node = root
    for _ in range(levels):
        node.append([])
        node = node[0]
    return root


def _cycle() -> list[Any]:
    items: list[Any] = []
    items.append(items)
    return items


class Opaque:
    pass


GARBAGE: list[tuple[str, Any]] = [
    ("none", None),
    ("int", 123),
    ("float", 1.5),
    ("bool", True),
    ("list", ["https://contoso.vault.azure.net/keys/cmk"]),
    ("dict", {"uri": URI}),
    ("empty-str", ""),
    ("set", {"a"}),
    ("frozenset", frozenset()),
    ("bytes", URI.encode()),
    ("bytearray", bytearray(b"x")),
    ("nan", float("nan")),
    ("inf", float("-inf")),
    ("nan-inside", {"cache": {"sku": float("nan")}}),
    ("object", Opaque()),
    ("function", len),
    ("tuple-key", {("a", "b"): 1}),
    ("int-key", {1: "a"}),
    ("none-key", {None: "a"}),
    ("lone-surrogate", "\ud800"),
    ("surrogate-in-uri", URI + "\udfff"),
    ("surrogate-key", {"\ud800": 1}),
    ("huge-str", "x" * 10_000_000),
    ("huge-uri", URI + "a" * 10_000_000),
    ("deep-dict", _deep(10_000)),
    ("deep-list", _deep_list(10_000)),
    ("cycle", _cycle()),
    ("nul", "https://contoso.vault.azure.net/keys/cmk\x00"),
]


def _codes() -> set[str]:
    return set(amr_cmk.error_codes())


# --- errors ---------------------------------------------------------------------------------------------


def test_error_classes() -> None:
    for cls in (amr_cmk.KeyUriError, amr_cmk.IdentityIdError, amr_cmk.SkuError, amr_cmk.InputError):
        assert issubclass(cls, amr_cmk.AmrCmkError)
    assert issubclass(amr_cmk.AmrCmkError, ValueError)


@pytest.mark.parametrize(
    ("function", "arg", "cls", "kind"),
    [
        (amr_cmk.parse_key_uri, "http://contoso.vault.azure.net/keys/cmk", amr_cmk.KeyUriError, "keyUri"),
        (amr_cmk.parse_identity_id, "/subscriptions/x", amr_cmk.IdentityIdError, "identityId"),
        (amr_cmk.tier_for_sku, "Basic_C0", amr_cmk.SkuError, "sku"),
        (amr_cmk.coverage, "nope", amr_cmk.SkuError, "sku"),
        (amr_cmk.validate, {"unknownField": 1}, amr_cmk.InputError, "input"),
    ],
)
def test_error_fields(
    function: Callable[[Any], Any], arg: Any, cls: type[amr_cmk.AmrCmkError], kind: str
) -> None:
    with pytest.raises(cls) as caught:
        function(arg)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.kind == kind
    assert error.code in _codes()
    assert error.code.split(".")[0] == snake(kind)
    assert isinstance(error.message, str) and error.message
    assert str(error) == error.message
    assert isinstance(error.params, dict)
    assert repr(error) == f"{cls.__name__}(code={error.code!r}, message={error.message!r})"
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.kind, copy.code, copy.message, copy.params) == (
        cls,
        error.kind,
        error.code,
        error.message,
        error.params,
    )


@pytest.mark.parametrize(
    ("function", "arg"),
    [
        (amr_cmk.parse_key_uri, "https://ab.vault.azure.net/keys/k"),  # two params
        (amr_cmk.parse_key_uri, "https://contoso.vault.azure.net:443/keys/k"),  # no params
        (amr_cmk.parse_key_uri, " https://contoso.vault.azure.net/keys/k"),  # an int param
        (amr_cmk.parse_key_uri, "https://contoso.blob.core.windows.net/keys/k"),
        (amr_cmk.parse_key_uri, 42),  # InputError from the binding's non-str path
        (amr_cmk.parse_identity_id, "/subscriptions/x"),
        (amr_cmk.tier_for_sku, "Basic_C0"),
        (amr_cmk.validate, {"unknownField": 1}),
    ],
)
def test_native_errors_equal_python_built_ones(function: Callable[[Any], Any], arg: Any) -> None:
    """The native side builds exceptions without calling the class; they must be what the class builds."""
    with pytest.raises(amr_cmk.AmrCmkError) as caught:
        function(arg)
    error = caught.value
    expected = amr_cmk._error_from(
        {"kind": error.kind, "code": error.code, "message": error.message, "params": error.params}
    )
    assert type(error) is type(expected)
    assert error.args == expected.args == (error.message,)
    assert list(vars(error).items()) == list(vars(expected).items())
    assert (str(error), repr(error)) == (str(expected), repr(expected))
    # And the JSON path's error object, field for field.
    if isinstance(arg, str) and function is amr_cmk.parse_key_uri:
        answer = json.loads(_native.call("parseKeyUri", json.dumps(arg)))["error"]
        assert answer == {
            "kind": error.kind,
            "code": error.code,
            "message": error.message,
            "params": error.params,
        }


def test_unknown_kind_gives_the_base_class() -> None:
    error = amr_cmk._error_from({"kind": "future", "code": "future.x", "message": "m", "params": {}})
    assert type(error) is amr_cmk.AmrCmkError and error.code == "future.x"


def test_binding_raised_codes_are_core_codes() -> None:
    assert {"input.invalid_type", "input.invalid_json", "input.too_deep"} <= _codes()


# What amr_cmk.__all__ holds besides the core's functions (in snake_case) and the result types
# (amr_cmk._types.__all__, checked in test_types.py): the names that exist in Python only.
PYTHON_ONLY = {
    # The core's errors as exceptions, one class per error kind.
    "AmrCmkError",
    "KeyUriError",
    "IdentityIdError",
    "SkuError",
    "InputError",
    # What parse_key_uri returns (the native fast path) instead of the core's dict.
    "KeyId",
    # The package version (the same as version()).
    "__version__",
}


def test_all_is_the_core_functions_and_the_python_extras() -> None:
    from amr_cmk import _types

    core = [*_native.FUNCTIONS, *_native.SAFE_FUNCTIONS]
    functions = {python_name(name) for name in core}
    assert len(functions) == len(core), "two core names have the same Python name"
    assert len(set(amr_cmk.__all__)) == len(amr_cmk.__all__), "a name is listed twice"
    assert not functions & (PYTHON_ONLY | set(_types.__all__))
    assert set(amr_cmk.__all__) == functions | PYTHON_ONLY | set(_types.__all__)
    # And every public function of the module is a core function's wrapper (nothing unlisted).
    public = {
        name
        for name, value in vars(amr_cmk).items()
        if not name.startswith("_") and (inspect.isfunction(value) or inspect.isbuiltin(value))
    }
    assert public == functions
    for name in PYTHON_ONLY:
        assert hasattr(amr_cmk, name), name


def test_each_function_with_an_argument_has_its_try_variant() -> None:
    # The core's non-throwing variants are exactly the functions that take an argument.
    with_argument = [
        name
        for name in _native.FUNCTIONS
        if inspect.signature(getattr(amr_cmk, snake(name))).parameters
    ]
    assert _native.SAFE_FUNCTIONS == [f"safe{n[0].upper()}{n[1:]}" for n in with_argument]
    for name in with_argument:
        plain = getattr(amr_cmk, snake(name))
        safe = getattr(amr_cmk, f"try_{snake(name)}")
        assert safe.__name__ == f"try_{snake(name)}"
        assert safe.__wrapped__ is plain
        # Same parameters as the function it wraps.
        assert list(inspect.signature(safe).parameters) == list(inspect.signature(plain).parameters)


@pytest.mark.parametrize(
    ("function", "arg"),
    [
        (amr_cmk.try_validate, {"cache": {"sku": float("nan")}}),
        (amr_cmk.try_validate, {1, 2}),
        (amr_cmk.try_validate, {"cache": {"sku": 10}}),
        (amr_cmk.try_parse_key_uri, "http://contoso.vault.azure.net/keys/k"),
        (amr_cmk.try_parse_key_uri, 42),
        (amr_cmk.try_tier_for_sku, "Premium_P1"),
        (amr_cmk.try_check, {"document": {"hello": "world"}}),
    ],
)
def test_try_returns_the_error_the_function_raises(function: Callable[[Any], Any], arg: Any) -> None:
    got = function(arg)
    assert isinstance(got, amr_cmk.AmrCmkError)
    with pytest.raises(amr_cmk.AmrCmkError) as raised:
        function.__wrapped__(arg)  # type: ignore[attr-defined]
    assert (type(got), got.to_dict()) == (type(raised.value), raised.value.to_dict())
    assert list(got.to_dict()) == ["code", "kind", "message", "params"]


def test_try_returns_the_value() -> None:
    key = amr_cmk.try_parse_key_uri("https://contoso.vault.azure.net/keys/k")
    assert isinstance(key, amr_cmk.KeyId) and key.key_name == "k"
    report = amr_cmk.try_validate({})
    assert not isinstance(report, amr_cmk.AmrCmkError) and "findings" in report


def test_each_wrapper_calls_its_core_function(monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[str] = []

    def record(function: str, arg: object = None) -> None:
        called.append(function)

    monkeypatch.setattr(amr_cmk, "_call", record)
    for name in _native.FUNCTIONS:
        wrapper = getattr(amr_cmk, snake(name))
        if wrapper is amr_cmk.parse_key_uri:
            continue  # the native fast path; test_conformance.py compares it with the JSON path
        called.clear()
        wrapper(*[None] * len(inspect.signature(wrapper).parameters))
        assert called == [name], snake(name)


def test_json_api_errors() -> None:
    unknown = json.loads(_native.call("noSuchFunction", "null"))
    assert unknown["error"]["code"] == "input.unknown_function"
    broken = json.loads(_native.call("validate", "{"))
    assert broken["error"]["code"] == "input.invalid_json"


# --- garbage in, coded error out -------------------------------------------------------------------------


@pytest.mark.parametrize(("label", "value"), GARBAGE, ids=[g[0] for g in GARBAGE])
@pytest.mark.parametrize("function", [f for f, _ in ONE_ARG], ids=[f.__name__ for f, _ in ONE_ARG])
def test_garbage_gives_a_coded_error(function: Callable[[Any], Any], label: str, value: Any) -> None:
    try:
        result = function(value)
    except amr_cmk.AmrCmkError as error:
        assert error.code in _codes(), error.code
        assert isinstance(error.message, str) and isinstance(error.params, dict)
    else:
        # Only validate may accept some of these (the core decides); it returns a report then.
        assert function is amr_cmk.validate, f"{function.__name__}({label}) returned {result!r}"
        assert isinstance(result, dict)
    # The module still works afterwards.
    assert amr_cmk.parse_key_uri(URI).vault_name == "contoso"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "input.invalid_type"),
        (123, "input.invalid_type"),
        ({"a"}, "input.invalid_type"),
        (b"https://contoso.vault.azure.net/keys/cmk", "input.invalid_type"),
        (float("nan"), "input.invalid_json"),
        ("\ud800", "input.invalid_json"),
        (_deep(10_000), "input.too_deep"),
    ],
    ids=["none", "int", "set", "bytes", "nan", "lone-surrogate", "deep"],
)
def test_wrong_types_are_input_errors(value: Any, code: str) -> None:
    for function, _ in ONE_ARG:
        with pytest.raises(amr_cmk.InputError) as caught:
            function(value)
        assert caught.value.code == code, function.__name__


def test_huge_inputs() -> None:
    with pytest.raises(amr_cmk.InputError) as caught:
        amr_cmk.validate({"cache": {"name": "x" * 17_000_000}})
    assert caught.value.code == "input.string_too_long"
    with pytest.raises(amr_cmk.KeyUriError):
        amr_cmk.parse_key_uri("x" * 10_000_000)


def test_surrogate_pair_reads_like_the_json_path() -> None:
    # json.dumps escapes a surrogate pair and the core reads it back as one character.
    pair = URI + "\ud83d\ude00"
    with pytest.raises(amr_cmk.AmrCmkError) as fast:
        amr_cmk.parse_key_uri(pair)
    with pytest.raises(amr_cmk.AmrCmkError) as slow:
        amr_cmk._call("parseKeyUri", pair)
    assert (fast.value.code, fast.value.params) == (slow.value.code, slow.value.params)


def test_recursion_limit_is_restored() -> None:
    with pytest.raises(amr_cmk.InputError):
        amr_cmk.validate(_deep(sys.getrecursionlimit() * 2))
    assert amr_cmk.validate(CONFIG)["findings"] is not None


# --- values ----------------------------------------------------------------------------------------------


def test_no_arg_functions() -> None:
    assert isinstance(amr_cmk.coverage_matrix(), list)
    assert all(isinstance(c, str) for c in amr_cmk.rule_codes())
    assert isinstance(amr_cmk.rules(), list)
    assert all(isinstance(c, str) for c in amr_cmk.error_codes())
    for function in NO_ARG:
        assert function() == function()


def test_version() -> None:
    assert amr_cmk.version() == amr_cmk.__version__ == importlib.metadata.version("amr-cmk")


def test_results_are_the_json_api_values() -> None:
    for function, arg in ONE_ARG[1:]:
        name = [n for n in _native.FUNCTIONS if snake(n) == function.__name__][0]
        expected = json.loads(_native.call(name, json.dumps(arg)))["ok"]
        assert json.dumps(function(arg)) == json.dumps(expected)


def test_validate_report_shape() -> None:
    report = amr_cmk.validate(CONFIG)
    assert {"valid", "findings", "checks", "summary"} <= report.keys()


# --- KeyId -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("uri", [URI, VERSIONLESS])
def test_key_id(uri: str) -> None:
    key = amr_cmk.parse_key_uri(uri)
    as_dict = key.to_dict()
    assert json.dumps(as_dict) == json.dumps(amr_cmk._call("parseKeyUri", uri))
    for field, value in as_dict.items():
        assert getattr(key, snake(field)) == value
    assert key.to_dict() is not as_dict  # a fresh dict each time


def test_key_id_is_a_frozen_value() -> None:
    a, b = amr_cmk.parse_key_uri(URI), amr_cmk.parse_key_uri(URI)
    assert a == b and hash(a) == hash(b) and a is not b
    assert len({a, b, amr_cmk.parse_key_uri(VERSIONLESS)}) == 2
    assert a != amr_cmk.parse_key_uri(VERSIONLESS)
    assert a != URI
    assert isinstance(a, amr_cmk.KeyId)
    with pytest.raises(AttributeError):
        a.uri = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        amr_cmk.KeyId()


@pytest.mark.parametrize("uri", [URI, VERSIONLESS])
def test_key_id_pickles_and_copies(uri: str) -> None:
    key = amr_cmk.parse_key_uri(uri)
    for copy in (pickle.loads(pickle.dumps(key)), copy_module.copy(key), copy_module.deepcopy(key)):
        assert copy == key and copy.to_dict() == key.to_dict()


def test_key_id_repr() -> None:
    key = amr_cmk.parse_key_uri(VERSIONLESS)
    text = repr(key)
    assert text.startswith("KeyId(uri=") and text.endswith(")")
    for field, value in key.to_dict().items():
        assert f"{snake(field)}={value!r}" in text
    assert type(key).__module__ == "amr_cmk"


# --- the command line -------------------------------------------------------------------------------------


def test_cli_passes_the_current_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m amr_cmk`` gives the core its clock: a key that expired on 2026-01-01 is an error without a
    flag; ``--now none`` and an earlier ``--now`` override it."""
    (vector,) = [v for v in vectors() if v["name"] == "cli-run-clock-finds-expired-key"]
    key = tmp_path / "key.json"
    key.write_text(vector["input"]["inputs"][0]["text"], encoding="utf-8")
    assert amr_cmk_main(["check", str(key)]) == 1
    assert "ERROR   key.expired" in capsys.readouterr().out
    assert amr_cmk_main(["check", "--now", "none", str(key)]) == 0
    assert "Result: PASS with 1 check to confirm: " in capsys.readouterr().out
    assert amr_cmk_main(["check", "--now", "none", "--fail-on", "inconclusive", str(key)]) == 1
    assert amr_cmk_main(["check", "--now", "2025-12-01T00:00:00Z", str(key)]) == 0
    assert "Result: PASS: " in capsys.readouterr().out


# --- threads ---------------------------------------------------------------------------------------------


def _workload() -> list[str]:
    out = [repr(amr_cmk.parse_key_uri(URI)), json.dumps(amr_cmk.validate(CONFIG))]
    for function, arg in ONE_ARG[1:4]:
        out.append(json.dumps(function(arg)))
    try:
        amr_cmk.parse_key_uri("http://contoso.vault.azure.net/keys/cmk")
    except amr_cmk.KeyUriError as error:
        out.append(error.code)
    out.append(json.dumps(amr_cmk.coverage_matrix()))
    return out


def test_threads_get_identical_results() -> None:
    expected = _workload()
    barrier = threading.Barrier(8)

    def worker(_: int) -> list[list[str]]:
        barrier.wait()
        return [_workload() for _ in range(50)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(worker, range(8)))
    assert all(run == expected for runs in results for run in runs)
