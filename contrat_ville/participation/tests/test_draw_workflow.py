"""A draw from the web: prepare it, import its pool (the kernel's policy: a faulty file refused with its lines,
nothing written), give the public seed, run it with parity, publish it (frozen), download its file, and anyone
verifies it — on the page or with ``manage.py verify_draw``."""

from __future__ import annotations

import io
import json
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from contrat_ville.accounts.tests.factories import UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.participation import services
from contrat_ville.participation.enums import DrawStatus
from contrat_ville.participation.models import Draw
from contrat_ville.participation.tests.factories import make_council

pytestmark = pytest.mark.django_db

POOL = "identifiant;sexe;college;liste\n" + "\n".join(
    f"V{index:03d};{'F' if index % 2 else 'H'};habitants;volontaires" for index in range(1, 21)
)


def text(response):
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(response.content.decode()).split())


def csv_upload(content: str, name: str = "vivier.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


@pytest.fixture
def council():
    return make_council(make_contract(name="Contrat du tirage"))


@pytest.fixture
def pilot(council):
    user = UserFactory.create()
    grant(council.contract, user, Role.PILOT)
    return user


def url(name, draw):
    return reverse(f"participation:{name}", args=[draw.council.contract.slug, draw.pk])


def test_a_draw_from_the_web_is_published_frozen_and_verified_by_anyone(client, council, pilot, tmp_path):
    client.force_login(pilot)
    response = client.post(
        reverse("participation:draw_create", args=[council.contract.slug, council.pk]),
        {
            "title": "Renouvellement du collège des habitants",
            "residents_seats": 6,
            "local_actors_seats": 0,
            "substitutes": 2,
        },
    )
    draw = Draw.objects.get()
    assert response.status_code == 302 and response.url == url("draw_detail", draw)

    refused = client.post(url("draw_pool", draw), {"file": csv_upload("identifiant;sexe\nV1;F\nV1;X\n")})
    page = text(refused)
    assert "ligne 3, colonne identifiant : identifiant « V1 » déjà donné ligne 2" in page
    assert "ligne 3, colonne sexe : « X » : sexe attendu F ou H" in page
    draw.refresh_from_db()
    assert draw.pool == []
    # A pool holding a script (core.uploads) is refused before it is read.
    refused = client.post(url("draw_pool", draw), {"file": csv_upload("identifiant;sexe\n<script>x</script>;F\n")})
    assert "Le fichier « vivier.csv » est refusé : il contient du HTML ou un script." in text(refused)
    draw.refresh_from_db()
    assert draw.pool == []

    client.post(url("draw_pool", draw), {"file": csv_upload(POOL)})
    client.post(
        url("draw_seed", draw),
        {"seed": "05-12-23-31-44 étoiles 3-9", "seed_source": "Euromillions", "seed_date": "2026-12-04"},
    )
    client.post(url("draw_execute", draw))
    draw.refresh_from_db()
    seated = draw.result["colleges"]["residents"]["seated"]
    assert [sex for _, sex in seated].count("female") == 3 and len(seated) == 6
    assert len(draw.result["colleges"]["residents"]["substitutes"]) == 2
    client.post(url("draw_publish", draw))
    draw.refresh_from_db()
    assert draw.status == DrawStatus.PUBLISHED
    with pytest.raises(BusinessRuleError, match="publié"):
        services.draw_execute(draw=draw)
    assert client.post(url("draw_execute", draw), follow=True).status_code == 200
    draw.refresh_from_db()
    assert draw.result["colleges"]["residents"]["seated"] == seated  # unchanged

    # Anyone: the draw, its file and its verification; the command says the same.
    client.logout()
    contract = council.contract
    contract.is_published = True
    contract.save(update_fields=["is_published"])
    assert draw.fingerprint in text(client.get(url("draw_detail", draw)))
    assert "Tirage vérifié" in text(client.get(url("draw_verify", draw)))
    published = client.get(url("draw_file", draw))
    path = tmp_path / "tirage.json"
    path.write_bytes(published.content)
    assert json.loads(published.content)["seed_source"] == "Euromillions"
    out = io.StringIO()
    call_command("verify_draw", str(path), stdout=out)
    assert "Tirage vérifié" in out.getvalue()
    api = client.get(f"/api/v1/draws/{draw.pk}").json()
    assert (api["status"], api["file"]["fingerprint"]) == ("published", draw.fingerprint)


def test_a_pool_without_parity_is_refused_in_french_and_a_draft_stays_private(client, council, pilot):
    draw = services.draw_save(council=council, title="Tirage", residents_seats=4)
    services.draw_pool_import(draw=draw, upload=csv_upload("identifiant;sexe\nA;F\nB;F\nC;F\nD;H\n"))
    services.draw_seed_set(draw=draw, seed="graine", seed_source="", seed_date=None)
    with pytest.raises(BusinessRuleError, match="parité"):
        services.draw_execute(draw=draw)
    outsider = UserFactory.create()
    grant(council.contract, outsider, Role.PARTNER)
    client.force_login(outsider)
    assert client.get(url("draw_detail", draw)).status_code == 404
    assert client.post(url("draw_execute", draw)).status_code == 403
    assert client.get(f"/api/v1/draws/{draw.pk}").status_code == 404


@pytest.mark.query_count("participation:draw_detail", "participation:draw_verify", "participation:council_detail")
def test_draw_pages_run_a_constant_number_of_queries(client, council, pilot, query_count):
    client.force_login(pilot)
    small = services.draw_save(council=council, title="Petit", residents_seats=2)
    services.draw_pool_import(draw=small, upload=csv_upload("identifiant;sexe\nA;F\nB;H\n"))
    large = services.draw_save(council=council, title="Grand", residents_seats=6, substitutes=2)
    services.draw_pool_import(draw=large, upload=csv_upload(POOL))
    for draw in (small, large):
        services.draw_seed_set(draw=draw, seed="graine", seed_source="", seed_date=None)
        services.draw_execute(draw=draw)
    for name in ("draw_detail", "draw_verify"):
        query_count.page(client, url(name, small))
        assert query_count.page(client, url(name, small)) == query_count.page(client, url(name, large)), name
    council_page = reverse("participation:council_detail", args=[council.contract.slug, council.pk])
    query_count.page(client, council_page)
    before = query_count.page(client, council_page)
    services.draw_save(council=council, title="Encore un", residents_seats=2)
    assert query_count.page(client, council_page) == before


QUOTA_POOL = "identifiant;sexe;college;tranche_age;quartier\n" + "\n".join(
    f"Q{index:03d};{'F' if index % 2 else 'H'};habitants;{'18-25' if index in (3, 4) else '40 à 59 ans'};"
    f"{'Nord' if index % 3 else 'Sud'}"
    for index in range(1, 17)
)


def test_quotas_from_the_web_steer_the_draw_and_the_substitutes_replace_a_leaving_member(client, council, pilot):
    client.force_login(pilot)
    draw = services.draw_save(council=council, title="Avec quotas", residents_seats=4, substitutes=4)
    client.post(url("draw_pool", draw), {"file": csv_upload(QUOTA_POOL)})
    draw.refresh_from_db()
    assert draw.pool[2] == {
        "identifier": "Q003",
        "sex": "female",
        "college": "residents",
        "source": "",
        "age_band": "18_25",
        "neighbourhood": "Sud",
    }
    page = text(client.get(url("draw_detail", draw)))
    assert ">18 à 25 ans : 2 ; 40 à 59 ans : 14<" in page
    assert "aucun : la parité seule" in page

    # A quota, its category written as people write it; an unknown age band is refused in French.
    response = client.post(
        url("draw_quota_add", draw),
        {"college": "residents", "feature": "age_band", "value": "18 à 25", "minimum": 2, "maximum": 2},
    )
    assert response.status_code == 302
    refused = text(
        client.post(
            url("draw_quota_add", draw),
            {"college": "residents", "feature": "age_band", "value": "ados", "minimum": 0, "maximum": 1},
        )
    )
    assert "Tranche d'âge inconnue : « ados »" in refused
    page = text(client.get(url("draw_detail", draw)))
    assert "collège des habitants — tranche d'âge « 18 à 25 ans » : de 2 à 2 sièges" in page
    assert "cv-tirage-2" in page

    draw.refresh_from_db()
    services.draw_seed_set(draw=draw, seed="graine publique", seed_source="", seed_date=None)
    assert client.post(url("draw_execute", draw)).status_code == 302
    draw.refresh_from_db()
    assert draw.algorithm == "cv-tirage-2"
    seated = draw.result["colleges"]["residents"]["seated"]
    assert {"Q003", "Q004"} <= {identifier for identifier, _sex in seated}
    assert services.draw_is_verified(draw)
    file = client.get(url("draw_file", draw))
    assert json.loads(file.content)["quotas"][0]["value"] == "18_25"

    # Before publication no one is replaced; after it, the first substitute who fits is called.
    leaving = seated[0][0]
    refused = client.post(url("draw_replace", draw), {"leaving": leaving, "left_on": "2027-01-15"})
    assert refused.status_code == 200  # the form page again: the draft's seats are not anyone's yet
    services.draw_publish(draw=draw)
    assert (
        client.post(
            url("draw_quota_add", draw),
            {"college": "residents", "feature": "neighbourhood", "value": "Nord", "minimum": 0, "maximum": 4},
        ).status_code
        == 200
    )
    response = client.post(
        url("draw_replace", draw), {"leaving": leaving, "left_on": "2027-01-15", "reason": "déménagement"}
    )
    assert response.status_code == 302
    replacement = draw.replacements.get()
    substitute_sex = dict(draw.result["colleges"]["residents"]["substitutes"])[replacement.substitute]
    assert substitute_sex == dict(seated)[leaving]
    page = text(client.get(url("draw_detail", draw)))
    assert f"« {replacement.substitute} » remplace « {leaving} » (déménagement)" in page
    api = client.get(f"/api/v1/draws/{draw.pk}").json()
    assert api["replacements"] == [
        {"leaving": leaving, "substitute": replacement.substitute, "left_on": "2027-01-15", "reason": "déménagement"}
    ]
    # The same member cannot leave twice; the quotas of a published draw cannot change.
    again = text(client.post(url("draw_replace", draw), {"leaving": leaving, "left_on": "2027-02-01"}))
    assert "Sélectionnez un choix valide" in again
    with pytest.raises(BusinessRuleError, match="publié"):
        services.draw_quota_remove(draw=draw, position=1)


def test_a_pool_with_an_unknown_age_band_is_refused_with_its_line_and_column(client, council, pilot):
    client.force_login(pilot)
    draw = services.draw_save(council=council, title="Âges", residents_seats=2)
    page = text(
        client.post(
            url("draw_pool", draw), {"file": csv_upload("identifiant;sexe;tranche_age\nA;F;18-25\nB;H;vieux\n")}
        )
    )
    assert "ligne 3, colonne tranche_age : « vieux » : tranche d'âge attendue" in page
    draw.refresh_from_db()
    assert draw.pool == []
