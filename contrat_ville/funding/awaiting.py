"""What the call for projects and the commitments leave awaiting each user (« Ce qui vous attend », issue 14 §5):
the ``AwaitingSource``s of ``registrations.py``. Each ``collect(user)`` reads one query or two across all the user's
contracts (``selectors.awaiting_*``); the contracts app renders them and sends the daily digest."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from contrat_ville.core.registries import AwaitingItem
from contrat_ville.funding import selectors
from contrat_ville.funding.models import Application


def _item(application: Application, kind: str, title: str, suffix: str = "", due: Any = None) -> AwaitingItem:
    return AwaitingItem.on_page(
        application.contract,
        title=title,
        route="funding_calls:application_detail",
        route_kwargs={"application_id": application.pk},
        key=f"funding.application.{kind}:{application.pk}",
        due=due,
        suffix=suffix,
    )


def drafts(user: Any) -> list[AwaitingItem]:
    """Applicant: drafts to deposit before the call closes."""
    return [
        _item(
            application,
            "draft",
            f"Déposer le dossier « {application.title} » avant la clôture de « {application.call} »",
            due=application.call.closes_on,
        )
        for application in selectors.awaiting_drafts(user=user, today=timezone.localdate())
    ]


def reports(user: Any) -> list[AwaitingItem]:
    """Applicant: final reports of paid grants."""
    return [
        _item(
            application,
            "report",
            f"Transmettre le compte rendu de « {application.title} »",
            "compte-rendu/",
            selectors.report_due_on(application.call),
        )
        for application in selectors.awaiting_reports(user=user)
    ]


def reviews(user: Any) -> list[AwaitingItem]:
    """Member of the technical committee: the opinions the pilot asked of them."""
    return [
        _item(
            application,
            "review",
            f"Donner votre avis sur « {application.title} » ({application.organization})",
            "avis/",
        )
        for application in selectors.awaiting_reviews(user=user)
    ]


def instruction(user: Any) -> list[AwaitingItem]:
    """Pilot and State: deposited applications to take into instruction."""
    return [
        _item(
            application,
            "instruct",
            f"Instruire le dossier « {application.title} » ({application.organization})",
        )
        for application in selectors.awaiting_instruction(user=user)
    ]


def figures(user: Any) -> list[AwaitingItem]:
    """Partner: the realised figures of the years over."""
    items = []
    for commitment, years in selectors.awaiting_figures(user=user, today=timezone.localdate()).items():
        listed = ", ".join(str(year) for year in years)
        items.append(
            AwaitingItem.on_page(
                commitment.contract,
                title=f"Saisir le réalisé {listed} de « {commitment.title} »",
                route="funding:commitment_detail",
                route_kwargs={"commitment_id": commitment.pk},
                key=f"funding.commitment.figures:{commitment.pk}:{listed.replace(', ', '-')}",
            )
        )
    return items
