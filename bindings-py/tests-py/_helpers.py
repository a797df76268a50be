"""Shared helpers for the amr_cmk tests."""

from __future__ import annotations

import re


def snake(name: str) -> str:
    """The Python name of a core (camelCase) function or field: ``parseKeyUri`` -> ``parse_key_uri``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
