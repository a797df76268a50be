"""10,000 random garbage values (fixed seed) through every public function: each call answers or raises an
AmrCmkError with a known code, never anything else, and the module keeps working."""

from __future__ import annotations

import math
import random
from typing import Any, Callable

import amr_cmk

FUNCTIONS: list[Callable[[Any], Any]] = [
    amr_cmk.parse_key_uri,
    amr_cmk.parse_identity_id,
    amr_cmk.tier_for_sku,
    amr_cmk.coverage,
    amr_cmk.validate,
    amr_cmk.plan,
    amr_cmk.check,
    amr_cmk.render,
    amr_cmk.cli_plan,
    amr_cmk.cli_run,
]
KEYS = ["cache", "encryption", "customerManagedKeyEncryption", "keyEncryptionKeyUrl", "vault", "key", "identity",
        "document", "format", "result", "plan", "inputs", "sku", "location", "now", "roleAssignments", "x", ""]


def garbage(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.randrange(16 if depth < 6 else 10)
    if pick == 0:
        return None
    if pick == 1:
        return rng.choice([True, False])
    if pick == 2:
        return rng.randint(-(2**70), 2**70)
    if pick == 3:
        return rng.choice([0.5, -1e308, math.nan, math.inf, -0.0])
    if pick == 4:
        return "".join(chr(rng.randrange(0, 0x110000)) for _ in range(rng.randrange(0, 40))).encode(
            "utf-8", "surrogatepass").decode("utf-8", "surrogatepass")
    if pick == 5:
        return rng.choice(["https://contoso.vault.azure.net/keys/k", "Balanced_B10", "\ud800", "x" * 300_000, ""])
    if pick == 6:
        return rng.randbytes(rng.randrange(0, 20))
    if pick == 7:
        return {1, 2, 3}
    if pick == 8:
        return object()
    if pick == 9:
        return (1, "a")
    if pick in (10, 11, 12):
        return {rng.choice(KEYS): garbage(rng, depth + 1) for _ in range(rng.randrange(0, 5))}
    return [garbage(rng, depth + 1) for _ in range(rng.randrange(0, 5))]


def test_ten_thousand_random_inputs() -> None:
    rng = random.Random(20261127)
    codes = set(amr_cmk.error_codes()) | set(amr_cmk.rule_codes())
    answered = raised = 0
    for i in range(10_000):
        function = FUNCTIONS[i % len(FUNCTIONS)]
        value = garbage(rng)
        try:
            function(value)
            answered += 1
        except amr_cmk.AmrCmkError as e:
            assert e.code in codes, (function.__name__, e.code)
            raised += 1
    assert answered + raised == 10_000 and raised > 1000
    assert amr_cmk.parse_key_uri("https://contoso.vault.azure.net/keys/cmk").key_name == "cmk"
