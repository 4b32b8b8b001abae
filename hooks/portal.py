"""MkDocs hooks: every event is handed to the crimeportal package (crimeportal.site.hooks), where the work lives.

Written by `crimeportal init` and kept up to date by `crimeportal upgrade`; edit nothing here.
"""

from crimeportal.site.hooks import PortalHooks

# one PortalHooks for as long as MkDocs keeps this file: `mkdocs serve` builds many times with it
globals().update(PortalHooks().events())
