"""Where a portal keeps its files and how their names and dates are written: stated once, used everywhere."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

STRANDS_DIR = Path("content/strands")
METRICS_DIR = Path("data/metrics")
SCHEMAS_DIR = Path("schemas")
REGISTER = Path("data/releases.yml")
AREAS_REGISTER = Path("data/areas.yml")
BOUNDARIES = Path("data/boundaries/districts.geojson")  # the districts' shapes, for maps
ACTIONS_DIR = Path("data/actions")  # <strand-id>.yml, and <csp-id>.yml for a partnership's own return
# The one actions file whose actions belong to the whole strategy rather than to a strand: they name no strand.
STRATEGY_WIDE_ACTIONS = "strategy-wide"  # the file's stem: data/actions/strategy-wide.yml
CHART_CACHE = Path(".cache/charts")
BOARD_PACK_CACHE = Path(".cache/board-pack")  # each board pack PDF, named by the hash of what it is made from
WRITE_JOURNAL = Path("data/.crimeportal-writing.json")  # present only while add-period replaces files

METRIC_SUFFIX = ".yml"
STRAND_SUFFIX = ".md"

METRIC_SCHEMA = "metric.schema.json"
STRAND_SCHEMA = "strand.schema.json"
RELEASES_SCHEMA = "releases.schema.json"
AREAS_SCHEMA = "areas.schema.json"
ACTIONS_SCHEMA = "actions.schema.json"

# The first line that lets editors' YAML tooling find the schema; relative to the file it heads.
SCHEMA_LINE_METRIC = f"# yaml-language-server: $schema=../../schemas/{METRIC_SCHEMA}"
SCHEMA_LINE_STRAND = f"# yaml-language-server: $schema=../../schemas/{STRAND_SCHEMA}"
SCHEMA_LINE_RELEASES = f"# yaml-language-server: $schema=../schemas/{RELEASES_SCHEMA}"
SCHEMA_LINE_AREAS = f"# yaml-language-server: $schema=../schemas/{AREAS_SCHEMA}"
SCHEMA_LINE_ACTIONS = f"# yaml-language-server: $schema=../../schemas/{ACTIONS_SCHEMA}"

# Each pattern ends in \Z, the very end of the text: Python's `$` also matches before a final line break, so
# `^...$` let "zz\n" through as an id, a file name or a date (and the build published a folder `zz\n/`).
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
MONTH_PATTERN = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])\Z")
ONS_CODE_PATTERN = re.compile(r"^[EWSN][0-9]{8}\Z")
# A partnership's return of its actions, and a quarter's progress for many actions, as spreadsheets: one row per
# action (or progress entry), these headers in this order. The Data page publishes a blank template of each.
ACTIONS_CSV_COLUMNS = ("id", "strand", "area", "category", "title", "owner", "start", "due", "outcome", "as_at", "status", "note")
PROGRESS_CSV_COLUMNS = ("id", "as_at", "status", "note")
CSP_PREFIX = "csp-"  # a Community Safety Partnership's area id starts with it, so no strand's actions file can share its name
DATE_PATTERN = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])\Z")
VERSION_PATTERN = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?\Z")

# `<!-- metric: id -->` in a page places that measure there.
METRIC_MARKER = re.compile(r"<!--\s*metric:\s*(?P<id>[^\s>]*)\s*-->")

# The text `crimeportal new` writes for the editor to replace; never publishable (validate finds what is left).
PLACEHOLDER_NOTE = "Placeholder: no figure has been added yet. crimeportal add-period replaces it with the first figures."
PLACEHOLDER_DESCRIPTION = "Describe what is counted, in one or two sentences."
PLACEHOLDER_SOURCE = "Say where the figures come from."
PLACEHOLDER_SUMMARY = "Say in one sentence what this strand is for."
PLACEHOLDER_DONE = "Replace this with what the strand has done since the last update, in plain words."
PLACEHOLDER_NEXT = "Replace this with what the strand will do next."
PLACEHOLDERS = (PLACEHOLDER_NOTE, PLACEHOLDER_DESCRIPTION, PLACEHOLDER_SOURCE, PLACEHOLDER_SUMMARY, PLACEHOLDER_DONE,
                PLACEHOLDER_NEXT)

METRIC_PAGES = "metrics"  # metrics/<id>/ is each measure's generated page

# The folders whose files reach the site, one way or another; nothing in them may be a symbolic link.
SOURCE_FOLDERS = (Path("content"), Path("data"), SCHEMAS_DIR, Path("overrides"))
CONTENT_DIR = Path("content")
# The folders a build reads or that hold the portal's own code: an output folder may be none of them, nor inside one.
PORTAL_FOLDERS = SOURCE_FOLDERS + (Path("hooks"), Path("src"), Path("tests"), Path("scripts"), Path("benchmarks"),
                                   Path(".git"), Path(".github"), Path(".venv"), Path(".cache"))
# The file every build writes at the top of the folder it built, so the next build knows the folder is its own
# to replace; a folder without it (and not empty) may hold someone's work.
SITE_MARKER = ".crimeportal-site"

# Names editors' programs leave beside the files they edit (Emacs and vi locks and backups, Office owner
# files, desktop litter): never read, never a problem, only a note. Matched against the name alone.
EDITOR_LEFTOVERS = (".#*", "*~", "*.swp", "*.swo", "*.swx", "~$*", ".~lock.*#", ".DS_Store", "Thumbs.db", "desktop.ini",
                    ".*.tmp")  # the last: a new text add-period had not yet put in place

# Suffixes that show a file was meant as a strand page (MkDocs publishes most of them as pages).
STRAND_LIKE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn", ".mdtxt", ".mdtext", ".txt", ".text")

# What the build writes into the site itself: an editor's file at one of these places, or a metric or strand
# whose id would land on one, would replace it or be replaced. Page paths are as MkDocs reads them under content/.
MEASURES_INDEX_PAGE = "metrics/index.md"
DATA_PAGE = "data.md"
CHANGES_PAGE = "what-changed.md"
BOARD_REPORT_PAGE = "board-report.md"
BOARD_PACK_PDF = "board-report/board-pack.pdf"  # in the built site, beside the board report page
GENERATED_PAGES = (MEASURES_INDEX_PAGE, DATA_PAGE, CHANGES_PAGE, BOARD_REPORT_PAGE)
GENERATED_FOLDERS = ("metrics", "data", "schemas")  # each metric's page, the downloads, the schemas served
# The delivery plan on the site: the page of every action, and a page per area under areas/ (areas/index.md
# lists them); their downloads at stable addresses, and blank spreadsheets in the two CSV layouts above.
DELIVERY_PLAN_PAGE = "delivery-plan.md"
AREA_PAGES = "areas"
AREAS_INDEX_PAGE = "areas/index.md"
ACTIONS_CSV = "data/actions.csv"
ACTIONS_JSON = "data/actions.json"  # also what a later release's What changed compares actions with
ACTIONS_TEMPLATE = "data/templates/actions-return.csv"
PROGRESS_TEMPLATE = "data/templates/progress.csv"
GENERATED_PAGES += (DELIVERY_PLAN_PAGE, AREAS_INDEX_PAGE)
GENERATED_FOLDERS += (AREA_PAGES,)

# Pages that gather many measures stay within the portal's budget of 150 KB of HTML a page at any size of portal.
# At or under its limits a page is exactly as readers know it (the seed is well under every one); over them it
# shows less of each measure and says where the rest is. A measure shown in full costs about 8 KB (headline,
# chart, table) plus about 0.35 KB for each of its figures, so a page's limit counts both its measures and their
# figures (a strand page at both limits, 8 measures of 10 figures each, is about 115 KB). Over its limits a strand
# page lists each measure in one compact row (title linked to its page, latest figure, the figure it is compared
# with, verdict and caveats: about 0.45 KB, so 250 measures in a strand make about 130 KB); the pages that would
# still grow with every measure even then (the board report, All measures, the Data page, the home page) count
# each strand's measures by verdict instead, each strand linked to its page, where the compact rows are.
FULL_MEASURES_PER_STRAND_PAGE = 8  # a strand's measures shown with chart and table, or as compact rows beyond
FULL_FIGURES_PER_STRAND_PAGE = 80  # the figures of the charts and tables a strand page shows in full
FULL_MEASURES_IN_BOARD_REPORT = 8  # the measures the board is given shown with chart and table
FULL_FIGURES_IN_BOARD_REPORT = 40  # their figures: the report's strand texts already weigh most of its budget
MEASURES_LISTED_IN_BOARD_REPORT = 100  # beyond the two above, a compact row each; beyond this, counted by strand
MEASURES_LISTED_IN_INDEX = 100  # rows of All measures; beyond, a table of strands with their counts by verdict
MEASURES_LISTED_ON_DATA_PAGE = 100  # measures whose own two files the Data page lists; beyond, counted by strand
MEASURES_LISTED_ON_HOME_PAGE = 100  # measures the home page's strand cards list; beyond, each card counts its own
# Tables of actions stay within a page's 150 KB at any size of plan (a row is about 0.65 KB): beyond these, the rest
# are named strand by strand, each linked to its strand's page, which lists all of its own
ACTIONS_LISTED_ON_DELIVERY_PAGE = 100  # rows of the Delivery plan page's table of every action, those overdue first
ACTIONS_LISTED_IN_BOARD_REPORT = 20  # rows of the board report's actions for the board's attention (its measures weigh 130 KB)
RESERVED_IDS = ("index", "readme")  # MkDocs makes index.md and README.md the page of their folder

# `<!-- crimeportal:... -->` comments are the build's own markers; these are the only ones an editor may write.
BUILD_MARKER = re.compile(r"<!--\s*crimeportal:", re.IGNORECASE)
EDITOR_BUILD_MARKERS = ("<!-- crimeportal:strand-cards -->", "<!-- crimeportal:block releases: -->", "<!-- crimeportal:citation -->",
                        "<!-- crimeportal:licence -->", "<!-- crimeportal:contact -->")

# Bounds on what a source file may hold: far beyond any real portal, small enough to check quickly.
MAX_SOURCE_BYTES = 1_000_000
# Bounds on the files editors' commands read (a file past them is refused, read no further: /dev/zero never ends).
MAX_CSV_BYTES = 50_000_000  # add-period, progress, import-actions, a mapping: 100,000 figures are about 4 MB
MAX_POLICE_UK_BYTES = 1_000_000_000  # one police.uk file, read a line at a time: a force's month is a few MB
MAX_CSV_LINE_CHARS = 100_000  # one line of a police.uk file: a row is about 250 characters
MAX_VALUES = 20_000  # scalars in one YAML file: a monthly series of a century holds under 10,000
MAX_DEPTH = 20  # nesting of lists and fields; a metric file needs 4
MAX_NUMBER_LENGTH = 30  # characters in one written number
MAX_BOUNDARY_IMPORT_BYTES = 50_000_000  # a GeoJSON given to import-boundaries: ONS's generalised UK districts are ~10 MB
MAX_DISTRICT_POPULATION = 100_000_000  # a district's population as import-population reads it: the largest is ~1.2 million
MAX_BOUNDARY_POINTS = 200_000  # in the boundaries file: a generalised district boundary has hundreds to thousands
MAX_COUNT = 10**12  # a count, numerator or denominator
MAX_RATE = 10**6  # a rate per 1,000 population

# When a new figure is unusual enough to warn about (core/plausibility.py). A warning fails nothing unless
# --strict-warnings is given; a note on the figure, saying why it is right, silences it.
PLAUSIBLE_BASELINE = 12  # with an SPC chart, a figure is judged by the control limits of this many figures before it
PLAUSIBLE_RECENT = 4  # without control limits, a figure is compared with the median of up to this many before it
PLAUSIBLE_FACTOR = 3  # ... and is unusual when it is more than this many times that median, or less than its 1/this
PLAUSIBLE_MIN_COUNT_CHANGE = 10  # a count that moves by fewer than this is never unusual (0 then 2 is chance, not a slip)
PLAUSIBLE_POINTS = 15  # a percentage is unusual when it moves more than this many points from the figure before it


def is_editor_leftover(name: str) -> bool:
    """An editor's lock, backup or swap file: never read, never published."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in EDITOR_LEFTOVERS)

