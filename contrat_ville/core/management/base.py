"""Base class for the platform's management commands: atomic, logged, French errors, exit code ≠ 0."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from contrat_ville.core.exceptions import BusinessRuleError

logger = logging.getLogger("contrat_ville.commands")


class AtomicCommand(BaseCommand):
    """Runs ``run()`` in one transaction; a ``BusinessRuleError`` becomes a ``CommandError``.

    Nothing is written when the command fails, so an operator can fix the file and run it again.
    """

    atomic = True

    def handle(self, *args: Any, **options: Any) -> None:
        logger.info("command %s started", self.__class__.__module__)
        try:
            if self.atomic:
                with transaction.atomic():
                    self.run(*args, **options)
            else:
                self.run(*args, **options)
        except BusinessRuleError as error:
            raise CommandError(error.message) from error
        logger.info("command %s finished", self.__class__.__module__)

    def run(self, *args: Any, **options: Any) -> None:
        raise NotImplementedError
