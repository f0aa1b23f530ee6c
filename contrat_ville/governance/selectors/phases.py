"""Status of the elaboration phases: computed from the data where a rule exists, manual otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from contrat_ville.contracts.models import Contract
from contrat_ville.core.lookups import found_or_404
from contrat_ville.core.registries import PhaseStatusRule, phase_status_rules
from contrat_ville.governance import phase_templates
from contrat_ville.governance.enums import PhaseStatus, PhaseStatusSource
from contrat_ville.governance.models import Phase


@dataclass(frozen=True)
class PhaseView:
    phase: Phase
    status: str
    source: str
    rule_description: str
    is_late: bool
    is_current: bool

    @property
    def status_label(self) -> str:
        return PhaseStatus(self.status).label

    @property
    def source_label(self) -> str:
        return PhaseStatusSource(self.source).label


def phase_status(phase: Phase, *, today: date) -> tuple[str, str, str]:
    """(status, source, rule description) of a phase.

    A registered rule that answers True marks the phase done from the data; a rule answering False keeps it
    open even if someone ticked it by hand (the data disagree); a rule answering None, or no rule, leaves the
    manual status, set by hand with who and when.
    """
    rule = phase_status_rules.get(phase.code)
    if rule is not None:
        verdict = rule.compute(phase.contract)
        if verdict is True:
            return PhaseStatus.DONE, PhaseStatusSource.RULE, rule.description
        if verdict is False:
            started = phase.manual_status == PhaseStatus.IN_PROGRESS or phase.planned_start <= today
            status = PhaseStatus.IN_PROGRESS if started else PhaseStatus.TODO
            return status, PhaseStatusSource.RULE, rule.description
    if phase.manual_status != PhaseStatus.TODO:
        return phase.manual_status, PhaseStatusSource.MANUAL, ""
    if phase.planned_start <= today:
        return PhaseStatus.IN_PROGRESS, PhaseStatusSource.DATES, rule.description if rule else ""
    return PhaseStatus.TODO, PhaseStatusSource.DATES, rule.description if rule else ""


def phase_list(*, contract: Contract, today: date | None = None) -> list[PhaseView]:
    """The contract's phases in order with their computed status; late = not done after its planned end."""
    today = today or timezone.localdate()
    phases = Phase.objects.filter(contract=contract).select_related("contract", "status_set_by")
    return [phase_view(phase, today=today) for phase in phases]


def phase_view(phase: Phase, *, today: date) -> PhaseView:
    """A phase with its computed status and its late / current flags."""
    status, source, description = phase_status(phase, today=today)
    return PhaseView(
        phase=phase,
        status=status,
        source=source,
        rule_description=description,
        is_late=status != PhaseStatus.DONE and phase.planned_end < today,
        is_current=status != PhaseStatus.DONE and phase.planned_start <= today <= phase.planned_end,
    )


def next_steps(*, contract: Contract, today: date | None = None, limit: int = 5) -> list[PhaseView]:
    """What comes next: late phases first, then current ones, then the next to start."""
    open_phases = [view for view in phase_list(contract=contract, today=today) if view.status != PhaseStatus.DONE]
    open_phases.sort(key=lambda view: (not view.is_late, not view.is_current, view.phase.planned_start))
    return open_phases[:limit]


# --- one phase, templates ---------------------------------------------------------------------------------


def phase_get(*, contract: Contract, phase_id: int) -> Phase:
    """One phase of the contract, or 404."""
    return found_or_404(
        Phase.objects.filter(contract=contract, pk=phase_id).select_related("contract", "status_set_by").first(),
        "Phase introuvable.",
    )


def phase_view_get(*, contract: Contract, phase_id: int, today: date | None = None) -> PhaseView:
    """One phase of the contract with its computed status, or 404."""
    today = today or timezone.localdate()
    return phase_view(phase_get(contract=contract, phase_id=phase_id), today=today)


def phase_rule(phase: Phase) -> PhaseStatusRule | None:
    """The registered rule that computes this phase's status, if any."""
    return phase_status_rules.get(phase.code)


def phase_template_choices() -> list[tuple[str, str]]:
    """(code, name) of the templates a contract may pick, the default (the seed's) first; no query."""
    ordered = sorted(phase_templates.TEMPLATES, key=lambda spec: not spec.is_default)
    return [(spec.code, spec.name) for spec in ordered]


def contract_has_phases(*, contract: Contract) -> bool:
    return Phase.objects.filter(contract=contract).exists()


# --- the timeline (Gantt-like, also a table) ---------------------------------------------------------------

GANTT_STEPS = 24


@dataclass(frozen=True)
class GanttCell:
    is_on: bool
    is_today: bool


@dataclass(frozen=True)
class TimelineRow:
    view: PhaseView
    cells: tuple[GanttCell, ...]

    @property
    def phase(self) -> Phase:
        return self.view.phase


@dataclass(frozen=True)
class Timeline:
    """The contract's phases on a grid of ``steps`` equal periods from the first start to the last end."""

    rows: list[TimelineRow]
    starts_on: date | None
    ends_on: date | None
    today: date
    today_step: int | None
    steps: int = GANTT_STEPS

    @property
    def late_count(self) -> int:
        return sum(1 for row in self.rows if row.view.is_late)

    @property
    def done_count(self) -> int:
        return sum(1 for row in self.rows if row.view.status == PhaseStatus.DONE)


def _step_of(day: date, *, starts_on: date, span_days: int, steps: int) -> int:
    index = (day - starts_on).days * steps // span_days
    return max(0, min(steps - 1, index))


def phase_timeline(*, contract: Contract, today: date | None = None, steps: int = GANTT_STEPS) -> Timeline:
    """The timeline of the contract's phases: each row's bar covers the grid steps of its planned dates.

    Queries: the phases (one) plus the registered rules, one set per phase code, whatever the other data.
    """
    today = today or timezone.localdate()
    views = phase_list(contract=contract, today=today)
    if not views:
        return Timeline(rows=[], starts_on=None, ends_on=None, today=today, today_step=None, steps=steps)
    starts_on = min(view.phase.planned_start for view in views)
    ends_on = max(view.phase.planned_end for view in views)
    span_days = (ends_on - starts_on).days + 1
    today_step = (
        _step_of(today, starts_on=starts_on, span_days=span_days, steps=steps)
        if starts_on <= today <= ends_on
        else None
    )
    rows = []
    for view in views:
        first = _step_of(view.phase.planned_start, starts_on=starts_on, span_days=span_days, steps=steps)
        last = _step_of(view.phase.planned_end, starts_on=starts_on, span_days=span_days, steps=steps)
        cells = tuple(GanttCell(is_on=first <= index <= last, is_today=index == today_step) for index in range(steps))
        rows.append(TimelineRow(view=view, cells=cells))
    return Timeline(rows=rows, starts_on=starts_on, ends_on=ends_on, today=today, today_step=today_step, steps=steps)
