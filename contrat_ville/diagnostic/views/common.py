"""What every diagnostic page shares: breadcrumbs, the form and confirmation pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from contrat_ville.contracts.access import ContractRequest
from contrat_ville.contracts.models import Contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.ui.form_pages import add_business_error
from contrat_ville.ui.form_pages import form_page as ui_form_page
from contrat_ville.ui.form_pages import post_action as ui_post_action
from contrat_ville.ui.page import Crumb, page


def crumbs(contract: Contract, *extra: tuple[str, str], with_overview: bool = True) -> list[Crumb]:
    """Contracts / contract / Diagnostic / ``extra`` (each a (title, url name) pair under the contract)."""
    slug = contract.slug
    items = [
        Crumb("Contrats de ville", reverse("contracts:contract_list")),
        Crumb(contract.name, reverse("contracts:contract_home", kwargs={"contract_slug": slug})),
    ]
    if with_overview:
        items.append(Crumb("Diagnostic", reverse("diagnostic:overview", kwargs={"contract_slug": slug})))
    items.extend(Crumb(title, url) for title, url in extra)
    return items


def url(name: str, contract: Contract, **kwargs: Any) -> str:
    return reverse(f"diagnostic:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


add_error = add_business_error


def pillar_initial(request: HttpRequest, contract: Contract) -> dict[str, Any]:
    """The pillar a creation form starts on: the one whose code is given as ``?pilier=`` (from its group's list)."""
    code = request.GET.get("pilier")
    if not code:
        return {}
    return {"pillar": next((pillar.pk for pillar in contract.pillars.all() if pillar.code == code), None)}


def form_page(request: HttpRequest, form: forms.BaseForm, **kwargs: Any) -> HttpResponse:
    """``ui.form_pages.form_page`` with the diagnostic's form template by default."""
    kwargs.setdefault("template", "diagnostic/form.html")
    return ui_form_page(request, form, refused=BusinessRuleError, **kwargs)


def post_action(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """``ui.form_pages.post_action`` for the services' ``BusinessRuleError``."""
    return ui_post_action(request, refused=BusinessRuleError, **kwargs)


def confirm_page(
    request: ContractRequest,
    *,
    act: Callable[[], object],
    message: str,
    success_url: str,
    title: str,
    parents: list[Crumb],
    **context: Any,
) -> HttpResponse:
    """A confirmation page (« Supprimer … »): on POST, ``act()``, flash ``message`` and go to ``success_url``."""
    if request.method == "POST":
        act()
        messages.success(request, message)
        return redirect(success_url)
    contract = request.contract
    return render(
        request, "diagnostic/confirm_delete.html", page(title, parents=parents, contract=contract, **context)
    )
