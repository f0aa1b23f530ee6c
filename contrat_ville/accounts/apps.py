from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "contrat_ville.accounts"
    label = "accounts"
    verbose_name = "comptes et organisations"

    def ready(self) -> None:
        # What happens at every sign-in (Django's login(), any backend): the session's times, the second factor.
        from contrat_ville.accounts import sessions, two_factor  # noqa: F401
