"""The e-mails of the call for projects (issue 14 §5): something happened — an application was deposited, opinions
were asked, the steering committee decided, a final report is overdue. Each is sent through
``core.notifications.send_notification`` (plain-text French templates under ``funding/emails/``) once the
transaction that did it commits, so a refused or rolled-back action sends nothing.

What merely awaits someone (a draft before the deadline, an opinion to give, an application to instruct) is not
e-mailed one by one: it is an ``AwaitingSource`` of ``awaiting.py``, gathered in the daily digest.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse

from contrat_ville.accounts.models import User
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.permissions import STEERING
from contrat_ville.core.notifications import absolute_url, send_notification
from contrat_ville.funding.models import Application


def application_path(application: Application) -> str:
    return reverse(
        "funding_calls:application_detail",
        kwargs={"contract_slug": application.contract.slug, "application_id": application.pk},
    )


def applicant_addresses(application: Application) -> list[str]:
    """The applicant: the accounts acting for the applicant organisation on the contract (role « porteur de
    projet »), and whoever deposited the application."""
    users = User.objects.filter(
        is_active=True,
        organization_id=application.organization_id,
        contract_roles__contract_id=application.contract_id,
        contract_roles__role=Role.APPLICANT,
    )
    addresses = list(users.order_by("pk").values_list("email", flat=True))
    submitter = application.submitted_by
    if submitter is not None and submitter.is_active:
        addresses.append(submitter.email)
    return _unique(addresses)


def manager_addresses(contract_id: int) -> list[str]:
    """Who manages the calls of the contract (``permissions.can_manage_calls``): its pilots and State delegates."""
    users = User.objects.filter(
        is_active=True, contract_roles__contract_id=contract_id, contract_roles__role__in=STEERING
    )
    return _unique(users.order_by("pk").values_list("email", flat=True))


def _unique(addresses: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(address for address in addresses if address))


def _context(application: Application, **extra: Any) -> dict[str, Any]:
    return {
        "application": application,
        "call": application.call,
        "contract": application.contract,
        "organization": application.organization,
        "url": absolute_url(application_path(application)),
        **extra,
    }


def _send_on_commit(application: Application, to: list[str], subject: str, template: str, **extra: Any) -> None:
    """E-mail ``to`` about ``application`` (``funding/emails/<template>.txt``, ``extra`` added to its context) once
    the transaction commits."""
    context = _context(application, **extra)
    transaction.on_commit(
        lambda: send_notification(to=to, subject=subject, template=f"funding/emails/{template}.txt", context=context)
    )


def notify_submitted(application: Application) -> None:
    """Deposited: the applicant gets its acknowledgement, the pilots and the State an application to instruct."""
    applicants = applicant_addresses(application)
    managers = [address for address in manager_addresses(application.contract_id) if address not in applicants]
    _send_on_commit(application, applicants, f"Dossier déposé : {application.title}", "submitted_applicant")
    _send_on_commit(
        application,
        managers,
        f"Nouveau dossier à instruire : {application.title} ({application.organization})",
        "submitted_managers",
    )


def notify_review_requested(application: Application, reviewers: Iterable[Any]) -> None:
    """The members of the technical committee the pilot asked for their opinion."""
    _send_on_commit(
        application,
        _unique(user.email for user in reviewers if user.is_active),
        f"Avis technique demandé : {application.title} ({application.organization})",
        "review_requested",
        review_url=absolute_url(f"{application_path(application)}avis/"),
    )


def notify_decision(application: Application, decision_text: str) -> None:
    """The steering committee programmed or refused the application: its applicant is told."""
    status_label = application.get_status_display()
    _send_on_commit(
        application,
        applicant_addresses(application),
        f"Décision du comité de pilotage : {application.title} — {status_label}",
        "decision",
        decision_text=decision_text,
        status_label=status_label,
    )


def send_report_reminder(application: Application, due_on: Any) -> int:
    """The final report of a paid grant is overdue (``manage.py send_final_report_reminders``): sent now, the
    command records it."""
    return send_notification(
        to=applicant_addresses(application),
        subject=f"Compte rendu attendu : {application.title}",
        template="funding/emails/report_due.txt",
        context=_context(
            application, due_on=due_on, report_url=absolute_url(f"{application_path(application)}compte-rendu/")
        ),
    )
