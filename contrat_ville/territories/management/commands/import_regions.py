from contrat_ville.territories import services
from contrat_ville.territories.management.commands._import_base import VintageImportCommand


class Command(VintageImportCommand):
    help = "Importe les régions d'un fichier COG v_region_AAAA.csv (Insee)."
    importer = staticmethod(services.import_regions)
