"""Charts and maps, drawn as accessible SVG: each measure's chart as a Vega-Lite spec (`specs`), the worker
processes that draw them and their cache (`drawing`, `worker`), and the district map (`district_map`).

May import `core` and the site's shared modules below it (`output`); never a page, a download or the build.
"""
