#!/usr/bin/env python3
"""Python side of `make bench`: amr_cmk against azure-keyvault-keys in one process, on bench/inputs.json.

Prints ns per call (median of timed passes after a warm-up pass; ours and the peer's passes alternate, so
load changes on a shared machine hit both) and the ratio, the same split by whether amr_cmk accepts the ID,
checks that both sides agree on every ID both accept, and measures RSS before and after many `validate`
calls. Writes its figures as JSON to --out.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import statistics
import time
from typing import Any, Callable

import amr_cmk
from azure.keyvault.keys import KeyVaultKeyIdentifier

ROOT = pathlib.Path(__file__).resolve().parent.parent


def rss_kib() -> int:
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return -1


def ours_fields(uri: str) -> tuple[str, str, str | None] | None:
    try:
        k = amr_cmk.parse_key_uri(uri)
    except ValueError:
        return None
    return (k.vault_url, k.key_name, k.version)


def peer_fields(uri: str) -> tuple[str, str, str | None] | None:
    try:
        k = KeyVaultKeyIdentifier(uri)
    except ValueError:
        return None
    return (k.vault_url, k.name, k.version)


def agreement(ids: list[str]) -> dict[str, Any]:
    counts = {"both": 0, "oursOnly": 0, "peerOnly": 0, "neither": 0}
    disagreements = []
    for uri in ids:
        ours, peer = ours_fields(uri), peer_fields(uri)
        if ours and peer:
            counts["both"] += 1
            if ours != peer:
                disagreements.append({"id": uri, "ours": ours, "peer": peer})
        elif ours:
            counts["oursOnly"] += 1
        elif peer:
            counts["peerOnly"] += 1
        else:
            counts["neither"] += 1
    return {**counts, "disagreements": disagreements}


def one_pass(fn: Callable[[str], object], ids: list[str]) -> float:
    """ns per ID for one pass over the mix (errors caught, as a caller would)."""
    start = time.perf_counter_ns()
    for uri in ids:
        try:
            fn(uri)
        except ValueError:
            pass
    return (time.perf_counter_ns() - start) / len(ids)


def timed(named: dict[str, Callable[[str], object]], ids: list[str], passes: int) -> dict[str, Any]:
    for fn in named.values():
        one_pass(fn, ids)  # warm-up
    samples: dict[str, list[float]] = {name: [] for name in named}
    for _ in range(passes):
        for name, fn in named.items():
            samples[name].append(one_pass(fn, ids))
    return {
        name: {"medianNs": statistics.median(s), "minNs": min(s), "passes": len(s)}
        for name, s in samples.items()
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=pathlib.Path, required=True)
    ap.add_argument("--passes", type=int, default=15)
    ap.add_argument("--rss-calls", type=int, default=1_000_000)
    args = ap.parse_args()

    inputs = json.loads((ROOT / "bench/inputs.json").read_text())
    ids = [x["id"] for x in inputs["ids"]]
    vectors = json.loads((ROOT / "tests/conformance/validate.json").read_text())["vectors"]
    config = next(v["input"] for v in vectors if v["name"] == inputs["validate"])

    agree = agreement(ids)
    print(
        f"python agreement: both accept {agree['both']}, only amr_cmk {agree['oursOnly']}, "
        f"only azure-keyvault-keys {agree['peerOnly']}, neither {agree['neither']}; "
        f"{len(agree['disagreements'])} disagreement(s) on (vault_url, name, version)"
    )
    for d in agree["disagreements"]:
        print(f"  DISAGREE {d['id']}\n    amr_cmk: {d['ours']}\n    peer:    {d['peer']}")

    parse = timed(
        {"amr_cmk.parse_key_uri": amr_cmk.parse_key_uri, "KeyVaultKeyIdentifier": KeyVaultKeyIdentifier},
        ids,
        args.passes,
    )
    ours = parse["amr_cmk.parse_key_uri"]["medianNs"]
    peer = parse["KeyVaultKeyIdentifier"]["medianNs"]
    print(f"python parse: amr_cmk {ours:.0f} ns/ID, KeyVaultKeyIdentifier {peer:.0f} ns/ID, ratio {peer / ours:.2f}x")

    # The same, split by our outcome: what an ID that parses costs, and what one we raise for costs (the
    # exception, raise and catch included); informative, not a target.
    subsets = {
        "accepted": [uri for uri in ids if ours_fields(uri) is not None],
        "rejected": [uri for uri in ids if ours_fields(uri) is None],
    }
    by_outcome = {
        name: timed(
            {"amr_cmk.parse_key_uri": amr_cmk.parse_key_uri, "KeyVaultKeyIdentifier": KeyVaultKeyIdentifier},
            subset,
            args.passes,
        )
        for name, subset in subsets.items()
    }
    for name, t in by_outcome.items():
        print(
            f"python parse, the {len(subsets[name])} IDs amr_cmk {name}: "
            f"amr_cmk {t['amr_cmk.parse_key_uri']['medianNs']:.0f} ns/ID, "
            f"KeyVaultKeyIdentifier {t['KeyVaultKeyIdentifier']['medianNs']:.0f} ns/ID"
        )

    validate = timed({"amr_cmk.validate": lambda _: amr_cmk.validate(config)}, ids[:100], args.passes)
    vns = validate["amr_cmk.validate"]["medianNs"]
    print(f"python validate: {vns:.0f} ns/call")

    # After a warm-up; a reading at half way too (growth between the last two is what a leak looks like).
    warm_up = 10_000
    for _ in range(warm_up):
        amr_cmk.validate(config)
    before = rss_kib()
    mid = 0
    for i in range(args.rss_calls):
        amr_cmk.validate(config)
        if i == args.rss_calls // 2:
            mid = rss_kib()
    after = rss_kib()
    print(f"python RSS: {before} KiB before, {after} KiB after {args.rss_calls} validate calls")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "ids": len(ids),
                "agreement": agree,
                "parse": parse,
                "ratio": peer / ours,
                "parseByOutcome": by_outcome,
                "validate": validate["amr_cmk.validate"],
                "rss": {
                    "calls": args.rss_calls,
                    "warmUpCalls": warm_up,
                    "beforeKiB": before,
                    "midKiB": mid,
                    "afterKiB": after,
                },
            },
            indent=1,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
