#!/usr/bin/env python3
"""`make bench`: runs every language's benchmark on the shared input mix and writes bench/results.json and
bench/results.md (both git-ignored) with the machine, the figures, the ratios and pass/miss per target.

Steps: criterion (Rust), bench/bench_py.py (Python, in the project .venv), bench/bench_node.mjs (Node: napi and
wasm), sizes of the wasm package and of the web page, then the targets. Environment knobs for a quick run:
BENCH_PASSES (timed passes per language, default 15), BENCH_RSS_CALLS (validate calls for the RSS check,
default 1000000), BENCH_CRITERION_ARGS (extra arguments for criterion).
"""

from __future__ import annotations

import gzip
import json
import os
import pathlib
import platform
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "target" / "bench"
PASSES = os.environ.get("BENCH_PASSES", "15")
RSS_CALLS = os.environ.get("BENCH_RSS_CALLS", "1000000")
CRITERION_ARGS = os.environ.get("BENCH_CRITERION_ARGS", "--warm-up-time 2 --measurement-time 5").split()


def run(cmd: list[str], **kw: object) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True, **kw)  # type: ignore[call-overload]


def machine() -> dict[str, object]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "loadavg": pathlib.Path("/proc/loadavg").read_text().split()[:3],
        "kernel": platform.release(),
        "python": platform.python_version(),
        "node": subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip(),
        "rustc": subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip(),
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def criterion() -> dict[str, float]:
    # Fresh estimates only (criterion keeps old benches' directories).
    subprocess.run(["rm", "-rf", str(ROOT / "target" / "criterion")], check=True)
    run(["cargo", "bench", "-p", "amr-cmk", "--bench", "core", "--", *CRITERION_ARGS])
    ids = len(json.loads((ROOT / "bench/inputs.json").read_text())["ids"])
    out: dict[str, float] = {}
    base = ROOT / "target" / "criterion"
    for est in sorted(base.glob("**/new/estimates.json")):
        name = str(est.parent.parent.relative_to(base))
        median = json.loads(est.read_text())["median"]["point_estimate"]
        out[name] = median / ids if name == "parse_key_uri/mix" else median
    return out


