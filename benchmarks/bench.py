"""Benchmarks: generate a portal of a given size and time validation and builds.

`make bench` runs `main`. It writes everything into a temporary folder:

- a generated portal (strand pages and metric files, with the real site's
  configuration, hooks, schemas and hand-written pages), built cold (empty
  chart cache) and warm (cache filled, nothing changed);
- a baseline copy of the same pages for plain MkDocs: the same markdown, plus
  a stand-in markdown page for every page the hooks generate (each metric's
  with its title and a table of its figures), the same navigation, and no
  hooks. Each build is stated as a ratio to it;
- a separate portal of `--validation-metrics` metric files, for timing
  `load_portal` in a fresh process;
- the same baseline, cold and warm trio for a copy of the real (seed) portal.

Every build is MkDocs' own command line, `mkdocs build --strict`, run in a
fresh Python process and timed from outside it. Its peak memory is the largest
resident size of the whole process tree (the build and its chart workers
together), sampled every 50 ms, and at least the build process's own peak as
it reports at exit. Benchmarks report, they do not gate: the exit status is 0
unless something failed to run, and a missed target is marked MISSED.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from crimeportal.source.load import SCHEMA_LINE_METRIC
from crimeportal.core.model import PLAN_STAGES, Metric, Portal
from crimeportal.core.problems import format_problems
from crimeportal.source.validate import load_portal

MIB = 1024 * 1024
FIRST_YEAR = 2015

# Targets from the issue, on a 2-core machine.
WARM_RATIO = 1.5
COLD_SECONDS = 60.0
VALIDATION_SECONDS_PER_10000 = 10.0
PEAK_MIB = 1024.0
SEED_COLD_RATIO = 2.0
SEED_WARM_RATIO = 1.2

STRAND_NAMES = [
    "Domestic Abuse", "Hate Crime", "Gangs and Knife Crime", "Sexual Crime, Child Abuse and Exploitation",
    "House Burglary and Street Robbery", "Serious and Organised Crime", "Extremism and Radicalisation",
    "Digital Crime and Fraud", "Night-Time Economy", "Business Crime", "Rural Crime", "Road Safety",
    "Modern Slavery", "Vehicle Crime", "Anti-Social Behaviour", "Drug Supply", "Wildlife Crime", "Heritage Crime",
]
LEADS = ["Det Ch Supt Hughes", "Ch Supt Mariner", "Supt Barber", "Det Supt Lawson", "Ch Insp Okafor", "Supt Reid"]
SUBJECTS = [
    "Residential burglary", "Personal robbery", "Knife-enabled crime", "Repeat domestic abuse", "Hate crime",
    "Shoplifting", "Vehicle theft", "Online fraud", "Violence with injury", "Criminal damage", "Drug possession",
    "Stalking and harassment", "Child sexual exploitation", "Theft from the person", "Public order",
]
KINDS = {
    "count": ["offences", "incidents", "arrests", "reports", "referrals"],
    "percent": ["solved outcomes", "repeat victims", "victims satisfied", "charged or summonsed", "referred to support"],
    "rate": ["offences per 1,000 population", "incidents per 1,000 population", "victims per 1,000 population"],
}
DISTRICTS = [
    "Basildon", "Braintree", "Brentwood", "Castle Point", "Chelmsford", "Colchester", "Epping Forest", "Harlow",
    "Maldon", "Rochford", "Southend", "Tendring", "Thurrock", "Uttlesford",
]
SOURCES = ["Essex Police recorded crime", "Essex Police incident records", "Essex Police victim survey",
           "Essex Police custody records"]
PLAN_ACTIONS = [
    "Train frontline officers in the new guidance", "Share intelligence with the community safety partnerships",
    "Run a public awareness campaign each quarter", "Target the most prolific offenders with partners",
    "Review every repeat case at the monthly meeting", "Work with schools on early intervention",
]

# Every measured child first arranges to write, at exit, its own peak resident size: VmHWM, which starts afresh
# at exec. (ru_maxrss does not: on Linux it carries over the forking parent's peak, so it would count the
# benchmark's own memory as the build's.)
_REPORT_PEAK = """
import atexit, json, os, resource
def _report_peak():
    try:
        with open("/proc/self/status") as status:
            kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(os.environ["CRIMEPORTAL_BENCH_PEAK"], "w") as out:
        json.dump({"kib": kib}, out)
