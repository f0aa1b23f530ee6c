"""What every diagnostic page shares: breadcrumbs, the caller, the roles that edit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.urls import reverse

from contrat_ville.accounts.models import User
from contrat_ville.contracts.models import Contract
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.diagnostic.enums import DIAGNOSTIC_EDITOR_ROLES, DIAGNOSTIC_STEERING_ROLES
from contrat_ville.ui.page import Crumb

EDITORS = DIAGNOSTIC_EDITOR_ROLES
STEERING = DIAGNOSTIC_STEERING_ROLES


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


def by(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def add_error(form: forms.BaseForm, error: BusinessRuleError) -> None:
    """Show a refused business rule on its field when the form has it, else on the whole form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def can_edit(access: Any) -> bool:
    return bool(access.has_role(*EDITORS))


def can_steer(access: Any) -> bool:
    return bool(access.has_role(*STEERING))
