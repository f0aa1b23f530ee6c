"""``load_demo`` goes through the real importers and services, and can be run again without duplicates."""

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command

from contrat_ville.accounts.models import Organization, User
from contrat_ville.contracts.enums import ContractStatus, Generation, Role
from contrat_ville.contracts.models import Contract, ContractRole
from contrat_ville.core.models import ImportBatch
from contrat_ville.core.registries import demo_accounts
from contrat_ville.demo.services import demo_load, preparation_dates
from contrat_ville.demo.users import USERS
from contrat_ville.territories.enums import LinkKind, TerritoryKind
from contrat_ville.territories.models import Territory, TerritoryLink

pytestmark = pytest.mark.django_db

TODAY = date(2026, 2, 10)
EXPECTED_ROLES = {
    "pilote@exemple.fr": {("val-de-sorne-2024", Role.PILOT)},
    "etat@exemple.fr": {("val-de-sorne-2024", Role.STATE), ("coteaux-orbe-2024", Role.STATE)},
    "partenaire@exemple.fr": {("val-de-sorne-2024", Role.PARTNER)},
    "conseil@exemple.fr": {("val-de-sorne-2024", Role.COUNCIL)},
    "conseil2@exemple.fr": {("val-de-sorne-2024", Role.COUNCIL)},
    "association@exemple.fr": {("val-de-sorne-2024", Role.APPLICANT)},
    "pilote2@exemple.fr": {("coteaux-orbe-2024", Role.PILOT)},
    "admin@exemple.fr": set(),
}


def row_counts() -> dict[str, int]:
    """Rows of every table but the import batches, which record each run (provenance)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model is not ImportBatch and model._meta.app_label not in {"sessions", "axes"}
    }


def test_load_demo_twice_gives_the_same_rows() -> None:
    out = StringIO()
    call_command("load_demo", "--today", TODAY.isoformat(), stdout=out)
    first = row_counts()
    call_command("load_demo", "--today", TODAY.isoformat(), stdout=StringIO())

    assert row_counts() == first
    assert first["territories.Territory"] == 1 + 1 + 1 + 36 + 2 + 58 + 4
    assert first["contracts.Contract"] == 2
    assert first["accounts.User"] == len(USERS)
    output = out.getvalue()
    for spec in USERS:
        assert spec.email in output
    assert output.rstrip().splitlines()[-1].startswith("admin@exemple.fr")
    assert settings.DEMO_PASSWORD in output


def test_contracts_users_and_territories() -> None:
    summary = demo_load(today=TODAY)

    val_de_sorne = Contract.objects.get(slug="val-de-sorne-2024")
    assert val_de_sorne.name == "Contrat de ville de la Communauté d'agglomération du Val de Sorne"
    assert val_de_sorne.generation == Generation.G2024
    assert val_de_sorne.status == ContractStatus.IN_PREPARATION
    assert not val_de_sorne.is_published
    assert val_de_sorne.signed_on is None
    assert "données fictives de démonstration" in val_de_sorne.summary
    assert val_de_sorne.start_on == date(2025, 10, 1) <= TODAY <= val_de_sorne.end_on == date(2031, 9, 30)
    assert sorted(val_de_sorne.qpvs.values_list("code", flat=True)) == ["QN09601M", "QN09602M", "QN09603N"]
    assert val_de_sorne.pillars.count() == 3
    assert val_de_sorne.axes.count() == 3
    assert val_de_sorne.epci.siren == "200099901"
    signatories = list(val_de_sorne.signatories.select_related("organization"))
    assert len(signatories) == 11
    assert all(signatory.signed_on is None for signatory in signatories)
    assert signatories[0].organization.name == "Préfecture du Val-de-Sorne"

    coteaux = Contract.objects.get(slug="coteaux-orbe-2024")
    assert coteaux.is_published
    assert coteaux.status == ContractStatus.SIGNED
    assert coteaux.signed_on == date(2024, 3, 28)
    assert list(coteaux.qpvs.values_list("code", flat=True)) == ["QN09604M"]
    assert all(signatory.signed_on == coteaux.signed_on for signatory in coteaux.signatories.all())

    for email, expected in EXPECTED_ROLES.items():
        user = User.objects.get(email=email)
        roles = set(ContractRole.objects.filter(user=user).values_list("contract__slug", "role"))
        assert roles == expected, email
        assert user.check_password(settings.DEMO_PASSWORD)
        assert user.first_name and user.last_name
    assert User.objects.get(email="admin@exemple.fr").is_superuser
    assert User.objects.get(email="pilote@exemple.fr").organization.siren == "200099901"
    assert User.objects.get(email="conseil@exemple.fr").organization.kind == "citizen_council"

    ddets = Organization.objects.get(acronym="DDETS")
    assert "DDCS" in ddets.former_names
    assert Organization.objects.get(name__startswith="France Travail").former_names == "Pôle emploi"
    assert Organization.objects.get(siren="219900107").name == "Commune de Sorne-la-Ville"

    # The real pipeline ran: derived contours, IRIS/QPV overlaps, the QPV across two communes.
    sorne = Territory.objects.get(kind=TerritoryKind.COMMUNE, code="96001", vintage="2026")
    assert sorne.geometry is not None and sorne.population == 31_124
    assert Territory.objects.get(kind=TerritoryKind.EPCI, code="200099901").geometry is not None
    pre_vert = Territory.objects.get(kind=TerritoryKind.QPV, code="QN09602M")
    communes = TerritoryLink.objects.filter(child=pre_vert, parent__kind=TerritoryKind.COMMUNE)
    assert {link.parent.code for link in communes} == {"96001", "96002"}
    assert {link.kind for link in communes} == {LinkKind.OVERLAP}
    assert TerritoryLink.objects.filter(child=pre_vert, parent__kind=TerritoryKind.IRIS).count() >= 2
    assert pre_vert.area_ha is not None and 15 <= pre_vert.area_ha <= 60

    assert summary.contracts == 2
    assert summary.territories[TerritoryKind.QPV] == 4
    assert [account.email for account in summary.accounts] == [spec.email for spec in USERS]
    assert summary.warnings == ()


@pytest.mark.parametrize(
    ("today", "start_on", "end_on"),
    [
        (date(2026, 11, 23), date(2026, 7, 1), date(2032, 6, 30)),
        (date(2027, 1, 31), date(2026, 9, 1), date(2032, 8, 31)),
        (date(2024, 4, 1), date(2023, 12, 1), date(2029, 11, 30)),
    ],
)
def test_preparation_dates_frame_today(today: date, start_on: date, end_on: date) -> None:
    assert preparation_dates(today) == (start_on, end_on)
    assert start_on < today < end_on


def test_invalid_today_is_refused() -> None:
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("load_demo", "--today", "23/11/2026", stdout=StringIO())


def test_demo_accounts_are_registered_for_the_login_page() -> None:
    for spec in USERS:
        account = demo_accounts.get(spec.email)
        assert account is not None and account.role == spec.role_label


@pytest.mark.parametrize("today", [date(2026, 12, 6), date(2027, 4, 30)])
def test_the_demo_loads_whatever_the_month(today: date) -> None:
    """The contract in preparation starts some months before ``today``: in December its first plan's year began
    before the contract, and the actions of that year must still start inside the contract (``make demo`` failed
    on 6 December 2026)."""
    call_command("load_demo", "--today", today.isoformat(), stdout=StringIO())
    assert row_counts()["strategy.Action"] > 0
