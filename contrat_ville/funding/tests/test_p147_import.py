"""The ANCT's programme 147 posts (data-formats.md §12): both files' type variants, irregular records, re-import,
and the import kernel's policy (a faulty object refuses the whole file with its line; nothing written)."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.core.imports.errors import ImportFileError
from contrat_ville.core.models import ImportBatch
from contrat_ville.funding import services
from contrat_ville.funding.enums import AgreementKind, CreditProgramme
from contrat_ville.funding.models import Credit

pytestmark = pytest.mark.django_db

# As published: one line, numeric annee and decimal montant, a SIRET in code_tiers; about 1 % without code_cv.
ADULTES_RELAIS = [
    {
        "id_poste": "00112R000103",
        "code_tiers": "77568878900017",
        "raison_sociale": "ASSOCIATION MEDIATION SORNE",
        "annee": 2025,
        "montant": 22555.73,
        "code_cv": "CV096",
        "insee_dep": "96",
        "insee_reg": "84",
    },
    {"id_poste": "00112R000104", "code_tiers": "77568878900017", "annee": 2025, "montant": 21246, "code_cv": "CV096"},
    {"id_poste": "00112R000200", "code_tiers": "41234567800011", "annee": 2025, "montant": 22555.73},
    {"id_poste": "00112R000300", "code_tiers": "41234567800011", "annee": 2025, "montant": 1000, "code_cv": "CV999"},
]
# The FONJEP file: annee as a string, montant an integer, the employer's NAME in code_tiers.
FONJEP = [
    {
        "id_poste": "D01935",
        "code_tiers": "CENTRE SOCIAL DES HAUTS",
        "annee": "2025",
        "montant": 7164,
        "code_cv": "CV096",
    },
    {
        "id_poste": "D01935",
        "code_tiers": "CENTRE SOCIAL DES HAUTS",
        "annee": "2025",
        "montant": 7164,
        "code_cv": "CV096",
    },
]


@pytest.fixture
def contract():
    return make_contract(
        name="Contrat du Val", anct_code="CV096", start_on=date(2024, 1, 1), end_on=date(2030, 12, 31)
    )


def upload(items, name):
    stream = io.BytesIO(json.dumps(items, ensure_ascii=False).encode())
    stream.name = name
    return stream


def test_adultes_relais_posts_are_attached_by_contract_code_and_the_others_reported(contract):
    batch = services.p147_posts_import(upload(ADULTES_RELAIS, "adulte-relais-2025.json"))
    posts = Credit.objects.order_by("post_id")
    assert [(post.post_id, post.granted, post.beneficiary_siret) for post in posts] == [
        ("00112R000103", Decimal("22555.73"), "77568878900017"),
        ("00112R000104", Decimal("21246.00"), "77568878900017"),
    ]
    first = posts[0]
    assert (first.contract, first.programme, first.year, first.agreement, first.import_batch) == (
        contract,
        CreditProgramme.ADULTES_RELAIS,
        2025,
        AgreementKind.MULTI_YEAR,
        batch,
    )
    assert first.beneficiary == "ASSOCIATION MEDIATION SORNE"
    assert batch.created_count == 2
    assert batch.ignored == [
        "poste 00112R000200 (ligne 1) : sans code de contrat de ville",
        "poste 00112R000300 (ligne 1) : contrat CV999 absent de la plateforme",
    ]
    assert batch.unused_columns == {"": ["insee_dep", "insee_reg"]}


def test_the_fonjep_variant_keeps_the_employers_name_and_a_repeated_post_once(contract):
    batch = services.p147_posts_import(upload(FONJEP, "postes-fonjep-2025.json"))
    post = Credit.objects.get()
    assert (post.programme, post.year, post.granted, post.beneficiary, post.beneficiary_siret) == (
        CreditProgramme.FONJEP,
        2025,
        Decimal("7164.00"),
        "CENTRE SOCIAL DES HAUTS",
        "",
    )
    assert any("répété" in warning for warning in batch.warnings)


def test_importing_a_year_again_updates_its_posts_without_duplicating_them(contract):
    services.p147_posts_import(upload(ADULTES_RELAIS, "adulte-relais-2025.json"))
    changed = [{**ADULTES_RELAIS[0], "montant": 23000}, *ADULTES_RELAIS[1:]]
    batch = services.p147_posts_import(upload(changed, "adulte-relais-2025.json"))
    assert Credit.objects.count() == 2
    assert (batch.created_count, batch.updated_count) == (0, 1)
    assert Credit.objects.get(post_id="00112R000103").granted == Decimal("23000.00")


def test_a_faulty_object_refuses_the_whole_file_with_its_line(contract):
    lines = (
        "[\n"
        + ",\n".join(json.dumps(item) for item in [ADULTES_RELAIS[0], {**ADULTES_RELAIS[1], "annee": "deux"}])
        + "\n]"
    )
    stream = io.BytesIO(lines.encode())
    stream.name = "adulte-relais-2025.json"
    with pytest.raises(ImportFileError) as error:
        services.p147_posts_import(stream)
    assert "ligne 3, colonne annee : « deux » n'est pas une année" in str(error.value)
    assert not Credit.objects.exists() and not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"id_poste;annee\n1;2025\n", "ligne 1, colonne 1 : JSON invalide"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pas un fichier JSON"),
        (b'{"id_poste": "1"}', "tableau JSON de postes"),
        (b"[]", "aucun poste"),
        (b'[{"id_poste": "X1", "annee": 2025, "montant": 1, "code_cv": "CV096"}]', "programme introuvable"),
    ],
)
def test_a_file_of_the_wrong_kind_or_shape_gets_a_french_message(contract, content, expected):
    stream = io.BytesIO(content)
    stream.name = "postes-2025.json"
    with pytest.raises(ImportFileError, match=expected):
        services.p147_posts_import(stream)
    assert not Credit.objects.exists()


def test_a_post_outside_the_contracts_period_is_reported(contract):
    batch = services.p147_posts_import(upload([{**ADULTES_RELAIS[0], "annee": 2023}], "adulte-relais-2023.json"))
    assert not Credit.objects.exists()
    assert batch.ignored == ["poste 00112R000103 (ligne 1) : 2023 hors de la période du contrat CV096 (2024-2030)"]


def test_the_command_imports_and_its_dry_run_keeps_nothing(contract, tmp_path):
    path = tmp_path / "adulte-relais-2025.json"
    path.write_text(json.dumps(ADULTES_RELAIS), encoding="utf-8")
    out = io.StringIO()
    call_command("import_p147_posts", str(path), "--dry-run", stdout=out)
    assert "2 créé(s)" in out.getvalue() and not Credit.objects.exists()
    call_command("import_p147_posts", str(path), stdout=io.StringIO())
    assert Credit.objects.count() == 2
    bad = tmp_path / "adulte-relais-2026.json"
    bad.write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match="JSON invalide"):
        call_command("import_p147_posts", str(bad))
