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
