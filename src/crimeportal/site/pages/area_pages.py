"""A page per area of the register (areas/<id>/: a district or a Community Safety Partnership) and their index.

Each area's page says what the area is, lists the actions that concern it (a partnership's page also those of
the districts it covers; a district's page names the partnership over it) and the measures that concern it.
Text from data/areas.yml reaches the markdown only through `markdown_text` and the page's HTML only through
the autoescaping templates.
"""

from __future__ import annotations

import yaml

from ...core.conventions import AREA_PAGES, AREAS_INDEX_PAGE, RESERVED_IDS
from ...core.delivery import AsAt
from ...core.model import Action, Area, Portal
from . import districts
from ..blocks import marker
from .delivery_html import Link, action_list, area_page, paragraph
from ..escaping import markdown_text
from .render import table as render_table
from ..templates import Markup, render
from .verdicts import Link as LinkFrom

KIND_WORDS = {"district": "District", "csp": "Community Safety Partnership"}
_SEARCH_EXCLUDED = {"search": {"exclude": True}}  # they repeat what the strand pages and the Delivery plan page say


def page_path(area_id: str) -> str:
    return f"{AREA_PAGES}/{area_id}.md"


def with_pages(portal: Portal) -> list[Area]:
    """The areas that get a page: all of them, but an id that would land on the index page itself."""
    return [area for area in portal.areas if area.id not in RESERVED_IDS]


def index_markdown(portal: Portal) -> str:
    front = yaml.safe_dump({"title": "Areas", **_SEARCH_EXCLUDED})
    intro = ("The districts of the force's area and the Community Safety Partnerships that work across them. "
             "Each area's page lists the delivery plan's actions that concern it and the figures published for it.")
    if not portal.areas:
        return f"---\n{front}---\n\n# Areas\n\n{intro}\n\nThe portal has no register of areas yet.\n"
    return (f"---\n{front}---\n\n# Areas\n\n{intro}\n\n## Districts\n\n{marker('areas-index', 'district')}\n\n"
            f"## Community Safety Partnerships\n\n{marker('areas-index', 'csp')}\n")


def area_markdown(area: Area) -> str:
    front = yaml.safe_dump({"title": area.name, **_SEARCH_EXCLUDED}, allow_unicode=True)
    return (f"---\n{front}---\n\n# {markdown_text(area.name)}\n\n{marker('area-facts', area.id)}\n\n"
            f"{marker('topic-feed', page_path(area.id))}\n\n"
            f"## Actions\n\n{marker('area-actions', area.id)}\n\n## Figures\n\n{marker('area-measures', area.id)}\n")


def generated_paths(portal: Portal) -> list[str]:
    """The pages `generated_pages` makes, by path alone (validate's link check needs no markdown)."""
    return [AREAS_INDEX_PAGE, *(page_path(area.id) for area in with_pages(portal))]


def generated_pages(portal: Portal) -> dict[str, str]:
    pages = {AREAS_INDEX_PAGE: index_markdown(portal)}
    pages.update({page_path(area.id): area_markdown(area) for area in with_pages(portal)})
    return pages


def partnerships_of(portal: Portal, district: Area) -> list[Area]:
    return [a for a in portal.areas if a.kind == "csp" and district.id in a.covers]


def area_ids(area: Area) -> frozenset[str]:
    """The area and, for a partnership, the districts it covers: whose actions and figures its page and feed show."""
    return frozenset({area.id} | (set(area.covers) if area.kind == "csp" else set()))


def actions_of_area(portal: Portal, area: Area) -> list[Action]:
    """The area's own actions; a partnership's also those of the districts it covers."""
    ids = area_ids(area)
    return [action for action in portal.actions if action.area in ids]


def _link(area: Area, link: LinkFrom) -> Link:
    return Link(link(area_page(area.id)), area.name)


def facts(portal: Portal, area: Area, link: LinkFrom) -> Markup:
    population = None
    if area.population is not None:
        year = f" (mid-{portal.population.year} estimate)" if portal.population else ""
        population = f"{area.population:,}{year}"
    covers = [_link(d, link) for d in (portal.area(i) for i in area.covers) if d is not None]
    covered_by = [_link(c, link) for c in partnerships_of(portal, area)] if area.kind == "district" else []
    return render("area_facts.html", area=area, kind=KIND_WORDS.get(area.kind, area.kind), population=population,
                  covers=covers, covered_by=covered_by)


def actions(portal: Portal, area: Area, when: AsAt | None, link: LinkFrom) -> Markup:
    found = actions_of_area(portal, area)
    if not found:
        return paragraph(f"No action of the delivery plan is for {area.name} alone. The force-wide actions are "
                         "on the Delivery plan page.")
    return action_list(found, portal, when, link, level=3, anchor_prefix="area", show_strand=True)


def measures(portal: Portal, area: Area, link: LinkFrom, figures_of: districts.FiguresOf) -> Markup:
    """Every measure's latest figure for the area (a partnership's: each of its districts'), with its rate and comparison."""
    found = districts.figures_for_area(area, portal, figures_of)
    if not found:
        return paragraph(f"No measure is published for {area.name} alone yet: every measure covers the whole "
                         "force area, and is listed under All measures.")
    several = area.kind == "csp"
    columns = ([("District", False)] if several else []) + [("Measure", False), ("Period", False), ("Count", True),
                                                            ("Rate per 1,000", True), (f"Compared with {portal.area_name}", False)]
    rows = [render("area_figure_row.html", district=row.area.name if several else None, href=link(f"metrics/{figures.metric.id}/"),
                   title=figures.metric.title, period=figures.period, count=f"{row.count:,}",
                   rate=f"{row.rate.rate:,.2f}" if row.rate else "", verdict=figures.verdict_words(row))
            for figures, row in found]
    return render_table(caption=f"Latest figures for {area.name}", columns=columns, rows=rows)


def index_table(portal: Portal, kind: str, link: LinkFrom) -> Markup:
    rows = []
    for area in (a for a in with_pages(portal) if a.kind == kind):
        if kind == "csp":
            names = [d.name for d in (portal.area(i) for i in area.covers) if d is not None]
            detail = "Covers " + ", ".join(names) if names else ""
        else:
            detail = ", ".join(c.name for c in partnerships_of(portal, area))
        rows.append(render("area_row.html", row={"href": link(area_page(area.id)), "name": area.name, "detail": detail,
                                                 "actions": len(actions_of_area(portal, area))}))
    label = "Districts" if kind == "district" else "Community Safety Partnerships"
    columns = [("Area", False), ("Partnership" if kind == "district" else "Districts", False), ("Actions", True)]
    return render_table(caption=label, columns=columns, rows=rows)
