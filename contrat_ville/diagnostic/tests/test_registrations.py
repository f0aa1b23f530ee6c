"""What the diagnostic registers: decision target, phase rules 3.1 and 3, navigation, home panel."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contrat_ville.contracts.enums import Role
from contrat_ville.core.registries import decision_targets, home_panels, navigation_entries, phase_status_rules
from contrat_ville.diagnostic.enums import FindingKind, StakeStatus
from contrat_ville.diagnostic.models import Consultation
from contrat_ville.diagnostic.selectors.rules import diagnostic_done, diagnostic_steps_done
from contrat_ville.diagnostic.services.consultations import consultation_close
from contrat_ville.diagnostic.services.inventory import finding_create
from contrat_ville.diagnostic.services.stakes import stake_redefine
from contrat_ville.diagnostic.tests.factories import (
    consult,
    contract_with_qpv,
    council_member,
    make_council,
    make_meeting,
    make_stake,
    member,
    pillars,
)
from contrat_ville.governance.enums import Verdict
from contrat_ville.governance.selectors.decisions import decision_target_choices
from contrat_ville.governance.services.decisions import decision_record
from contrat_ville.participation.services import opinion_give

pytestmark = pytest.mark.django_db


def test_registries_hold_the_diagnostic_entries():
    assert decision_targets.get("diagnostic.stake").on_decision is not None
    assert "diagnostic" in navigation_entries
    assert "diagnostic-counts" in home_panels
    assert phase_status_rules.get("3.1") is not None
    assert phase_status_rules.get("3") is not None


def test_stakes_are_offered_as_decision_targets():
    contract = contract_with_qpv()
    stake = make_stake(contract, title="Réussite au brevet")
    groups = {group.model_label: group for group in decision_target_choices(contract=contract)}
    assert groups["diagnostic.stake"].options == [(f"diagnostic.stake:{stake.pk}", "Réussite au brevet")]


def test_phase_rules_follow_the_three_steps():
    contract = contract_with_qpv()
    pilot = member(contract, Role.PILOT)
    council = make_council(contract)
    resident = council_member(contract, council)
    assert diagnostic_steps_done(contract) is False
    stakes = []
    for pillar in pillars(contract):
        finding_create(
            contract=contract, pillar=pillar, territory=None, kind=FindingKind.STRENGTH, text="Atout.", by=None
        )
        stakes.append(make_stake(contract, pillar=pillar, title=f"Enjeu {pillar.code}"))
    assert diagnostic_steps_done(contract) is False  # not debated yet
    consultation = consult(contract, stakes, [council])
    assert diagnostic_steps_done(contract) is False  # open, no opinion
    consultation_close(consultation=consultation, by=pilot)
    assert diagnostic_steps_done(contract) is False  # closed, but no opinion
    version = consultation.stake_versions.first()
    Consultation.objects.filter(pk=consultation.pk).update(status="open")
    opinion_give(target=version, council=council, author=resident, verdict="agree", contract=contract)
    assert diagnostic_steps_done(contract) is False  # opinion, but still open
    Consultation.objects.filter(pk=consultation.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    assert diagnostic_steps_done(contract) is True
    assert diagnostic_done(contract) is False  # stakes still « soumis »
    first, second, third = stakes
    for stake in (first, second):
        stake.refresh_from_db()
    stake_redefine(stake=first, title="Redéfini", reason="Avis.", by=pilot)
    decision_record(meeting=make_meeting(contract), verdict=Verdict.REJECTED, text="Écarté.", target=second, by=pilot)
    assert diagnostic_done(contract) is False
    decision_record(meeting=make_meeting(contract), verdict=Verdict.VALIDATED, text="Retenu.", target=third, by=pilot)
    third.refresh_from_db()
    assert third.status == StakeStatus.RETAINED
    assert diagnostic_done(contract) is True


def test_home_panel_counts_with_bounded_queries(client, query_count):
    contract = contract_with_qpv()
    pilot = member(contract, Role.PILOT)
    panel = home_panels.get("diagnostic-counts")
    for index, pillar in enumerate(pillars(contract) * 3):
        make_stake(contract, pillar=pillar, title=f"Enjeu {index}")
    with query_count() as queries:
        counts = panel.get_context(contract, None)["counts"]
    assert len(queries) == 4  # pillars, sources, findings, stakes: whatever their number
    assert [row.stakes for row in counts] == [3, 3, 3]
    client.force_login(pilot)
    page = client.get(reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})).content.decode()
    assert "Diagnostic participatif : avancement par pilier" in page
