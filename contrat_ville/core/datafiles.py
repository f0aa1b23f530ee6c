"""Data shipped with the code — the indicator catalogue, the demo's content — kept in YAML or CSV files that the
code reads, so that the Python holds only the logic (one place for each rule).

A file lives in its package's ``data/`` folder (``contrat_ville/observation/data/catalogue.yaml``) and is read
with ``importlib.resources``, so it goes wherever the package goes. ``load_records`` turns a list of entries into
frozen dataclasses: the dataclass says which keys are required (fields without a default) and which are optional;
nested dataclasses, tuples, dicts, times and durations (« HH:MM ») are built from their type hints; a missing or
unknown key raises ``DataFileError`` with a French message naming the file and the entry. These files are written
by developers, not uploaded by users: user files go through the import kernel (``core.imports``).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import types
import typing
from collections.abc import Mapping
from datetime import time, timedelta
from functools import cache
from importlib.resources import files
from typing import Any, TypeVar

import yaml

T = TypeVar("T")


class DataFileError(ValueError):
    """A data file shipped with the code is malformed; the message names the file and the entry, in French."""


def data_file_name(package: str, name: str) -> str:
    """The file's path from the project root, as error messages give it."""
    return f"{package.replace('.', '/')}/{name}"


@cache
def read_data_file(package: str, name: str) -> Any:
    """The parsed content of ``name`` (relative to ``package``): YAML as plain Python, CSV as a list of dicts.

    Cached: the files do not change while the process runs. Callers must not mutate what they get.
    """
    text = files(package).joinpath(name).read_text(encoding="utf-8")
    if name.endswith((".yaml", ".yml")):
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise DataFileError(f"{data_file_name(package, name)} : YAML illisible ({error}).") from error
    if name.endswith(".csv"):
        return list(csv.DictReader(io.StringIO(text)))
    raise DataFileError(f"{data_file_name(package, name)} : format inconnu (YAML ou CSV attendu).")


def data_section(package: str, name: str, section: str) -> Any:
    """One top-level key of a YAML mapping file."""
    content = read_data_file(package, name)
    if not isinstance(content, Mapping) or section not in content:
        raise DataFileError(f"{data_file_name(package, name)} : section « {section} » absente.")
    return content[section]


def load_records(
    cls: type[T], package: str, name: str, *, section: str | None = None, key: str | None = None
) -> tuple[T, ...]:
    """The entries of a data file (or of one ``section`` of it) as ``cls`` dataclasses, in file order.

    ``key`` names the field that identifies an entry in error messages (``code``, ``slug``…).
    """
    content = read_data_file(package, name) if section is None else data_section(package, name, section)
    where = data_file_name(package, name) + (f", section « {section} »" if section else "")
    if not isinstance(content, list):
        raise DataFileError(f"{where} : une liste d'entrées est attendue.")
    return tuple(
        _build(cls, entry, where=f"{where}, {_entry_name(index, entry, key)}")
        for index, entry in enumerate(content, start=1)
    )


def load_record(cls: type[T], package: str, name: str, *, section: str | None = None) -> T:
    """A YAML file's mapping (or one ``section`` of it) as a ``cls`` dataclass."""
    if section is None:
        return _build(cls, read_data_file(package, name), where=data_file_name(package, name))
    where = f"{data_file_name(package, name)}, section « {section} »"
    return _build(cls, data_section(package, name, section), where=where)


def _entry_name(index: int, entry: object, key: str | None) -> str:
    if key and isinstance(entry, Mapping) and key in entry:
        return f"entrée {index} ({entry[key]})"
    return f"entrée {index}"


def _build(cls: type[T], entry: object, *, where: str) -> T:
    if not isinstance(entry, Mapping):
        raise DataFileError(f"{where} : un dictionnaire de clés est attendu.")
    fields = {field.name: field for field in dataclasses.fields(typing.cast(Any, cls))}
    unknown = sorted(set(entry) - set(fields))
    if unknown:
        raise DataFileError(f"{where} : clé inconnue « {unknown[0]} » (clés possibles : {', '.join(fields)}).")
    missing = [
        name
        for name, field in fields.items()
        if field.init
        and name not in entry
        and field.default is dataclasses.MISSING
        and field.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise DataFileError(f"{where} : clé obligatoire « {missing[0]} » absente.")
    hints = typing.get_type_hints(cls)
    values = {name: _convert(hints[name], value, where=f"{where}, « {name} »") for name, value in entry.items()}
    return cls(**values)


def _convert(hint: Any, value: Any, *, where: str) -> Any:
    """``value`` shaped as ``hint`` says: nested dataclasses built, lists turned into tuples."""
    origin = typing.get_origin(hint)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _build(hint, value, where=where)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        arms = [arm for arm in typing.get_args(hint) if arm is not type(None)]
        return _convert(arms[0], value, where=where) if len(arms) == 1 else value
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise DataFileError(f"{where} : une liste est attendue.")
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], item, where=where) for item in value)
        if len(args) != len(value):
            raise DataFileError(f"{where} : {len(args)} valeurs attendues, {len(value)} trouvées.")
        return tuple(_convert(arg, item, where=where) for arg, item in zip(args, value, strict=True))
    if origin is dict:
        if not isinstance(value, Mapping):
            raise DataFileError(f"{where} : un dictionnaire est attendu.")
        key_hint, value_hint = typing.get_args(hint)
        return {
            _convert(key_hint, key, where=where): _convert(value_hint, item, where=where)
            for key, item in value.items()
        }
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint in (time, timedelta):
        return _clock(hint, value, where=where)
    return value


def _clock(hint: type[time] | type[timedelta], value: object, *, where: str) -> time | timedelta:
    """A time of day or a duration written « HH:MM » (quoted: YAML 1.1 reads 14:30 as a number)."""
    hours, _, minutes = str(value).partition(":")
    if not (isinstance(value, str) and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise DataFileError(f"{where} : « {value} » n'est pas une heure ou une durée « HH:MM ».")
    if hint is time:
        return time(int(hours), int(minutes))
    return timedelta(hours=int(hours), minutes=int(minutes))
