"""The benchmark's portals: a generated one of any size, and a plain-MkDocs baseline of any portal.

- `generate_portal` writes strand pages and metric files of realistic shape,
  with the real site's configuration, hooks, schemas and hand-written pages.
- `make_baseline` writes the same pages for plain MkDocs: the same markdown,
  plus a stand-in markdown page for every page the hooks generate (each
  metric's with its title and a table of its figures), the same navigation,
  and no hooks. The benchmark states every build as a ratio to it.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import yaml

from crimeportal.core.conventions import SCHEMA_LINE_METRIC
from crimeportal.core.model import PLAN_STAGES, Metric, Portal
from crimeportal.core.problems import format_problems
# The generated ids are made as an editor's scaffold makes them from a title (when `slug` moves to
# crimeportal.editing.scaffold, only this import changes).
from crimeportal.editing.scaffold import slug
from crimeportal.source.validate import load_portal

FIRST_YEAR = 2015

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

def generate_portal(folder: Path, strands: int = 12, metrics: int = 1000, observations: int = 60, seed: int = 1,
                    repo: Path | None = None, check: bool = True) -> Portal | None:
    """Write a realistic portal into `folder` and return it, validated; raise if it has any problem.

    With `check=False` nothing is validated and None is returned, for a caller that validates it itself.
    """
    repo = repo or repository_root()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    copy_site_files(repo, folder, with_strands=False)
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
    """The real portal: the current folder when it is one, else the checkout this benchmark belongs to."""
    for candidate in (Path.cwd(), Path(__file__).resolve().parents[1]):
        if (candidate / "mkdocs.yml").is_file() and (candidate / "schemas").is_dir():
            return candidate
    raise FileNotFoundError("cannot find the portal's folder: run from the folder that holds mkdocs.yml")


def checked_portal(folder: Path) -> Portal:
    """The portal in `folder`; a RuntimeError listing its first problems if it has any."""
    portal, problems = load_portal(folder)
    if problems:
        raise RuntimeError(f"the portal in {folder} has {len(problems)} problem(s):\n{format_problems(problems[:20], 'text')}")
    return portal


def copy_site_files(repo: Path, folder: Path, with_strands: bool, with_data: bool = False) -> None:
    """The real portal's configuration, hooks, schemas, theme and pages; its strands and data if asked."""
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


def _strand_page(index: int, rng: random.Random) -> tuple[str, str]:
    name = STRAND_NAMES[index] if index < len(STRAND_NAMES) else f"Strand {index + 1}"
    strand_id = slug(name)
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
    metric_id = f"m{index + 1:05d}-{slug(title)}"[:80].strip("-")
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
    """The same pages as `portal_folder`'s build, as plain markdown files in `folder`, with the same nav and no hooks.

    Every page the hooks generate gets a plain stand-in: each metric page its title and a markdown table of
    its figures, the measures index and the data page their tables, and any other page in the hooks' nav
    (pages added to the hooks later) a heading, and each embeddable page a heading of its own. Links to files only the hooks make (downloads) are reported
    as information rather than failing the strict build; the benchmark compares the two sites' page counts.
    """
    from crimeportal.site.pages import area_pages, embed, evaluation_pages, pages as hooks

    portal = checked_portal(portal_folder)
    shutil.copytree(portal_folder / "content", folder / "content")
    docs = folder / "content"
    config = yaml.safe_load((portal_folder / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("hooks", None)
    config.pop("watch", None)  # only `mkdocs serve` uses it, and the baseline has no data/ to watch
    config["nav"] = hooks.navigation(portal, docs)
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
    for path, text in (area_pages.generated_pages(portal) | evaluation_pages.generated_pages(portal)).items():
        pages.setdefault(path, text)  # a page per area and per evaluation, out of the nav
    for metric in portal.metrics:  # each measure's embeddable page, which the portal writes as plain HTML
        pages.setdefault(embed.page_path(metric.id).rstrip("/") + ".md", f"# {metric.title}\n")
    for path, text in pages.items():
        if not (docs / path).exists():
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            (docs / path).write_text(text, encoding="utf-8")


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


