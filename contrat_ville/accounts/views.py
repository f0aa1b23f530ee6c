from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy

from contrat_ville.accounts.forms import LoginForm, PasswordSetForm
from contrat_ville.accounts.models import User
from contrat_ville.accounts.proconnect import ProConnectLogoutView, login_page_context
from contrat_ville.core.registries import demo_accounts, sorted_entries
from contrat_ville.ui.form_pages import FORM_TEMPLATE
from contrat_ville.ui.page import page


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    authentication_form = LoginForm
    template_name = FORM_TEMPLATE
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(page("Se connecter", layout="ui/base.html", submit_label="Se connecter"))
        context["next_value"] = context.get(self.redirect_field_name, "")
        context.update(login_page_context())
        accounts = sorted_entries(demo_accounts) if settings.DEMO_MODE else []
        # Only where the demo was loaded: a real platform never lists accounts that do not exist.
        if accounts and User.objects.filter(email__in=[account.email for account in accounts]).exists():
            context["side_template"] = "accounts/_demo_accounts.html"
            context["demo_accounts"] = accounts
            context["demo_password"] = settings.DEMO_PASSWORD
        return context


class LogoutView(ProConnectLogoutView):
    pass


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Choose one's password from the one-time link of the e-mail that opened the account
    (``accounts.services.account_open``); the link works once and expires (``PASSWORD_RESET_TIMEOUT``)."""

    form_class = PasswordSetForm
    template_name = FORM_TEMPLATE
    success_url = reverse_lazy("accounts:login")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(page("Choisir votre mot de passe", layout="ui/base.html", submit_label="Enregistrer"))
        if not context.get("validlink"):
            context["read_only_message"] = (
                "Ce lien n'est plus valable (déjà utilisé ou trop ancien) : demandez-en un nouveau à l'administrateur "
                "de la plateforme."
            )
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Mot de passe enregistré : connectez-vous.")
        return response
