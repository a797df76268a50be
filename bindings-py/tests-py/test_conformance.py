"""Runs every vector of ``tests/conformance/*.json`` against the public Python API, one test per vector.

A vector names a core function (camelCase); the test calls the ``amr_cmk`` function of the same name in
snake_case (a non-throwing ``safeX`` as ``try_x``, its result compared as ``{"data"|"error", "success"}``)
with the vector's ``input`` (no argument for functions that take none) and compares the result with
``expected`` exactly (``json.dumps`` equality, so key order counts) or the raised error's ``code`` with ``error``.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

import pytest

import amr_cmk
from amr_cmk import _native
from _helpers import VECTOR_DIR, call, safe_outcome, snake, vectors

# Vectors this binding does not run: vector name -> reason. Keep it empty unless a vector cannot be expressed
# in Python; a wrong answer is a bug to fix, not a skip.
SKIP: dict[str, str] = {}


def _vectors() -> Iterator[Any]:
    for vector in vectors():
        name = vector["name"]
        marks = [pytest.mark.skip(reason=SKIP[name])] if name in SKIP else []
        yield pytest.param(vector, id=name, marks=marks)


def _finding_codes(result: dict[str, Any]) -> list[str]:
    """Finding codes of a validate report, or of every report of a check result, in order."""
    if "reports" in result:
        return [code for r in result["reports"] for code in _finding_codes(r["report"])]
    return [f["code"] for f in result["findings"]]


def _exact(got: Any, expected: Any) -> None:
    assert got == expected
    assert json.dumps(got) == json.dumps(expected), "same values, different key order"


def test_vectors_found() -> None:
    assert VECTOR_DIR.is_dir(), f"{VECTOR_DIR} is missing"


@pytest.mark.parametrize("vector", list(_vectors()))
def test_vector(vector: dict[str, Any]) -> None:
    function, arg = vector["function"], vector["input"]
    if "error" in vector:
        with pytest.raises(amr_cmk.AmrCmkError) as caught:
            call(function, arg)
        assert caught.value.code == vector["error"], caught.value.message
        assert isinstance(caught.value, ValueError)
        if function == "parseKeyUri":  # the fast path raises what the JSON path raises
            with pytest.raises(amr_cmk.AmrCmkError) as via_json:
                amr_cmk._call(function, arg)
            assert (type(via_json.value), via_json.value.params) == (type(caught.value), caught.value.params)
        return
    assert "expected" in vector, "the vector has neither expected nor error"
    result = call(function, arg)
    if function in _native.SAFE_FUNCTIONS:  # try_*: the value or the error, returned
        got = safe_outcome(result)
        _exact(got, vector["expected"])
        _exact(got, amr_cmk._call(function, arg))  # the core's safe call gives the same
        return
    if function == "parseKeyUri":
        assert isinstance(result, amr_cmk.KeyId)
        as_dict = result.to_dict()
        for key, value in as_dict.items():
            assert getattr(result, snake(key)) == value, key
        _exact(as_dict, amr_cmk._call(function, arg))  # the fast path equals the JSON path
        result = as_dict
    _exact(result, vector["expected"])
    if "expectCodes" in vector:
        assert _finding_codes(result) == vector["expectCodes"]
