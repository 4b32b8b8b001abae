"""What the portal publishes beside its pages: each measure's and the delivery plan's downloads, the data
package and its README (`open_data`), the Atom feed, the citation format, and the publisher's licence and
contact settings (`publication`).

May import `core`, `releases` and the site's shared modules (`templates`, `escaping`); never a page, a chart
or the build, so that a file a reader downloads is made the same way whatever page links to it.
"""
