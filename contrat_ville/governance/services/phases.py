"""The elaboration phases of a contract: templates as data, applied with planned dates (seed 004, domain.md §3.1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from contrat_ville.accounts.models import User
from contrat_ville.contracts.models import Contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.saving import save_by
from contrat_ville.governance import phase_templates
from contrat_ville.governance.enums import PhaseStatus
from contrat_ville.governance.models import Phase, PhaseTemplate, PhaseTemplateStep

DEFAULT_TEMPLATE_CODE = phase_templates.SEED_2014.code


@dataclass(frozen=True)
class SyncResult:
    templates_created: int
    steps_created: int
    steps_updated: int
    steps_removed: int


@transaction.atomic
def phase_templates_sync() -> SyncResult:
    """Write ``phase_templates.TEMPLATES`` (seed 004's process, the 2023-2024 calendar) to the database.

    Idempotent upsert keyed on template code and step code. A step that left the data is removed unless a contract's
    phase still refers to it (it then stays, so that the contract keeps its history).
    """
    templates_created = steps_created = steps_updated = steps_removed = 0
    for spec in phase_templates.TEMPLATES:
        template, created = PhaseTemplate.objects.update_or_create(
            code=spec.code,
            defaults={"name": spec.name, "description": spec.description, "is_default": spec.is_default},
        )
        templates_created += int(created)
        existing = {step.code: step for step in PhaseTemplateStep.objects.filter(template=template)}
        for order, step_spec in enumerate(spec.steps, start=1):
            values = {
                "title": step_spec.title,
                "description": step_spec.description,
                "order": order,
                "start_offset_days": step_spec.start_offset_days,
                "duration_days": step_spec.duration_days,
            }
            step = existing.pop(step_spec.code, None)
            if step is None:
                PhaseTemplateStep.objects.create(template=template, code=step_spec.code, **values)
                steps_created += 1
            elif any(getattr(step, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(step, name, value)
                step.save()
                steps_updated += 1
        stale = PhaseTemplateStep.objects.filter(pk__in=[step.pk for step in existing.values()], phases__isnull=True)
        steps_removed += stale.delete()[0]
    return SyncResult(templates_created, steps_created, steps_updated, steps_removed)


def _has_manual_status(phase: Phase) -> bool:
    return (
        phase.manual_status != PhaseStatus.TODO
        or phase.status_set_by_id is not None
        or phase.status_set_at is not None
    )


@transaction.atomic
def phases_apply(
    *,
    contract: Contract,
    template_code: str | None = None,
    launch_on: date | None = None,
    by: User | None,
) -> list[Phase]:
    """Give the contract the phases of a template, with planned dates shifted to its launch date.

    The default template is the seed's (« processus-2014 », seed 004) whatever the contract's generation; the
    launch date defaults to the contract's start. Each phase starts ``start_offset_days`` after the launch and lasts
    ``duration_days`` (seed 004 calendar: phases 1 to 3 in the autumn, phase 4 by early next year).
    Re-applying a template replaces the current phases, unless someone already set a status by hand on one of
    them: that work would be lost, so the operation is refused.
    """
    phase_templates_sync()
    code = template_code or DEFAULT_TEMPLATE_CODE
    template = PhaseTemplate.objects.filter(code=code).first()
    if template is None:
        raise BusinessRuleError(f"Modèle de processus d'élaboration inconnu : « {code} ».", field="template_code")
    launch_on = launch_on or contract.start_on
    current = list(Phase.objects.filter(contract=contract).order_by("order"))
    manual = [phase for phase in current if _has_manual_status(phase)]
    if manual:
        codes = ", ".join(phase.code for phase in manual)
        raise BusinessRuleError(
            "Impossible d'appliquer un autre modèle : l'état de certaines phases a été saisi à la main "
            f"({codes}). Remettez-les « à venir » ou conservez le calendrier actuel."
        )
    Phase.objects.filter(pk__in=[phase.pk for phase in current]).delete()
    phases = []
    for step in PhaseTemplateStep.objects.filter(template=template).order_by("order"):
        planned_start = launch_on + timedelta(days=step.start_offset_days)
        phases.append(
            Phase(
                contract=contract,
                template_step=step,
                code=step.code,
                title=step.title,
                description=step.description,
                order=step.order,
                planned_start=planned_start,
                planned_end=planned_start + timedelta(days=step.duration_days),
            )
        )
    for phase in phases:
        save_by(phase, by)
    return phases


@transaction.atomic
def phase_set_status(*, phase: Phase, status: str, by: User | None) -> Phase:
    """Set a phase's status by hand, with who and when (issue §5).

    When a rule of the phase-status registry answers for this phase, the computed status prevails; the manual one
    is used when the rule has nothing to say. « Terminée » records the completion date.
    """
    if status not in PhaseStatus.values:
        raise BusinessRuleError(f"État de phase inconnu : « {status} ».", field="status")
    now = timezone.now()
    phase.manual_status = status
    phase.status_set_by = by
    phase.status_set_at = now
    if status == PhaseStatus.DONE:
        phase.completed_on = phase.completed_on or timezone.localdate(now)
    else:
        phase.completed_on = None
    save_by(phase, by, "manual_status", "status_set_by", "status_set_at", "completed_on")
    return phase


@transaction.atomic
def phase_reschedule(*, phase: Phase, planned_start: date, planned_end: date, by: User | None) -> Phase:
    """Move a phase's planned dates; the end may not precede the start."""
    if planned_end < planned_start:
        raise BusinessRuleError("La fin prévue d'une phase ne peut pas précéder son début prévu.", field="planned_end")
    phase.planned_start = planned_start
    phase.planned_end = planned_end
    save_by(phase, by, "planned_start", "planned_end")
    return phase
