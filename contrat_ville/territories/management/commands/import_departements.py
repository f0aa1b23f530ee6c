from contrat_ville.territories import services
from contrat_ville.territories.management.commands._import_base import VintageImportCommand


class Command(VintageImportCommand):
    help = "Importe les départements d'un fichier COG v_departement_AAAA.csv (Insee) ; les régions doivent exister."
    importer = staticmethod(services.import_departements)
