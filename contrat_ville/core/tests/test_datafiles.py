"""The loader of the data files shipped with the code: typed records, French errors naming file and entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta

import pytest

from contrat_ville.core.datafiles import DataFileError, load_records, read_data_file

PACKAGE, FILE = "contrat_ville.core.tests", "data/sample.yaml"


@dataclass(frozen=True)
class Part:
    name: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Place:
    name: str
    population: int
    area: float
    centre: tuple[float, float]
    parts: tuple[Part, ...] = ()
    note: str | None = None


def test_builds_typed_records_in_file_order():
    first, second = load_records(Place, PACKAGE, FILE, section="good", key="name")
    assert first == Place(
        name="Sorne-la-Ville",
        population=31124,
        area=12.0,
        centre=(12.6, 7.4),
        parts=(Part("Centre ancien"), Part("Gare", tags=("activité",))),
    )
    assert isinstance(first.area, float) and isinstance(second.centre, tuple)
    assert second.parts == () and second.note is None


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            "unknown_key",
            "contrat_ville/core/tests/data/sample.yaml, section « unknown_key », entrée 1 (Avrinay) : "
            "clé inconnue « populaton » (clés possibles : name, population, area, centre, parts, note).",
        ),
        (
            "missing_key",
            "contrat_ville/core/tests/data/sample.yaml, section « missing_key », entrée 1 (Cerzieu) : "
            "clé obligatoire « population » absente.",
        ),
        (
            "nested_fault",
            "contrat_ville/core/tests/data/sample.yaml, section « nested_fault », entrée 1 (Brévignac), "
            "« parts » : clé inconnue « nom » (clés possibles : name, tags).",
        ),
        (
            "wrong_pair",
            "contrat_ville/core/tests/data/sample.yaml, section « wrong_pair », entrée 1 (Marlhieu), « centre » : "
            "2 valeurs attendues, 3 trouvées.",
        ),
        (
            "not_a_list",
            "contrat_ville/core/tests/data/sample.yaml, section « not_a_list » : une liste d'entrées est attendue.",
        ),
        ("absent", "contrat_ville/core/tests/data/sample.yaml : section « absent » absente."),
    ],
)
def test_a_bad_entry_is_refused_in_french_naming_file_and_entry(section, message):
    with pytest.raises(DataFileError) as raised:
        load_records(Place, PACKAGE, FILE, section=section, key="name")
    assert str(raised.value) == message


def test_reads_csv_as_dicts():
    assert read_data_file(PACKAGE, "data/sample.csv") == [
        {"code": "A", "label": "premier"},
        {"code": "B", "label": "second"},
    ]


def test_refuses_an_unknown_format():
    with pytest.raises(DataFileError, match="format inconnu"):
        read_data_file(PACKAGE, "test_datafiles.py")


@dataclass(frozen=True)
class Slot:
    title: str
    start: time
    duration: timedelta
    absences: dict[int, tuple[str, str]] = field(default_factory=dict)


def test_times_durations_and_dicts():
    (slot,) = load_records(Slot, PACKAGE, FILE, section="schedule")
    assert slot == Slot("Comité", time(14, 30), timedelta(hours=1, minutes=30), {4: ("excused", "")})


def test_an_unquoted_time_is_refused():
    with pytest.raises(DataFileError, match="« 870 » n'est pas une heure ou une durée « HH:MM »"):
        load_records(Slot, PACKAGE, FILE, section="bad_time")
