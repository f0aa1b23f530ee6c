from argparse import ArgumentParser
from typing import Any

from contrat_ville.core.models import ImportBatch
from contrat_ville.territories import services
from contrat_ville.territories.management.commands._import_base import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe les EPCI et leur composition communale depuis le classeur Insee « Intercommunalité - Métropole » "
        "(.xlsx) ; le millésime est lu dans « Géographie au 01/01/AAAA »."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--vintage", help="Millésime du COG, si le classeur ne l'indique pas")

    def run_import(self, *, progress: bool, **options: Any) -> ImportBatch:
        return services.import_epci(options["path"], vintage=options.get("vintage"), progress=progress)
