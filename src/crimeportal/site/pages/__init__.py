"""Every page the portal writes or completes: the markdown of its own pages (`pages`), a measure's headline,
table and facts (`render`, `verdicts`), strand and home summaries, district and area pages, the delivery plan,
the board report, What changed, the problems page, and what search reads.

May import `core`, `source`, `releases`, the `charts` and `publishing` rooms and the site's shared modules;
never the build (`build`, `state`, `block_content`), which fills pages by calling into this room.
"""
