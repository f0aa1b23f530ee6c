"""The pool of a draw, imported from a CSV file through the import kernel (``core.imports``, docs/imports.md).

Columns (header on the first line, « ; » or « , »): ``identifiant`` (anonymous: a number the pilot keeps apart from
the names), ``sexe`` (F/H, femme/homme), ``college`` (habitants / acteurs; « habitants » when the column is absent),
``liste`` (where the candidate comes from: volunteers, a landlord's register…; optional), and, for draws with quotas,
``tranche_age`` (« moins de 18 ans », « 18-25 », « 26 à 39 ans », « 40-59 », « 60 ans et plus »…) and ``quartier`` (as
the pilot writes it, e.g. the QPV's code); both optional. Every faulty cell is listed with its line and column, and the
whole file is then refused; a repeated identifier is a fault.
"""

from __future__ import annotations

from typing import Any

from contrat_ville.core.imports.errors import Issues
from contrat_ville.core.imports.readers import read_delimited, require_columns
from contrat_ville.core.imports.record import import_batch_new
from contrat_ville.core.imports.sources import source_of
from contrat_ville.core.models import ImportBatch
from contrat_ville.participation.draws import Candidate
from contrat_ville.participation.enums import AgeBand, College, Sex

IMPORTER = "draw_pool"
SEXES = {"f": Sex.FEMALE, "femme": Sex.FEMALE, "h": Sex.MALE, "homme": Sex.MALE, "m": Sex.MALE}
COLLEGES = {
    "habitants": College.RESIDENTS,
    "residents": College.RESIDENTS,
    "acteurs": College.LOCAL_ACTORS,
    "acteurs locaux": College.LOCAL_ACTORS,
    "associations": College.LOCAL_ACTORS,
}
READ = ("identifiant", "sexe", "college", "liste", "tranche_age", "quartier")


def _age_band_spellings() -> dict[str, str]:
    spellings: dict[str, str] = {}
    for band in AgeBand:
        spellings[band.value] = band.value
        spellings[band.label] = band.value
        spellings[band.label.removesuffix(" ans")] = band.value
    spellings |= {
        "-18": AgeBand.UNDER_18,
        "moins de 18": AgeBand.UNDER_18,
        "18-25": AgeBand.FROM_18_TO_25,
        "26-39": AgeBand.FROM_26_TO_39,
        "40-59": AgeBand.FROM_40_TO_59,
        "60+": AgeBand.FROM_60,
        "60 et plus": AgeBand.FROM_60,
        "60 ans et +": AgeBand.FROM_60,
    }
    return spellings


AGE_BAND_SPELLINGS = _age_band_spellings()


def age_band_of(text: str) -> str | None:
    """The age band a pool file or a quota names (« 18-25 », « 18 à 25 ans », « 18_25 »…); ``None`` if unknown."""
    return AGE_BAND_SPELLINGS.get(" ".join(text.strip().lower().split()))


AGE_BAND_HINT = "moins de 18 ans, 18-25, 26-39, 40-59 ou 60 ans et plus"


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
        age_at = header.index("tranche_age") if "tranche_age" in header else None
        neighbourhood_at = header.index("quartier") if "quartier" in header else None
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
            age_text = cells[age_at].strip() if age_at is not None else ""
            age_band = age_band_of(age_text) if age_text else ""
            if age_band is None:
                issues.add(
                    f"« {age_text} » : tranche d'âge attendue ({AGE_BAND_HINT})", line=line, column="tranche_age"
                )
            if not identifier or identifier in seen or sex is None or college is None or age_band is None:
                continue
            seen[identifier] = line
            source_list = cells[source_at].strip() if source_at is not None else ""
            neighbourhood = cells[neighbourhood_at].strip() if neighbourhood_at is not None else ""
            candidates.append(
                Candidate(
                    identifier=identifier[:64],
                    sex=sex,
                    college=college,
                    source=source_list[:120],
                    age_band=age_band,
                    neighbourhood=neighbourhood[:120],
                )
            )
        table.refuse_if_empty(issues)
    batch.created_count = len(candidates)
    return candidates, batch
