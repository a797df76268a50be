#!/usr/bin/env python3
"""Transfer size of the web form: every file the page loads (HTML + JS + CSS + wasm), gzip -9 each, summed.

Usage: size.py [--root DIR] [--pkg DIR] [--package DIR] [--json]

--root and --pkg are the page and the package folder as served (`make web-size` and `make test-web` measure the
page as `examples/web/build.mjs` writes it: JS and CSS minified; the defaults are the sources as they are);
--package is the package as published (default bindings-js/wasm), whose builds are sized below.

The file set is found the way the browser finds it: index.html's stylesheet and script, then the static and
dynamic `import`s of each JS module (app.js imports ./pkg/lite.mjs, served from --pkg), then the `.wasm` that
wasm-bindgen's glue fetches with `new URL('…', import.meta.url)`. The browser test checks that this set is
exactly what the page requested.

Then the two builds of the package, each as wasm + wasm-bindgen glue (`amr_cmk_js.js`) and the wrapper (the
entry and `api.mjs`): `lite` (amr-cmk-wasm/lite, what the page loads) and `full` (amr-cmk-wasm/web). The size
budget, wasm + glue <= 60 KB (61,440 B) gzip -9, is judged on lite; a miss is reported, not an error.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_PKG = HERE.parent.parent / "bindings-js" / "wasm"

HTML_REFS = re.compile(r"""<(?:link[^>]*\bhref|script[^>]*\bsrc)="([^"#?:]+)\"""")
JS_IMPORTS = re.compile(
    r"""(?:\bimport\s*(?:[\w*{}\s,$]+from\s*)?|\bimport\s*\(\s*|\bexport\s*[\w*{}\s,$]+from\s*)['"](\.{1,2}/[^'"]+)['"]"""
)
# app.js names its package entry in a constant (`const PKG_ENTRY = './pkg/lite.mjs'`); minified, the constant
# has another name, so any string literal of a module under ./pkg/ counts.
JS_CONST_ENTRY = re.compile(r"""['"](\./pkg/[^'"]+\.mjs)['"]""")
WASM_URLS = re.compile(r"""new URL\(\s*['"]([^'"]+\.wasm)['"]\s*,\s*import\.meta\.url""")


def url_to_file(url: str, root: Path, pkg: Path) -> Path:
    """Maps a page URL path (/index.html, /pkg/...) to the file serve.py sends."""
    parts = [p for p in url.split("/") if p]
    if parts and parts[0] == "pkg":
        return pkg.joinpath(*parts[1:])
    return root.joinpath(*parts)


def join_url(base: str, rel: str) -> str:
    parts = base.split("/")[:-1]
    for piece in rel.split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in (".", ""):
            parts.append(piece)
    return "/".join(parts)


def page_files(root: Path, pkg: Path) -> list[str]:
    """URL paths the page loads, in discovery order."""
    seen: list[str] = []
    todo = ["/index.html"]
    while todo:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.append(url)
        path = url_to_file(url, root, pkg)
        text = path.read_text(encoding="utf-8", errors="replace")
        if url.endswith(".html"):
            refs = HTML_REFS.findall(text)
        elif url.endswith((".js", ".mjs")):
            refs = JS_IMPORTS.findall(text) + JS_CONST_ENTRY.findall(text) + WASM_URLS.findall(text)
        else:
            refs = []
        for ref in refs:
            if ref.startswith("data:"):
                continue
            todo.append(join_url(url, ref if ref.startswith(".") else "./" + ref))
    return seen


def gzip9(data: bytes) -> int:
    """Size after `gzip -9 -n` (the gzip program when there is one, else Python's zlib at level 9)."""
    if shutil.which("gzip"):
        out = subprocess.run(["gzip", "-9", "-n", "-c"], input=data, capture_output=True, check=True).stdout
        return len(out)
    return len(gzip.compress(data, compresslevel=9, mtime=0))


BUDGET_GZIP9 = 61440  # wasm + wasm-bindgen glue of the page's build, gzip -9 (60 KB)
# The builds of amr-cmk-wasm for browsers: name -> (entry, folder of the wasm, glue and shared wrapper).
BUILDS = {"lite": ("lite.mjs", "pkg-lite"), "full": ("web.mjs", "pkg-web")}


def sized(paths: list[Path]) -> dict:
    return {"bytes": sum(p.stat().st_size for p in paths), "gzip9": sum(gzip9(p.read_bytes()) for p in paths)}


def build_sizes(pkg: Path) -> dict:
    """wasm, glue, wasm + glue and wrapper sizes of each build."""
    out = {}
    for name, (entry, folder) in BUILDS.items():
        wasm, glue = pkg / folder / "amr_cmk_js_bg.wasm", pkg / folder / "amr_cmk_js.js"
        out[name] = {
            "entry": entry,
            "wasm": sized([wasm]),
            "glue": sized([glue]),
            "wasmPlusGlue": sized([wasm, glue]),
            "wrapper": sized([pkg / entry, pkg / folder / "api.mjs"]),
        }
    lite = out["lite"]["wasmPlusGlue"]["gzip9"]
    out["budget"] = {"build": "lite", "gzip9": lite, "limit": BUDGET_GZIP9, "pass": lite <= BUDGET_GZIP9}
    return out


def measure(root: Path, pkg: Path, package: Path) -> dict:
    rows = []
    for url in page_files(root, pkg):
        data = url_to_file(url, root, pkg).read_bytes()
        rows.append({"file": url, "bytes": len(data), "gzip9": gzip9(data)})
    return {
        "totalGzip9": sum(r["gzip9"] for r in rows),
        "totalBytes": sum(r["bytes"] for r in rows),
        "files": rows,
        "builds": build_sizes(package),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=HERE, help="the page folder as served")
    ap.add_argument("--pkg", type=Path, default=DEFAULT_PKG, help="the package folder as served at /pkg/")
    ap.add_argument("--package", type=Path, default=DEFAULT_PKG, help="the package as published (build sizes)")
    ap.add_argument("--json", action="store_true", help="print JSON")
    args = ap.parse_args()
    try:
        result = measure(args.root, args.pkg, args.package)
    except FileNotFoundError as e:
        print(f"size.py: {e} (run `make build-wasm`)", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    for r in result["files"]:
        print(f"{r['file']:<34} {r['bytes']:>9} B   gzip -9 {r['gzip9']:>8} B")
    print(f"{'total (HTML + JS + CSS + wasm)':<34} {result['totalBytes']:>9} B   gzip -9 {result['totalGzip9']:>8} B")
    builds = result["builds"]
    for name in BUILDS:
        b = builds[name]
        for part in ("wasm", "glue", "wasmPlusGlue", "wrapper"):
            label = f"{name} ({b['entry']}) {part}"
            print(f"{label:<34} {b[part]['bytes']:>9} B   gzip -9 {b[part]['gzip9']:>8} B")
    budget = builds["budget"]
    verdict = "within" if budget["pass"] else "MISSES"
    print(
        f"size budget: lite wasm + glue {budget['gzip9']} B gzip -9 {verdict} the {budget['limit']} B (60 KB) budget"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
