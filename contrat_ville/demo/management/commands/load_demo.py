"""``manage.py load_demo [--today AAAA-MM-JJ]``: load (or reload) the fictional demo, then list its accounts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import CommandError, CommandParser

from contrat_ville.core.management.base import AtomicCommand
from contrat_ville.demo.services import DemoSummary, demo_load
from contrat_ville.territories.enums import TerritoryKind


class Command(AtomicCommand):
    help = (
        "Charge les données de démonstration (fictives) : territoire du Val de Sorne, organisations, "
        "contrats de ville et comptes. Peut être relancée sans créer de doublons."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            metavar="AAAA-MM-JJ",
            help="Date de référence des dates du contrat en préparation (par défaut : aujourd'hui).",
        )

    def run(self, *args: Any, **options: Any) -> None:
        summary = demo_load(today=parse_today(options.get("today")), stdout=self.stdout)
        self.write_summary(summary)

    def write_summary(self, summary: DemoSummary) -> None:
        territories = ", ".join(
            f"{TerritoryKind(kind).label} : {count}" for kind, count in summary.territories.items()
        )
        self.stdout.write(
            f"Démonstration chargée. Territoires ({territories}) ; {summary.organizations} organisations, "
            f"{summary.contracts} contrats, {summary.signatories} signataires, {summary.contract_roles} rôles."
        )
        self.stdout.write("")
        rows = [("Adresse", "Rôle", "Mot de passe")] + [
            (account.email, account.role, account.password) for account in summary.accounts
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        for index, row in enumerate(rows):
            self.stdout.write("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip())
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))


def parse_today(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"Date « {value} » invalide : format attendu AAAA-MM-JJ (par exemple 2026-03-15)."
        ) from error
