"""Send each user one e-mail listing what awaits them (run it daily from the scheduler)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from contrat_ville.contracts.awaiting import send_awaiting_digests


class Command(BaseCommand):
    help = "Envoie à chaque utilisateur un récapitulatif unique de ce qui l'attend (s'il a changé depuis le dernier)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="compter sans envoyer ni enregistrer")

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = send_awaiting_digests(dry_run=options["dry_run"])
        verb = "seraient envoyés" if options["dry_run"] else "envoyés"
        self.stdout.write(
            f"Récapitulatifs {verb} : {outcome.sent} ; inchangés : {outcome.unchanged} ; sans objet : {outcome.empty}."
        )
