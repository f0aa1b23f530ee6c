import pytest

from contrat_ville.accounts.tests.factories import OrganizationFactory
from contrat_ville.contracts.enums import Generation
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.selectors import status_history
from contrat_ville.diagnostic.enums import StakeStatus
from contrat_ville.diagnostic.models import StakeVersion
from contrat_ville.diagnostic.selectors import is_stake_validated, retained_stakes, stake_list, stake_validations
from contrat_ville.diagnostic.services.stakes import (
    stake_duplicate_set,
    stake_mainstream_add,
    stake_mainstream_remove,
    stake_redefine,
    stake_update,
)
from contrat_ville.diagnostic.tests.factories import (
    axes,
    consult,
    council_member,
    make_meeting,
    make_stake,
    pillars,
)
from contrat_ville.governance.enums import BodyKind, Verdict
from contrat_ville.governance.services.decisions import decision_record, decision_update

pytestmark = pytest.mark.django_db


def submitted_stake(contract, council, **kwargs):
    stake = make_stake(contract, **kwargs)
    consult(contract, [stake], [council])
    stake.refresh_from_db()
    return stake


def test_stake_create_writes_version_1_with_axes_and_mainstream(contract, pilot):
    caf = OrganizationFactory.create(name="CAF de la Vallée")
    stake = make_stake(
        contract,
        title="Améliorer la réussite au brevet",
        description="Écart de 15 points avec l'agglomération.",
        axes=axes(contract)[:2],
        mainstream=[(caf, "Contrats locaux d'accompagnement à la scolarité")],
        by=pilot,
    )
    assert stake.status == StakeStatus.PROPOSED
    assert stake.version == 1
    version = StakeVersion.objects.get(stake=stake)
    assert version.number == 1
    assert version.title == "Améliorer la réussite au brevet"
    assert [axis["label"] for axis in version.axes] == [axis.label for axis in axes(contract)[:2]]
    assert version.mainstream == [
        {
            "organization_id": caf.pk,
            "organization": str(caf),
            "policy": "Contrats locaux d'accompagnement à la scolarité",
        }
    ]
    assert version.created_by == pilot


def test_stake_create_refuses_a_pillar_of_another_contract(contract):
    other = make_contract(name="Autre contrat")
    with pytest.raises(BusinessRuleError, match="pilier n'appartient pas"):
        make_stake(contract, pillar=pillars(other)[0])


def test_stake_create_requires_a_title(contract):
    with pytest.raises(BusinessRuleError, match="intitulé de l'enjeu est obligatoire"):
        make_stake(contract, title="  ")


def test_update_of_a_proposed_stake_refreshes_its_version_in_place(contract, pilot):
    stake = make_stake(contract)
    stake_update(stake=stake, pillar=stake.pillar, title="Réussite éducative des collégiens", axes=[], by=pilot)
    assert StakeVersion.objects.filter(stake=stake).count() == 1
    assert StakeVersion.objects.get(stake=stake).title == "Réussite éducative des collégiens"


def test_consultation_freezes_the_version_and_text_changes_need_a_redefinition(contract, council, pilot):
    stake = submitted_stake(contract, council)
    assert stake.status == StakeStatus.SUBMITTED
    with pytest.raises(BusinessRuleError, match="redéfinissez l'enjeu"):
        stake_update(stake=stake, pillar=stake.pillar, title="Autre intitulé", by=pilot)
    # The findings it comes from may still be completed.
    stake_update(stake=stake, pillar=stake.pillar, title=stake.title, findings=[], by=pilot)


def test_redefinition_creates_a_new_version_and_keeps_opinions_on_the_old_one(contract, council, pilot):
    from contrat_ville.participation.selectors import opinions_for
    from contrat_ville.participation.services import opinion_give

    stake = submitted_stake(contract, council)
    v1 = StakeVersion.objects.get(stake=stake, number=1)
    resident = council_member(contract, council)
    opinion_give(target=v1, council=council, author=resident, verdict="agree", contract=contract)

    v2 = stake_redefine(
        stake=stake,
        title="Réussite éducative des filles et des garçons",
        description="Avec l'égalité filles-garçons.",
        axes=axes(contract)[:1],
        reason="Le conseil citoyen demande l'égalité filles-garçons.",
        by=pilot,
    )
    stake.refresh_from_db()
    assert stake.status == StakeStatus.REDEFINED
    assert (stake.version, v2.number) == (2, 2)
    assert v2.reason == "Le conseil citoyen demande l'égalité filles-garçons."
    opinions = opinions_for([v1, v2])
    assert len(opinions[v1]) == 1
    assert opinions[v2] == []
    changes = list(status_history(stake))
    assert [(c.from_status, c.to_status) for c in changes] == [
        (StakeStatus.PROPOSED, StakeStatus.SUBMITTED),
        (StakeStatus.SUBMITTED, StakeStatus.REDEFINED),
    ]
    assert changes[-1].changed_by == pilot
    assert "Version 2" in changes[-1].comment


