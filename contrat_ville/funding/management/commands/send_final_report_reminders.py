"""``manage.py send_final_report_reminders [--dry-run]``: remind once each applicant whose paid grant's final report
is past the call's due date (run it daily from the scheduler; docs/funding.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from contrat_ville.funding.services import final_report_reminders_send


class Command(BaseCommand):
    help = (
        "Rappelle une fois à chaque porteur dont la subvention est versée que son compte rendu (Cerfa n° 15059) est "
        "en retard sur la date fixée par l'appel à projets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="compter sans envoyer ni enregistrer")

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = final_report_reminders_send(dry_run=options["dry_run"])
        verb = "à rappeler" if options["dry_run"] else "rappelés"
        self.stdout.write(
            f"Comptes rendus en retard {verb} : {outcome.reminded} ; courriels envoyés : {outcome.messages}."
        )
