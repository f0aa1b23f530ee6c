"""Programme 147 posts as the ANCT publishes them: one JSON file a programme and a year (``adulte-relais-AAAA.json``,
``postes-fonjep-AAAA.json``), read through the import kernel (``core.imports``, docs/imports.md).

What the files really hold (data-formats.md §12): a JSON array of objects (``id_poste``, ``code_tiers``,
``raison_sociale``, ``annee``, ``montant``, ``code_cv`` — the contract's ANCT code —, ``insee_dep``, ``insee_reg``);
the two files disagree on types (the adultes-relais file has numeric ``annee`` and decimal ``montant``, a SIRET in
``code_tiers``; the FONJEP file a string ``annee``, an integer ``montant``, the employer's name in ``code_tiers``);
about 1 % of the objects have no ``code_cv`` key, a few repeat their ``id_poste``.

Each post is attached to the contract whose ANCT code (``Contract.anct_code``) matches; the others are reported (no
code, a contract absent from the platform, a year outside the contract's period), never a failure. A post is one
``Credit`` per year, keyed by programme, post id and year: importing a year again updates its posts, never
duplicates them. A faulty object (no id, a year or an amount that is not one) refuses the whole file with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from contrat_ville.contracts.models import Contract
from contrat_ville.core.imports.errors import Issues
from contrat_ville.core.imports.readers import load_json
from contrat_ville.core.imports.record import OPEN_LICENCE, import_batch_new
from contrat_ville.core.imports.sources import source_of
from contrat_ville.core.models import ImportBatch
from contrat_ville.funding.enums import AgreementKind, CreditProgramme
from contrat_ville.funding.models import Credit
from contrat_ville.funding.selectors import POSTS_IMPORTER

PRODUCER = "Agence nationale de la cohésion des territoires (ANCT)"
POST_PROGRAMMES: dict[str, str] = {
    CreditProgramme.ADULTES_RELAIS: "Poste d'adulte-relais",
    CreditProgramme.FONJEP: "Poste FONJEP",
}
READ_KEYS = {"id_poste", "code_tiers", "raison_sociale", "annee", "montant", "code_cv"}
SIRET = re.compile(r"^[0-9]{14}$")
YEAR = re.compile(r"^[0-9]{4}$")


@dataclass(frozen=True)
class Post:
    line: int
    post_id: str
    year: int
    amount: Decimal
    employer: str
    siret: str
    contract_code: str


def programme_of(file_name: str, first_post_id: str = "") -> str | None:
    """The programme a file holds, from its published name, else from the shape of its post ids (adultes-relais:
    « 00112R000103 »; FONJEP: « D01935 »)."""
    name = file_name.lower()
    if "adulte" in name:
        return CreditProgramme.ADULTES_RELAIS
    if "fonjep" in name:
        return CreditProgramme.FONJEP
    if re.fullmatch(r"[0-9]+R[0-9]+", first_post_id):
        return CreditProgramme.ADULTES_RELAIS
    if re.fullmatch(r"D[0-9]+", first_post_id):
        return CreditProgramme.FONJEP
    return None


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and YEAR.match(value.strip()):
        return int(value.strip())
    return None


def _amount(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return amount.quantize(Decimal("0.01")) if amount.is_finite() and amount >= 0 else None


def _posts(data: Any, lines: list[int], issues: Issues) -> list[Post]:
    if not isinstance(data, list):
        issues.fatal("le fichier doit être un tableau JSON de postes (« [{…}, {…}] »)", line=1)
    posts: list[Post] = []
    for item, line in zip(data, lines, strict=True):
        if not isinstance(item, dict):
            issues.add("chaque élément du tableau doit être un objet JSON (un poste)", line=line)
            continue
        post_id = str(item.get("id_poste") or "").strip()
        year = _year(item.get("annee"))
        amount = _amount(item.get("montant"))
        if not post_id:
            issues.add("poste sans identifiant (« id_poste »)", line=line, column="id_poste")
        if year is None:
            issues.add(f"« {item.get('annee')} » n'est pas une année", line=line, column="annee")
        if amount is None:
            issues.add(f"« {item.get('montant')} » n'est pas un montant en euros", line=line, column="montant")
        if not post_id or year is None or amount is None:
            continue
        tiers = str(item.get("code_tiers") or "").strip()
        employer = str(item.get("raison_sociale") or "").strip() or (tiers if not SIRET.match(tiers) else "")
        posts.append(
            Post(
                line=line,
                post_id=post_id[:32],
                year=year,
                amount=amount,
                employer=employer[:255],
                siret=tiers if SIRET.match(tiers) else "",
                contract_code=str(item.get("code_cv") or "").strip(),
            )
        )
    return posts


def import_p147_posts(
    path_or_file: Any, *, programme: str = "", by: Any = None, name: str | None = None
) -> ImportBatch:
    """Import one ANCT file of programme 147 posts (``programme``: adultes-relais or FONJEP, found from the file
    when empty). Returns the saved batch; refuses the whole file (``ImportFileError``) on a faulty object."""
    source = source_of(path_or_file, name=name)
    issues = Issues(source.name)
    document = load_json(source)
    data = document.data
    posts = _posts(data, document.item_lines(), issues)
    issues.refuse_if_any()
    if not posts:
        issues.fatal("le fichier ne contient aucun poste : rien n'a été importé")
    programme = programme or programme_of(source.name, posts[0].post_id) or ""
    if programme not in POST_PROGRAMMES:
        issues.fatal(
            "programme introuvable : choisissez « adultes-relais » ou « FONJEP » (le nom du fichier et les "
            "identifiants de postes ne le disent pas)"
        )
    years = sorted({post.year for post in posts})
    batch = import_batch_new(
        importer=POSTS_IMPORTER,
        source_file=source.name,
        producer=PRODUCER,
        licence=OPEN_LICENCE,
        vintage=str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}",
        by=by,
    )
    unused = sorted({key for item in data if isinstance(item, dict) for key in item} - READ_KEYS)
    if unused:
        batch.leave_columns(unused)
    contracts = {
        contract.anct_code: contract
        for contract in Contract.objects.filter(anct_code__in={post.contract_code for post in posts} - {""})
    }
    wanted: dict[tuple[str, int], tuple[Post, Contract]] = {}
    for post in posts:
        contract = contracts.get(post.contract_code)
        if (post.post_id, post.year) in wanted:
            batch.warn(
                f"ligne {post.line} : le poste {post.post_id} de {post.year} est répété ; seul le premier compte"
            )
        elif not post.contract_code:
            batch.ignore(f"poste {post.post_id} (ligne {post.line}) : sans code de contrat de ville")
        elif contract is None:
            batch.ignore(
                f"poste {post.post_id} (ligne {post.line}) : contrat {post.contract_code} absent de la plateforme"
            )
        elif not contract.start_on.year <= post.year <= contract.end_on.year:
            batch.ignore(
                f"poste {post.post_id} (ligne {post.line}) : {post.year} hors de la période du contrat "
                f"{post.contract_code} ({contract.start_on.year}-{contract.end_on.year})"
            )
        else:
            wanted[(post.post_id, post.year)] = (post, contract)
    with transaction.atomic():
        batch.save()
        _write(batch, programme, wanted)
        batch.save()
    return batch


def _write(batch: ImportBatch, programme: str, wanted: dict[tuple[str, int], tuple[Post, Contract]]) -> None:
    """Set-based: one read of the stored posts, one bulk insert, one bulk update of the changed ones."""
    stored = {
        (credit.post_id, credit.year): credit
        for credit in Credit.objects.filter(
            programme=programme,
            post_id__in={key[0] for key in wanted},
            year__in={key[1] for key in wanted},
        )
    }
    label = POST_PROGRAMMES[programme]
    created: list[Credit] = []
    changed: list[Credit] = []
    for key, (post, contract) in wanted.items():
        values = {
            "contract": contract,
            "title": f"{label} {post.post_id}",
            "beneficiary": post.employer,
            "beneficiary_siret": post.siret,
            "granted": post.amount,
        }
        credit = stored.get(key)
        if credit is None:
            created.append(
                Credit(
                    programme=programme,
                    post_id=post.post_id,
                    year=post.year,
                    agreement=AgreementKind.MULTI_YEAR,
                    import_batch=batch,
                    **values,
                )
            )
        elif any(getattr(credit, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(credit, field, value)
            credit.import_batch = batch
            changed.append(credit)
    Credit.objects.bulk_create(created, batch_size=1000)
    Credit.objects.bulk_update(
        changed, ["contract", "title", "beneficiary", "beneficiary_siret", "granted", "import_batch"], batch_size=1000
    )
    batch.created_count = len(created)
    batch.updated_count = len(changed)
