"""``manage.py import_all <dossier> [--remplacer]``: restore an ``export_all`` archive exactly (core.backups)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from contrat_ville.core.backups import import_all
from contrat_ville.core.management.base import AtomicCommand


class Command(AtomicCommand):
    help = (
        "Restaure une sauvegarde d'export_all : vérifie les empreintes, remplace toutes les lignes (clés primaires "
        "conservées) en une transaction, puis les fichiers déposés. La base doit être migrée à la même version."
    )
    atomic = False  # core.backups runs the database part in one transaction, the files after it

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="dossier produit par export_all")
        parser.add_argument(
            "--remplacer",
            action="store_true",
            dest="replace",
            help="accepter de remplacer une base qui contient déjà des comptes",
        )

    def run(self, *args: Any, **options: Any) -> None:
        outcome = import_all(options["directory"], replace=options["replace"])
        self.stdout.write(
            f"Sauvegarde restaurée : {outcome.tables} tables, {outcome.rows} lignes, {outcome.files} fichiers "
            "(empreintes vérifiées)."
        )
