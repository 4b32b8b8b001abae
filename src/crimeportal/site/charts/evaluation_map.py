"""An evaluation's areas on the district map: each district coloured by the group it is in.

A group may name districts, partnerships (mapped as the districts they cover) or LSOAs. The portal has boundaries
for districts only, so an LSOA is listed beside the map but not drawn on it, and the page says so.
"""

from __future__ import annotations

import hashlib
import json
from functools import partial
from typing import Callable

from ...core.evaluation import Evaluation
from ...core.model import Portal
from .district_map import OUTSIDE, MapArea, PreparedMap, groups_map_spec
from .evaluation_chart import GROUP_STYLES
from .specs import ChartJob


def map_job_id(evaluation_id: str) -> str:
    return f"evaluation-map:{evaluation_id}"


def group_of(evaluation: Evaluation, portal: Portal) -> dict[str, str]:
    """ONS code -> the group each mapped district is in (by its group's label)."""
    found = {}
    for group, area_ids in evaluation.groups.items():
        for area_id in area_ids:
            area = portal.area(area_id)
            if area is None:
                continue  # an LSOA: no boundary to draw
            members = [area] if area.kind == "district" else [portal.area(d) for d in area.covers]
            found.update({m.ons_code: GROUP_STYLES[group][0] for m in members if m is not None and m.ons_code})
    return found


def has_lsoas(evaluation: Evaluation, portal: Portal) -> bool:
    return any(portal.area(a) is None for areas in evaluation.groups.values() for a in areas)


def map_job(evaluation: Evaluation, portal: Portal, prepared: Callable[[], PreparedMap | None], shapes: str,
            version: str) -> ChartJob | None:
    """`prepared` and `shapes` as for the measures' maps (pages/districts.py): drawn from the same projection."""
    groups = group_of(evaluation, portal)
    if not groups:
        return None
    legend = [(label, colour) for label, colour, _ in GROUP_STYLES.values() if label in groups.values()]
    key = hashlib.sha256(json.dumps([version, "evaluation map", shapes, groups, legend], sort_keys=True).encode()).hexdigest()[:32]
    return ChartJob(key, partial(_spec, prepared, groups, legend), "", "")  # named on the page


def map_areas(evaluation: Evaluation, portal: Portal, link: Callable[[str], str]) -> list[MapArea]:
    """Each district's link on the map, saying which group it is in."""
    groups = group_of(evaluation, portal)
    return [MapArea(a.ons_code, a.name, link(f"areas/{a.id}/"), None, f"{a.name}: {groups.get(a.ons_code, OUTSIDE).lower()}")
            for a in portal.areas if a.kind == "district" and a.ons_code]


def _spec(prepared: Callable[[], PreparedMap | None], groups: dict[str, str], legend: list[tuple[str, str]]) -> dict:
    shapes = prepared()
    assert shapes is not None  # jobs are made only when some district has a shape
    return groups_map_spec(shapes, groups, legend)
