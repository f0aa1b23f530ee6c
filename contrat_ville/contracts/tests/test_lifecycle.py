"""A contract's life (issue 10 §1-2): opening its space, completing it, signature, statuses, avenants, its structure
as it stood at any date, its pillars and axes."""

from __future__ import annotations

from datetime import date

import pytest

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import AmendmentChangeKind, ContractStatus, Generation, SignatoryKind
from contrat_ville.contracts.models import Pillar
from contrat_ville.contracts.permissions import can_open_contract_space
from contrat_ville.contracts.selectors import contract_structure_as_of, signature_warnings, term_rows
from contrat_ville.contracts.services import (
    AmendmentChanges,
    amendment_create,
    contract_create,
    contract_set_communes,
    contract_set_qpvs,
    contract_set_status,
    contract_sign,
    contract_update,
    signatory_add,
    term_archive,
    term_create,
    term_delete,
    term_update,
    terms_reorder,
)
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.selectors import status_history
from contrat_ville.territories.selectors import departement_codes_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(territory):
    return contract_create(name="Contrat de ville de Rennes Métropole", epci=territory["epci"], generation="2024")


def test_opening_a_space_seeds_the_structure_and_the_communes(contract, territory):
    assert contract.slug == "contrat-de-ville-de-rennes-metropole"
    assert [pillar.code for pillar in contract.pillars.all()] == [
        "cohesion_sociale",
        "cadre_de_vie",
        "developpement_economique",
    ]
    assert contract.axes.count() == 3
    assert set(contract.communes.all()) == {territory["rennes"], territory["bruz"]}
    assert (contract.start_on, contract.end_on) == (date(2024, 1, 1), date(2030, 12, 31))
    again = contract_create(name="Contrat de ville de Rennes Métropole", epci=territory["epci"], generation="2024")
    assert again.slug == "contrat-de-ville-de-rennes-metropole-2"


def test_a_contract_is_opened_for_an_epci_only(territory):
    with pytest.raises(BusinessRuleError, match="intercommunalité"):
        contract_create(name="Contrat", epci=territory["rennes"], generation="2024")


def test_who_may_open_a_contract_space(territory):
    codes = departement_codes_of(epci=territory["epci"])
    assert codes == {"35"}
    prefecture_35 = OrganizationFactory.create(kind=OrganizationKind.STATE_SERVICE, departement_code="35")
    prefecture_29 = OrganizationFactory.create(kind=OrganizationKind.STATE_SERVICE, departement_code="29")
    association_35 = OrganizationFactory.create(kind=OrganizationKind.ASSOCIATION, departement_code="35")
    assert can_open_contract_space(UserFactory(is_staff=True), codes)
    assert can_open_contract_space(UserFactory(organization=prefecture_35), codes)
    assert not can_open_contract_space(UserFactory(organization=prefecture_29), codes)
    assert not can_open_contract_space(UserFactory(organization=association_35), codes)
    assert not can_open_contract_space(UserFactory(), None)


def test_qpvs_are_of_the_generation_and_inside_the_epci(contract, territory):
    contract_set_qpvs(contract=contract, qpvs=[territory["maurepas"]])
    assert list(contract.qpvs.all()) == [territory["maurepas"]]
    with pytest.raises(BusinessRuleError, match="ne se trouve dans aucune commune"):
        contract_set_qpvs(contract=contract, qpvs=[territory["brest_qpv"]])
    with pytest.raises(BusinessRuleError, match="géographie prioritaire 2015"):
        contract_set_qpvs(contract=contract, qpvs=[territory["old_qpv"]])
    with pytest.raises(BusinessRuleError, match="n'est pas une commune de l'intercommunalité"):
        contract_set_communes(contract=contract, communes=[territory["elsewhere"]])


def test_the_pilot_names_the_levels_of_the_tree_and_completes_the_contract(contract):
    contract_update(
        contract=contract,
        name="Engagements Quartiers 2030 — Rennes",
        summary="Le contrat de la métropole.",
        start_on=date(2024, 1, 1),
        end_on=date(2030, 12, 31),
        anct_code="CV-035-01",
        framework_agreement_on=date(2023, 10, 12),
        pillar_term="défi",
        pillar_term_plural="défis",
        orientation_term="orientation",
        objective_term="objectif",
        action_term="fiche action",
    )
    contract.refresh_from_db()
    assert (contract.pillar_term, contract.pillar_term_plural, contract.action_term) == (
        "défi",
        "défis",
        "fiche action",
    )
    assert contract.anct_code == "CV-035-01"
    with pytest.raises(BusinessRuleError, match="Nommez chaque niveau"):
        contract_update(
            contract=contract,
            name=contract.name,
            summary="",
            start_on=contract.start_on,
            end_on=contract.end_on,
            pillar_term=" ",
            pillar_term_plural="défis",
            orientation_term="orientation",
            objective_term="objectif",
            action_term="action",
        )


def test_pillars_and_axes_are_added_renamed_reordered_archived_or_deleted_before_signature(contract):
    vrc = term_create(contract=contract, kind="pillar", label="Valeurs de la République et citoyenneté")
    for label in ("Santé", "Numérique", "Transition écologique"):
        term_create(contract=contract, kind="axis", label=label)
    assert contract.axes.current().count() == 6
    with pytest.raises(BusinessRuleError, match="déjà"):
        term_create(contract=contract, kind="axis", label="santé")
    term_update(term=vrc, label="Citoyenneté", slogan="Faire vivre la République")
    vrc.refresh_from_db()
    assert (vrc.label, vrc.slogan, vrc.history.count()) == ("Citoyenneté", "Faire vivre la République", 2)
    terms_reorder(contract=contract, kind="pillar", ordered_ids=[vrc.pk])
    assert contract.pillars.order_by("order").first() == vrc
    term_delete(term=vrc)
    assert not Pillar.objects.filter(pk=vrc.pk).exists()
    axis = contract.axes.get(label="Santé")
    term_archive(term=axis, on=date(2024, 6, 1))
    assert axis not in contract.axes.current()
    assert [row.term.label for row in term_rows(contract=contract, kind="axis")][-1] == "Santé"


