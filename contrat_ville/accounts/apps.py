from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "contrat_ville.accounts"
    label = "accounts"
    verbose_name = "comptes et organisations"
