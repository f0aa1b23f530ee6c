"""A number that grows after every committed write, so that what only a write changes can be cached.

Every ``post_save``, ``post_delete`` and ``m2m_changed`` of the platform's models registers one bump to run when
its transaction commits (one per transaction, however many rows it writes; none if it rolls back). Pages cached
under the current version (``core.page_cache``) are thus never served after a change. Writes that send no signal —
``QuerySet.update()``, ``bulk_create`` — are covered by the imports recording their ``ImportBatch`` (a save) in the
same transaction, and by the caches' short lifetime.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_migrate

# Rows that change without changing what anyone reads on the platform's pages.
IGNORED_MODELS = frozenset(
    {
        "sessions.session",
        "axes.accessattempt",
        "axes.accesslog",
        "axes.accessfailurelog",
        "otp_totp.totpdevice",  # every code given writes its device; the page cache keys on the session's device
        "core.dataversion",
        "contracts.awaitingdigest",
    }
)


def current() -> int:
    """The version now (one query); 0 before the first write."""
    from contrat_ville.core.models import DataVersion

    return DataVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0


def bump() -> None:
    from contrat_ville.core.models import DataVersion

    if not DataVersion.objects.filter(pk=1).update(value=F("value") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"value": 1})


class _Migrating:
    """While ``migrate`` runs, the version's own table may not exist yet: data migrations write without bumping."""

    now = False


def _migration_starts(**kwargs: Any) -> None:
    _Migrating.now = True


def _migration_ends(**kwargs: Any) -> None:
    _Migrating.now = False


def _bump_on_commit(sender: Any, **kwargs: Any) -> None:
    if _Migrating.now or sender._meta.label_lower in IGNORED_MODELS:
        return
    if any(entry[1] is bump for entry in connection.run_on_commit):  # (savepoints, callback, robust)
        return  # already due when this transaction commits
    transaction.on_commit(bump)


def connect() -> None:
    """From ``CoreConfig.ready()``."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_bump_on_commit, dispatch_uid=f"data_version_{id(signal)}")
    pre_migrate.connect(_migration_starts, dispatch_uid="data_version_pre_migrate")
    post_migrate.connect(_migration_ends, dispatch_uid="data_version_post_migrate")
