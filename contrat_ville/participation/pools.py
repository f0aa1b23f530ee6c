"""The pool of a draw, imported from a CSV file through the import kernel (``core.imports``, docs/imports.md).

Columns (header on the first line, « ; » or « , »): ``identifiant`` (anonymous: a number the pilot keeps apart from
the names), ``sexe`` (F/H, femme/homme), ``college`` (habitants / acteurs; « habitants » when the column is absent),
``liste`` (where the candidate comes from: volunteers, a landlord's register…; optional). Every faulty cell is
listed with its line and column, and the whole file is then refused; a repeated identifier is a fault.
"""

from __future__ import annotations

from typing import Any

from contrat_ville.core.imports.errors import Issues
from contrat_ville.core.imports.readers import read_delimited, require_columns
from contrat_ville.core.imports.record import import_batch_new
from contrat_ville.core.imports.sources import source_of
from contrat_ville.core.models import ImportBatch
from contrat_ville.participation.draws import Candidate
from contrat_ville.participation.enums import College, Sex

IMPORTER = "draw_pool"
SEXES = {"f": Sex.FEMALE, "femme": Sex.FEMALE, "h": Sex.MALE, "homme": Sex.MALE, "m": Sex.MALE}
COLLEGES = {
    "habitants": College.RESIDENTS,
    "residents": College.RESIDENTS,
    "acteurs": College.LOCAL_ACTORS,
    "acteurs locaux": College.LOCAL_ACTORS,
    "associations": College.LOCAL_ACTORS,
}
READ = ("identifiant", "sexe", "college", "liste")


def pool_read(upload: Any, *, scope: Any = None, by: Any = None) -> tuple[list[Candidate], ImportBatch]:
    """The candidates of a pool file and the (unsaved) batch recording its import; ``ImportFileError`` with every
    fault otherwise."""
    source = source_of(upload)
    issues = Issues(source.name)
    batch = import_batch_new(
        importer=IMPORTER, source_file=source.name, producer="pilote du contrat", by=by, scope=scope
    )
    candidates: list[Candidate] = []
    seen: dict[str, int] = {}
    with read_delimited(source, issues) as table:
        header = [name.strip().lower() for name in table.header]
        positions = require_columns(issues, header, ["identifiant", "sexe"])
        batch.leave_columns(name for name in header if name not in READ)
        college_at = header.index("college") if "college" in header else None
        source_at = header.index("liste") if "liste" in header else None
        for line, cells in table.rows:
            identifier = cells[positions["identifiant"]].strip()
            sex = SEXES.get(cells[positions["sexe"]].strip().lower())
            college_text = cells[college_at].strip().lower() if college_at is not None else "habitants"
            college = COLLEGES.get(college_text)
            if not identifier:
                issues.add("identifiant vide", line=line, column="identifiant")
            elif identifier in seen:
                issues.add(
                    f"identifiant « {identifier} » déjà donné ligne {seen[identifier]}",
                    line=line,
                    column="identifiant",
                )
            if sex is None:
                issues.add(f"« {cells[positions['sexe']]} » : sexe attendu F ou H", line=line, column="sexe")
            if college is None:
                issues.add(
                    f"« {college_text} » : collège attendu « habitants » ou « acteurs »", line=line, column="college"
                )
            if not identifier or identifier in seen or sex is None or college is None:
                continue
            seen[identifier] = line
            source_list = cells[source_at].strip() if source_at is not None else ""
            candidates.append(
                Candidate(identifier=identifier[:64], sex=sex, college=college, source=source_list[:120])
            )
        table.refuse_if_empty(issues)
    batch.created_count = len(candidates)
    return candidates, batch
