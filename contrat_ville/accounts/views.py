from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views

from contrat_ville.accounts.forms import LoginForm
from contrat_ville.core.registries import demo_accounts, sorted_entries
from contrat_ville.ui.page import page


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    authentication_form = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(page("Se connecter"))
        if settings.DEMO_MODE:
            context["demo_accounts"] = sorted_entries(demo_accounts)
            context["demo_password"] = settings.DEMO_PASSWORD
        return context


class LogoutView(auth_views.LogoutView):
    pass
