from typing import Any

from contrat_ville.core.management.base import AtomicCommand
from contrat_ville.observation.services import catalogue_load


class Command(AtomicCommand):
    help = "Charge ou met à jour le catalogue des indicateurs (domain.md §7.4), par code ; relançable sans risque."

    def run(self, *args: Any, **options: Any) -> None:
        count = catalogue_load()
        self.stdout.write(self.style.SUCCESS(f"Catalogue chargé : {count} indicateurs."))
