"""API of the data inventory and the état des lieux, and the stakes' edits (issue 10 §7): list, create, update,
delete or archive data sources and findings, cite indicators, correct or redefine a stake, its droit commun, its
duplicate flag — the same services, permissions and French messages as the pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from contrat_ville.accounts.tests.factories import OrganizationFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.diagnostic.enums import FindingKind
from contrat_ville.diagnostic.models import DataSource, Finding, FindingEvidence, MainstreamPolicy
from contrat_ville.diagnostic.services.inventory import data_source_create, finding_create
from contrat_ville.diagnostic.tests.factories import axes, consult, make_meeting, make_stake, member, pillars
from contrat_ville.diagnostic.tests.test_api import BASE, bearer
from contrat_ville.governance.enums import Verdict
from contrat_ville.governance.services.decisions import decision_record
from contrat_ville.observation.models import Indicator

pytestmark = pytest.mark.django_db


def send(method: str, path: str, payload: Any = None, headers: dict[str, str] | None = None) -> Any:
    call = getattr(Client(), method)
    if payload is None:
        return call(path, headers=headers or {})
    return call(path, payload, content_type="application/json", headers=headers or {})


@pytest.fixture
def outsider():
    return member(make_contract(name="Autre contrat"), Role.PILOT)


def make_source(contract: Any, **kwargs: Any) -> DataSource:
    return data_source_create(
        contract=contract,
        pillar=kwargs.pop("pillar", pillars(contract)[0]),
        producer=kwargs.pop("producer", "INSEE"),
        dataset=kwargs.pop("dataset", "Filosofi"),
        by=None,
        **kwargs,
    )


def make_finding(contract: Any, sources: list[DataSource] | None = None) -> Finding:
    return finding_create(
        contract=contract,
        pillar=pillars(contract)[0],
        territory=None,
        kind=FindingKind.HANDICAP,
        text="Un taux de pauvreté deux fois supérieur à celui de l'agglomération.",
        data_sources=sources or [],
        by=None,
    )


def test_data_source_list_and_create_answer_200_201_401_403_404_422_in_french(contract, pilot, resident, outsider):
    make_source(contract, pillar=pillars(contract)[1], dataset="Revenus")
    url = f"{BASE}/{contract.pk}/data-sources"
    listed = send("get", url, headers=bearer(resident))
    assert (listed.status_code, [item["dataset"] for item in listed.json()]) == (200, ["Revenus"])
    assert send("get", url, headers=bearer(outsider)).status_code == 404
    assert send("get", url, {"pillar": pillars(contract)[0].code}, bearer(pilot)).json() == []

    payload = {"pillar": pillars(contract)[0].code, "producer": "CAF", "dataset": "Allocataires", "year": 2022}
    assert send("post", url, payload).status_code == 401
    refused = send("post", url, payload, bearer(resident))
    assert (refused.status_code, refused.json()["detail"]) == (
        403,
        "Seuls le pilote, l'État et les partenaires des groupes de travail rédigent le diagnostic.",
    )
    assert send("post", url, payload, bearer(outsider)).status_code == 404
    for wrong, message in (
        ({"pillar": "inconnu"}, "Ce contrat n'a pas de pilier « inconnu »."),
        ({"year": 1900}, "L'année doit être comprise entre 1950 et 2100."),
        ({"producer": " "}, "Le producteur est obligatoire."),
    ):
        answer = send("post", url, {**payload, **wrong}, bearer(pilot))
        assert (answer.status_code, answer.json()["detail"]) == (422, message)
    too_long = send("post", url, {**payload, "dataset": "x" * 256}, bearer(pilot))
    assert too_long.status_code == 422
    assert "dataset" in too_long.json()["errors"][0]["location"]

    created = send("post", url, {**payload, "pillar": None}, bearer(pilot))
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["pillar"], body["producer"], body["year"]) == (None, "CAF", 2022)
    assert DataSource.objects.get(pk=body["id"]).history.first().history_user == pilot


def test_data_source_update_delete_and_archive(contract, pilot, resident, outsider):
    source = make_source(contract)
    cited = make_source(contract, dataset="Cité")
    make_finding(contract, [cited])
    url = f"{BASE}/{contract.pk}/data-sources/{source.pk}"
    payload = {"pillar": pillars(contract)[2].code, "producer": "Bailleur", "dataset": "Occupation", "level": "QPV"}
    assert send("put", url, payload).status_code == 401
    assert send("put", url, payload, bearer(resident)).status_code == 403
    assert send("put", url, payload, bearer(outsider)).status_code == 404
    assert send("put", f"{BASE}/{contract.pk}/data-sources/999999", payload, bearer(pilot)).status_code == 404
    updated = send("put", url, payload, bearer(pilot))
    assert updated.status_code == 200, updated.content
    assert (updated.json()["pillar"], updated.json()["level"]) == (pillars(contract)[2].code, "QPV")

    cited_url = f"{BASE}/{contract.pk}/data-sources/{cited.pk}"
    refused = send("delete", cited_url, headers=bearer(pilot))
    assert refused.status_code == 422
    assert "archivez" in refused.json()["detail"]
    assert send("delete", url, headers=bearer(resident)).status_code == 403
    assert send("delete", url, headers=bearer(pilot)).status_code == 204
    assert not DataSource.objects.filter(pk=source.pk).exists()
    assert send("post", f"{cited_url}/archive", {}, bearer(outsider)).status_code == 404
    assert send("post", f"{cited_url}/archive", {}, bearer(pilot)).status_code == 204
    assert send("get", f"{BASE}/{contract.pk}/data-sources", headers=bearer(pilot)).json() == []


def test_finding_list_detail_and_create(contract, pilot, resident, outsider):
    source = make_source(contract)
    qpv = contract.qpvs.get()
    url = f"{BASE}/{contract.pk}/findings"
    payload = {
        "pillar": pillars(contract)[0].code,
        "territory": qpv.code,
        "kind": "strength",
        "text": "Un tissu associatif dense.",
        "data_source_ids": [source.pk],
    }
    assert send("post", url, payload).status_code == 401
    assert send("post", url, payload, bearer(resident)).status_code == 403
    assert send("post", url, payload, bearer(outsider)).status_code == 404
    for wrong, message in (
        ({"territory": "QN000"}, "Ce contrat n'a pas de quartier prioritaire de code « QN000 »."),
        ({"data_source_ids": [999999]}, "Une source citée n'existe pas dans ce contrat, ou elle est archivée."),
        ({"text": "  "}, "Le constat est obligatoire."),
    ):
        answer = send("post", url, {**payload, **wrong}, bearer(pilot))
        assert (answer.status_code, answer.json()["detail"]) == (422, message)
    assert send("post", url, {**payload, "kind": "autre"}, bearer(pilot)).status_code == 422

    created = send("post", url, payload, bearer(pilot))
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["territory"], body["kind_label"], body["data_source_ids"]) == (
        {"code": qpv.code, "name": qpv.name},
        "atout / ressource",
        [source.pk],
    )
    detail = send("get", f"{url}/{body['id']}", headers=bearer(resident))
    assert (detail.status_code, detail.json()["text"]) == (200, "Un tissu associatif dense.")
    assert send("get", f"{url}/{body['id']}", headers=bearer(outsider)).status_code == 404
    assert [item["id"] for item in send("get", url, headers=bearer(resident)).json()] == [body["id"]]


def test_finding_update_delete_and_archive(contract, pilot, resident, outsider):
    archived_source = make_source(contract, dataset="Ancienne")
    finding = make_finding(contract, [archived_source])
    send("post", f"{BASE}/{contract.pk}/data-sources/{archived_source.pk}/archive", {}, bearer(pilot))
    url = f"{BASE}/{contract.pk}/findings/{finding.pk}"
    payload = {
        "pillar": pillars(contract)[1].code,
        "kind": "handicap",
        "text": "Un taux de chômage élevé.",
        "data_source_ids": [archived_source.pk],
    }
    assert send("put", url, payload).status_code == 401
    assert send("put", url, payload, bearer(resident)).status_code == 403
    assert send("put", url, payload, bearer(outsider)).status_code == 404
    updated = send("put", url, payload, bearer(pilot))
    assert updated.status_code == 200, updated.content
    assert (updated.json()["pillar"], updated.json()["territory"], updated.json()["data_source_ids"]) == (
        pillars(contract)[1].code,
        None,
        [archived_source.pk],
    )

    make_stake(contract, findings=[finding])
    refused = send("delete", url, headers=bearer(pilot))
    assert refused.status_code == 422
    assert "archivez" in refused.json()["detail"]
    assert send("post", f"{url}/archive", {}, bearer(resident)).status_code == 403
    assert send("post", f"{url}/archive", {}, bearer(pilot)).status_code == 204
    assert send("get", f"{BASE}/{contract.pk}/findings", headers=bearer(pilot)).json() == []
    unused = make_finding(contract)
    assert send("delete", f"{BASE}/{contract.pk}/findings/{unused.pk}", headers=bearer(pilot)).status_code == 204
    assert not Finding.objects.filter(pk=unused.pk).exists()


def test_stake_update_answers_200_401_403_404_422_in_french(contract, pilot, resident, council, outsider):
    finding = make_finding(contract)
    stake = make_stake(contract)
    url = f"{BASE}/{contract.pk}/stakes/{stake.pk}"
    payload = {
        "pillar": pillars(contract)[1].code,
        "title": "Réussite éducative des filles et des garçons",
        "axes": [axes(contract)[0].code],
        "finding_ids": [finding.pk],
    }
    assert send("put", url, payload).status_code == 401
    assert send("put", url, payload, bearer(resident)).status_code == 403
    assert send("put", url, payload, bearer(outsider)).status_code == 404
    assert send("put", url, {**payload, "finding_ids": [999999]}, bearer(pilot)).status_code == 422
    updated = send("put", url, payload, bearer(pilot))
    assert updated.status_code == 200, updated.content
    body = updated.json()
    assert (body["title"], body["pillar"], body["finding_ids"], body["version"]) == (
        "Réussite éducative des filles et des garçons",
        pillars(contract)[1].code,
        [finding.pk],
        1,
    )

    consult(contract, [stake], [council])
    frozen = send("put", url, {**payload, "title": "Autre texte"}, bearer(pilot))
    assert frozen.status_code == 422
    assert "redéfinissez l'enjeu" in frozen.json()["detail"]
    stake.refresh_from_db()
    decision_record(meeting=make_meeting(contract), verdict=Verdict.VALIDATED, text="Retenu.", target=stake, by=pilot)
    decided = send("put", url, payload, bearer(pilot))
    assert (decided.status_code, decided.json()["detail"]) == (
        422,
        "L'enjeu est retenu par le comité de pilotage : il ne se modifie plus.",
    )


def test_finding_cites_and_drops_an_indicator(contract, pilot, resident, outsider):
    finding = make_finding(contract)
    indicator = Indicator.objects.create(code="pauvrete", label="Taux de pauvreté", theme="cohesion_sociale", unit="%")
    url = f"{BASE}/{contract.pk}/findings/{finding.pk}/evidence"
    payload = {"indicator_code": "pauvrete", "territory_code": contract.epci.code, "period": 2021}
    assert send("post", url, payload).status_code == 401
    assert send("post", url, payload, bearer(resident)).status_code == 403
    assert send("post", url, payload, bearer(outsider)).status_code == 404
    unknown = send("post", url, {**payload, "indicator_code": "inconnu"}, bearer(pilot))
    assert (unknown.status_code, unknown.json()["detail"]) == (422, "Indicateur inconnu : « inconnu ».")
    elsewhere = send("post", url, {**payload, "territory_code": "99999"}, bearer(pilot))
    assert elsewhere.status_code == 422
    assert "ni l'intercommunalité du contrat" in elsewhere.json()["detail"]
    assert send("post", url, {**payload, "period": 1900}, bearer(pilot)).status_code == 422
    created = send("post", url, payload, bearer(pilot))
    assert created.status_code == 201, created.content
    (evidence,) = created.json()["evidence"]
    assert (evidence["indicator_code"], evidence["territory_code"], evidence["period"]) == (
        "pauvrete",
        contract.epci.code,
        2021,
    )
    twice = send("post", url, payload, bearer(pilot))
    assert (twice.status_code, twice.json()["detail"]) == (
        422,
        "Ce constat cite déjà cet indicateur pour ce territoire et cette année.",
    )
    assert send("delete", f"{url}/{evidence['id']}", headers=bearer(resident)).status_code == 403
    assert send("delete", f"{url}/{evidence['id']}", headers=bearer(pilot)).status_code == 204
    assert not FindingEvidence.objects.filter(finding=finding, indicator=indicator).exists()
    assert send("delete", f"{url}/{evidence['id']}", headers=bearer(pilot)).status_code == 404


def test_stake_is_redefined_after_the_councils_opinions(contract, pilot, resident, council, outsider):
    stake = make_stake(contract)
    url = f"{BASE}/{contract.pk}/stakes/{stake.pk}/redefine"
    payload = {"title": "Réussite éducative de tous", "axes": [axes(contract)[0].code], "reason": "Avis du conseil."}
    assert send("post", url, payload).status_code == 401
    assert send("post", url, payload, bearer(resident)).status_code == 403
    assert send("post", url, payload, bearer(outsider)).status_code == 404
    not_submitted = send("post", url, payload, bearer(pilot))
    assert not_submitted.status_code == 422
    assert not_submitted.json()["detail"].startswith("Seul un enjeu soumis aux conseils citoyens se redéfinit")
    consult(contract, [stake], [council])
    no_reason = send("post", url, {**payload, "reason": " "}, bearer(pilot))
    assert (no_reason.status_code, no_reason.json()["detail"]) == (422, "Le motif de la redéfinition est obligatoire.")
    redefined = send("post", url, payload, bearer(pilot))
    assert redefined.status_code == 200, redefined.content
    body = redefined.json()
    assert (body["status"], body["version"], body["versions"][-1]["reason"]) == ("redefined", 2, "Avis du conseil.")


def test_stake_mainstream_and_duplicate(contract, pilot, resident, outsider):
    caf = OrganizationFactory.create(name="CAF")
    stake = make_stake(contract)
    url = f"{BASE}/{contract.pk}/stakes/{stake.pk}/mainstream"
    payload = {"organization_id": caf.pk, "policy": "CLAS"}
    assert send("post", url, payload).status_code == 401
    assert send("post", url, payload, bearer(resident)).status_code == 403
    assert send("post", url, payload, bearer(outsider)).status_code == 404
    assert send("post", url, {**payload, "organization_id": 999999}, bearer(pilot)).status_code == 422
    empty = send("post", url, {**payload, "policy": " "}, bearer(pilot))
    assert (empty.status_code, empty.json()["detail"]) == (422, "Nommez la politique de droit commun du partenaire.")
    added = send("post", url, payload, bearer(pilot))
    assert added.status_code == 201, added.content
    (row,) = added.json()["mainstream"]
    assert (row["organization"], row["policy"]) == ("CAF", "CLAS")
    row_id = MainstreamPolicy.objects.get(stake=stake).pk
    assert send("delete", f"{url}/{row_id}", headers=bearer(resident)).status_code == 403
    assert send("delete", f"{url}/{row_id}", headers=bearer(pilot)).status_code == 204
    assert send("delete", f"{url}/{row_id}", headers=bearer(pilot)).status_code == 404

    original = make_stake(contract, title="Réussite scolaire")
    duplicate_url = f"{BASE}/{contract.pk}/stakes/{stake.pk}/duplicate"
    partner = member(contract, Role.PARTNER)
    assert send("put", duplicate_url, {"duplicate_of": original.pk}).status_code == 401
    assert send("put", duplicate_url, {"duplicate_of": original.pk}, bearer(partner)).status_code == 403
    itself = send("put", duplicate_url, {"duplicate_of": stake.pk}, bearer(pilot))
    assert (itself.status_code, itself.json()["detail"]) == (422, "Un enjeu ne peut pas être le doublon de lui-même.")
    flagged = send("put", duplicate_url, {"duplicate_of": original.pk}, bearer(pilot))
    assert (flagged.status_code, flagged.json()["duplicate_of"]) == (200, original.pk)
    chained = send(
        "put", f"{BASE}/{contract.pk}/stakes/{original.pk}/duplicate", {"duplicate_of": stake.pk}, bearer(pilot)
    )
    assert chained.status_code == 422
    cleared = send("put", duplicate_url, {"duplicate_of": None}, bearer(pilot))
    assert (cleared.status_code, cleared.json()["duplicate_of"]) == (200, None)


def test_stakes_are_submitted_to_the_councils_and_the_consultation_closed(contract, pilot, council, outsider):
    stake = make_stake(contract)
    partner = member(contract, Role.PARTNER)
    url = f"{BASE}/{contract.pk}/consultations"
    payload = {
        "title": "Mise en débat des enjeux",
        "deadline": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "council_ids": [council.pk],
        "stake_ids": [stake.pk],
    }
    assert send("post", url, payload).status_code == 401
    refused = send("post", url, payload, bearer(partner))
    assert (refused.status_code, refused.json()["detail"]) == (
        403,
        "Seuls le pilote et le délégué de l'État pilotent le diagnostic.",
    )
    assert send("post", url, payload, bearer(outsider)).status_code == 404
    past = send("post", url, {**payload, "deadline": "2020-01-01"}, bearer(pilot))
    assert past.status_code == 422
    assert past.json()["detail"].startswith("La date limite des avis ne peut pas être passée")
    stranger = OrganizationFactory.create(name="Conseil d'ailleurs")
    foreign = send("post", url, {**payload, "council_ids": [stranger.pk]}, bearer(pilot))
    assert (foreign.status_code, foreign.json()["detail"]) == (
        422,
        "« Conseil d'ailleurs » n'est pas un conseil citoyen de ce contrat.",
    )
    assert send("post", url, {**payload, "stake_ids": []}, bearer(pilot)).json()["detail"] == (
        "Choisissez au moins un objet à soumettre : un enjeu, une orientation, un plan…"
    )
    created = send("post", url, payload, bearer(pilot))
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["is_open"], body["council_ids"]) == ("open", True, [council.pk])
    stake.refresh_from_db()
    assert stake.status == "submitted"

    close_url = f"{url}/{body['id']}/close"
    assert send("post", close_url, {}).status_code == 401
    assert send("post", close_url, {}, bearer(partner)).status_code == 403
    assert send("post", close_url, {}, bearer(outsider)).status_code == 404
    closed = send("post", close_url, {}, bearer(pilot))
    assert (closed.status_code, closed.json()["status"], closed.json()["is_open"]) == (200, "closed", False)
    again = send("post", close_url, {}, bearer(pilot))
    assert (again.status_code, again.json()["detail"]) == (422, "Cette consultation est déjà close.")
