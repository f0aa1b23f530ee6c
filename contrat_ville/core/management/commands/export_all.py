"""``manage.py export_all <dossier>``: the whole database and the uploaded files, with checksums (core.backups)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from contrat_ville.core.backups import export_all
from contrat_ville.core.management.base import AtomicCommand


class Command(AtomicCommand):
    help = (
        "Sauvegarde toutes les tables (clés primaires comprises) et tous les fichiers déposés dans un dossier neuf, "
        "avec un manifeste des empreintes SHA-256."
    )
    atomic = False  # core.backups opens its own transaction (one snapshot on PostgreSQL)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="dossier de la sauvegarde (neuf ou vide)")

    def run(self, *args: Any, **options: Any) -> None:
        outcome = export_all(options["directory"])
        self.stdout.write(
            f"Sauvegarde écrite dans {options['directory']} : {outcome.tables} tables, {outcome.rows} lignes, "
            f"{outcome.files} fichiers."
        )
