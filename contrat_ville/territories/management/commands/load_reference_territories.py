from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from contrat_ville.core.models import ImportBatch
from contrat_ville.territories import services
from contrat_ville.territories.management.commands._import_base import ImportCommand


class Command(ImportCommand):
    help = (
        "Charge régions, départements, communes et EPCI depuis le paquet npm @etalab/decoupage-administratif "
        "(sans téléchargement), éventuellement limités à quelques départements."
    )
    takes_path = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--departement",
            action="append",
            dest="departements",
            metavar="CODE",
            help="Code de département à charger (répétable) ; par défaut toute la France",
        )
        parser.add_argument(
            "--vintage", default="2026", help="Millésime du COG du paquet (2026 pour la version 6.0.0)"
        )
        parser.add_argument(
            "--data-dir", type=Path, help="Dossier data/ du paquet, si ce n'est pas celui de node_modules"
        )

    def run_import(self, *, progress: bool, **options: Any) -> ImportBatch:
        data_dir = options.get("data_dir") or (
            Path(settings.NODE_MODULES_DIR) / "@etalab" / "decoupage-administratif" / "data"
        )
        if not data_dir.is_dir():
            raise CommandError(f"Dossier introuvable : {data_dir}. Lancez « npm install » (make install) d'abord.")
        return services.import_decoupage_administratif(
            data_dir, vintage=options["vintage"], departements=options.get("departements"), progress=progress
        )
