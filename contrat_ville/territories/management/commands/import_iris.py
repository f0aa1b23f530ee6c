from argparse import ArgumentParser
from typing import Any

from contrat_ville.core.models import ImportBatch
from contrat_ville.territories import services
from contrat_ville.territories.management.commands._import_base import ImportCommand, add_vintage_argument


class Command(ImportCommand):
    help = "Importe les contours IRIS de l'IGN (.gpkg, .geojson ou .shp) ; les communes doivent exister."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        add_vintage_argument(parser)

    def run_import(self, *, progress: bool, **options: Any) -> ImportBatch:
        return services.import_iris(options["path"], vintage=self.vintage(options), progress=progress)
