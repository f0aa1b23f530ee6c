"""The resource centre of the demo: the real documents, exchange days and training cycle that the first seed
documents (domain.md §8), published by Villes et Territoires Languedoc-Roussillon (``resources.services``)."""

from __future__ import annotations

from contrat_ville.demo.context import DemoContext
from contrat_ville.resources.services import resources_seed_load


def step_resources(context: DemoContext) -> None:
    created = resources_seed_load()
    context.log(
        f"  centre de ressources : {created['documents']} document(s), {created['events']} journée(s), "
        f"{created['cycles']} cycle(s) ajoutés"
    )
