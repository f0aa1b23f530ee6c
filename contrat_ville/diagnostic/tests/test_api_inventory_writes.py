"""API of the data inventory and the état des lieux, and the stake's update (issue 10 §7): list, create, update,
delete or archive data sources and findings, correct a stake — the same services, permissions and French messages
as the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.diagnostic.enums import FindingKind
from contrat_ville.diagnostic.models import DataSource, Finding
from contrat_ville.diagnostic.services.inventory import data_source_create, finding_create
from contrat_ville.diagnostic.tests.factories import axes, consult, make_meeting, make_stake, member, pillars
from contrat_ville.diagnostic.tests.test_api import BASE, bearer
from contrat_ville.governance.enums import Verdict
from contrat_ville.governance.services.decisions import decision_record

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
