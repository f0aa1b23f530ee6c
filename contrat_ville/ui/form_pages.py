"""The two shapes most edit pages take, shared by every app: a form page and a POST-only action.

Both turn the error a service raises when it refuses an operation (``refused``: ``core``'s ``BusinessRuleError``,
passed by the caller because ``ui`` and ``core`` sit side by side in the app graph) into its French message, on the
form or as a flash message. The error carries ``message`` and, optionally, ``field``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from contrat_ville.ui.page import Crumb, page

Saved = TypeVar("Saved")


def add_business_error(form: forms.BaseForm, error: Exception) -> None:
    """Show a refused rule on its field when the form has it, else above the form."""
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, getattr(error, "message", str(error)))


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[dict[str, Any]], Saved],
    done: Callable[[Saved], tuple[str, str]],
    title: str,
    parents: list[Crumb],
    template: str,
    refused: type[Exception],
    **context: Any,
) -> HttpResponse:
    """A page with a form: on a valid POST, ``save(cleaned_data)``, then flash the message and go to the URL that
    ``done(saved)`` gives; a refused business rule is shown on the form, which is rendered again."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except refused as error:
            add_business_error(form, error)
        else:
            message, target = done(saved)
            messages.success(request, message)
            return redirect(target)
    contract = getattr(request, "contract", None)
    return render(request, template, page(title, parents=parents, contract=contract, form=form, **context))


def post_action(
    request: HttpRequest,
    *,
    act: Callable[[], object],
    message: str,
    next_url: str,
    refused: type[Exception],
) -> HttpResponse:
    """A POST-only action: ``act()``, then flash ``message`` — or the refused rule's — and go to ``next_url``."""
    try:
        act()
    except refused as error:
        messages.error(request, getattr(error, "message", str(error)))
    else:
        messages.success(request, message)
    return redirect(next_url)
