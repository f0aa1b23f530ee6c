from argparse import ArgumentParser
from typing import Any

from contrat_ville.core.models import ImportBatch
from contrat_ville.territories import services
from contrat_ville.territories.management.commands._import_base import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe les contours des quartiers prioritaires (ANCT, .geojson, .shp ou .zip) et les rattache aux communes "
        "et aux IRIS déjà importés."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--generation", required=True, choices=["2015", "2024"], help="Génération des QPV")

    def run_import(self, *, progress: bool, **options: Any) -> ImportBatch:
        return services.import_qpv(options["path"], generation=options["generation"], progress=progress)
