"""A contract built from scratch through the services (no demo), with something in every area a generated document
reads: signatory, QPV with its contour, steering committee, diagnostic (source, finding with a figure, stake with
droit commun, consultation and opinion), strategic tree, action plan, commitment and credits."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pypdf import PdfReader

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization, User
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role, SignatoryKind
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.services import signatory_add
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.diagnostic.enums import FindingKind
from contrat_ville.diagnostic.services.inventory import data_source_create, finding_create, finding_evidence_add
from contrat_ville.diagnostic.tests.factories import axes, consult, make_stake, pillars
from contrat_ville.funding import services as funding
from contrat_ville.funding.enums import CommitmentNature, CreditProgramme
from contrat_ville.funding.tests.factories import make_commitment
from contrat_ville.governance.enums import BodyKind, MemberRole
from contrat_ville.governance.models import Body, BodyMember
from contrat_ville.observation.tests.factories import IndicatorFactory, IndicatorValueFactory
from contrat_ville.participation.services import opinion_give
from contrat_ville.strategy.tests.factories import (
    add_qpv,
    decide,
    make_action,
    make_objective,
    make_orientation,
    make_plan,
)
from contrat_ville.territories.models import Territory
from contrat_ville.territories.tests.factories import square

SIGNATORY = "Hélène Marchand, présidente de la communauté d'agglomération"
QPV_NAME = "Les Tilleuls"
COMMITMENT_TITLE = "Classes dédoublées en éducation prioritaire"
MAINSTREAM_POLICY = "Programme de réussite éducative"
OPINION_TEXT = "Il faut associer les parents d'élèves."
FINDING_TEXT = "Le taux de chômage des jeunes y est deux fois celui de l'agglomération."


@dataclass
class DocumentsWorld:
    contract: Contract
    pilot: User
    partner: User
    council_member: User
    qpv: Territory
    council: Organization


def documents_world(*, name: str = "Contrat de ville des Tilleuls", size: int = 1, published: bool = False) -> Any:
    """The contract; ``size`` multiplies the rows of every list (for the query counts: small against large)."""
    contract = make_contract(name=name, published=published)
    pilot = UserFactory.create(first_name="Paul", last_name="Pilote")
    grant(contract, pilot, Role.PILOT)
    state = OrganizationFactory.create(name="Préfecture du département", kind=OrganizationKind.STATE_SERVICE)
    education = OrganizationFactory.create(name="Éducation nationale")
    partner = UserFactory.create(organization=education)
    grant(contract, partner, Role.PARTNER)
    signatory_add(contract=contract, organization=state, kind=SignatoryKind.STATE, signed_by=SIGNATORY)
    qpvs = []
    for index in range(size):
        qpv = add_qpv(contract, name=QPV_NAME if index == 0 else f"{QPV_NAME} {index + 1}")
        Territory.objects.filter(pk=qpv.pk).update(geometry=square(4.80 + index * 0.02, 45.6, 0.01), population=2300)
        qpvs.append(qpv)
    body = Body.objects.create(contract=contract, kind=BodyKind.STEERING_COMMITTEE, name="Comité de pilotage")
    BodyMember.objects.create(body=body, organization=state, role=MemberRole.CO_CHAIR, person_name="La préfète")
    council = OrganizationFactory.create(name="Conseil citoyen des Tilleuls", kind=OrganizationKind.CITIZEN_COUNCIL)
    BodyMember.objects.create(body=body, organization=council, role=MemberRole.MEMBER)
    council_member = UserFactory.create(organization=council)
    grant(contract, council_member, Role.COUNCIL)
    indicator = IndicatorFactory.create(code="TST-CHOM", label="Taux de chômage des 15-24 ans", unit="%", decimals=1)
    first_pillar = pillars(contract)[0]
    for index in range(size):
        IndicatorValueFactory.create(indicator=indicator, territory=qpvs[index], period=2022, value=31.4)
        source = data_source_create(
            contract=contract,
            pillar=first_pillar,
            producer="INSEE",
            dataset=f"Recensement {index}",
            year=2021,
            by=None,
        )
        finding = finding_create(
            contract=contract,
            pillar=first_pillar,
            territory=qpvs[index],
            kind=FindingKind.HANDICAP,
            text=FINDING_TEXT,
            data_sources=[source],
            by=None,
        )
        finding_evidence_add(finding=finding, indicator=indicator, territory=qpvs[index], period=2022, by=None)
    stakes = [
        make_stake(
            contract,
            title=f"Réussite éducative {index + 1}",
            axes=axes(contract)[:1],
            mainstream=[(education, MAINSTREAM_POLICY)],
        )
        for index in range(size)
    ]
    consultation = consult(contract, stakes, [council])
    for version in consultation.stake_versions.all():
        opinion_give(
            target=version,
            council=council,
            author=council_member,
            verdict="agree_with_reservations",
            text=OPINION_TEXT,
            contract=contract,
        )
    actions = []
    for index in range(size):
        orientation = make_orientation(contract, title=f"Améliorer la sécurité des habitants {index + 1}")
        decide(orientation)
        objective = make_objective(
            orientation, baseline_value=120, baseline_year=2022, target_value=60, target_year=2030
        )
        actions += [
            make_action(objective, title=f"Action {index * 2 + number}", code=f"A{index * 2 + number}")
            for number in (1, 2)
        ]
        make_commitment(
            contract,
            education,
            title=COMMITMENT_TITLE,
            nature=CommitmentNature.FINANCIAL,
            objective=objective,
            years={2025: (Decimal("48250"), None), 2026: (Decimal("50000"), None)},
        )
        funding.credit_create(
            contract=contract,
            fields=funding.CreditFields(
                programme=CreditProgramme.P147, title="Médiation sociale", year=2025, requested=Decimal("12000")
            ),
        )
    make_plan(contract, year=2025, actions=actions)
    return DocumentsWorld(
        contract=contract,
        pilot=pilot,
        partner=partner,
        council_member=council_member,
        qpv=qpvs[0],
        council=council,
    )


def plain(text: str) -> str:
    """Text with the French spaces (no-break, narrow no-break) as plain spaces, runs of spaces folded."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return plain("\n".join(parts))


def docx_headings(content: bytes) -> list[tuple[str, str]]:
    from docx import Document

    document = Document(io.BytesIO(content))
    return [
        (paragraph.style.name, paragraph.text)
        for paragraph in document.paragraphs
        if paragraph.style is not None and paragraph.style.name.startswith(("Heading", "Title"))
    ]


def pdf_pages(content: bytes) -> list[str]:
    return [plain(page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages]
