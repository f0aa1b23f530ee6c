from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "contrat_ville.accounts"
    label = "accounts"
    verbose_name = "comptes et organisations"

    def ready(self) -> None:
        from contrat_ville.accounts.services import user_account_erase
        from contrat_ville.core.personal_data import personal_data_erasers

        personal_data_erasers.register("accounts.user", user_account_erase)
        # What happens at every sign-in (Django's login(), any backend): the session's times, the second factor.
        from contrat_ville.accounts import sessions, two_factor  # noqa: F401
