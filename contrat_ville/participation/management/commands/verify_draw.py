"""``manage.py verify_draw FICHIER``: redo a published draw from its inputs and say whether its result is the one
they give (issue 11 §3; algorithm in ``contrat_ville/participation/draws.py``). Reads nothing from the database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from contrat_ville.core.management.base import AtomicCommand
from contrat_ville.participation.draws import verify


class Command(AtomicCommand):
    help = "Refait un tirage au sort publié à partir de ses données publiques et compare le résultat."
    atomic = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="fichier JSON du tirage publié (graine, sièges, vivier, résultat)")

    def run(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Fichier illisible : {path} ({error.strerror}).") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"{path} n'est pas un fichier JSON valide (ligne {error.lineno}).") from error
        if not isinstance(data, dict):
            raise CommandError(f"{path} : un objet JSON est attendu.")
        same, result = verify(data)
        if not same:
            raise CommandError(
                "Le résultat publié n'est pas celui que donnent ses données : tirage NON vérifié "
                f"(empreinte recalculée : {result.fingerprint})."
            )
        self.stdout.write(f"Tirage vérifié : même résultat (empreinte {result.fingerprint}).\n")
