#!/usr/bin/env python3
"""What is left in a wasm, by crate and module: `twiggy top` of every item, summed by path prefix.

Usage: twiggy_crates.py TWIGGY WASM [--depth N] [--top N]

`make web-size` runs it on the lite build as linked (target-wasm/lite-raw.wasm: before wasm-bindgen and
wasm-opt, so item names are still there; the shipped wasm is smaller, see size.py). Items are grouped by the
first N `::` segments of their demangled name (`amr_cmk::rules`, `serde_json::de`, ...); data segments and
unnamed items by their kind.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter

GENERIC = re.compile(r"<[^<>]*>")
HASH = re.compile(r"\[[0-9a-f]{16}\]")
# Sections that wasm-bindgen / wasm-opt drop (names) or that carry no code: left out of the table.
NOT_SHIPPED = ("custom section", '"function names" subsection', '"local names" subsection')


def group(name: str, depth: int) -> str:
    """`<impl X for amr_cmk::a::B>::f` -> the path of the impl's type; data and unnamed items by kind."""
    if name.startswith(NOT_SHIPPED):
        return "(names and custom sections: not shipped)"
    if name.startswith("data segment"):
        return "data (strings: messages, catalogue, tables)"
    if name.startswith(("data[", "elem[", "type[", "global[", "table[")):
        return name.split("[", 1)[0] + " segments"
    inner = HASH.sub("", name)
    m = re.match(r"^<(?:&(?:mut )?)?(?:impl [^ ]+ for )?([\w:]+)", inner)
    if m:
        inner = m.group(1)
    while GENERIC.search(inner):
        inner = GENERIC.sub("", inner)
    parts = [p for p in inner.split("::") if p]
    if not parts or not re.match(r"^[A-Za-z_]", parts[0]):
        return "(other)"
    return "::".join(parts[:depth])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("twiggy")
    ap.add_argument("wasm")
    ap.add_argument("--depth", type=int, default=2)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    out = subprocess.run(
        [args.twiggy, "top", "-n", "1000000", "-f", "json", args.wasm], capture_output=True, check=True, text=True
    ).stdout
    items = json.loads(out)
    sizes: Counter[str] = Counter()
    for item in items:
        sizes[group(item["name"], args.depth)] += item["shallow_size"]
    total = sum(v for k, v in sizes.items() if not k.startswith("(names"))
    print(
        f"twiggy: {args.wasm}: {total} B of code and data (names and custom sections left out) in {len(items)} "
        f"items, by path prefix (depth {args.depth}):"
    )
    for name, size in sizes.most_common(args.top + 1):
        if name.startswith("(names"):
            continue
        print(f"  {size:>8} B  {100 * size / total:5.1f}%  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