def sizes() -> dict[str, dict[str, int]]:
    """Both browser builds of amr-cmk-wasm: `lite` (amr-cmk-wasm/lite, what the web page loads; the size budget
    is judged on it) and `full` (amr-cmk-wasm/web, every function)."""

    def size(paths: list[pathlib.Path]) -> dict[str, int]:
        raw = sum(p.stat().st_size for p in paths)
        gz = sum(len(gzip.compress(p.read_bytes(), compresslevel=9)) for p in paths)
        return {"raw": raw, "gzip": gz}

    out: dict[str, dict[str, int]] = {}
    page = [ROOT / "examples/web" / n for n in ("index.html", "app.js", "style.css")]
    for build, entry, folder in (("lite", "lite.mjs", "pkg-lite"), ("full", "web.mjs", "pkg-web")):
        pkg = ROOT / "bindings-js/wasm" / folder
        wasm, glue = pkg / "amr_cmk_js_bg.wasm", pkg / "amr_cmk_js.js"
        wrapper = [ROOT / "bindings-js/wasm" / entry, pkg / "api.mjs"]
        out[f"{build} wasm"] = size([wasm])
        out[f"{build} glue"] = size([glue])
        out[f"{build} wasmPlusGlue"] = size([wasm, glue])
        out[f"{build} wrapper"] = size(wrapper)
        if build == "lite":
            out["webPage (lite)"] = size([*page, *wrapper, glue, wasm])
    # The page as served (`make web-size`: examples/web/build.mjs minifies its JS and CSS into target-web/page),
    # every file it loads, as examples/web/size.py finds and sizes them (`gzip -9`, as `make web-size` prints).
    site = ROOT / "target-web/page"
    served = json.loads(
        subprocess.run(
            [sys.executable, str(ROOT / "examples/web/size.py"), "--root", str(site), "--pkg", str(site / "pkg"), "--json"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    out["webPage (served)"] = {"raw": served["totalBytes"], "gzip": served["totalGzip9"]}
    return out


def targets(r: dict[str, object]) -> list[dict[str, object]]:
    rust, py, node, sz = r["rust"], r["python"], r["node"], r["sizes"]  # type: ignore[index]
    rss_growth = {
        "python": py["rss"]["afterKiB"] - py["rss"]["beforeKiB"],  # type: ignore[index]
        "napi": node["rss"]["napi"]["afterKiB"] - node["rss"]["napi"]["beforeKiB"],  # type: ignore[index]
        "wasm": node["rss"]["wasm"]["afterKiB"] - node["rss"]["wasm"]["beforeKiB"],  # type: ignore[index]
    }
    rows = [
        ("Rust parse_key_uri median (mix)", rust["parse_key_uri/mix"], "<= 150 ns", rust["parse_key_uri/mix"] <= 150),  # type: ignore[index]
        ("Rust validate, full configuration", rust["validate/rules"], "<= 3000 ns", rust["validate/rules"] <= 3000),  # type: ignore[index]
        ("Python parse_key_uri vs KeyVaultKeyIdentifier", py["ratio"], ">= 10x", py["ratio"] >= 10),  # type: ignore[index]
        ("Node napi parseKeyUri vs parseKeyVaultKeyIdentifier", node["ratio"]["napi"], ">= 2x", node["ratio"]["napi"] >= 2),  # type: ignore[index]
        ("Node wasm parseKeyUri vs parseKeyVaultKeyIdentifier", node["ratio"]["wasm"], ">= 1x", node["ratio"]["wasm"] >= 1),  # type: ignore[index]
        ("Node napi safeParseKeyUri vs parseKeyVaultKeyIdentifier", node["ratio"]["napiSafe"], ">= 3x", node["ratio"]["napiSafe"] >= 3),  # type: ignore[index]
        ("Node wasm safeParseKeyUri vs parseKeyVaultKeyIdentifier", node["ratio"]["wasmSafe"], ">= 1.5x", node["ratio"]["wasmSafe"] >= 1.5),  # type: ignore[index]
        ("Node wasm validate, full configuration (ns)", node["validate"]["wasm"]["medianNs"], "< 20000 ns", node["validate"]["wasm"]["medianNs"] < 20000),  # type: ignore[index]
        ("wasm + JS glue, gzip (lite: the web page's)", sz["lite wasmPlusGlue"]["gzip"], "<= 61440 B", sz["lite wasmPlusGlue"]["gzip"] <= 61440),  # type: ignore[index]
        ("the web page's transfer as served, gzip", sz["webPage (served)"]["gzip"], "<= 81920 B", sz["webPage (served)"]["gzip"] <= 81920),  # type: ignore[index]
    ]
    rows += [
        (f"RSS growth after {RSS_CALLS} validate ({k})", v, "< 5120 KiB", v < 5120) for k, v in rss_growth.items()
    ]
    return [{"target": t, "value": v, "goal": g, "pass": bool(p)} for t, v, g, p in rows]


def markdown(r: dict[str, object]) -> str:
    m, rust, py, node, sz = r["machine"], r["rust"], r["python"], r["node"], r["sizes"]  # type: ignore[index]
    lines = [
        "# amr-cmk benchmark results",
        "",
        f"Machine: {m['nproc']} CPUs, {m['cpu']}; load average before {' '.join(m['loadavg'])}, after "  # type: ignore[index]
        f"{' '.join(r['loadAfter'])}; {m['rustc']}, Python {m['python']}, Node {m['node']}; {m['time']}.",  # type: ignore[index]
        "",
        "## Targets",
        "",
        "| target | value | goal | result |",
        "|---|---|---|---|",
    ]
    for t in r["targets"]:  # type: ignore[attr-defined]
        v = t["value"]
        value = f"{v:.2f}" if isinstance(v, float) else f"{v}"
        lines.append(f"| {t['target']} | {value} | {t['goal']} | {'pass' if t['pass'] else 'MISS'} |")
    lines += ["", "## Rust (criterion medians, ns per call)", "", "| bench | ns |", "|---|---|"]
    lines += [f"| {k} | {v:.0f} |" for k, v in rust.items()]  # type: ignore[attr-defined]
    lines += ["", "## Python and Node (median ns per ID over the mix; validate: per call)", "", "| function | ns |", "|---|---|"]
    for k, v in py["parse"].items():  # type: ignore[index]
        lines.append(f"| Python {k} | {v['medianNs']:.0f} |")
    lines.append(f"| Python amr_cmk.validate | {py['validate']['medianNs']:.0f} |")  # type: ignore[index]
    for k, v in node["parse"].items():  # type: ignore[index]
        lines.append(f"| Node {k} | {v['medianNs']:.0f} |")
    for k, v in node["validate"].items():  # type: ignore[index]
        lines.append(f"| Node {k} validate | {v['medianNs']:.0f} |")
    both = node["parseBothAccept"]  # type: ignore[index]
    lines += ["", f"## Node on the {both['ids']} IDs both sides accept (no throw on either side; median ns per ID)", "",
              "| function | ns | ratio (peer / ours) |", "|---|---|---|"]
    for k, v in both.items():
        if k != "ids":
            ratio = both["parseKeyVaultKeyIdentifier"]["medianNs"] / v["medianNs"]
            lines.append(f"| {k} | {v['medianNs']:.0f} | {ratio:.2f}x |")
    for outcome, t in py.get("parseByOutcome", {}).items():  # type: ignore[attr-defined]
        lines.append(
            f"| Python, the IDs amr_cmk {outcome}: amr_cmk / KeyVaultKeyIdentifier | "
            f"{t['amr_cmk.parse_key_uri']['medianNs']:.0f} / {t['KeyVaultKeyIdentifier']['medianNs']:.0f} | "
            f"{t['KeyVaultKeyIdentifier']['medianNs'] / t['amr_cmk.parse_key_uri']['medianNs']:.2f}x |"
        )
    lines += ["", "## RSS around the validate loop (KiB; after a warm-up, at half way, at the end)", "",
              "| binding | warm-up calls | calls | before | half way | after | V8 new space before / after |",
              "|---|---|---|---|---|---|---|"]
    for name, rss in [("Python", py["rss"]), ("Node napi", node["rss"]["napi"]), ("Node wasm", node["rss"]["wasm"])]:  # type: ignore[index]
        new_space = f"{rss['newSpaceBeforeKiB']} / {rss['newSpaceAfterKiB']}" if "newSpaceBeforeKiB" in rss else ""
        lines.append(
            f"| {name} | {rss.get('warmUpCalls', '')} | {rss['calls']} | {rss['beforeKiB']} | {rss.get('midKiB', '')} "
            f"| {rss['afterKiB']} | {new_space} |"
        )
    lines += ["", "## Sizes (bytes)", "", "| what | raw | gzip -9 |", "|---|---|---|"]
    lines += [f"| {k} | {v['raw']} | {v['gzip']} |" for k, v in sz.items()]  # type: ignore[attr-defined]
    return "\n".join(lines) + "\n"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    result: dict[str, object] = {"machine": machine()}
    result["rust"] = criterion()
    run(
        [str(ROOT / ".venv/bin/python"), "bench/bench_py.py", "--out", str(OUT / "python.json"),
         "--passes", PASSES, "--rss-calls", RSS_CALLS]
    )
    result["python"] = json.loads((OUT / "python.json").read_text())
    run(
        ["node", "--expose-gc", "bench/bench_node.mjs", "--out", str(OUT / "node.json"),
         "--passes", PASSES, "--rss-calls", RSS_CALLS]
    )
    result["node"] = json.loads((OUT / "node.json").read_text())
    result["sizes"] = sizes()
    result["loadAfter"] = pathlib.Path("/proc/loadavg").read_text().split()[:3]
    result["targets"] = targets(result)
    (ROOT / "bench/results.json").write_text(json.dumps(result, indent=1) + "\n")
    md = markdown(result)
    (ROOT / "bench/results.md").write_text(md)
    print(md)
    missed = [t["target"] for t in result["targets"] if not t["pass"]]  # type: ignore[attr-defined]
    print(f"bench: {len(missed)} target(s) missed" + (f": {', '.join(missed)}" if missed else ""), file=sys.stderr)


if __name__ == "__main__":
    main()
