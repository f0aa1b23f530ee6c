from contrat_ville.territories import services
from contrat_ville.territories.management.commands._import_base import VintageImportCommand


class Command(VintageImportCommand):
    help = "Importe les contours IRIS de l'IGN (.gpkg, .geojson ou .shp) ; les communes doivent exister."
    importer = staticmethod(services.import_iris)
