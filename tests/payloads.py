"""Hostile text an editor could commit, kept in one place: a new case is one line.

Each payload that could run script sets `window.__xss`, so a browser test can
tell whether anything ran. Every text field of a strand, a measure and an
observation gets each payload in turn (tests/test_hostile_pages.py).
"""

SCRIPT_PAYLOADS = [
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    'Measure {: onmouseover="window.__xss=1" tabindex=0 autofocus onfocus="window.__xss=1" }',
    "[click me](javascript:window.__xss=1)",
    '"><svg onload="window.__xss=1"><a href="javascript:window.__xss=1">x</a>',
    "<iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
]

# Harmless text that Markdown or attr_list would otherwise change
LITERAL_TEXT = [
    "Knife crime {County Lines} *provisional* & 'quoted' #1 <b>not bold</b> a_b_c `code` | pipe",
]

PAYLOADS = SCRIPT_PAYLOADS + LITERAL_TEXT

# Raw HTML and links in a strand page's own markdown, which editors write
BODY_PAYLOADS = [
    '<script>window.__xss=1</script>',
    '<img src=x onerror="window.__xss=1">',
    '[a link](javascript:window.__xss=1)',
    '<a href="javascript:window.__xss=1">raw link</a>',
    '<div onmouseover="window.__xss=1" style="position:fixed;inset:0">cover</div>',
    '<form action="javascript:window.__xss=1"><button autofocus>go</button></form>',
    '<object data="javascript:window.__xss=1"></object>',
]

# Trust, round 3 (part A) -------------------------------------------------------------------------------------------

# `--site-dir` values that would replace the portal, its sources or a parent of them (relative to the portal)
SITE_DIRS_REFUSED = [".", "..", "data", "data/metrics", "content", "schemas", "src", "hooks", "overrides", ".git"]

# Ways to write "two folders up, then outside.png" that a check on the undecoded path would miss; each is the
# `src` of an image in a strand page, which the board report shows from board-report/, two folders below the
# portal's own folder (where the test puts outside.png).
ENCODED_OUTSIDE_PATHS = [
    "%2e%2e/%2e%2e/outside.png",
    "%2E%2E/%2E%2E/outside.png",
    "..%2F..%2Foutside.png",
    "%2e%2e%2f%2e%2e%2foutside.png",
    "%252e%252e/%252e%252e/outside.png",  # encoded twice
    "%25252e%25252e/%25252e%25252e/outside.png",  # three times
    "..\\..\\outside.png",
    "%2e%2e%5c%2e%2e%5coutside.png",
    ".%2e/.%2e/outside.png",
    "%2e%2e/%2e%2e/./outside.png%00.svg",
]

# Where an image may come from another host, as an editor could write it in Markdown or HTML; `{url}` is the
# address. Each must be refused by validate at its line, and never published.
EXTERNAL_URLS = [
    "https://tracker.example/p.gif",
    "http://tracker.example/p.gif",
    "//tracker.example/p.gif",
    "HTTPS://tracker.example/p.gif",
    " https://tracker.example/p.gif",
    "\\\\tracker.example/p.gif",
    "&#x68;ttps://tracker.example/p.gif",
    "ftp://tracker.example/p.gif",
]
EXTERNAL_IMAGE_FORMS = [
    '<img src="{url}" alt="">',
    "<img alt='' src='{url}'>",
    "<img src={url} alt=x>",
    '<img alt="" srcset="{url} 2x">',
    '<picture><source srcset="{url}"><img src="x.png" alt=""></picture>',
    '<video poster="{url}"></video>',
    "![a pixel]({url})",
    '![a pixel](<{url}> "title")',
    "![a pixel][pixel]\n\n[pixel]: {url}",
]

# A line break at the end of an id, a name or a date: `^...$` in Python lets one through. (file, old text, new text)
TRAILING_LINE_BREAKS = [
    ("data/metrics/knife-enabled-crime.yml", "id: knife-enabled-crime", 'id: "knife-enabled-crime\\n"'),
    ("data/metrics/knife-enabled-crime.yml", "strand: gangs-and-knife-crime", 'strand: "gangs-and-knife-crime\\n"'),
    ("data/metrics/knife-enabled-crime.yml", "end: 2019-07", 'end: "2019-07\\n"'),
    ("content/strands/domestic-abuse.md", "id: domestic-abuse", 'id: "domestic-abuse\\n"'),
    ("content/strands/domestic-abuse.md", 'updated: "2019-09-12"', 'updated: "2019-09-12\\n"'),
    ("data/areas.yml", "id: basildon", 'id: "basildon\\n"'),
    ("data/areas.yml", "ons_code: E07000066", 'ons_code: "E07000066\\n"'),
    ("data/actions/domestic-abuse.yml", "id: domestic-abuse-strategy", 'id: "domestic-abuse-strategy\\n"'),
    ("data/actions/domestic-abuse.yml", "start: 2019-09-06", 'start: "2019-09-06\\n"'),
]
# File and folder names with a line break in them (relative to the portal); each is refused and never read
NAMES_WITH_LINE_BREAKS = ["data/metrics/zz\n.yml", "content/strands/zz\n.md", "content/about/zz\n.md",
                          "data/actions/zz\n.yml", "content/zz\n/index.md"]

# File names that break or inject into a GitHub workflow command when written unescaped
ANNOTATION_FILE_NAMES = ["Knife crime, 2019.yml", "zz\n::add-mask::secret\n.yml", "a:b%0A.yml", "x\r::warning::y.yml"]

# Release titles that make an XML feed unreadable if written as they are (Word's manual line break is U+000B)
XML_BREAKING_TITLES = ["September 2019\x0bboard update", "September\x0c2019", "Board\x00update", "Update\x1b[31m",
                       "Update\x08"]

# Numbers too long to convert: Python refuses a whole number of more than 4,300 digits
HUGE_WHOLE_NUMBER = "9" * 5000
HUGE_COORDINATE = "1" * 5001
HUGE_DECIMAL = "0." + "1" * 5000

# police.uk street-level rows, as two downloads of one month share them: the same Crime IDs, and anti-social
# behaviour rows with none (Crime ID, Month, Reported by, ..., LSOA name, Crime type, ...)
POLICE_UK_MONTH_ROWS = [
    ["4f1c" + "0" * 60, "2018-01", "Essex Police", "Essex Police", "0.1", "51.7", "On or near X", "E01000001",
     "Harlow 001A", "Burglary", "Under investigation", ""],
    ["9a2e" + "1" * 60, "2018-01", "Essex Police", "Essex Police", "0.1", "51.7", "On or near X", "E01000001",
     "Harlow 001A", "Burglary", "Under investigation", ""],
    ["", "2018-01", "Essex Police", "Essex Police", "0.1", "51.7", "On or near X", "E01000001", "Harlow 001A",
     "Anti-social behaviour", "", ""],
    ["", "2018-01", "Essex Police", "Essex Police", "0.1", "51.7", "On or near X", "E01000001", "Harlow 001A",
     "Anti-social behaviour", "", ""],  # a second incident at the same anonymised point: counted, not a copy
]
