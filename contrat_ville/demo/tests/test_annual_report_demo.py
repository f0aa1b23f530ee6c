"""The demo's annual report (issue 12 §3): the Val de Sorne's, in consultation, with a DSU line, a municipal council's
opinion and a conseil citoyen's — built fast, on the steps it needs."""

from datetime import date

import pytest

from contrat_ville.demo.services import DEMO_STEPS, demo_load
from contrat_ville.reporting.enums import AnnualReportStatus
from contrat_ville.reporting.models import AnnualReport

pytestmark = pytest.mark.django_db

TODAY = date(2026, 2, 10)
KEYS = ("reference_data", "organizations", "contracts", "accounts", "governance", "diagnostic", "strategy")
STEPS = [step for step in DEMO_STEPS if step.key in {*KEYS, "annual_report"}]


def test_the_demo_report_is_in_consultation_with_its_opinions():
    demo_load(today=TODAY, steps=STEPS)
    report = AnnualReport.objects.get(contract__slug="val-de-sorne-2024")
    assert report.status == AnnualReportStatus.CONSULTATION
    assert report.dsu_lines.get().commune.code == "96001"
    assert report.municipal_consultations.exclude(opinion="").get().commune.code == "96002"
    assert report.consultation is not None and report.consultation.councils.count() == 2
    assert report.renewal_text.startswith("Le projet de renouvellement urbain des Hauts de Sorne")
    demo_load(today=TODAY, steps=STEPS)
    assert AnnualReport.objects.count() == 1
