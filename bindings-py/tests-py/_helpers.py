"""Shared helpers for the amr_cmk tests."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from typing import Any, Callable

import amr_cmk

VECTOR_DIR = Path(__file__).resolve().parents[2] / "tests" / "conformance"


def snake(name: str) -> str:
    """The Python name of a core (camelCase) function or field: ``parseKeyUri`` -> ``parse_key_uri``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def python_name(core_name: str) -> str:
    """The ``amr_cmk`` name of a core function: snake_case, the non-throwing ``safe`` variants as ``try_``
    (``safeParseKeyUri`` -> ``try_parse_key_uri``)."""
    if core_name in amr_cmk._native.SAFE_FUNCTIONS:
        return "try_" + snake(core_name[len("safe") :])
    return snake(core_name)


def safe_outcome(result: Any) -> dict[str, Any]:
    """A ``try_`` function's result as the core's non-throwing answer: ``{"data", "success": True}`` or
    ``{"error", "success": False}`` (what the ``safe`` vectors expect)."""
    if isinstance(result, amr_cmk.AmrCmkError):
        return {"error": result.to_dict(), "success": False}
    if isinstance(result, amr_cmk.KeyId):
        result = result.to_dict()
    return {"data": result, "success": True}


def vectors() -> list[dict[str, Any]]:
    """Every conformance vector of ``tests/conformance/*.json``, in file order."""
    out: list[dict[str, Any]] = []
    for path in sorted(VECTOR_DIR.glob("*.json")):
        if path.name.endswith(".schema.json"):
            continue
        out.extend(json.loads(path.read_text(encoding="utf-8"))["vectors"])
    return out


def function(core_name: str) -> Callable[..., Any]:
    """The public ``amr_cmk`` function for a core (camelCase) function name."""
    name = python_name(core_name)
    found = getattr(amr_cmk, name, None)
    assert callable(found), f"amr_cmk has no {name}() for the core function {core_name}"
    return found  # type: ignore[no-any-return]


def call(core_name: str, arg: Any) -> Any:
    """Calls the public function for ``core_name`` with a vector's ``input`` (none for functions without one)."""
    found = function(core_name)
    if not inspect.signature(found).parameters:
        assert arg is None, f"{core_name} takes no argument, the vector gives {arg!r}"
        return found()
    return found(arg)
