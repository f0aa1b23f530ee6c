"""Write the role-by-action table of every app into ARCHITECTURE.md (between its permission markers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from contrat_ville.contracts.permissions import permission_table_in, permission_table_markdown


class Command(BaseCommand):
    help = "Écrit dans ARCHITECTURE.md le tableau des rôles et des actions, tiré des prédicats de chaque app."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Échoue si le tableau d'ARCHITECTURE.md est périmé.")
        parser.add_argument("--file", default=str(Path(settings.BASE_DIR) / "ARCHITECTURE.md"))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        text = path.read_text(encoding="utf-8")
        updated = permission_table_in(text, permission_table_markdown())
        if options["check"]:
            if updated != text:
                raise CommandError(
                    f"Le tableau des permissions de {path.name} est périmé : lancez write_permission_table."
                )
            self.stdout.write(f"{path.name} : tableau des permissions à jour.")
            return
        path.write_text(updated, encoding="utf-8")
        self.stdout.write(f"{path.name} : tableau des permissions écrit.")
