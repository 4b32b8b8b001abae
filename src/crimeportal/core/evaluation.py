"""Did an operation work? The arithmetic of an evaluation, standard library only.

An evaluation compares counts of crime in groups of areas (test, control, and optionally the areas around the test
areas and their own control) before and after an operation. Each result here carries the name of its method, so a
page never states a number without saying how it was worked out:

- the rate ratio `(T1/T0)/(C1/C0)` of test against control, after against before, with a 95% interval on the log
  scale from Poisson variances (the Wald interval of the interaction in a Poisson model with group and period,
  which is what the tests check it against) and a two-sided p-value;
- the Weighted Displacement Difference of Wheeler and Ratcliffe (2018): the local estimate `(T1-T0)-(C1-C0)`, the
  displacement estimate `(D1-D0)-(E1-E0)`, their total (negative means fewer crimes), its standard error (the square
  root of the sum of the eight counts, as each count is taken to be Poisson) and z;
- for a before-after design, the change and the exact Poisson test, which cannot tell the operation apart from
  anything else that changed at the same time;
- the design's level on the Maryland Scientific Methods Scale;
- whether the design was published before the operation began.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .significance import poisson_exact_p

DESIGNS = ("before-after", "comparison-areas", "randomised")
GROUPS = ("test", "control", "displacement", "displacement_control")
DIRECTIONS = ("decrease", "increase")
STATUS_WORDS = {"planned": "Planned", "running": "Running", "results": "Results in"}

# Maryland Scientific Methods Scale (Sherman et al. 1997): the level each design reaches, and one line on what it
# means, for readers who have never met the scale.
MARYLAND_LEVELS = {"before-after": 2, "comparison-areas": 3, "randomised": 5}
MARYLAND_MEANINGS = {
    2: "Level 2 of 5: crime in the same areas before and after; it cannot separate the operation from anything "
       "else that changed at the same time.",
    3: "Level 3 of 5: the test areas against comparable areas without the operation, before and after; a fair "
       "comparison, though the areas may still differ in ways nobody measured.",
    5: "Level 5 of 5: the areas were chosen for the operation at random, so other differences between them "
       "should balance out; the strongest design.",
}

Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal: a two-sided 95% interval


@dataclass(frozen=True)
class Counts:
    """Crimes counted in one group of areas over the before months and over the after months."""
    before: int
    after: int
    # the same crimes month by month ("YYYY-MM", count), every before and after month in order; empty when the
    # counts were typed as totals
    by_month: tuple[tuple[str, int], ...] = ()


@dataclass
class Evaluation:
    """One evaluation as its file states it (data/evaluations/<id>.yml), checked."""
    id: str
    title: str
    strand: str
    question: str
    design: str
    after: tuple[str, str]  # first and last month of the operation, YYYY-MM
    before: tuple[str, str] | None = None  # the months compared with; absent until they are chosen
    registered: date | None = None
    summary: str | None = None
    crime: str | None = None
    expected_direction: str | None = None  # decrease | increase
    smallest_effect_percent: float | None = None
    actions: tuple[str, ...] = ()
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # group -> area ids or LSOA codes
    counts: dict[str, Counts] = field(default_factory=dict)
    caveats: tuple[str, ...] = ()
    path: Path | None = None
    # the first release whose published data carried this design unchanged, found in the release register when
    # a build reads the published releases; not part of the file
    published_in: PublishedIn | None = None

    def registration(self) -> date | None:
        """When the design was first published: the file's `registered`, or the first release that carried it,
        whichever is earlier."""
        return min((d for d in (self.registered, self.published_in and self.published_in.published) if d), default=None)

    def result(self, as_at: date) -> "Result":
        return analyse(self.design, self.counts, self.registration(), self.after[0], as_at, bool(self.groups))


@dataclass(frozen=True)
class PublishedIn:
    """A release of the portal, named as readers know it, and the day it was published."""
    release: str
    published: date


@dataclass(frozen=True)
class RateRatio:
    """Test against control, after against before. Below 1: crime fell more (or rose less) in the test areas."""
    ratio: float
    low: float
    high: float
    p_value: float
    method: str = ("rate ratio (T1/T0)/(C1/C0), 95% interval on the log scale with Poisson variances, "
                   "two-sided p-value")


@dataclass(frozen=True)
class Wdd:
    """Wheeler and Ratcliffe's (2018) Weighted Displacement Difference, in crimes; negative means fewer."""
    local: int
    displacement: int | None  # None when no displacement areas were given
    total: int
    se: float
    z: float | None  # None when every count is zero
    p_value: float | None
    method: str = ("Weighted Displacement Difference (Wheeler and Ratcliffe 2018), standard error the square root "
                   "of the sum of the counts, two-sided p-value")


