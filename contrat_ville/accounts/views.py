from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views

from contrat_ville.accounts.forms import LoginForm
from contrat_ville.accounts.models import User
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
        accounts = sorted_entries(demo_accounts) if settings.DEMO_MODE else []
        # Only where the demo was loaded: a real platform never lists accounts that do not exist.
        if accounts and User.objects.filter(email__in=[account.email for account in accounts]).exists():
            context["side_template"] = "accounts/_demo_accounts.html"
            context["demo_accounts"] = accounts
            context["demo_password"] = settings.DEMO_PASSWORD
        return context


class LogoutView(auth_views.LogoutView):
    pass
