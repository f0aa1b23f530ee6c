"""Deleting and archiving data sources, findings and stakes (issue 10 §6): what nothing cites is deleted after a
confirmation; what is cited, debated or decided is archived — it leaves the lists and the forms, its page stays —
and both are recorded in its history."""

from html import unescape

import pytest
from django.test import Client

from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.diagnostic.enums import FindingKind
from contrat_ville.diagnostic.forms.inventory import FindingForm
from contrat_ville.diagnostic.forms.stakes import StakeForm
from contrat_ville.diagnostic.models import DataSource, Finding, Stake
from contrat_ville.diagnostic.selectors.inventory import data_source_list, finding_list
from contrat_ville.diagnostic.selectors.stakes import stake_list
from contrat_ville.diagnostic.services.inventory import data_source_create, finding_create
from contrat_ville.diagnostic.services.stakes import stake_archive, stake_delete
from contrat_ville.diagnostic.tests.factories import consult, make_meeting, make_stake, member, pillars, url
from contrat_ville.diagnostic.tests.test_api import bearer
from contrat_ville.governance.enums import Verdict
from contrat_ville.governance.services.decisions import decision_record

pytestmark = pytest.mark.django_db


def text(response):
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(response.content.decode()).split())


def make_source(contract, dataset="Filosofi"):
    return data_source_create(contract=contract, pillar=None, producer="INSEE", dataset=dataset, by=None)


def make_finding(contract, sources=(), text="Un collégien sur trois sans le brevet."):
    return finding_create(
        contract=contract,
        pillar=pillars(contract)[0],
        territory=None,
        kind=FindingKind.HANDICAP,
        text=text,
        data_sources=list(sources),
        by=None,
    )


def test_a_cited_source_is_archived_not_deleted_and_stays_on_the_findings_that_cite_it(client, contract, pilot):
    cited = make_source(contract, "Filosofi")
    other = make_source(contract, "RP")
    finding = make_finding(contract, [cited])
    client.force_login(pilot)
    refused = text(client.post(url("source_delete", contract, source_id=cited.pk)))
    assert "est utilisé (1 constat)" in refused
    assert DataSource.objects.filter(pk=cited.pk).exists()

    response = client.post(url("source_archive", contract, source_id=cited.pk), follow=True)
    assert "archivée : les constats qui la citent la gardent" in text(response)
    cited.refresh_from_db()
    assert cited.archived_on is not None
    assert cited.history.first().history_user == pilot
    assert list(data_source_list(contract=contract)) == [other]
    assert "Filosofi" in text(client.get(url("finding_detail", contract, finding_id=finding.pk)))
    # The finding's form keeps the archived source it cites; a new finding is not offered it.
    editing = FindingForm(contract=contract, initial={"data_sources": [cited.pk]})
    assert set(editing.fields["data_sources"].queryset) == {cited, other}
    assert set(FindingForm(contract=contract).fields["data_sources"].queryset) == {other}

    assert client.post(url("source_delete", contract, source_id=other.pk)).status_code == 302
    assert not DataSource.objects.filter(pk=other.pk).exists()
    assert DataSource.history.filter(id=other.pk, history_type="-", history_user=pilot).exists()


def test_a_finding_a_stake_derives_from_is_archived_and_leaves_the_lists(client, contract, pilot):
    finding = make_finding(contract)
    lone = make_finding(contract, text="Une offre de soins fragile.")
    stake = make_stake(contract, findings=[finding])
    client.force_login(pilot)
    assert "est utilisé (1 enjeu)" in text(client.post(url("finding_delete", contract, finding_id=finding.pk)))
    client.post(url("finding_archive", contract, finding_id=finding.pk))
    finding.refresh_from_db()
    assert finding.archived_on is not None
    assert list(finding_list(contract=contract)) == [lone]
    assert "Archivé le" in text(client.get(url("finding_detail", contract, finding_id=finding.pk)))
    assert "brevet" in text(client.get(url("stake_detail", contract, stake_id=stake.pk)))
    assert set(StakeForm(contract=contract, initial={"findings": [finding.pk]}).fields["findings"].queryset) == {
        finding,
        lone,
    }
    assert client.post(url("finding_delete", contract, finding_id=lone.pk)).status_code == 302
    assert not Finding.objects.filter(pk=lone.pk).exists()


