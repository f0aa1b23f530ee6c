"""``manage.py load_resources``: the resource centre's documents, exchange days and training cycle of the first
seed (domain.md §8), as real entries; idempotent."""

from __future__ import annotations

from typing import Any

from contrat_ville.core.management.base import AtomicCommand
from contrat_ville.resources.services import resources_seed_load


class Command(AtomicCommand):
    help = "Charge les documents, journées d'échanges et cycles de qualification du centre de ressources (idempotent)."

    def run(self, *args: Any, **options: Any) -> None:
        created = resources_seed_load()
        self.stdout.write(
            f"Centre de ressources : {created['documents']} document(s), {created['events']} journée(s) et "
            f"{created['cycles']} cycle(s) ajoutés."
        )