atexit.register(_report_peak)
"""

# `python -m mkdocs`, measured.
_MKDOCS = _REPORT_PEAK + """
import sys
sys.argv = ["mkdocs"] + sys.argv[1:]
from mkdocs.__main__ import cli
cli()
"""

# Times load_portal alone (not the interpreter's start or the imports) in a fresh process.
_VALIDATE = _REPORT_PEAK + """
import json, sys, time
from pathlib import Path
from crimeportal.source.validate import load_portal
start = time.perf_counter()
portal, problems = load_portal(Path(sys.argv[1]))
seconds = time.perf_counter() - start
json.dump({"seconds": seconds, "metrics": len(portal.metrics), "problems": len(problems)}, sys.stdout)
"""


# ---------------------------------------------------------------------------------------------- generating


def generate_portal(folder: Path, strands: int = 12, metrics: int = 1000, observations: int = 60, seed: int = 1,
                    repo: Path | None = None, check: bool = True) -> Portal | None:
    """Write a realistic portal into `folder` and return it, validated; raise if it has any problem.

    With `check=False` nothing is validated and None is returned, for a caller that validates it itself.
    """
    repo = repo or repository_root()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    _copy_site_files(repo, folder, with_strands=False)
    strand_dir = folder / "content" / "strands"
    strand_dir.mkdir(parents=True, exist_ok=True)
    strand_ids = []
    for index in range(strands):
        strand_id, text = _strand_page(index, rng)
        (strand_dir / f"{strand_id}.md").write_text(text, encoding="utf-8")
        strand_ids.append(strand_id)
    metric_dir = folder / "data" / "metrics"
    metric_dir.mkdir(parents=True, exist_ok=True)
    titles: set[str] = set()
    orders: dict[str, int] = {}
    for index in range(metrics):
        strand_id = strand_ids[index % len(strand_ids)] if strand_ids else "none"
        metric_id, text = _metric_file(index, strand_id, observations, rng, titles, orders)
        (metric_dir / f"{metric_id}.yml").write_text(text, encoding="utf-8")
    return checked_portal(folder) if check else None


def repository_root() -> Path:
    """The real portal: the current folder when it is one, else the checkout this package is installed from."""
    for candidate in (Path.cwd(), Path(__file__).resolve().parents[2]):
        if (candidate / "mkdocs.yml").is_file() and (candidate / "schemas").is_dir():
            return candidate
    raise FileNotFoundError("cannot find the portal's folder: run from the folder that holds mkdocs.yml")


def checked_portal(folder: Path) -> Portal:
    portal, problems = load_portal(folder)
    if problems:
        raise RuntimeError(f"the portal in {folder} has {len(problems)} problem(s):\n{format_problems(problems[:20], 'text')}")
    return portal


def _copy_site_files(repo: Path, folder: Path, with_strands: bool, with_data: bool = False) -> None:
    shutil.copy2(repo / "mkdocs.yml", folder / "mkdocs.yml")
    for name in ("hooks", "schemas", "overrides") + (("data",) if with_data else ()):
        if (repo / name).is_dir():
            shutil.copytree(repo / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    strands = None if with_strands else Path("content/strands")

    def ignore(directory: str, names: list[str]) -> list[str]:
        if strands is not None and Path(directory).resolve() == (repo / strands).resolve():
            return [n for n in names if n.endswith(".md")]
        return [n for n in names if n == "__pycache__"]

    shutil.copytree(repo / "content", folder / "content", ignore=ignore)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _strand_page(index: int, rng: random.Random) -> tuple[str, str]:
    name = STRAND_NAMES[index] if index < len(STRAND_NAMES) else f"Strand {index + 1}"
    strand_id = _slug(name)
    planned = index % 6 == 5
    front = {
        "id": strand_id,
        "title": name,
        "order": index + 1,
        "summary": f"Reducing {name.lower()} by working with partners to stop harm before it happens.",
        "status": "planned" if planned else "active",
        "lead": rng.choice(LEADS),
        "updated": f"2019-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "plan": {stage: rng.sample(PLAN_ACTIONS, 2) for stage in PLAN_STAGES},
    }
    body = [f"## Update\n\nThe {name.lower()} strand met {rng.randint(2, 9)} times this year. "
            "Its board agreed a delivery plan with clear owners and dates, and reviewed progress against it. "
            "Partners from the councils, health services and the voluntary sector attend each meeting.\n",
            "- **Training.** Frontline officers completed new training on recognising the signs early.\n"
            "- **Partnership.** Information-sharing agreements were signed with every district council.\n"
            "- **Communication.** A public campaign ran for six weeks, reaching residents across the county.\n",
            "## What comes next\n\nThe strand will keep its measures under review and report to the board each "
            "quarter. See [how we judge change](../about/how-we-judge-change.md) for how the figures are read.\n"]
    text = "---\n# yaml-language-server: $schema=../../schemas/strand.schema.json\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000) + "---\n\n" + "\n".join(body)
    return strand_id, text


def _metric_file(index: int, strand_id: str, observations: int, rng: random.Random,
                 titles: set[str], orders: dict[str, int]) -> tuple[str, str]:
    unit = rng.choices(("count", "percent", "rate"), weights=(6, 3, 1))[0]
    polarity = rng.choices(("lower-is-better", "higher-is-better", "neutral"), weights=(5, 4, 1))[0]
    period = rng.choices(("month", "rolling-3-months"), weights=(7, 3))[0]
    title = f"{rng.choice(SUBJECTS)} {rng.choice(KINDS[unit])} in {rng.choice(DISTRICTS)}"
    if title in titles:
        title += f" ({index + 1})"
    titles.add(title)
    metric_id = f"m{index + 1:05d}-{_slug(title)}"[:80].strip("-")
    lines = [
        SCHEMA_LINE_METRIC,
        f"id: {metric_id}",
        f"title: {json.dumps(title)}",
        f"strand: {strand_id}",
        f"description: {json.dumps(f'The {title.lower()}, recorded each month.')}",
        f"unit: {unit}",
        f"polarity: {polarity}",
        f"period: {period}",
        f"source: {json.dumps(rng.choice(SOURCES))}",
    ]
    if rng.random() < 0.3:
        lines += ["caveats:", '  - "Figures for the latest months may change as investigations conclude."']
    if rng.random() < 0.7:
        orders[strand_id] = orders.get(strand_id, 0) + 1
        lines.append(f"order: {orders[strand_id]}")
    lines.append("observations:")
    suppressed_at = rng.randrange(observations) if rng.random() < 0.03 and observations > 2 else -1
    level = {"count": rng.uniform(5, 2000), "percent": rng.uniform(10, 90), "rate": rng.uniform(0.5, 15)}[unit]
    trend = rng.uniform(-0.01, 0.01)
    for month in range(observations):
        end = f"{FIRST_YEAR + month // 12}-{month % 12 + 1:02d}"
        lines.append(f"  - end: {end}")
        if month == suppressed_at:
            lines += ["    value: null", "    suppressed: true"]
            continue
        expected = level * (1 + trend) ** month
        if unit == "count":
            lines.append(f"    value: {max(0, round(rng.gauss(expected, expected ** 0.5 + 1)))}")
        elif unit == "percent":
            denominator = rng.randint(40, 2500)
            numerator = min(denominator, max(0, round(denominator * min(expected, 99.0) / 100 + rng.gauss(0, denominator ** 0.5))))
            lines += [f"    value: {round(100 * numerator / denominator, 1)}",
                      f"    numerator: {numerator}", f"    denominator: {denominator}"]
        else:
            lines.append(f"    value: {max(0.0, round(rng.gauss(expected, expected * 0.08), 2))}")
        if month >= observations - 2:
            lines.append("    status: provisional")
        elif rng.random() < 0.01:
            lines += ["    status: revised", '    note: "Revised after a data quality review."']
    return metric_id, "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------- baseline


def make_baseline(portal_folder: Path, folder: Path) -> None:
    """The same pages as the portal's build, as plain markdown files, with the same nav and no hooks.

    Every page the hooks generate gets a plain stand-in: each metric page its title and a markdown table of
    its figures, the measures index and the data page their tables, and any other page in the hooks' nav
    (pages added to the hooks later) a heading. Links to files only the hooks make (downloads) are reported
    as information rather than failing the strict build; the benchmark compares the two sites' page counts.
    """
    from crimeportal.site import build as hooks

    portal = checked_portal(portal_folder)
    shutil.copytree(portal_folder / "content", folder / "content")
    docs = folder / "content"
    config = yaml.safe_load((portal_folder / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("hooks", None)
    config.pop("watch", None)  # only `mkdocs serve` uses it, and the baseline has no data/ to watch
    config["nav"] = _hooks_nav(hooks, portal, docs)
    config["validation"] = {"links": {"not_found": "info", "anchors": "info"}}
    if "custom_dir" in config.get("theme", {}):
        shutil.copytree(portal_folder / config["theme"]["custom_dir"], folder / config["theme"]["custom_dir"])
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (docs / "metrics").mkdir(parents=True, exist_ok=True)
    for metric in portal.metrics:
        (docs / "metrics" / f"{metric.id}.md").write_text(_metric_stub(metric), encoding="utf-8")
    pages = {"metrics/index.md": _measures_stub(portal), "data.md": _data_stub(portal)}
    for title, path in _nav_pages(config["nav"]):
        pages.setdefault(path, f"# {title}\n\nThis page is made by the portal's hooks.\n")
    for path in getattr(hooks, "GENERATED_PAGES", ()):
        pages.setdefault(path, f"# {Path(path).stem.replace('-', ' ').capitalize()}\n")
    for path, text in pages.items():
        if not (docs / path).exists():
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            (docs / path).write_text(text, encoding="utf-8")


def _hooks_nav(hooks, portal: Portal, docs: Path) -> list:
    """The nav the hooks set."""
    return hooks.navigation(portal, docs)


def _nav_pages(nav: list, title: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in nav:
        if isinstance(entry, str):
            found.append((title or Path(entry).stem, entry))
        elif isinstance(entry, dict):
            for name, value in entry.items():
                found += _nav_pages(value if isinstance(value, list) else [value], name)
    return found


def _metric_stub(metric: Metric) -> str:
    rows = "".join(f"| {o.end} | {'withheld' if o.value is None else o.value} | {o.status} |\n" for o in metric.observations)
    return (f"---\ntitle: {json.dumps(metric.title)}\n---\n\n# {metric.title}\n\n{metric.description}\n\n"
            f"## Chart and table\n\n| Period | Value | Status |\n|---|---|---|\n{rows}\n"
            f"## About this measure\n\nSource: {metric.source}. Unit: {metric.unit}. Polarity: {metric.polarity}.\n")


def _measures_stub(portal: Portal) -> str:
    rows = "".join(f"| [{m.title}]({m.id}.md) | {m.strand} | {m.observations[-1].value} |\n" for m in portal.metrics)
    return f"# All measures\n\n| Measure | Strand | Latest |\n|---|---|---|\n{rows}"


def _data_stub(portal: Portal) -> str:
    rows = "".join(f"| data/metrics/{m.id}.csv | {m.title}: figures |\n" for m in portal.metrics)
    return f"# Data downloads\n\n| File | What it holds |\n|---|---|\n| data/all-metrics.csv | Every figure |\n{rows}"


# ---------------------------------------------------------------------------------------------- measuring


@dataclass
class Run:
    seconds: float
    peak_mib: float
    own_mib: float = 0.0  # the measured process's own peak (VmHWM), as it reported at exit
    worker_mib: float = 0.0  # the largest resident size seen of any one process it started (chart workers)
    log: str = ""
    pages: int = 0  # HTML pages in the built site


class BenchError(Exception):
    """Something the benchmark needed did not run."""


def _tree_rss(root_pid: int) -> tuple[int, int]:
    """Resident bytes of a process and all its descendants together, and of its largest descendant, from /proc.

    Resident sizes of processes are added up, so pages they share (the interpreter, libraries) count once
    per process: the total is, if anything, an overestimate. Both are 0 where /proc is not available.
    """
    parents: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0, 0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry))
    total, largest, todo, page = 0, 0, [root_pid], os.sysconf("SC_PAGE_SIZE")
    while todo:
        pid = todo.pop()
        todo += parents.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm", "rb") as statm:
                size = int(statm.read().split()[1]) * page
        except OSError:
            continue
        total += size
        if pid != root_pid:
            largest = max(largest, size)
    return total, largest


def run_measured(args: list[str], cwd: Path, script: str = _MKDOCS) -> Run:
    """Run `python -c script args` in `cwd`; time it and follow the memory of its whole process tree."""
    with tempfile.NamedTemporaryFile(prefix="peak-", suffix=".json", delete=False) as handle:
        report = Path(handle.name)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CRIMEPORTAL_BENCH_PEAK": str(report)}
    peak = worker = 0
    done = threading.Event()
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", script, *args], cwd=cwd, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def sample() -> None:
        nonlocal peak, worker
        while not done.wait(0.05):
            total, largest = _tree_rss(child.pid)
            peak, worker = max(peak, total), max(worker, largest)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = child.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise BenchError(f"`{' '.join(args[:2])}` in {cwd} failed (exit {child.returncode}):\n{output[-4000:]}")
    try:
        own = json.loads(report.read_text())["kib"] / 1024
    except (OSError, ValueError, KeyError):
        own = 0.0
    finally:
        report.unlink(missing_ok=True)
    return Run(seconds, max(peak / MIB, own), own, worker / MIB, output)


def build(folder: Path, sites: Path, name: str) -> Run:
    site = sites / name
    run = run_measured(["build", "--strict", "--site-dir", str(site)], folder)
    run.pages = sum(1 for _ in site.rglob("*.html"))
    return run


def validation_run(folder: Path) -> Run:
    run = run_measured([str(folder)], folder, _VALIDATE)
    result = json.loads(run.log.strip().splitlines()[-1])
    if result["problems"]:
        raise BenchError(f"validation found {result['problems']} problem(s) in the generated portal {folder}")
    run.seconds = result["seconds"]
    return run


def _charts_line(run: Run) -> str:
    match = re.search(r"rendered \d+ chart\(s\); \d+ came from the cache", run.log)
    return match.group(0) if match else ""


# ---------------------------------------------------------------------------------------------- reporting


@dataclass
class Row:
    scenario: str
    run: Run
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    notes: list[str] = field(default_factory=list)


def _trio(label: str, folder: Path, baseline: Path, sites: Path, keep: bool, repeat: int,
          warm_ratio: float, cold_seconds: float | None, cold_ratio: float | None) -> list[Row]:
    """Baseline, cold and warm builds, `repeat` rounds of the three; each scenario's fastest round counts."""
    runs: dict[str, list[Run]] = {"baseline": [], "cold": [], "warm": []}
    for round_ in range(1, repeat + 1):
        for kind in runs:
            print(f"  {label}: {kind} build" + (f" (round {round_} of {repeat})" if repeat > 1 else "") + " ...",
                  file=sys.stderr, flush=True)
            if kind == "cold":
                shutil.rmtree(folder / ".cache", ignore_errors=True)
            runs[kind].append(build(baseline if kind == "baseline" else folder, sites, f"{_slug(label)}-{kind}-{round_}"))
            _tidy(sites, keep)
    base, cold, warm = (_fastest(runs[kind]) for kind in ("baseline", "cold", "warm"))
    rows = [Row(f"{label}: baseline (plain MkDocs, no hooks)", base, 1.0)]
    cold_row = Row(f"{label}: cold build", cold, cold.seconds / base.seconds)
    if cold_seconds is not None:
        cold_row.target, cold_row.met = f"<= {cold_seconds:g} s", cold.seconds <= cold_seconds
    if cold_ratio is not None:
        cold_row.target, cold_row.met = f"<= {cold_ratio:g}x baseline", cold_row.ratio <= cold_ratio
    warm_row = Row(f"{label}: warm build", warm, warm.seconds / base.seconds,
                   f"<= {warm_ratio:g}x baseline", warm.seconds / base.seconds <= warm_ratio)
    for row in (cold_row, warm_row):
        charts = _charts_line(row.run)
        if charts:
            row.notes.append(charts)
        if row.run.pages != base.pages:
            row.notes.append(f"{row.run.pages} HTML pages, but the baseline has {base.pages}: the ratio compares unlike sites")
    return rows + [cold_row, warm_row]


