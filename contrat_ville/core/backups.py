"""Whole-platform backups: every table's rows and every uploaded file, restorable exactly (docs/operations.md §
Sauvegardes). ``manage.py export_all <dossier>`` and ``manage.py import_all <dossier>`` call these functions.

An archive is a directory:

- ``manifest.json``: format version, date, database vendor, the tables in dependency order (model, row count,
  files) and every file with its size and SHA-256;
- ``data/<app>.<model>.<n>.json``: the rows of one table (Django's serialiser, primary keys included, written as
  JSON with full-precision times — Django's JSON encoder would cut microseconds —, at most ``CHUNK_ROWS`` rows a
  file). Each model is one table: many-to-many links are their own through table,
  multi-table inheritance children hold only their own columns, contenttypes and permissions are dumped with
  their primary keys, so generic relations (``content_type_id``) and history tables restore as they were;
- ``media/<name>``: the uploaded files of the default storage.

The import checks every checksum before touching the database, then, in one transaction, empties every table
and inserts the rows with their primary keys (raw inserts: no ``save()``, no signal, no history row), checks the
foreign keys, resets the sequences (PostgreSQL), and finally writes the files. Works on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from contrat_ville.core.exceptions import BusinessRuleError

FORMAT = "contrat-ville-sauvegarde/1"
CHUNK_ROWS = 5000
MANIFEST = "manifest.json"


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder without its rounding of times to the millisecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


@dataclass(frozen=True)
class Outcome:
    tables: int
    rows: int
    files: int


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def backed_up_models() -> list[type[models.Model]]:
    """Every model that owns a table (auto-created many-to-many tables included), parents before children."""
    candidates = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]
    by_label = {model._meta.label: model for model in candidates}
    ordered: list[type[models.Model]] = []
    visiting: set[str] = set()
    done: set[str] = set()

    def visit(model: type[models.Model]) -> None:
        label = model._meta.label
        if label in done or label in visiting:
            return  # cycles (self-references, mutual keys) are fine: constraints are checked at the end
        visiting.add(label)
        for field in model._meta.local_concrete_fields:
            target = field.related_model if field.is_relation else None
            if isinstance(target, type) and issubclass(target, models.Model):
                target_label = target._meta.concrete_model._meta.label  # type: ignore[union-attr]
                if target_label in by_label:
                    visit(by_label[target_label])
        visiting.discard(label)
        done.add(label)
        ordered.append(model)

    for model in sorted(candidates, key=lambda model: model._meta.label):
        visit(model)
    return ordered


def _local_field_names(model: type[models.Model]) -> list[str]:
    return [field.name for field in model._meta.local_concrete_fields if not field.primary_key]


def _chunks(rows: Iterable[models.Model], size: int) -> Iterator[list[models.Model]]:
    chunk: list[models.Model] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _storage_files(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file name of ``storage``, walking its directories (FileSystemStorage, InMemoryStorage…)."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(directories):
        yield from _storage_files(storage, f"{directory}/{sub}" if directory else sub)


def export_all(target: Path, *, storage: Storage | None = None) -> Outcome:
    """Write the archive of the whole database and media into ``target`` (a new or empty directory)."""
    storage = storage or default_storage
    if target.exists() and any(target.iterdir()):
        raise BusinessRuleError(f"Le dossier {target} n'est pas vide : choisissez un dossier neuf pour la sauvegarde.")
    (target / "data").mkdir(parents=True, exist_ok=True)
    (target / "media").mkdir(exist_ok=True)
    outermost = not connection.in_atomic_block
    tables: list[dict[str, Any]] = []
    total_rows = 0
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One snapshot for every table: rows written meanwhile by the site are not half in the archive.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for model in backed_up_models():
            queryset = model._base_manager.order_by("pk")
            entry: dict[str, Any] = {"model": model._meta.label_lower, "table": model._meta.db_table, "files": []}
            rows = 0
            fields = _local_field_names(model)
            for number, chunk in enumerate(_chunks(queryset.iterator(chunk_size=2000), CHUNK_ROWS)):
                rows_data = serializers.serialize("python", chunk, fields=fields)
                content = json.dumps(rows_data, cls=ExactJSONEncoder, ensure_ascii=False).encode()
                name = f"data/{model._meta.label_lower}.{number:05d}.json"
                (target / name).write_bytes(content)
                entry["files"].append({"name": name, "rows": len(chunk), "sha256": sha256_of(content)})
                rows += len(chunk)
            entry["rows"] = rows
            total_rows += rows
            tables.append(entry)
    media = []
    for name in _storage_files(storage):
        with storage.open(name, "rb") as handle:
            content = handle.read()
        path = target / "media" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        media.append({"name": name, "size": len(content), "sha256": sha256_of(content)})
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "tables": tables,
        "media": media,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return Outcome(tables=len(tables), rows=total_rows, files=len(media))


def _read_checked(source: Path, name: str, expected: str) -> bytes:
    path = source / name
    if not path.is_file():
        raise BusinessRuleError(f"Sauvegarde incomplète : le fichier {name} manque.")
    content = path.read_bytes()
    if sha256_of(content) != expected:
        raise BusinessRuleError(f"Sauvegarde altérée : l'empreinte SHA-256 de {name} ne correspond pas au manifeste.")
    return content


def read_manifest(source: Path) -> dict[str, Any]:
    if not (source / MANIFEST).is_file():
        raise BusinessRuleError(f"{source} n'est pas une sauvegarde : le fichier {MANIFEST} manque.")
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    except ValueError as error:
        raise BusinessRuleError(f"Le manifeste de {source} est illisible : {error}.") from error
    if manifest.get("format") != FORMAT:
        raise BusinessRuleError(f"Format de sauvegarde inconnu : {manifest.get('format')!r} (attendu : {FORMAT}).")
    return manifest


def verify(source: Path) -> dict[str, Any]:
    """The manifest, once every data and media file is present with its checksum (nothing written)."""
    manifest = read_manifest(source)
    known = {model._meta.label_lower for model in backed_up_models()}
    unknown = [table["model"] for table in manifest["tables"] if table["model"] not in known]
    if unknown:
        raise BusinessRuleError(
            "La sauvegarde contient des tables que cette version ne connaît pas : "
            f"{', '.join(unknown)}. Restaurez-la avec la version qui l'a produite, puis migrez."
        )
    for table in manifest["tables"]:
        for chunk in table["files"]:
            _read_checked(source, chunk["name"], chunk["sha256"])
    for media in manifest["media"]:
        _read_checked(source, f"media/{media['name']}", media["sha256"])
    return manifest


def database_has_users() -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model()._base_manager.exists()


def _insert(model: type[models.Model], objects: list[models.Model]) -> None:
    fields = [field for field in model._meta.local_concrete_fields if not field.generated]
    batch = max(1, connection.ops.bulk_batch_size(fields, objects) or len(objects))
    for start in range(0, len(objects), batch):
        model._base_manager._insert(  # type: ignore[attr-defined]
            objects[start : start + batch], fields=fields, using=connection.alias, raw=True
        )


def import_all(source: Path, *, replace: bool = False, storage: Storage | None = None) -> Outcome:
    """Replace the database's rows and the media files by the archive in ``source`` (primary keys kept)."""
    storage = storage or default_storage
    manifest = verify(source)
    if database_has_users() and not replace:
        raise BusinessRuleError(
            "La base de données contient déjà des comptes : la restauration remplacerait toutes ses données. "
            "Restaurez dans une base neuve (manage.py migrate) ou relancez avec --remplacer."
        )
    models_by_label = {model._meta.label_lower: model for model in backed_up_models()}
    rows = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            connection.check_constraints()  # fires pending deferred checks: TRUNCATE refuses to run after them
        connection.ops.execute_sql_flush(sql_flush(no_style(), connection, reset_sequences=False))
        with connection.constraint_checks_disabled():
            for table in manifest["tables"]:
                model = models_by_label[table["model"]]
                for chunk in table["files"]:
                    content = (source / chunk["name"]).read_bytes()
                    objects = [item.object for item in serializers.deserialize("python", json.loads(content))]
                    _insert(model, objects)
                    rows += len(objects)
        connection.check_constraints(table_names=[model._meta.db_table for model in models_by_label.values()])
        sequences = connection.ops.sequence_reset_sql(no_style(), list(models_by_label.values()))
        if sequences:
            with connection.cursor() as cursor:
                for statement in sequences:
                    cursor.execute(statement)
    ContentType.objects.clear_cache()
    for name in list(_storage_files(storage)):
        storage.delete(name)
    for media in manifest["media"]:
        saved = storage.save(media["name"], ContentFile((source / "media" / media["name"]).read_bytes()))
        if saved != media["name"]:
            raise BusinessRuleError(f"Le fichier {media['name']} a été enregistré sous un autre nom ({saved}).")
    return Outcome(tables=len(manifest["tables"]), rows=rows, files=len(manifest["media"]))
