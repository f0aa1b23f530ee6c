"""``manage.py send_final_report_reminders [--dry-run]``: remind once each applicant whose paid grant's final report
is past the call's due date (run it daily from the scheduler; docs/funding.md)."""

from __future__ import annotations

from contrat_ville.core.management.scheduled import ScheduledSendCommand
from contrat_ville.funding.services import final_report_reminders_send


class Command(ScheduledSendCommand):
    help = (
        "Rappelle une fois à chaque porteur dont la subvention est versée que son compte rendu (Cerfa n° 15059) est "
        "en retard sur la date fixée par l'appel à projets."
    )

    def send(self, *, dry_run: bool) -> str:
        outcome = final_report_reminders_send(dry_run=dry_run)
        verb = "à rappeler" if dry_run else "rappelés"
        return f"Comptes rendus en retard {verb} : {outcome.reminded} ; courriels envoyés : {outcome.messages}."
