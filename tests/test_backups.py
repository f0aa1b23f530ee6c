"""``export_all`` / ``import_all`` (core.backups): a varied dataset exported, wiped, restored, compared exactly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from contrat_ville.core.backups import _storage_files, backed_up_models
from contrat_ville.funding.enums import ApplicationStatus
from contrat_ville.funding.tests.factories import applicant_member, make_application, make_call
from contrat_ville.governance.models import Meeting, MeetingAttachment
from contrat_ville.strategy.tests.factories import make_action, make_objective, make_orientation

pytestmark = pytest.mark.django_db

UPLOAD = b"%PDF-1.4\n" + bytes(range(256)) * 8 + "Compte rendu signé — séance".encode()


def _dataset() -> None:
    from contrat_ville.contracts.tests.factories import make_contract

    contract = make_contract(published=True)
    call = make_call(contract)
    _, organization = applicant_member(contract)
    application = make_application(call, organization, status=ApplicationStatus.PROGRAMMED)  # decision: generic FK
    meeting = Meeting.objects.filter(body__contract=application.contract).first()
    assert meeting is not None
    MeetingAttachment.objects.create(
        meeting=meeting, title="Compte rendu", file=ContentFile(UPLOAD, name="compte-rendu.pdf")
    )
    default_storage.save("divers/note.txt", ContentFile(b"Note interne\n"))
    orientation = make_orientation(contract)
    make_action(make_objective(orientation))


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {
        model._meta.label_lower: list(model._base_manager.order_by("pk").values_list()) for model in backed_up_models()
    }


def _media() -> dict[str, bytes]:
    result = {}
    for name in _storage_files(default_storage):
        with default_storage.open(name, "rb") as handle:
            result[name] = handle.read()
    return result


def _wipe() -> None:
    if connection.vendor == "postgresql":
        connection.check_constraints()  # the test's own inserts leave deferred checks that TRUNCATE refuses
    call_command("flush", interactive=False, verbosity=0)
    for name in list(_storage_files(default_storage)):
        default_storage.delete(name)


@pytest.fixture
def empty_media():
    for name in list(_storage_files(default_storage)):
        default_storage.delete(name)
    yield
    for name in list(_storage_files(default_storage)):
        default_storage.delete(name)


def test_export_wipe_import_restores_every_row_and_file_exactly(tmp_path: Path, empty_media: None) -> None:
    _dataset()
    before, files_before = _snapshot(), _media()
    assert any(label.startswith("simple_history") or "historical" in label for label in before if before[label])
    assert before["funding.application"] and before["governance.decision"] and before["contenttypes.contenttype"]
    assert len(files_before) == 2

    call_command("export_all", str(tmp_path / "sauvegarde"), verbosity=0)
    _wipe()
    assert not _media()
    assert not _snapshot()["funding.application"]

    call_command("import_all", str(tmp_path / "sauvegarde"), verbosity=0)
    after = _snapshot()
    assert after.keys() == before.keys()
    for label, rows in before.items():
        assert after[label] == rows, label
    assert _media() == files_before

    # The restored database works: new rows get fresh primary keys.
    from contrat_ville.accounts.tests.factories import UserFactory

    assert UserFactory.create().pk > max(pk for pk, *_ in before["accounts.user"])


def test_the_manifest_lists_tables_rows_and_file_checksums(tmp_path: Path, empty_media: None) -> None:
    _dataset()
    call_command("export_all", str(tmp_path / "s"), verbosity=0)
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text())
    labels = [table["model"] for table in manifest["tables"]]
    assert labels.index("contenttypes.contenttype") < labels.index("governance.decision")
    assert labels.index("contracts.contract") < labels.index("funding.application")
    attachment = next(media for media in manifest["media"] if media["name"].endswith("compte-rendu.pdf"))
    assert attachment["size"] == len(UPLOAD)


def test_import_refuses_an_altered_archive_without_touching_the_database(tmp_path: Path, empty_media: None) -> None:
    _dataset()
    call_command("export_all", str(tmp_path / "s"), verbosity=0)
    note = tmp_path / "s" / "media" / "divers" / "note.txt"
    note.write_bytes(b"modifie")
    before = _snapshot()
    with pytest.raises(CommandError, match=r"empreinte SHA-256 de media/divers/note\.txt"):
        call_command("import_all", str(tmp_path / "s"), "--remplacer", verbosity=0)
    assert _snapshot() == before


def test_import_refuses_a_database_with_accounts_unless_told_to_replace(tmp_path: Path, empty_media: None) -> None:
    _dataset()
    call_command("export_all", str(tmp_path / "s"), verbosity=0)
    with pytest.raises(CommandError, match="contient déjà des comptes"):
        call_command("import_all", str(tmp_path / "s"), verbosity=0)
    call_command("import_all", str(tmp_path / "s"), "--remplacer", verbosity=0)


def test_export_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "autre.txt").write_text("x")
    with pytest.raises(CommandError, match="n'est pas vide"):
        call_command("export_all", str(tmp_path), verbosity=0)


def test_import_refuses_a_directory_that_is_not_a_backup(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="n'est pas une sauvegarde"):
        call_command("import_all", str(tmp_path), verbosity=0)
