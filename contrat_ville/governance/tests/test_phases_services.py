from datetime import date, timedelta

import pytest
from django.core.management import call_command

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.registries import PhaseStatusRule, phase_status_rules
from contrat_ville.governance import phase_templates
from contrat_ville.governance.enums import PhaseStatus, PhaseStatusSource
from contrat_ville.governance.models import Phase, PhaseTemplate, PhaseTemplateStep
from contrat_ville.governance.selectors.phases import next_steps, phase_list, phase_status, phase_timeline
from contrat_ville.governance.services.phases import (
    phase_reschedule,
    phase_set_status,
    phase_templates_sync,
    phases_apply,
)

pytestmark = pytest.mark.django_db

TODAY = date(2024, 6, 1)


@pytest.fixture
def contract():
    return make_contract(name="Contrat des phases", start_on=date(2024, 1, 1))


def test_phase_templates_sync_is_idempotent():
    first = phase_templates_sync()
    assert first.templates_created == len(phase_templates.TEMPLATES)
    assert first.steps_created == sum(len(spec.steps) for spec in phase_templates.TEMPLATES)
    second = phase_templates_sync()
    assert (second.templates_created, second.steps_created, second.steps_updated, second.steps_removed) == (0, 0, 0, 0)
    assert PhaseTemplate.objects.count() == len(phase_templates.TEMPLATES)
    assert PhaseTemplate.objects.get(is_default=True).code == "processus-2014"


def test_phase_templates_sync_repairs_edited_steps():
    phase_templates_sync()
    PhaseTemplateStep.objects.filter(code="3.2", template__code="processus-2014").update(duration_days=1, title="x")
    assert phase_templates_sync().steps_updated == 1
    step = PhaseTemplateStep.objects.get(code="3.2", template__code="processus-2014")
    assert (step.title, step.duration_days) == ("Orientations stratégiques", 15)


def test_sync_phase_templates_command(capsys):
    call_command("sync_phase_templates")
    call_command("sync_phase_templates")
    assert "0 créé(s)" in capsys.readouterr().out
    assert PhaseTemplate.objects.count() == len(phase_templates.TEMPLATES)


def test_phases_apply_uses_the_seed_template_and_the_contract_start_by_default(contract):
    phases = phases_apply(contract=contract, by=None)
    seed = phase_templates.SEED_2014
    assert [phase.code for phase in phases] == [step.code for step in seed.steps]
    first, last = phases[0], phases[-1]
    assert first.planned_start == contract.start_on
    assert first.planned_end == contract.start_on + timedelta(days=seed.steps[0].duration_days)
    assert last.planned_start == contract.start_on + timedelta(days=seed.steps[-1].start_offset_days)
    assert phases[2].description.startswith("Mise en place d'un comité de pilotage")


def test_phases_apply_shifts_dates_to_the_launch_date(contract):
    launch = date(2014, 9, 15)
    phases = {phase.code: phase for phase in phases_apply(contract=contract, launch_on=launch, by=None)}
    assert phases["1.1"].planned_start == launch
    assert phases["3.2"].planned_start == launch + timedelta(days=105)
    assert phases["3.2"].planned_end == launch + timedelta(days=120)
    assert phases["4"].planned_end == launch + timedelta(days=180)


def test_phases_apply_replaces_phases_without_manual_status(contract):
    phases_apply(contract=contract, by=None)
    phases = phases_apply(contract=contract, template_code="calendrier-2024", by=None)
    assert Phase.objects.filter(contract=contract).count() == len(phase_templates.CALENDAR_2024.steps) == len(phases)


def test_phases_apply_refuses_to_drop_a_manual_status(contract):
    phases = phases_apply(contract=contract, by=None)
    phase_set_status(phase=phases[1], status=PhaseStatus.DONE, by=UserFactory())
    with pytest.raises(BusinessRuleError, match=r"saisi à la main \(1\.2\)"):
        phases_apply(contract=contract, template_code="calendrier-2024", by=None)
    assert Phase.objects.filter(contract=contract).count() == len(phase_templates.SEED_2014.steps)


def test_phases_apply_refuses_an_unknown_template(contract):
    with pytest.raises(BusinessRuleError, match="inconnu"):
        phases_apply(contract=contract, template_code="n-existe-pas", by=None)


def test_phase_set_status_records_who_and_when(contract):
    user = UserFactory()
    phase = phases_apply(contract=contract, by=None)[1]
    phase_set_status(phase=phase, status=PhaseStatus.DONE, by=user)
    phase.refresh_from_db()
    assert (phase.manual_status, phase.status_set_by, phase.completed_on is not None) == (PhaseStatus.DONE, user, True)
    assert phase.status_set_at is not None
    phase_set_status(phase=phase, status=PhaseStatus.IN_PROGRESS, by=user)
    phase.refresh_from_db()
    assert phase.completed_on is None
    with pytest.raises(BusinessRuleError):
        phase_set_status(phase=phase, status="bientot", by=user)