def _fastest(runs: list[Run]) -> Run:
    """The fastest of repeated runs, with the largest memory any of them used."""
    best = min(runs, key=lambda run: run.seconds)
    best.peak_mib = max(run.peak_mib for run in runs)
    best.own_mib = max(run.own_mib for run in runs)
    best.worker_mib = max(run.worker_mib for run in runs)
    return best


def _tidy(sites: Path, keep: bool) -> None:
    if not keep:
        for site in sites.iterdir():
            shutil.rmtree(site, ignore_errors=True)


def print_table(rows: list[Row], out=sys.stdout) -> None:
    header = ("scenario", "seconds", "x baseline", f"peak MiB (< {PEAK_MIB:.0f})", "target", "result")
    table = [header]
    for row in rows:
        result = "" if row.met is None else ("ok" if row.met else "MISSED")
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}"
        table.append((row.scenario, f"{row.run.seconds:.2f}", ratio, f"{row.run.peak_mib:.0f}" + (" MISSED" if row.run.peak_mib >= PEAK_MIB else ""),
                      row.target, result))
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for number, line in enumerate(table):
        print("  ".join(cell.ljust(width) if i in (0, 4, 5) else cell.rjust(width)
                        for i, (cell, width) in enumerate(zip(line, widths))).rstrip(), file=out)
        if number == 0:
            print("  ".join("-" * width for width in widths), file=out)
    peak_row = max(rows, key=lambda r: r.run.peak_mib)
    verdict = "ok" if peak_row.run.peak_mib < PEAK_MIB else "MISSED"
    print(f"\npeak memory: {peak_row.run.peak_mib:.0f} MiB in '{peak_row.scenario}' "
          f"(the process and its workers together; the process alone {peak_row.run.own_mib:.0f} MiB, "
          f"largest worker {peak_row.run.worker_mib:.0f} MiB); target < {PEAK_MIB:.0f} MiB: {verdict}", file=out)
    notes = [(row.scenario, note) for row in rows for note in row.notes]
    if notes:
        print("\nnotes:", file=out)
        for scenario, note in notes:
            print(f"  {scenario}: {note}", file=out)


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description="Time validation and builds of a generated portal.")
    parser.add_argument("--strands", type=int, default=12, help="strand pages to generate (default 12)")
    parser.add_argument("--metrics", type=int, default=1000, help="metric files to generate (default 1000)")
    parser.add_argument("--observations", type=int, default=60, help="monthly observations per metric (default 60)")
    parser.add_argument("--validation-metrics", type=int, default=10000,
                        help="metric files in the portal whose validation is timed (default 10000)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of baseline, cold and warm builds of the generated portal; the fastest counts "
                             "(default 1; the seed portal, which builds in seconds, always gets at least 3)")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the generated values (default 1)")
    parser.add_argument("--skip-seed", action="store_true", help="do not benchmark the real (seed) portal")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument("--root", type=Path, help="the real portal's folder (default: found from here)")
    args = parser.parse_args(argv)
    if args.strands < 1 or args.metrics < 0 or args.observations < 1 or args.repeat < 1:
        parser.error("--strands, --observations and --repeat must be at least 1, and --metrics at least 0")

    repo = (args.root or repository_root()).resolve()
    load_before = _load()
    work = Path(tempfile.mkdtemp(prefix="crimeportal-bench-"))
    sites = work / "sites"
    sites.mkdir()
    rows: list[Row] = []
    try:
        size = f"{args.strands} strands, {args.metrics} metrics x {args.observations} months"
        print(f"bench: generating the portal ({size}) in {work}", file=sys.stderr, flush=True)
        generated = work / "generated"
        generate_portal(generated, args.strands, args.metrics, args.observations, args.seed, repo)
        make_baseline(generated, work / "generated-baseline")

        print(f"bench: generating {args.validation_metrics} metric files and timing validation", file=sys.stderr, flush=True)
        validation = work / "validation"
        # not checked here: the timed run below fails if the portal has any problem
        generate_portal(validation, args.strands, args.validation_metrics, args.observations, args.seed + 1, repo, check=False)
        limit = VALIDATION_SECONDS_PER_10000 * args.validation_metrics / 10000
        run = validation_run(validation)
        rows.append(Row(f"validation of {args.validation_metrics} metric files", run, None,
                        f"<= {limit:g} s", run.seconds <= limit))
        shutil.rmtree(validation)

        print("bench: building the generated portal", file=sys.stderr, flush=True)
        rows += _trio(f"generated ({args.metrics} metrics)", generated, work / "generated-baseline", sites, args.keep,
                      args.repeat, WARM_RATIO, COLD_SECONDS, None)

        if not args.skip_seed:
            print("bench: building the seed portal", file=sys.stderr, flush=True)
            seed = work / "seed"
            seed.mkdir()
            _copy_site_files(repo, seed, with_strands=True, with_data=True)
            make_baseline(seed, work / "seed-baseline")
            rows += _trio("seed", seed, work / "seed-baseline", sites, args.keep,
                          max(args.repeat, 3), SEED_WARM_RATIO, None, SEED_COLD_RATIO)
    except (BenchError, RuntimeError, OSError) as error:
        if rows:
            print_table(rows)
        print(f"bench: could not finish: {error}", file=sys.stderr)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        return 1
    print(f"\nCrime Prevention Portal benchmark: {size}; {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    print(f"load average before: {load_before}; after: {_load()} (other work on the machine slows every build)\n")
    print_table(rows)
    if args.keep:
        print(f"\nthe generated portals and sites are kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0
