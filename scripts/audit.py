"""`make audit`: Lighthouse's four scores for one page of each kind of a published site.

Publishes the seed twice with mike into a temporary git repository (September and December 2019, the second
changing figures, a measure and a strand, exactly as tests/test_release.py does), writes out its gh-pages branch,
serves it on 127.0.0.1 compressed with gzip (as GitHub Pages serves it) and runs Lighthouse (mobile, its default
throttling) in headless Chromium, started with the flags tests/chromium.py uses, over one page of each kind of
`latest/` and the home page of the older release (the one with the outdated banner). `--plain` audits a plain
`crimeportal build` instead, which is quicker to make. Each page is measured RUNS times (5 unless `--runs N`)
and each score is the median of its runs: Lighthouse's own guidance on variability says the median of five runs
is about twice as stable as one. Prints a table of scores; exits 1 when any page's median is below 100 for
accessibility, best practices or SEO, or below 95 for performance.
Usage: python scripts/audit.py PATH-TO-LIGHTHOUSE [--plain] [--runs N]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from chromium import LAUNCH_ARGS, find_chromium  # noqa: E402

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
WANTED = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".txt"}
OLDER_RELEASE = "2019-09/"


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
        "evaluations index": "evaluations/", "evaluation": first("evaluations/*/index.html"),
    }
    return {kind: path for kind, path in wanted.items() if path is not None and (site / path / "index.html").is_file()}


def _measure_with_map(site: Path) -> str | None:
    for page in sorted(site.glob("metrics/*/index.html")):
        if "district" in page.read_text(encoding="utf-8"):
            return page.parent.relative_to(site).as_posix() + "/"
    return None


def plain_site(folder: Path) -> tuple[Path, dict[str, str]]:
    site = folder / "site"
    subprocess.run([str(Path(sys.executable).parent / "crimeportal"), "--root", str(REPO), "build", "--site-dir",
                    str(site)], check=True, capture_output=True)
    return site, kinds(site)


def published_site(folder: Path) -> tuple[Path, dict[str, str]]:
    """The gh-pages branch of two releases published with mike, and the pages to audit in it."""
    from test_release import DECEMBER, SEPTEMBER, december_changes, new_repo, publish

    repo = new_repo(folder / "repo")
    for release, changes in ((SEPTEMBER, None), (DECEMBER, december_changes)):
        if changes:
            changes(repo)
        done = publish(repo, release[0], "--title", release[1])
        if done.returncode != 0:
            raise SystemExit(f"make audit could not publish {release[0]}:\n{done.stdout}{done.stderr}")
    archive = subprocess.run(["git", "archive", "--format=tar", "gh-pages"], cwd=repo, capture_output=True, check=True)
    site = folder / "gh-pages"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(site, filter="data")
    pages = {kind: "latest/" + path for kind, path in kinds(site / "latest").items()}
    return site, {**pages, "older release (home, outdated banner)": OLDER_RELEASE}


def lighthouse(command: str, url: str, chromium: str, output: Path) -> dict[str, int]:
    flags = " ".join(["--headless=new", *(a for a in LAUNCH_ARGS if a != "--disable-gpu")])
    subprocess.run([command, url, "--quiet", "--output=json", f"--output-path={output}", f"--chrome-flags={flags}"],
                   check=True, env={**os.environ, "CHROME_PATH": chromium}, timeout=300)
    report = json.loads(output.read_text(encoding="utf-8"))
    return {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}


def median_scores(runs: list[dict[str, int]]) -> dict[str, int]:
    return {c: round(statistics.median(run[c] for run in runs)) for c in CATEGORIES}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="scripts/audit.py", description=__doc__.splitlines()[0])
    parser.add_argument("lighthouse")
    parser.add_argument("--plain", action="store_true", help="audit a plain build, not two releases published by mike")
    parser.add_argument("--runs", type=int, default=5, choices=range(1, 12), metavar="N",
                        help="runs per page; each score is their median (default 5)")
    options = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        print("make audit needs a Chromium (make browser).", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as temporary:
        site, pages = (plain_site if options.plain else published_site)(Path(temporary))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        short = []
        print(f"median of {options.runs} run(s) per page\n{'page':48} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}  "
              "performance in each run")
        try:
            for kind, path in pages.items():
                runs = [lighthouse(options.lighthouse, base + path, chromium, Path(temporary) / "report.json")
                        for _ in range(options.runs)]
                scores = median_scores(runs)
                print(f"{kind + ' (/' + path + ')':48} " + " ".join(f"{scores[c]:>5}" for c in CATEGORIES)
                      + "  " + " ".join(str(run["performance"]) for run in runs), flush=True)
                short += [f"{kind}: {c} {scores[c]} (wanted {WANTED[c]})" for c in CATEGORIES if scores[c] < WANTED[c]]
        finally:
            server.shutdown()
    if short:
        print("Below the wanted scores:\n" + "\n".join(short), file=sys.stderr)
    return 1 if short else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
