from argparse import ArgumentParser
from typing import Any

from contrat_ville.core.models import ImportBatch
from contrat_ville.territories import services
from contrat_ville.territories.management.commands._import_base import ImportCommand, add_vintage_argument


class Command(ImportCommand):
    help = "Importe les communes d'un fichier COG v_commune_AAAA.csv (Insee) ; les départements doivent exister."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        add_vintage_argument(parser)

    def run_import(self, *, progress: bool, **options: Any) -> ImportBatch:
        return services.import_communes(options["path"], vintage=self.vintage(options), progress=progress)
