"""The pages of the second factor (``accounts.two_factor``): « Double authentification » (enrol, or remove) and the
code step of the sign-in."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe

from contrat_ville.accounts import selectors, two_factor
from contrat_ville.accounts.forms_two_factor import TwoFactorCodeForm
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.ui.form_pages import FormPages

pages = FormPages(layout="ui/base.html", refused=BusinessRuleError)
TITLE = "Double authentification"


def _next_url(request: HttpRequest) -> str:
    """The page asked for before the second factor (a local URL), or ``""``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _provider_alert(user: Any) -> dict[str, str] | None:
    """What the page says to a session whose identity provider checked two factors (ProConnect's ``amr``)."""
    if not user.second_factor_at_provider:
        return None
    return {
        "type": "info",
        "title": "Connexion vérifiée par ProConnect",
        "content": "Votre connexion par ProConnect a utilisé deux facteurs : la plateforme ne vous demande pas de "
        "code pendant cette session. Son application d'authentification protège vos connexions par mot de passe.",
    }


def _grouped(secret: str) -> str:
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


@login_required
def two_factor_page(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app (QR code, or its secret typed by hand) confirmed by a first code; once active, the
    same page removes it, with a code."""
    user: Any = request.user
    form = TwoFactorCodeForm(request.POST or None)
    next_url = _next_url(request)
    device = selectors.confirmed_device(user)
    if device is not None:
        return pages.form_page(
            request,
            form,
            save=lambda data: two_factor.two_factor_remove(user=user, code=data["code"]),
            done=lambda _removed: ("Double authentification retirée de votre compte.", reverse("accounts:two_factor")),
            title=TITLE,
            parents=[],
            intro_template="accounts/_two_factor_active.html",
            alert=_provider_alert(user),
            device=device,
            form_heading="Retirer la double authentification",
            submit_label="Retirer la double authentification",
            form_testid="two-factor-remove-form",
        )
    pending = two_factor.two_factor_enrolment_start(user=user)

    def confirm(data: dict[str, Any]) -> object:
        confirmed = two_factor.two_factor_confirm(user=user, code=data["code"])
        two_factor.two_factor_session_verified(request, confirmed)
        return confirmed

    secret = b32encode(pending.bin_key).decode()
    qr_code = segno.make(pending.config_url, error="m").svg_inline(
        scale=4, light="#fff", title="QR code à scanner avec votre application d'authentification"
    )
    return pages.form_page(
        request,
        form,
        save=confirm,
        done=lambda _device: (
            "Double authentification activée : votre application vous donnera un code à chaque connexion.",
            next_url or reverse("accounts:two_factor"),
        ),
        title=TITLE,
        parents=[],
        intro_template="accounts/_two_factor_enrol.html",
        alert=_provider_alert(user),
        qr_code=mark_safe(qr_code),  # noqa: S308 — segno's SVG of our own URL, no user markup
        secret=_grouped(secret),
        next_value=next_url,
        form_heading="Confirmer avec un premier code",
        submit_label="Activer la double authentification",
        form_testid="two-factor-enrol-form",
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The sign-in's second step (or a session a contract asks to verify): the code of the user's app. Wrong codes
    are throttled by django-otp and counted by django-axes, whose lock signs the session out."""
    user: Any = request.user
    credentials = {"username": user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        messages.error(request, "Trop de codes incorrects : la connexion est bloquée un moment. Réessayez plus tard.")
        return redirect("accounts:login")
    next_url = _next_url(request)
    form = TwoFactorCodeForm(request.POST or None)
    has_device = selectors.has_confirmed_device(user)

    def check(data: dict[str, Any]) -> object:
        try:
            device = two_factor.two_factor_check(user=user, code=data["code"])
        except BusinessRuleError:
            two_factor.failed_code_counted(request, user)
            raise
        two_factor.two_factor_session_verified(request, device)
        return device

    return pages.form_page(
        request,
        form,
        save=check,
        done=lambda _device: ("Connexion confirmée.", next_url or resolve_url(settings.LOGIN_REDIRECT_URL)),
        title="Code de double authentification",
        parents=[],
        intro="Saisissez le code à 6 chiffres que votre application d'authentification affiche en ce moment.",
        read_only_message=""
        if has_device
        else "La double authentification n'est pas active sur votre compte : activez-la d'abord.",
        back_label="Activer la double authentification",
        cancel_url=reverse("accounts:two_factor") if not has_device else "",
        next_value=next_url,
        submit_label="Valider le code",
        form_testid="two-factor-verify-form",
    )
