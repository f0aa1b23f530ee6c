"""``manage.py purge_person``: erase a person's personal data on request (docs/operations.md, « Personal data »).

Dry run by default: lists what each app holds. ``--confirm`` erases it, in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.personal_data import Person, person_purge


class Command(BaseCommand):
    help = (
        "Efface les données personnelles d'une personne (noms, adresses électroniques) en gardant les décomptes "
        "anonymes. Sans --confirm, affiche seulement ce qui serait effacé."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default="", help="Adresse électronique (invitations, sièges, référents).")
        parser.add_argument(
            "--council-member", type=int, default=None, help="Identifiant du membre de conseil citoyen."
        )
        parser.add_argument(
            "--account", action="store_true", help="Anonymiser aussi le compte utilisateur de cette adresse."
        )
        parser.add_argument("--confirm", action="store_true", help="Effacer pour de bon (sinon : simulation).")

    def handle(self, *args: Any, **options: Any) -> None:
        person = Person(
            email=options["email"], council_member_id=options["council_member"], account=options["account"]
        )
        try:
            lines = person_purge(person, apply=options["confirm"])
        except BusinessRuleError as error:
            raise CommandError(error.message) from error
        if not lines:
            self.stdout.write("Aucune donnée personnelle trouvée pour cette personne.")
            return
        verb = "Effacé" if options["confirm"] else "Serait effacé"
        for line in lines:
            self.stdout.write(f"{verb} : {line}")
        if not options["confirm"]:
            self.stdout.write("Simulation : rien n'a été modifié. Relancez avec --confirm pour effacer.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{len(lines)} élément(s) anonymisé(s)."))
