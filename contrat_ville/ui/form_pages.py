"""The two shapes most edit pages take, shared by every app: a form page and a POST-only action.

Both turn a ``BusinessRuleError`` refused by a service into a French message, on the form or as a flash message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.ui.page import Crumb, page

Saved = TypeVar("Saved")


def add_business_error(form: forms.BaseForm, error: BusinessRuleError) -> None:
    """Show a refused rule on its field when the form has it, else above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[dict[str, Any]], Saved],
    done: Callable[[Saved], tuple[str, str]],
    title: str,
    parents: list[Crumb],
    template: str,
    **context: Any,
) -> HttpResponse:
    """A page with a form: on a valid POST, ``save(cleaned_data)``, then flash the message and go to the URL that
    ``done(saved)`` gives; a refused business rule is shown on the form, which is rendered again."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except BusinessRuleError as error:
            add_business_error(form, error)
        else:
            message, target = done(saved)
            messages.success(request, message)
            return redirect(target)
    contract = getattr(request, "contract", None)
    return render(request, template, page(title, parents=parents, contract=contract, form=form, **context))


def post_action(request: HttpRequest, *, act: Callable[[], object], message: str, next_url: str) -> HttpResponse:
    """A POST-only action: ``act()``, then flash ``message`` — or the refused rule's — and go to ``next_url``."""
    try:
        act()
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect(next_url)
