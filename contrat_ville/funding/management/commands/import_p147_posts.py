"""``manage.py import_p147_posts FICHIER [--programme adultes_relais|fonjep] [--dry-run]``: the ANCT's programme 147
posts of one year (docs/funding.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.db import transaction

from contrat_ville.core.management.base import AtomicCommand
from contrat_ville.funding import services
from contrat_ville.funding.importers import POST_PROGRAMMES


class Command(AtomicCommand):
    help = (
        "Importe les postes du programme 147 publiés par l'ANCT (adulte-relais-AAAA.json, postes-fonjep-AAAA.json) "
        "et les rattache aux contrats par leur code ANCT ; les postes sans contrat sur la plateforme sont listés."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="Fichier JSON de l'ANCT")
        parser.add_argument(
            "--programme", choices=sorted(POST_PROGRAMMES), default="", help="Sinon, déduit du nom du fichier"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Tout vérifier et afficher le bilan sans rien garder"
        )

    def run(self, *args: Any, **options: Any) -> None:
        batch = services.p147_posts_import(options["path"], programme=options["programme"])
        for line in batch.report_lines():
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("Essai à blanc : rien n'a été enregistré.")
            transaction.set_rollback(True)
