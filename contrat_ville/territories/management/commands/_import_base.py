"""What the territory import commands share: --dry-run, --progress, the French report, the vintage guess."""

from __future__ import annotations

import re
import sys
from argparse import ArgumentParser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import transaction

from contrat_ville.core.management.base import AtomicCommand
from contrat_ville.core.models import ImportBatch

YEAR_RE = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


class ImportCommand(AtomicCommand):
    """An import run in one transaction; ``--dry-run`` runs it fully, prints the report, then rolls back."""

    takes_path = True

    def add_arguments(self, parser: ArgumentParser) -> None:
        if self.takes_path:
            parser.add_argument("path", type=Path, help="Fichier source officiel")
        parser.add_argument(
            "--dry-run", action="store_true", help="Tout vérifier et afficher le bilan sans rien enregistrer"
        )
        parser.add_argument("--progress", action="store_true", help="Barre de progression sur la sortie d'erreur")

    def run(self, *args: Any, **options: Any) -> None:
        path: Path | None = options.get("path")
        if path is not None and not path.exists():
            raise CommandError(f"Fichier introuvable : {path}")
        progress = bool(options["progress"]) or sys.stderr.isatty()
        report = self.run_import(
            progress=progress, **{key: value for key, value in options.items() if key != "progress"}
        )
        self.print_report(report, dry_run=options["dry_run"])
        if options["dry_run"]:
            transaction.set_rollback(True)

    def run_import(self, *, progress: bool, **options: Any) -> ImportBatch:
        raise NotImplementedError

    def vintage(self, options: dict[str, Any]) -> str:
        """``--vintage``, or the year in the file name (``v_commune_2026.csv``)."""
        if options.get("vintage"):
            return str(options["vintage"])
        match = YEAR_RE.search(Path(options["path"]).name)
        if match is None:
            raise CommandError("Millésime introuvable dans le nom du fichier : précisez --vintage AAAA.")
        return match.group(1)

    def print_report(self, batch: ImportBatch, *, dry_run: bool) -> None:
        for line in batch.report_lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Simulation (--dry-run) : aucune donnée n'a été enregistrée.")
        else:
            self.stdout.write(self.style.SUCCESS("Import enregistré."))


class VintageImportCommand(ImportCommand):
    """The import of one file of a vintage (``--vintage``, else the year in the file name) by ``importer``."""

    importer: Callable[..., ImportBatch]  # (path, *, vintage, progress): a staticmethod of territories.services

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--vintage",
            help="Millésime (année du COG, des contours IRIS…) ; par défaut l'année lue dans le nom du fichier",
        )

    def run_import(self, *, progress: bool, **options: Any) -> ImportBatch:
        return self.importer(options["path"], vintage=self.vintage(options), progress=progress)
