"""Send each user one e-mail listing what awaits them (run it daily from the scheduler)."""

from __future__ import annotations

from contrat_ville.contracts.awaiting import send_awaiting_digests
from contrat_ville.core.management.scheduled import ScheduledSendCommand


class Command(ScheduledSendCommand):
    help = "Envoie à chaque utilisateur un récapitulatif unique de ce qui l'attend (s'il a changé depuis le dernier)."

    def send(self, *, dry_run: bool) -> str:
        outcome = send_awaiting_digests(dry_run=dry_run)
        verb = "seraient envoyés" if dry_run else "envoyés"
        return (
            f"Récapitulatifs {verb} : {outcome.sent} ; inchangés : {outcome.unchanged} ; sans objet : {outcome.empty}."
        )
