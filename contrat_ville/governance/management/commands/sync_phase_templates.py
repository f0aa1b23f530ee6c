from typing import Any

from contrat_ville.core.management.base import AtomicCommand
from contrat_ville.governance.services.phases import phase_templates_sync


class Command(AtomicCommand):
    help = (
        "Enregistre en base les modèles de processus d'élaboration (note de cadrage de 2014, calendrier 2024) ; "
        "peut être relancée sans effet de bord."
    )

    def run(self, *args: Any, **options: Any) -> None:
        result = phase_templates_sync()
        self.stdout.write(
            f"Modèles synchronisés : {result.templates_created} créé(s), {result.steps_created} étape(s) créée(s), "
            f"{result.steps_updated} mise(s) à jour, {result.steps_removed} supprimée(s)."
        )
