"""``manage.py import_indicator_values PATH --format …``: import a value file, with a plain-text progress line."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from contrat_ville.contracts.models import Contract
from contrat_ville.core.management.base import AtomicCommand
from contrat_ville.observation import services
from contrat_ville.observation.importers import FORMATS
from contrat_ville.observation.importers.mappings import MAPPINGS
from contrat_ville.territories.enums import TerritoryKind


def _french(number: float) -> str:
    return f"{number:,.0f}".replace(",", "\u00a0")


class Progress:
    """« 1 200 000 valeurs lues (245 000/s) » on stderr, every 100 000 values and at the end."""

    def __init__(self, stream: Any, *, every: int = 100_000) -> None:
        self.stream = stream
        self.every = every
        self.started = time.perf_counter()
        self.next = every

    def __call__(self, count: int, *, final: bool = False) -> None:
        if count < self.next and not final:
            return
        while self.next <= count:
            self.next += self.every
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        self.stream.write(f"{_french(count)} valeurs lues ({_french(count / elapsed)}/s)\n")
        self.stream.flush()


class Command(AtomicCommand):
    help = (
        "Importe un fichier de valeurs d'indicateurs : format long (indicateur ; territoire ; période ; valeur) "
        "ou fichier Insee (IRIS, QPV, communes…) lu par une table de correspondance."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="Fichier CSV ou XLSX")
        parser.add_argument("--format", dest="fmt", required=True, choices=sorted(FORMATS), help="Format du fichier")
        parser.add_argument(
            "--kind", choices=[kind.value for kind in TerritoryKind], help="Nature des territoires du fichier"
        )
        parser.add_argument("--mapping", choices=sorted(MAPPINGS), help="Table de correspondance Insee")
        parser.add_argument("--contract", help="Identifiant d'URL (slug) du contrat : valeurs privées à ce contrat")
        parser.add_argument("--vintage", default="", help="Millésime (année) des colonnes qui n'en portent pas")
        parser.add_argument(
            "--territory-vintage", help="Millésime des codes de territoire (par défaut le plus récent)"
        )
        parser.add_argument("--producer", default="", help="Producteur des données")
        parser.add_argument("--licence", default="", help="Licence des données")
        parser.add_argument(
            "--skip-unknown",
            action="store_true",
            help="Ignorer (et compter comme rejetées) les valeurs des territoires inconnus",
        )
        parser.add_argument("--progress", action="store_true", help="Afficher la progression sur la sortie d'erreur")

    def run(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"Fichier introuvable : {path}")
        contract = None
        if options.get("contract"):
            contract = Contract.objects.filter(slug=options["contract"]).first()
            if contract is None:
                raise CommandError(f"Contrat introuvable : {options['contract']}")
        show = bool(options["progress"]) or self.stderr.isatty()
        progress = Progress(self.stderr) if show else None
        batch = services.values_import(
            path_or_file=path,
            fmt=options["fmt"],
            territory_kind=options.get("kind"),
            mapping=options.get("mapping"),
            contract=contract,
            producer=options["producer"],
            licence=options["licence"],
            vintage=options["vintage"],
            territory_vintage=options.get("territory_vintage"),
            unknown_territories=services.UNKNOWN_SKIP if options["skip_unknown"] else services.UNKNOWN_ERROR,
            progress=progress,
        )
        if progress is not None:
            progress(batch.created_count + batch.replaced_count + batch.rejected_count, final=True)
        for line in batch.report_lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Import enregistré."))
