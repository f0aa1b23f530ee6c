"""Base class for the commands the scheduler runs daily to send e-mails (digests, reminders)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class ScheduledSendCommand(BaseCommand):
    """Sends, then prints one French line of counts; ``--dry-run`` counts what would be sent, sending and recording
    nothing, so that an operator can check a run before scheduling it."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="compter sans envoyer ni enregistrer")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(self.send(dry_run=options["dry_run"]))

    def send(self, *, dry_run: bool) -> str:
        """Send (or only count, on a dry run) and return the line of counts."""
        raise NotImplementedError