@dataclass(frozen=True)
class BeforeAfter:
    """The test areas' change alone, for a design with no comparison areas."""
    before: int
    after: int
    change_percent: float | None  # None when the before count is zero
    p_value: float | None  # None when both counts are zero
    method: str = "exact conditional test for two Poisson counts, two-sided"


def maryland_level(design: str) -> int | None:
    """The design's level on the Maryland Scientific Methods Scale, None for a design the scale does not place."""
    return MARYLAND_LEVELS.get(design)


def two_sided_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def rate_ratio(test: Counts, control: Counts) -> RateRatio | None:
    """The rate ratio with its interval and p-value; None when any count is zero, as its logarithm is undefined."""
    counts = (test.before, test.after, control.before, control.after)
    if min(counts) <= 0:
        return None
    log_ratio = (math.log(test.after) - math.log(test.before)) - (math.log(control.after) - math.log(control.before))
    se = math.sqrt(sum(1 / c for c in counts))
    return RateRatio(ratio=math.exp(log_ratio), low=math.exp(log_ratio - Z_95 * se),
                     high=math.exp(log_ratio + Z_95 * se), p_value=two_sided_p(log_ratio / se))


def wdd(test: Counts, control: Counts, displacement: Counts | None = None,
        displacement_control: Counts | None = None) -> Wdd:
    """The WDD; the displacement part only when both the displacement areas and their control are counted."""
    local = (test.after - test.before) - (control.after - control.before)
    groups = [test, control]
    shifted: int | None = None
    if displacement is not None and displacement_control is not None:
        shifted = (displacement.after - displacement.before) - (displacement_control.after - displacement_control.before)
        groups += [displacement, displacement_control]
    total = local + (shifted or 0)
    se = math.sqrt(sum(g.before + g.after for g in groups))
    z = total / se if se > 0 else None
    return Wdd(local=local, displacement=shifted, total=total, se=se, z=z,
               p_value=two_sided_p(z) if z is not None else None)


def before_after(test: Counts) -> BeforeAfter:
    change = (test.after - test.before) / test.before * 100 if test.before else None
    p = poisson_exact_p(test.before, test.after) if test.before + test.after else None
    return BeforeAfter(before=test.before, after=test.after, change_percent=change, p_value=p)


def month_start(month: str) -> date:
    """'2019-09' -> the first day of that month."""
    year, number = month.split("-")
    return date(int(year), int(number), 1)


def months_between(start: str, end: str) -> int:
    """The number of months from `start` to `end`, both included."""
    a, b = month_start(start), month_start(end)
    return (b.year - a.year) * 12 + b.month - a.month + 1


def months_of(span: tuple[str, str]) -> list[str]:
    """Every month from the first of `span` to the last, both included, as YYYY-MM."""
    start, end = span
    year, month = int(start[:4]), int(start[5:])
    found = []
    while f"{year:04d}-{month:02d}" <= end:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def registered_in_advance(registered: date | None, after_start: str) -> bool:
    """Published before the operation began: before the first day of its first after month. Published on or after
    that day, the design could have been chosen knowing how the operation was going."""
    return registered is not None and registered < month_start(after_start)