def test_phase_reschedule_refuses_an_end_before_the_start(contract):
    phase = phases_apply(contract=contract, by=None)[0]
    phase_reschedule(phase=phase, planned_start=date(2024, 2, 1), planned_end=date(2024, 2, 1), by=None)
    phase.refresh_from_db()
    assert phase.planned_end == date(2024, 2, 1)
    with pytest.raises(BusinessRuleError, match="précéder"):
        phase_reschedule(phase=phase, planned_start=date(2024, 3, 1), planned_end=date(2024, 2, 1), by=None)


# --- computed status ---------------------------------------------------------------------------------------


@pytest.fixture
def rule_answer():
    """A test rule registered for phase « 9 »; set ``answer["value"]`` to what it should say."""
    answer = {"value": None}
    phase_status_rules.register("9", PhaseStatusRule("9", "Règle de test.", lambda contract: answer["value"]))
    yield answer
    phase_status_rules.unregister("9")


def _phase(contract, *, code="9", start=date(2024, 5, 1), end=date(2024, 5, 31), **kwargs):
    phase_templates_sync()
    step = PhaseTemplateStep.objects.order_by("pk").first()
    assert step is not None
    return Phase.objects.create(
        contract=contract,
        template_step=step,
        code=code,
        title=f"Phase de test {code}",
        order=100,
        planned_start=start,
        planned_end=end,
        **kwargs,
    )


def test_rule_true_marks_the_phase_done_from_the_data(contract, rule_answer):
    rule_answer["value"] = True
    phase = _phase(contract)
    assert phase_status(phase, today=TODAY) == (PhaseStatus.DONE, PhaseStatusSource.RULE, "Règle de test.")


def test_rule_false_wins_over_a_manual_done(contract, rule_answer):
    rule_answer["value"] = False
    phase = _phase(contract, manual_status=PhaseStatus.DONE)
    status, source, _ = phase_status(phase, today=TODAY)
    assert (status, source) == (PhaseStatus.IN_PROGRESS, PhaseStatusSource.RULE)


def test_rule_without_answer_falls_back_to_the_manual_status(contract, rule_answer):
    phase = _phase(contract, manual_status=PhaseStatus.DONE)
    assert phase_status(phase, today=TODAY)[:2] == (PhaseStatus.DONE, PhaseStatusSource.MANUAL)


def test_no_rule_uses_the_manual_status_then_the_calendar(contract):
    manual = _phase(
        contract, code="9.8", manual_status=PhaseStatus.IN_PROGRESS, start=date(2025, 1, 1), end=date(2025, 2, 1)
    )
    assert phase_status(manual, today=TODAY)[:2] == (PhaseStatus.IN_PROGRESS, PhaseStatusSource.MANUAL)
    future = _phase(contract, code="9.9", start=date(2025, 1, 1), end=date(2025, 2, 1))
    assert phase_status(future, today=TODAY)[:2] == (PhaseStatus.TODO, PhaseStatusSource.DATES)


def test_late_flag_and_next_steps_order(contract):
    phases_apply(contract=contract, launch_on=date(2024, 1, 1), by=None)
    views = {view.phase.code: view for view in phase_list(contract=contract, today=date(2024, 3, 1))}
    assert views["1.1"].is_late  # 1 January + 30 days, not done on 1 March
    assert not views["1.1"].is_current
    assert views["3"].is_current and not views["3"].is_late
    assert not views["4"].is_late and views["4"].status == PhaseStatus.TODO
    steps = next_steps(contract=contract, today=date(2024, 3, 1), limit=20)
    flags = [(view.is_late, view.is_current) for view in steps]
    assert flags == sorted(flags, key=lambda flag: (not flag[0], not flag[1]))
    phase_set_status(phase=views["1.2"].phase, status=PhaseStatus.DONE, by=None)
    assert not {view.phase.code: view for view in phase_list(contract=contract, today=date(2024, 3, 1))}["1.2"].is_late


def test_timeline_grid_places_bars_and_today(contract):
    phases_apply(contract=contract, launch_on=date(2024, 1, 1), by=None)
    timeline = phase_timeline(contract=contract, today=date(2024, 3, 1))
    assert timeline.starts_on == date(2024, 1, 1)
    assert timeline.ends_on == date(2024, 1, 1) + timedelta(days=180)
    first, last = timeline.rows[0], timeline.rows[-1]
    assert first.cells[0].is_on and not first.cells[-1].is_on
    assert last.cells[-1].is_on and not last.cells[0].is_on
    assert timeline.today_step is not None
    assert all(row.cells[timeline.today_step].is_today for row in timeline.rows)
    assert all(len(row.cells) == 24 for row in timeline.rows)
    assert phase_timeline(contract=contract, today=date(2030, 1, 1)).today_step is None
    assert phase_timeline(contract=make_contract(name="Vide"), today=TODAY).rows == []