def test_redefinition_requires_a_reason_and_a_submitted_stake(contract, council, pilot):
    stake = make_stake(contract)
    with pytest.raises(BusinessRuleError, match="Seul un enjeu soumis aux conseils citoyens se redéfinit"):
        stake_redefine(stake=stake, title="Nouveau", reason="Parce que.", by=pilot)
    stake = submitted_stake(contract, council, title="Tranquillité")
    with pytest.raises(BusinessRuleError, match="motif de la redéfinition est obligatoire"):
        stake_redefine(stake=stake, title="Tranquillité publique", reason=" ", by=pilot)


def test_redefined_stake_is_submitted_again_in_a_second_round(contract, council, pilot):
    stake = submitted_stake(contract, council)
    stake_redefine(stake=stake, title="Version deux", reason="Avis du conseil.", by=pilot)
    consultation = consult(contract, [stake], [council], title="Second tour")
    stake.refresh_from_db()
    assert stake.status == StakeStatus.SUBMITTED
    assert [version.number for version in consultation.stake_versions.all()] == [2]


def test_mainstream_is_recorded_in_the_current_version_until_submitted(contract, council, pilot):
    stake = make_stake(contract)
    school = OrganizationFactory.create(name="Éducation nationale")
    row = stake_mainstream_add(stake=stake, organization=school, policy="Réseau d'éducation prioritaire", by=pilot)
    assert StakeVersion.objects.get(stake=stake).mainstream[0]["policy"] == "Réseau d'éducation prioritaire"
    stake_mainstream_remove(mainstream=row, by=pilot)
    assert StakeVersion.objects.get(stake=stake).mainstream == []
    with pytest.raises(BusinessRuleError, match="Nommez la politique"):
        stake_mainstream_add(stake=stake, organization=school, policy="", by=pilot)


def test_duplicate_flags_refuse_chains_and_self(contract, pilot):
    first = make_stake(contract, title="Emploi des jeunes")
    second = make_stake(contract, pillar=pillars(contract)[2], title="Chômage des jeunes")
    third = make_stake(contract, title="Insertion des jeunes")
    with pytest.raises(BusinessRuleError, match="doublon de lui-même"):
        stake_duplicate_set(stake=first, duplicate_of=first, by=pilot)
    stake_duplicate_set(stake=second, duplicate_of=first, by=pilot)
    with pytest.raises(BusinessRuleError, match="lui-même signalé comme doublon"):
        stake_duplicate_set(stake=third, duplicate_of=second, by=pilot)
    with pytest.raises(BusinessRuleError, match="D'autres enjeux sont signalés comme doublons"):
        stake_duplicate_set(stake=first, duplicate_of=third, by=pilot)
    stake_duplicate_set(stake=second, duplicate_of=None, by=pilot)
    second.refresh_from_db()
    assert second.duplicate_of is None


# --- the steering committee's decision (on_decision hook) -----------------------------------------------


@pytest.mark.parametrize(
    ("verdict", "expected"),
    [
        (Verdict.VALIDATED, StakeStatus.RETAINED),
        (Verdict.VALIDATED_WITH_AMENDMENTS, StakeStatus.RETAINED),
        (Verdict.REJECTED, StakeStatus.REJECTED),
        (Verdict.POSTPONED, StakeStatus.SUBMITTED),
    ],
)
def test_copil_decision_retains_or_rejects_the_stake(contract, council, pilot, verdict, expected):
    stake = submitted_stake(contract, council)
    decision_record(
        meeting=make_meeting(contract), verdict=verdict, text="Le comité se prononce.", target=stake, by=pilot
    )
    stake.refresh_from_db()
    assert stake.status == expected
    assert is_stake_validated(stake) is (expected == StakeStatus.RETAINED)