# Evaluations of operations (issue 28): one file each, data/evaluations/<id>.yml, and its page and JSON.
EVALUATIONS_DIR = Path("data/evaluations")
EVALUATION_SCHEMA = "evaluation.schema.json"
SCHEMA_LINE_EVALUATION = f"# yaml-language-server: $schema=../../schemas/{EVALUATION_SCHEMA}"
LSOA_CODE_PATTERN = re.compile(r"^E01[0-9]{6}$")  # an English Lower Layer Super Output Area
EVALUATION_PAGES = "evaluations"  # the Evaluations page (evaluations/index.md) and a page per evaluation
GENERATED_FOLDERS += (EVALUATION_PAGES,)

# The engine's own files, shipped inside the package (issue 31): every portal uses them unless it has its own. The
# theme's overrides and the stylesheet are the package's alone; an About page or the stylesheet at the same path
# under a portal's content/ replaces the package's; schemas/ and hooks/portal.py are written into each portal by
# `crimeportal init` and kept equal to these by `crimeportal upgrade`.
ENGINE_DIR = Path(__file__).resolve().parents[1] / "engine"
ENGINE_OVERRIDES = ENGINE_DIR / "overrides"
ENGINE_SCHEMAS = ENGINE_DIR / "schemas"
ENGINE_HOOKS = ENGINE_DIR / "hooks" / "portal.py.in"  # not .py: it is a portal's file, no module of the package
HOOKS_FILE = Path("hooks/portal.py")
ENGINE_PAGES = ENGINE_DIR / "about"  # the default About pages, each published at about/<name> unless content/ has it
ENGINE_STYLESHEET = ENGINE_DIR / "stylesheets" / "portal.css"
STYLESHEET = "stylesheets/portal.css"  # where the stylesheet is published, and where content/ may hold its own
# `{{ publisher }}` and `{{ area }}` in a default page are the portal's publisher (mkdocs.yml, extra: portal:) and the
# whole area its districts make up (data/areas.yml's `name`), so no engine page names a force