def test_signature_then_statuses_with_history(contract):
    state = OrganizationFactory.create(kind=OrganizationKind.STATE_SERVICE, name="Préfecture d'Ille-et-Vilaine")
    epci_org = OrganizationFactory.create(kind=OrganizationKind.LOCAL_AUTHORITY, name="Rennes Métropole")
    prefect = signatory_add(contract=contract, organization=state, kind=SignatoryKind.STATE)
    president = signatory_add(contract=contract, organization=epci_org, kind=SignatoryKind.EPCI)
    assert any("les communes concernées" in warning for warning in signature_warnings(contract=contract))
    with pytest.raises(BusinessRuleError, match="Enregistrez la signature"):
        contract_set_status(contract=contract, status=ContractStatus.SIGNED)
    contract_sign(
        contract=contract,
        signed_on=date(2024, 3, 29),
        signatures={prefect.pk: ("La préfète", None), president.pk: ("La présidente", date(2024, 4, 2))},
    )
    contract.refresh_from_db()
    president.refresh_from_db()
    assert (contract.status, contract.signed_on) == (ContractStatus.SIGNED, date(2024, 3, 29))
    assert (president.signed_by, president.signed_on) == ("La présidente", date(2024, 4, 2))
    contract_set_status(contract=contract, status=ContractStatus.IN_FORCE)
    with pytest.raises(BusinessRuleError, match="Passage impossible"):
        contract_set_status(contract=contract, status=ContractStatus.IN_PREPARATION)
    assert [change.to_status for change in status_history(contract)] == [
        ContractStatus.SIGNED,
        ContractStatus.IN_FORCE,
    ]
    with pytest.raises(BusinessRuleError, match="un avenant"):
        term_create(contract=contract, kind="pillar", label="Valeurs de la République")


def _signed(contract):
    state = OrganizationFactory.create(kind=OrganizationKind.STATE_SERVICE)
    prefect = signatory_add(contract=contract, organization=state, kind=SignatoryKind.STATE)
    contract_sign(contract=contract, signed_on=date(2024, 3, 29), signatures={prefect.pk: ("Le préfet", None)})
    contract_set_status(contract=contract, status=ContractStatus.IN_FORCE)
    contract.refresh_from_db()
    return contract


def test_an_amendment_adds_a_pillar_and_extends_the_contract_and_the_past_structure_is_kept(contract, territory):
    contract_set_qpvs(contract=contract, qpvs=[territory["maurepas"]])
    contract = _signed(contract)
    region = OrganizationFactory.create(kind=OrganizationKind.LOCAL_AUTHORITY, name="Région Bretagne")
    first = amendment_create(
        contract=contract,
        title="Avenant « valeurs de la République »",
        signed_on=date(2025, 6, 30),
        changes=AmendmentChanges(
            pillars_added=[("Valeurs de la République et citoyenneté", "")],
            axes_archived=[contract.axes.get(code="jeunesse")],
            qpvs_removed=[territory["maurepas"]],
            signatories_added=[(region, SignatoryKind.REGION)],
        ),
    )
    second = amendment_create(
        contract=contract,
        title="Prorogation",
        signed_on=date(2026, 12, 1),
        changes=AmendmentChanges(new_end_on=date(2031, 12, 31)),
    )
    contract.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert contract.status == ContractStatus.EXTENDED
    assert contract.end_on == date(2031, 12, 31)
    assert {change.kind for change in first.changes.all()} == {
        AmendmentChangeKind.PILLAR_ADDED,
        AmendmentChangeKind.AXIS_ARCHIVED,
        AmendmentChangeKind.QPV_REMOVED,
        AmendmentChangeKind.SIGNATORY_ADDED,
    }
    today = contract_structure_as_of(contract=contract, day=date(2027, 1, 1))
    assert len(today.pillars) == 4 and len(today.axes) == 2 and today.qpvs == [] and len(today.signatories) == 2
    assert today.end_on == date(2031, 12, 31)
    at_signature = contract_structure_as_of(contract=contract, day=date(2024, 4, 1))
    assert [pillar.label for pillar in at_signature.pillars] == [
        "Cohésion sociale",
        "Cadre de vie et renouvellement urbain",
        "Développement économique et emploi",
    ]
    assert len(at_signature.axes) == 3
    assert at_signature.qpvs == [territory["maurepas"]]
    assert len(at_signature.signatories) == 1
    assert at_signature.end_on == date(2030, 12, 31)
    assert at_signature.amendments == []
    between = contract_structure_as_of(contract=contract, day=date(2026, 1, 1))
    assert (len(between.pillars), between.end_on, between.amendments) == (4, date(2030, 12, 31), [first])


def test_an_amendment_needs_a_signed_contract(contract):
    with pytest.raises(BusinessRuleError, match="contrat signé"):
        amendment_create(contract=contract, title="Avenant", signed_on=date(2025, 1, 1))


def test_a_2015_contract_takes_2015_qpvs(territory):
    contract = contract_create(name="Contrat 2015", epci=territory["epci"], generation=Generation.G2015)
    contract_set_qpvs(contract=contract, qpvs=[territory["old_qpv"]])
    assert contract.end_on == date(2023, 12, 31)
