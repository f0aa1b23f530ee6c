from typing import Any

from django.core.management.base import CommandError, CommandParser

from contrat_ville.accounts.models import User
from contrat_ville.accounts.services import api_token_create
from contrat_ville.core.management.base import AtomicCommand


class Command(AtomicCommand):
    help = (
        "Crée un jeton d'API pour un utilisateur et l'affiche sur la dernière ligne (il n'est plus affiché ensuite)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="adresse électronique du compte")
        parser.add_argument("--label", default="", help="libellé du jeton")

    def run(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email=options["email"].lower()).first()
        if user is None:
            raise CommandError(f"Aucun compte ne correspond à l'adresse « {options['email']} ».")
        _, raw_token = api_token_create(user=user, label=options["label"])
        self.stderr.write(f"Jeton créé pour {user.email}. Conservez-le : il ne sera plus affiché.")
        self.stdout.write(raw_token)
