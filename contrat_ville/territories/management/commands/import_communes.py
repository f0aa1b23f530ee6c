from contrat_ville.territories import services
from contrat_ville.territories.management.commands._import_base import VintageImportCommand


class Command(VintageImportCommand):
    help = "Importe les communes d'un fichier COG v_commune_AAAA.csv (Insee) ; les départements doivent exister."
    importer = staticmethod(services.import_communes)