@dataclass(frozen=True)
class Result:
    """Everything a page, the board report and the open data say about an evaluation's outcome."""
    status: str  # planned | running | results
    maryland_level: int | None
    registered_in_advance: bool
    rate_ratio: RateRatio | None
    wdd: Wdd | None
    before_after: BeforeAfter | None


def analyse(design: str, counts: dict[str, Counts], registered: date | None, after_start: str,
            as_at: date, areas_named: bool = True) -> Result:
    """The result of one evaluation from its design and whatever counts it has so far.

    `counts` maps a group name to its counts; a comparison is made only from groups that are counted."""
    status = _status(design, counts, after_start, as_at, areas_named)
    test, control = counts.get("test"), counts.get("control")
    comparison = status == "results" and design != "before-after" and test is not None and control is not None
    return Result(
        status=status,
        maryland_level=maryland_level(design),
        registered_in_advance=registered_in_advance(registered, after_start),
        rate_ratio=rate_ratio(test, control) if comparison else None,
        wdd=wdd(test, control, counts.get("displacement"), counts.get("displacement_control")) if comparison else None,
        before_after=before_after(test) if status == "results" and test is not None and design == "before-after" else None,
    )


def _status(design: str, counts: dict[str, Counts], after_start: str, as_at: date, areas_named: bool) -> str:
    """'results' once the groups the design compares are counted; 'planned' before the first after month, or
    while no areas are named (nothing can be running in areas nobody has chosen); 'running' otherwise."""
    needed = ("test",) if design == "before-after" else ("test", "control")
    if all(group in counts for group in needed):
        return "results"
    return "planned" if as_at < month_start(after_start) or not areas_named else "running"


def result_to_dict(result: Result) -> dict:
    """The figures the open data publishes (`data/evaluations/<id>.json`); null where the design gives none."""
    rr = result.rate_ratio
    return {
        "status": result.status,
        "maryland_level": result.maryland_level,
        "registered_in_advance": result.registered_in_advance,
        "rate_ratio": rr.ratio if rr else None,
        "rate_ratio_ci": [rr.low, rr.high] if rr else None,
        **_named(rr, rate_ratio_p="p_value", rate_ratio_method="method"),
        **_named(result.wdd, wdd="total", wdd_local="local", wdd_displacement="displacement", wdd_se="se", wdd_z="z",
                 wdd_p="p_value", wdd_method="method"),
        **_named(result.before_after, before_after_change_percent="change_percent", before_after_p="p_value",
                 before_after_method="method"),
    }


def _named(found: object | None, **fields: str) -> dict:
    """Each published name with the attribute it comes from, or null for a result the design does not give."""
    return {name: getattr(found, attribute) if found is not None else None for name, attribute in fields.items()}


def record(evaluation: Evaluation, result: Result) -> dict:
    """The evaluation as `data/evaluations/<id>.json` publishes it, which a later release's What changed reads."""
    return {"id": evaluation.id, "title": evaluation.title, "strand": evaluation.strand,
            "question": evaluation.question, "design": evaluation.design,
            "registered": evaluation.registered.isoformat() if evaluation.registered else None,
            "first_published_in": ({"release": evaluation.published_in.release,
                                    "published": evaluation.published_in.published.isoformat()}
                                   if evaluation.published_in else None),
            "before": dict(zip(("start", "end"), evaluation.before)) if evaluation.before else None,
            "after": dict(zip(("start", "end"), evaluation.after)),
            "crime": evaluation.crime, "actions": list(evaluation.actions),
            "expected": ({"direction": evaluation.expected_direction,
                          "smallest_effect_percent": evaluation.smallest_effect_percent}
                         if evaluation.expected_direction else None),
            "groups": {g: list(a) for g, a in evaluation.groups.items()},
            "counts": {g: {"before": c.before, "after": c.after, **({"by_month": dict(c.by_month)} if c.by_month else {})}
                       for g, c in evaluation.counts.items()},
            "caveats": list(evaluation.caveats), **result_to_dict(result)}
