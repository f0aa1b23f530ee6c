from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils import timezone

from contrat_ville.core.fields import optional_reference, user_reference
from contrat_ville.core.imports import limits


class TimeStampedModel(models.Model):
    """Creation and update timestamps for every domain row."""

    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


def import_batch_link(**options: Any) -> "models.ForeignKey[Any, Any]":
    """The import batch that last wrote the row: its provenance, kept empty when the batch is deleted."""
    return optional_reference("core.ImportBatch", "lot d'import", on_delete=models.SET_NULL, **options)


def in_order_when_given(first: str, then: str, *, name: str) -> models.CheckConstraint:
    """The table's check that ``then`` is not before ``first`` when both are given (either may stay empty): an
    action's dates, an objective's baseline and target years."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{first}__isnull": True})
        | models.Q(**{f"{then}__isnull": True})
        | models.Q(**{f"{then}__gte": models.F(first)}),
        name=name,
    )


class StatusChange(models.Model):
    """One status change of any workflow object (stake, plan, application…): who, when, from, to, why.

    Points at its object through contenttypes so that ``core`` imports no domain app (design.md §5).
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name="type d'objet", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField("identifiant de l'objet")
    target = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField("état précédent", max_length=40, blank=True)
    to_status = models.CharField("nouvel état", max_length=40)
    comment = models.TextField("commentaire", blank=True)
    changed_by = user_reference("par")
    changed_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "changement d'état"
        verbose_name_plural = "changements d'état"
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="statuschange_target_idx")]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class ImportBatch(models.Model):
    """One import of one file, by any importer: its provenance and its report (design.md §5 « import provenance »).

    Every imported row points at the batch that last wrote it. The batch also is the report the command and the
    web page show: counts, warnings, what was left aside on purpose (``ignored``: the unknown territories of an
    import told to skip them) and what the file held that no importer reads (``unused_columns``: sheet name, or
    « » for a delimited file, → column names; ``unused_sheets``). A refused file leaves no batch (one transaction).

    Private data (a contract's own indicator values) name their contract through ``scope``, a generic relation,
    so that ``core`` imports no domain app (as ``StatusChange`` does); public data have no scope.
    """

    importer = models.CharField("importeur", max_length=64)
    source_file = models.CharField("fichier source", max_length=500)
    producer = models.CharField("producteur", max_length=255, blank=True)
    licence = models.CharField("licence", max_length=255, blank=True)
    vintage = models.CharField("millésime", max_length=16, blank=True)
    imported_at = models.DateTimeField("importé le", auto_now_add=True)
    imported_by = user_reference("importé par")
    scope_type = optional_reference(
        "contenttypes.ContentType", "type de l'objet propriétaire", on_delete=models.CASCADE
    )
    scope_id = models.PositiveBigIntegerField("identifiant de l'objet propriétaire", null=True, blank=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    created_count = models.PositiveIntegerField("créés", default=0)
    updated_count = models.PositiveIntegerField("mis à jour", default=0)
    replaced_count = models.PositiveIntegerField("remplacés", default=0)
    rejected_count = models.PositiveIntegerField("rejetés", default=0)
    warnings = models.JSONField("avertissements", default=list, blank=True)
    ignored = models.JSONField("éléments ignorés", default=list, blank=True)
    unused_columns = models.JSONField("colonnes non lues", default=dict, blank=True)
    unused_sheets = models.JSONField("feuilles non lues", default=list, blank=True)
    sheet_counts = models.JSONField("décompte par feuille", default=dict, blank=True)

    class Meta:
        verbose_name = "lot d'import"
        verbose_name_plural = "lots d'import"
        ordering = ["-imported_at", "-pk"]
        indexes = [models.Index(fields=["scope_type", "scope_id"], name="importbatch_scope_idx")]

    def __str__(self) -> str:
        return f"{self.importer} — {self.source_file}"

    # --- the report, filled while the file is read -------------------------------------------------------------

    def warn(self, message: str) -> None:
        """Note a warning once; past ``limits.MAX_WARNINGS`` the last line counts the others."""
        _add_bounded(self.warnings, message, limits.MAX_WARNINGS, "autres avertissements")

    def ignore(self, item: str) -> None:
        """Note an item left aside on purpose (« QN09699X (qpv) »), once; bounded like the warnings."""
        _add_bounded(self.ignored, item, limits.MAX_LISTED, "autres éléments")

    def leave_columns(self, columns: Iterable[str], *, sheet: str = "") -> None:
        """Note the columns of a sheet (« » for a delimited file) that no rule of the importer reads."""
        names = [name for name in columns if name]
        if names:
            self.unused_columns = {**self.unused_columns, sheet: list(dict.fromkeys(names))}

    def leave_sheet(self, name: str) -> None:
        if name not in self.unused_sheets:
            self.unused_sheets = [*self.unused_sheets, name]

    @property
    def summary(self) -> str:
        """« 3 créé(s), 0 mis à jour, 1 remplacé(s), 2 rejeté(s) »."""
        return (
            f"{self.created_count} créé(s), {self.updated_count} mis à jour, {self.replaced_count} remplacé(s), "
            f"{self.rejected_count} rejeté(s)"
        )

    def unused_lines(self) -> list[str]:
        """« Feuilles non lues : Brouillon. », « Colonnes non lues (feuille « Orientations ») : Commentaire. »."""
        lines = [f"Feuilles non lues : {', '.join(self.unused_sheets)}."] if self.unused_sheets else []
        for sheet, columns in self.unused_columns.items():
            where = f" (feuille « {sheet} »)" if sheet else ""
            lines.append(f"Colonnes non lues{where} : {', '.join(columns)}.")
        return lines

    def report_lines(self) -> list[str]:
        """The report as the commands print it, in French; the web pages show the same fields."""
        lines = [f"Import {self.importer} ({self.source_file}, millésime {self.vintage or '—'}) : {self.summary}."]
        sections = (
            (self.warnings, "avertissement(s)"),
            (self.ignored, "élément(s) ignoré(s)"),
        )
        for items, label in sections:
            if items:
                lines.append(f"{len(items)} {label} :")
                lines.extend(f"  - {item}" for item in items)
        return lines + self.unused_lines()


def _add_bounded(items: list[str], item: str, limit: int, others: str) -> None:
    if item in items:
        return
    if len(items) < limit:
        items.append(item)
        return
    if len(items) == limit:
        items.append(f"… et 1 {others}")
        return
    count = int(items[-1].split()[2]) + 1
    items[-1] = f"… et {count} {others}"


class DataVersion(models.Model):
    """One number that grows after every committed write of the platform's data (``core.data_version``): pages
    cached under it (the contract's dashboard) are served again only until something changes."""

    value = models.BigIntegerField("version des données", default=0)

    class Meta:
        verbose_name = "version des données"
        verbose_name_plural = "version des données"

    def __str__(self) -> str:
        return str(self.value)
