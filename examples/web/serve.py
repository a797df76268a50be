#!/usr/bin/env python3
"""Tiny static server for the web form: the page's own files at /, the wasm package at /pkg/.

Usage: serve.py [--port N] [--host 127.0.0.1] [--pkg DIR] [--root DIR]

`--pkg` is the npm package amr-cmk-wasm (default bindings-js/wasm); the page loads its lite entry, lite.mjs +
pkg-lite/.

`--port 0` picks a free port. The first line on stdout is the URL (tests read it). Serves `.wasm` as
`application/wasm` and `.js`/`.mjs` as `text/javascript`, sends a Content-Security-Policy that lets the page
load only its own files, never lists directories, and never serves anything outside the two folders.
"""

from __future__ import annotations

import argparse
import http.server
import os
import posixpath
import sys
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_PKG = REPO / "bindings-js" / "wasm"

CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".ts": "text/plain; charset=utf-8",
    ".png": "image/png",
}
# The page's own files; everything else under --root (tests, node_modules, this script) is not served.
PAGE_FILES = {"index.html", "app.js", "style.css", "worker.mjs"}


class Handler(http.server.BaseHTTPRequestHandler):
    root: Path = HERE
    pkg: Path = DEFAULT_PKG
    quiet = False

    def resolve(self, url_path: str) -> Path | None:
        path = posixpath.normpath(urllib.parse.unquote(url_path))
        if path in ("/", "."):
            return self.root / "index.html"
        parts = [p for p in path.split("/") if p]
        if not parts or any(p.startswith(".") for p in parts):
            return None
        if parts[0] == "pkg" and len(parts) > 1:
            base = self.pkg
            rel = parts[1:]
        elif len(parts) == 1 and parts[0] in PAGE_FILES:
            base = self.root
            rel = parts
        else:
            return None
        target = base.joinpath(*rel).resolve()
        try:
            target.relative_to(base.resolve())
        except ValueError:
            return None
        return target if target.is_file() else None

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.send(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self.send(head=True)

    def send(self, head: bool) -> None:
        url_path = urllib.parse.urlsplit(self.path).path
        target = self.resolve(url_path)
        if target is None:
            body = b"not found\n"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
            return
        data = target.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", TYPES.get(target.suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if target.suffix == ".html":
            self.send_header("Content-Security-Policy", CSP)
            self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if not self.quiet:
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")))
    ap.add_argument("--root", type=Path, default=HERE)
    ap.add_argument("--pkg", type=Path, default=DEFAULT_PKG)
    ap.add_argument("--quiet", action="store_true", help="no request log")
    args = ap.parse_args()
    if not (args.pkg / "lite.mjs").is_file() or not (args.pkg / "pkg-lite" / "amr_cmk_js_bg.wasm").is_file():
        print(f"serve.py: no wasm package in {args.pkg} (run `make build-wasm`)", file=sys.stderr)
        return 2
    Handler.root = args.root.resolve()
    Handler.pkg = args.pkg.resolve()
    Handler.quiet = args.quiet
    server = http.server.ThreadingHTTPServer((args.host, args.port), Handler)
    host, port = server.server_address[:2]
    print(f"http://{host}:{port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