def test_a_stake_is_deleted_only_while_nothing_debated_decided_or_cited_it(contract, pilot, council):
    mistaken = make_stake(contract, title="Erreur de saisie")
    stake_id = mistaken.pk
    stake_delete(stake=mistaken, by=pilot)
    assert not Stake.objects.filter(pk=stake_id).exists()
    assert Stake.history.filter(id=stake_id, history_type="-", history_user=pilot).exists()

    debated = make_stake(contract, title="Débattu")
    consult(contract, [debated], [council])
    with pytest.raises(BusinessRuleError, match="soumis aux conseils citoyens"):
        stake_delete(stake=debated, by=pilot)

    decided = make_stake(contract, title="Décidé")
    decision_record(
        meeting=make_meeting(contract), verdict=Verdict.VALIDATED, text="Retenu.", target=decided, by=pilot
    )
    with pytest.raises(BusinessRuleError, match="décision"):
        stake_delete(stake=decided, by=pilot)

    stake_archive(stake=decided, on=decided.created_at.date(), by=pilot)
    assert decided.pk not in {stake.pk for stake in stake_list(contract=contract)}
    assert decided.pk in {stake.pk for stake in stake_list(contract=contract, with_archived=True)}


def test_the_stake_page_offers_deletion_and_archive_to_the_pilot_only(client, contract, pilot):
    stake = make_stake(contract)
    client.force_login(pilot)
    page = text(client.get(url("stake_detail", contract, stake_id=stake.pk)))
    assert "Supprimer l'enjeu" in page and "Archiver l'enjeu" in page
    assert "Supprimer l'enjeu « Réussite éducative »" in text(
        client.get(url("stake_delete", contract, stake_id=stake.pk))
    )
    partner = member(contract, Role.PARTNER)
    client.force_login(partner)
    assert "Archiver l'enjeu" not in text(client.get(url("stake_detail", contract, stake_id=stake.pk)))
    assert client.post(url("stake_archive", contract, stake_id=stake.pk)).status_code == 403
    assert client.post(url("stake_delete", contract, stake_id=stake.pk)).status_code == 403
    client.force_login(pilot)
    response = client.post(url("stake_archive", contract, stake_id=stake.pk), follow=True)
    assert "Archivé le" in text(response)
    assert "Réussite éducative" not in text(client.get(url("stake_list", contract)))


def test_the_api_deletes_or_archives_a_stake_with_the_same_rules(contract, pilot, council):
    def api(stake, suffix=""):
        return f"/api/v1/contracts/{contract.pk}/stakes/{stake.pk}{suffix}"

    mistaken = make_stake(contract, title="Erreur")
    debated = make_stake(contract, title="Débattu")
    consult(contract, [debated], [council])
    client = Client()
    headers = bearer(pilot)
    assert client.delete(api(mistaken)).status_code == 401
    partner = member(contract, Role.PARTNER)
    assert client.delete(api(mistaken), headers=bearer(partner)).status_code == 403
    assert client.post(api(debated, "/archive"), headers=bearer(partner)).status_code == 403
    assert (
        client.delete(api(mistaken), headers=bearer(member(make_contract(name="Autre"), Role.PILOT))).status_code
        == 404
    )
    refused = client.delete(api(debated), headers=headers)
    assert refused.status_code == 422
    assert (
        refused.json()["detail"]
        == "« Débattu » a été soumis aux conseils citoyens : il ne peut pas être supprimé, archivez-le."
    )
    assert client.delete(api(mistaken), headers=headers).status_code == 204
    assert not Stake.objects.filter(title="Erreur").exists()
    assert client.post(api(debated, "/archive"), headers=headers).status_code == 204
    again = client.post(api(debated, "/archive"), headers=headers)
    assert (again.status_code, again.json()["detail"]) == (422, "« Débattu » est déjà archivé.")
    listed = client.get(f"/api/v1/contracts/{contract.pk}/stakes", headers=headers).json()
    assert debated.pk not in [item["id"] for item in listed]
