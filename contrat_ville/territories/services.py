"""Writes on territories: the importers of the official reference files.

Each import is one transaction and re-running it converges (rows keyed on kind, code and vintage). They
follow the import kernel's policy (``core.imports``): faults are collected, then a malformed file raises
``ImportFileError`` (a ``BusinessRuleError``) naming the file, the sheet, the line and the column of each, and
writes nothing. Every importer returns its ``core.ImportBatch`` (provenance and report), and every imported row
points to the batch that last wrote it.
"""

from contrat_ville.core.imports.errors import ImportFileError
from contrat_ville.territories.importers.cog import (
    COMMUNE_COLUMNS,
    DEPARTEMENT_COLUMNS,
    REGION_COLUMNS,
    import_communes,
    import_departements,
    import_regions,
)
from contrat_ville.territories.importers.decoupage import import_decoupage_administratif
from contrat_ville.territories.importers.epci import import_epci
from contrat_ville.territories.importers.iris import import_iris
from contrat_ville.territories.importers.qpv import import_qpv, qpv_code_is_valid
from contrat_ville.territories.uploads import TERRITORY_FILES, territory_file_import

# The COG files' columns, for whoever writes such a file (the demo).
__all__ = [
    "COMMUNE_COLUMNS",
    "DEPARTEMENT_COLUMNS",
    "REGION_COLUMNS",
    "TERRITORY_FILES",
    "ImportFileError",
    "import_communes",
    "import_decoupage_administratif",
    "import_departements",
    "import_epci",
    "import_iris",
    "import_qpv",
    "import_regions",
    "qpv_code_is_valid",
    "territory_file_import",
]
