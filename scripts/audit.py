"""`make audit`: Lighthouse's four scores for one page of each kind of the built seed.

Builds the site into a temporary folder, serves it on 127.0.0.1 compressed with gzip (as GitHub Pages serves
it), and runs Lighthouse (mobile, its default throttling) in headless Chromium, started with the flags
tests/chromium.py uses. Prints a table of scores; exits 1 when any page scores below 100 for accessibility, best
practices or SEO, or below 95 for performance. Usage: python scripts/audit.py PATH-TO-LIGHTHOUSE
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from chromium import LAUNCH_ARGS, find_chromium  # noqa: E402

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
WANTED = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".txt"}


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves each text file gzip-compressed, as GitHub Pages does, so the scores are those readers get."""

    def send_head(self):  # noqa: ANN201 - the base class's signature
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESSED or not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def kinds(site: Path) -> dict[str, str]:
    """One page of each kind the site has, by its path from the base."""
    def first(pattern: str) -> str | None:
        found = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob(pattern))
        return found[0] if found else None

    wanted = {
        "home": "", "strand": first("strands/*/index.html"), "measure with a district map": _measure_with_map(site),
        "measures index": "metrics/", "board report": "board-report/", "delivery plan": first("delivery-plan*/index.html"),
        "area": first("areas/*/index.html"), "what changed": first("*changed*/index.html"), "about": "about/",
    }
    return {kind: path for kind, path in wanted.items() if path is not None and (site / path / "index.html").is_file()}


def _measure_with_map(site: Path) -> str | None:
    for page in sorted(site.glob("metrics/*/index.html")):
        if "district" in page.read_text(encoding="utf-8"):
            return page.parent.relative_to(site).as_posix() + "/"
    return None


def lighthouse(command: str, url: str, chromium: str, output: Path) -> dict[str, int]:
    flags = " ".join(["--headless=new", *(a for a in LAUNCH_ARGS if a != "--disable-gpu")])
    subprocess.run([command, url, "--quiet", "--output=json", f"--output-path={output}", f"--chrome-flags={flags}"],
                   check=True, env={**os.environ, "CHROME_PATH": chromium}, timeout=300)
    report = json.loads(output.read_text(encoding="utf-8"))
    return {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}


def main(argv: list[str]) -> int:
    chromium = find_chromium()
    if chromium is None or len(argv) != 1:
        print("make audit needs a Chromium (make browser) and Lighthouse (the Makefile installs it).", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as temporary:
        site = Path(temporary) / "site"
        subprocess.run([str(Path(sys.executable).parent / "crimeportal"), "--root", str(REPO), "build", "--site-dir",
                        str(site)], check=True, capture_output=True)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        short = []
        print(f"{'page':32} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}")
        try:
            for kind, path in kinds(site).items():
                scores = lighthouse(argv[0], base + path, chromium, Path(temporary) / "report.json")
                print(f"{kind + ' (/' + path + ')':32} " + " ".join(f"{scores[c]:>5}" for c in CATEGORIES))
                short += [f"{kind}: {c} {scores[c]} (wanted {WANTED[c]})" for c in CATEGORIES if scores[c] < WANTED[c]]
        finally:
            server.shutdown()
    if short:
        print("Below the wanted scores:\n" + "\n".join(short), file=sys.stderr)
    return 1 if short else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
