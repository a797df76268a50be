#!/usr/bin/env python3
"""Writes bench/inputs.json: the key-identifier mix every language's benchmark reads.

Fixed seed, so the file is reproducible: `python3 bench/gen_inputs.py` rewrites it byte for byte.
Mix (of COUNT identifiers): versioned Key Vault IDs in the public cloud, versionless ones, Managed HSM,
sovereign clouds (China, US Government), a few user-typed case variants, and invalid IDs of the kinds users
paste (http, wrong host, query string, port, placeholder version, secrets collection, userinfo...).
"""

from __future__ import annotations

import json
import pathlib
import random

SEED = 20261127
COUNT = 1000
OUT = pathlib.Path(__file__).with_name("inputs.json")

# (category, weight): the share of the mix.
CATEGORIES = [
    ("versioned", 40),
    ("versionless", 15),
    ("managedHsm", 12),
    ("sovereign", 13),
    ("caseVariant", 5),
    ("invalid", 15),
]
LETTERS = "abcdefghijklmnopqrstuvwxyz"
ALNUM = LETTERS + "0123456789"


def vault_name(rng: random.Random) -> str:
    n = rng.randint(3, 24)
    chars = [rng.choice(LETTERS)]
    while len(chars) < n - 1:
        c = rng.choice(ALNUM + "-")
        if c == "-" and chars[-1] == "-":
            continue
        chars.append(c)
    chars.append(rng.choice(ALNUM))
    return "".join(chars)[:n]


def key_name(rng: random.Random) -> str:
    return "".join(rng.choice(ALNUM + "-") for _ in range(rng.randint(3, 30)))


def version(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(32))


def key_id(host: str, key: str, ver: str | None) -> str:
    return f"https://{host}/keys/{key}" + (f"/{ver}" if ver is not None else "")


def make(rng: random.Random, category: str) -> str:
    name, key, ver = vault_name(rng), key_name(rng), version(rng)
    if category == "versioned":
        return key_id(f"{name}.vault.azure.net", key, ver)
    if category == "versionless":
        suffix = rng.choice(["vault.azure.net", "managedhsm.azure.net"])
        return key_id(f"{name}.{suffix}", key, None)
    if category == "managedHsm":
        return key_id(f"{name}.managedhsm.azure.net", key, ver)
    if category == "sovereign":
        suffix = rng.choice(
            [
                "vault.azure.cn",
                "managedhsm.azure.cn",
                "vault.usgovcloudapi.net",
                "managedhsm.usgovcloudapi.net",
            ]
        )
        return key_id(f"{name}.{suffix}", key, ver if rng.random() < 0.8 else None)
    if category == "caseVariant":
        # Typed by hand: upper-case host or scheme (both sides lower-case the host).
        if rng.random() < 0.5:
            return key_id(f"{name.upper()}.VAULT.AZURE.NET", key, ver)
        return "HTTPS" + key_id(f"{name}.vault.azure.net", key, ver)[5:]
    host = f"{name}.vault.azure.net"
    bad = [
        "http://" + host + f"/keys/{key}/{ver}",
        key_id(f"{name}.vault.azure.com", key, ver),
        key_id(f"{name}.blob.core.windows.net", key, ver),
        key_id(host, key, ver) + "?api-version=7.4",
        f"https://{host}:443/keys/{key}/{ver}",
        key_id(host, key, "pending"),
        key_id(host, key, ver[:31]),
        f"https://{host}/secrets/{key}/{ver}",
        f"https://evil@{host}/keys/{key}/{ver}",
        key_id(host, key, ver) + "/",
        f"https://{host}/keys",
        f"{host}/keys/{key}/{ver}",
        key_id(host, key + "_x", ver),
        key_id("ab.vault.azure.net", key, ver),
        " " + key_id(host, key, ver),
    ]
    return rng.choice(bad)


def main() -> None:
    rng = random.Random(SEED)
    names = [c for c, _ in CATEGORIES]
    weights = [w for _, w in CATEGORIES]
    ids = []
    for _ in range(COUNT):
        category = rng.choices(names, weights)[0]
        ids.append({"category": category, "id": make(rng, category)})
    doc = {
        "description": "Key identifiers for the parse benchmarks (written by bench/gen_inputs.py, seed "
        f"{SEED}); every language's bench reads this file.",
        "seed": SEED,
        "ids": ids,
        "validate": "validate-valid-full-balanced",
    }
    OUT.write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
