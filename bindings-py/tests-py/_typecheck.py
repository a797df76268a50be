"""A small runtime checker of JSON values against the package's result types (TypedDicts, Literals, lists...).

Only the annotations the types use are supported; anything else is a ``TypeError``, so a new kind of
annotation in ``amr_cmk/_types.py`` cannot be skipped silently.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field
from typing import Any, Literal, Union, get_args, get_origin

if sys.version_info >= (3, 11):
    from typing import NotRequired, Required, get_type_hints, is_typeddict
else:
    from typing_extensions import NotRequired, Required, get_type_hints, is_typeddict


@dataclass
class Seen:
    """What the checked values reached: keys per TypedDict, and values per Literal type."""

    keys: set[tuple[str, str]] = field(default_factory=set)
    literals: set[tuple[tuple[Any, ...], Any]] = field(default_factory=set)


def fields(td: Any) -> dict[str, Any]:
    """The fields of a TypedDict with their types (``NotRequired[...]`` / ``Required[...]`` removed)."""
    return {k: _unwrap(v) for k, v in get_type_hints(td, include_extras=True).items()}


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) in (NotRequired, Required):
        (tp,) = get_args(tp)
    return tp


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def describe(tp: Any) -> str:
    """``tp`` as it is written in ``_types.py``: ``KeyIdDict | None``, ``list[str]``, ``'error' | 'info'``."""
    tp = _unwrap(tp)
    origin = get_origin(tp)
    if is_typeddict(tp):
        return str(tp.__name__)
    if tp is Any:
        return "Any"
    if tp is type(None):
        return "None"
    if origin is Literal:
        return " | ".join(map(repr, get_args(tp)))
    if _is_union(tp):
        return " | ".join(describe(arm) for arm in get_args(tp))
    if origin in (list, dict):
        return f"{origin.__name__}[{', '.join(describe(arg) for arg in get_args(tp))}]"
    return str(getattr(tp, "__name__", repr(tp)))


def conform(value: Any, tp: Any, path: str = "", seen: Seen | None = None) -> None:
    """Raises ``AssertionError`` naming the JSON Pointer of the first value that does not have type ``tp``:
    an undeclared key, a missing required key, a wrong scalar type, a value outside a ``Literal``."""
    seen = Seen() if seen is None else seen
    tp = _unwrap(tp)
    where = path or "/"
    if tp is Any:
        return
    if is_typeddict(tp):
        assert isinstance(value, dict), f"{where}: {describe(tp)} expected, got {type(value).__name__}"
        declared = fields(tp)
        undeclared = [k for k in value if k not in declared]
        assert not undeclared, f"{where}: keys {undeclared} are not declared in {tp.__name__}"
        missing = sorted(set(tp.__required_keys__) - value.keys())
        assert not missing, f"{where}: required keys {missing} of {tp.__name__} are missing"
        for key, item in value.items():
            seen.keys.add((tp.__name__, key))
            conform(item, declared[key], f"{path}/{key}", seen)
        return
    origin = get_origin(tp)
    if origin is Literal:
        allowed = get_args(tp)
        # `True == 1`: compare types too.
        assert any(type(value) is type(a) and value == a for a in allowed), (
            f"{where}: {value!r} is not one of {list(allowed)}"
        )
        seen.literals.add((allowed, value))
        return
    if _is_union(tp):
        errors = []
        for arm in get_args(tp):
            reached = Seen()  # what an arm that does not match reached is not reached
            try:
                conform(value, arm, path, reached)
            except AssertionError as e:
                errors.append(str(e))
                continue
            seen.keys |= reached.keys
            seen.literals |= reached.literals
            return
        raise AssertionError(f"{where}: {value!r} is not {describe(tp)} ({'; '.join(errors)})")
    if origin is list:
        assert isinstance(value, list), f"{where}: list expected, got {type(value).__name__}"
        (item_type,) = get_args(tp)
        for i, item in enumerate(value):
            conform(item, item_type, f"{path}/{i}", seen)
        return
    if origin is dict:
        assert isinstance(value, dict), f"{where}: dict expected, got {type(value).__name__}"
        key_type, value_type = get_args(tp)
        for key, item in value.items():
            conform(key, key_type, f"{path}/{key}", seen)
            conform(item, value_type, f"{path}/{key}", seen)
        return
    if tp is type(None):
        assert value is None, f"{where}: None expected, got {value!r}"
        return
    if tp in (str, int, bool):
        # Exact types: a bool is not an int here, and the JSON has no int subclasses.
        assert type(value) is tp, f"{where}: {tp.__name__} expected, got {value!r}"
        return
    raise TypeError(f"{where}: the checker does not support the annotation {tp!r}")


def typeddicts(tp: Any, out: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every TypedDict reachable from ``tp``, by name."""
    out = {} if out is None else out
    tp = _unwrap(tp)
    if is_typeddict(tp):
        if tp.__name__ in out:
            return out
        out[tp.__name__] = tp
        for item in fields(tp).values():
            typeddicts(item, out)
    else:
        for arg in get_args(tp):
            typeddicts(arg, out)
    return out


def literals(tp: Any, out: set[tuple[Any, ...]] | None = None) -> set[tuple[Any, ...]]:
    """The value tuples of every Literal reachable from ``tp``."""
    out = set() if out is None else out
    tp = _unwrap(tp)
    if is_typeddict(tp):
        for item in fields(tp).values():
            literals(item, out)
    elif get_origin(tp) is Literal:
        out.add(get_args(tp))
    else:
        for arg in get_args(tp):
            literals(arg, out)
    return out