def test_decision_correction_moves_the_stake_and_is_recorded(contract, council, pilot):
    stake = submitted_stake(contract, council)
    decision = decision_record(
        meeting=make_meeting(contract), verdict=Verdict.VALIDATED, text="Retenu.", target=stake, by=pilot
    )
    decision_update(decision=decision, verdict=Verdict.REJECTED, text="Écarté.", is_published=False, by=pilot)
    stake.refresh_from_db()
    assert stake.status == StakeStatus.REJECTED
    last = list(status_history(stake))[-1]
    assert (last.from_status, last.to_status, last.changed_by) == (StakeStatus.RETAINED, StakeStatus.REJECTED, pilot)
    assert "Écarté par « Comité de pilotage »" in last.comment


def test_copil_cannot_decide_a_stake_never_debated_and_the_decision_is_refused(contract, pilot):
    """R13-R14 for a 2015 contract: the stakes are debated with the conseils citoyens before the committee decides."""
    from contrat_ville.governance.models import Decision

    Contract.objects.filter(pk=contract.pk).update(generation=Generation.G2015)
    contract.refresh_from_db()
    stake = make_stake(contract)
    with pytest.raises(BusinessRuleError, match="pas encore été mis en débat avec les conseils citoyens"):
        decision_record(
            meeting=make_meeting(contract), verdict=Verdict.VALIDATED, text="Validé.", target=stake, by=pilot
        )
    assert not Decision.objects.exists()
    stake.refresh_from_db()
    assert stake.status == StakeStatus.PROPOSED


def test_a_2024_contract_may_decide_a_stake_its_own_participation_format_debated(contract, pilot):
    """The 2024 generation leaves the form of participation to the contract: no consultation is required first."""
    stake = make_stake(contract)
    decision = decision_record(
        meeting=make_meeting(contract), verdict=Verdict.VALIDATED, text="Retenu.", target=stake, by=pilot
    )
    stake.refresh_from_db()
    assert stake.status == StakeStatus.RETAINED
    decision_update(decision=decision, verdict=Verdict.POSTPONED, text="Ajourné.", is_published=False, by=pilot)
    stake.refresh_from_db()
    assert stake.status == StakeStatus.PROPOSED


def test_decisions_of_other_bodies_do_not_change_the_stake(contract, council, pilot):
    stake = submitted_stake(contract, council)
    meeting = make_meeting(contract, kind=BodyKind.TECHNICAL_COMMITTEE, title="COTECH")
    decision_record(meeting=meeting, verdict=Verdict.VALIDATED, text="Avis favorable.", target=stake, by=pilot)
    stake.refresh_from_db()
    assert stake.status == StakeStatus.SUBMITTED


def test_retained_stake_no_longer_changes(contract, council, pilot):
    stake = submitted_stake(contract, council)
    decision_record(meeting=make_meeting(contract), verdict=Verdict.VALIDATED, text="Retenu.", target=stake, by=pilot)
    stake.refresh_from_db()
    with pytest.raises(BusinessRuleError, match="retenu par le comité de pilotage : il ne se modifie plus"):
        stake_update(stake=stake, pillar=stake.pillar, title="Changé", by=pilot)
    with pytest.raises(BusinessRuleError, match="ne se soumet plus"):
        consult(contract, [stake], [council])


def test_selectors_for_strategy(contract, council, pilot):
    kept = submitted_stake(contract, council, title="Sécurité des habitants", pillar=pillars(contract)[1])
    make_stake(contract, title="Encore proposé")
    decision_record(meeting=make_meeting(contract), verdict=Verdict.VALIDATED, text="Retenu.", target=kept, by=pilot)
    assert list(retained_stakes(contract=contract)) == [kept]
    assert list(stake_list(contract=contract, pillar=pillars(contract)[1])) == [kept]
    assert [s.title for s in stake_list(contract=contract, status=[StakeStatus.PROPOSED])] == ["Encore proposé"]
    validations = stake_validations(stake_list(contract=contract))
    assert validations[kept.pk] is not None
    assert sum(1 for decision in validations.values() if decision is None) == 1
