"""Plain data for a portal: strands, metrics and their observations, the areas register and the delivery plans."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

UNITS = ("count", "percent", "rate")
POLARITIES = ("higher-is-better", "lower-is-better", "neutral")
PERIODS = ("month", "quarter", "rolling-3-months", "financial-year", "year")
OBSERVATION_STATUSES = ("provisional", "final", "revised")
STRAND_STATUSES = ("active", "planned")
PLAN_STAGES = ("prepare", "prevent", "protect", "pursue")
AREA_KINDS = ("district", "csp")
ACTION_STATUSES = ("planned", "in-progress", "complete", "delayed", "stopped")
# An observation's figures by area (see `Observation.areas`): written after its other fields, never in add-period's CSV
BREAKDOWN_FIELDS = ("areas", "not_located")


@dataclass(frozen=True)
class Observation:
    end: str  # YYYY-MM, the last month the period covers
    value: float | int | None
    status: str = "final"
    note: str | None = None
    numerator: int | None = None
    denominator: int | None = None
    suppressed: bool = False
    # Figures by area, as (area id, count) pairs in the file's order: a tuple, so the observation stays hashable
    areas: tuple[tuple[str, int], ...] = ()
    not_located: int | None = None  # in the total but in no area of the breakdown

    @property
    def by_area(self) -> dict[str, int]:
        return dict(self.areas)


def observation_of(data: dict) -> Observation:
    """An observation from its file's fields, the breakdown mapping turned into pairs."""
    fields = dict(data)
    if isinstance(fields.get("areas"), dict):
        fields["areas"] = tuple(fields["areas"].items())
    return Observation(**fields)


@dataclass
class Metric:
    id: str
    title: str
    strand: str
    description: str
    unit: str
    polarity: str
    period: str
    source: str
    observations: list[Observation]
    caveats: list[str] = field(default_factory=list)
    order: int | None = None
    draft: bool = False  # shown only in the live preview
    board_report: bool = True  # False: not given to the board, so not in the board report or pack
    areas_add_up: bool | None = None  # with figures by area: whether areas + not_located equal each value
    path: Path | None = None

    @property
    def has_breakdown(self) -> bool:
        return any(o.areas for o in self.observations)

    @property
    def sort_key(self) -> tuple[float, str]:
        return (self.order if self.order is not None else float("inf"), self.title.lower())


@dataclass
class Strand:
    id: str
    title: str
    order: int
    summary: str
    status: str
    updated: str
    lead: str | None = None
    plan: dict[str, list[str]] = field(default_factory=dict)
    draft: bool = False  # shown only in the live preview
    path: Path | None = None


@dataclass(frozen=True)
class Area:
    """A district or Community Safety Partnership from data/areas.yml."""

    id: str
    name: str
    kind: str  # district | csp
    ons_code: str | None = None
    covers: tuple[str, ...] = ()  # a CSP's districts, by id
    population: int | None = None  # of the register's population year


# A district's boundary: polygons, each its outer ring then any holes, each ring (longitude, latitude) pairs
Shape = list[list[list[tuple[float, float]]]]


@dataclass(frozen=True)
class Population:
    """Where the register's population figures come from, stated once for every area."""

    year: int
    source: str


@dataclass(frozen=True)
class Progress:
    as_at: str  # YYYY-MM-DD
    status: str  # one of ACTION_STATUSES
    note: str | None = None


@dataclass
class Action:
    """One commitment of a delivery plan, with its progress as each board update reported it."""

    id: str
    title: str
    strand: str | None  # None: the whole strategy's (data/actions/strategy-wide.yml), on no strand's page
    owner: str
    progress: list[Progress]  # oldest first
    area: str | None = None  # None: force-wide
    category: str | None = None  # one of PLAN_STAGES, only where the source says
    start: str | None = None  # YYYY-MM or YYYY-MM-DD
    due: str | None = None
    outcome: str | None = None
    path: Path | None = None

    @property
    def latest(self) -> Progress | None:
        return self.progress[-1] if self.progress else None


@dataclass
class Portal:
    strands: list[Strand]  # in strategy order
    metrics: list[Metric]  # in strand order, then metric order
    areas: list[Area] = field(default_factory=list)  # in register order
    actions: list[Action] = field(default_factory=list)  # in strand order, then file order
    population: Population | None = None
    area_name: str = "the force area"  # what the districts make up, as readers name it (the register's `name`)
    boundaries: dict[str, Shape] = field(default_factory=dict)  # each district's by its ONS code, for maps
    evaluations: list = field(default_factory=list)  # core.evaluation.Evaluation, in file order

    def area(self, area_id: str) -> Area | None:
        return next((a for a in self.areas if a.id == area_id), None)

    def actions_of(self, strand_id: str | None) -> list[Action]:
        """A strand's actions; with None, the whole strategy's (data/actions/strategy-wide.yml)."""
        return [a for a in self.actions if a.strand == strand_id]

    def strand(self, strand_id: str) -> Strand | None:
        return next((s for s in self.strands if s.id == strand_id), None)

    def metric(self, metric_id: str) -> Metric | None:
        return next((m for m in self.metrics if m.id == metric_id), None)

    def metrics_of(self, strand_id: str) -> list[Metric]:
        return [m for m in self.metrics if m.strand == strand_id]

    def board_metrics_of(self, strand_id: str) -> list[Metric]:
        """The strand's measures the board receives: the board report and pack show these."""
        return [m for m in self.metrics_of(strand_id) if m.board_report]

    def published(self) -> "Portal":
        """The portal without its drafts, nor the measures of draft strands: what a public build shows."""
        strands = [s for s in self.strands if not s.draft]
        shown = {s.id for s in strands}
        return Portal(strands, [m for m in self.metrics if not m.draft and m.strand in shown], self.areas,
                      [a for a in self.actions if a.strand is None or a.strand in shown], self.population, self.area_name, self.boundaries,
                      [e for e in self.evaluations if e.strand in shown])
