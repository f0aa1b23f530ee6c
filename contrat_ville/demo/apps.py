from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "contrat_ville.demo"
    label = "demo"
    verbose_name = "démonstration"

    def ready(self) -> None:
        """List the demo accounts on the login page (shown only when ``DEMO_MODE`` is on)."""
        from contrat_ville.core.registries import DemoAccount, demo_accounts
        from contrat_ville.demo.users import USERS

        for user in USERS:
            demo_accounts.register(user.email, DemoAccount(email=user.email, role=user.role_label, order=user.order))
