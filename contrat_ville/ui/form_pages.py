"""The shapes every edit page takes, shared by every app: a form page, a confirmation page and a POST-only action.

All turn the error a service raises when it refuses an operation (``refused``: ``core``'s ``BusinessRuleError``,
given by the app because ``ui`` and ``core`` sit side by side in the app graph) into its French message, on the
form or as a flash message. The error carries ``message`` and, optionally, ``field``.

Each app builds one ``FormPages`` with its page shell (``layout``: ``contracts/base.html``,
``diagnostic/base.html``…) and that error, and its views call it: every form page renders
``ui/form_page.html`` (title, intro, read-only message, errors, the form, submit and cancel buttons, optional
includes before, beside and after the form).

A file's import (``FormPages.import_page``) is a form page that comes back with the report of the batch it wrote.

The removal of an object (« Supprimer » while nothing cites it, « Archiver » once it is cited: issue 10 §6) is
one confirmation page and one POST action, both built by ``FormPages.route_removal`` from what the app says of
the object (``Removal``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from contrat_ville.ui.forms import Form
from contrat_ville.ui.page import Crumb, page, wants_fragment
from contrat_ville.ui.routes import Routes

Saved = TypeVar("Saved")
View = Callable[..., HttpResponse]

FORM_TEMPLATE = "ui/form_page.html"


@dataclass(frozen=True)
class Fragment:
    """Where a form posted by htmx lives: ``template`` (``"app/page.html#name"``, a ``{% partialdef %}``) and its
    ``context(form)`` — ``form`` with its errors, or ``None`` once saved (a fresh form; the message is then given
    to the fragment as ``saved_message``)."""

    template: str
    context: Callable[[forms.BaseForm | None], dict[str, Any]]


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
    refused: type[Exception],
    layout: str,
    template: str = FORM_TEMPLATE,
    fragment: Fragment | None = None,
    **context: Any,
) -> HttpResponse:
    """A page with a form: on a valid POST, ``save(cleaned_data)``, then flash the message and go to the URL that
    ``done(saved)`` gives; a refused business rule is shown on the form, which is rendered again (with the list of
    its ``issues`` when it has one: the lines of a refused file).

    A form shown inside another page (``fragment``) is posted by htmx: it gets that page's fragment back instead of
    a redirect; without JavaScript, the same POST gets this page.
    """
    inline = fragment if fragment is not None and wants_fragment(request) else None
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except refused as error:
            add_business_error(form, error)
            context["errors"] = [str(issue) for issue in getattr(error, "issues", [])]
        else:
            message, target = done(saved)
            if inline is not None:
                return render(request, inline.template, {**inline.context(None), "saved_message": message})
            messages.success(request, message)
            return redirect(target)
    if inline is not None and request.method == "POST":
        return render(request, inline.template, inline.context(form))
    contract = getattr(request, "contract", None)
    return render(
        request, template, page(title, parents=parents, contract=contract, form=form, layout=layout, **context)
    )


def post_action(
    request: HttpRequest,
    *,
    act: Callable[[], Saved],
    next_url: str,
    refused: type[Exception],
    message: str = "",
    done: Callable[[Saved], tuple[str, str]] | None = None,
) -> HttpResponse:
    """A POST-only action: ``act()``, then flash ``message`` and go to ``next_url`` — or, when the outcome decides
    them, to what ``done(result)`` gives; a refused rule is flashed as an error, back to ``next_url``."""
    try:
        result = act()
    except refused as error:
        messages.error(request, getattr(error, "message", str(error)))
        return redirect(next_url)
    if done is not None:
        message, next_url = done(result)
    messages.success(request, message)
    return redirect(next_url)


@dataclass(frozen=True)
class Removal:
    """What removing one object does and says: ``delete()`` (the service refuses when something cites it) and
    ``archive(on)``; the confirmation page's ``title``, ``explanation`` and ``submit_label``; the messages once
    ``deleted`` or ``archived``; the object's page (``back_url``: « Annuler », and where archiving returns) and
    where deleting goes (``after_url``); the page's breadcrumb (``parents``) and any more of its ``context``."""

    delete: Callable[[], object]
    archive: Callable[[date], object]
    title: str
    explanation: str
    submit_label: str
    deleted: str
    archived: str
    back_url: str
    after_url: str
    parents: list[Crumb]
    context: dict[str, Any] = field(default_factory=dict)


def removal_urls(name: str, **kwargs: Any) -> dict[str, str]:
    """The « Supprimer » and « Archiver » URLs of an object's page (``ui/components/archive_controls.html``), for the
    removal routed as ``name`` (``FormPages.route_removal``; with its namespace: « diagnostic:stake »)."""
    return {
        "delete_url": reverse(f"{name}_delete", kwargs=kwargs),
        "archive_url": reverse(f"{name}_archive", kwargs=kwargs),
    }


@dataclass(frozen=True)
class FormPages:
    """The form pages of one app: its page shell (``layout``) and the error its services raise (``refused``)."""

    layout: str
    refused: type[Exception]

    def form_page(self, request: HttpRequest, form: forms.BaseForm, **kwargs: Any) -> HttpResponse:
        """``form_page`` in this app's shell."""
        kwargs.setdefault("layout", self.layout)
        return form_page(request, form, refused=self.refused, **kwargs)

    def post_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """``post_action`` for this app's services."""
        return post_action(request, refused=self.refused, **kwargs)

    def import_page(
        self,
        request: HttpRequest,
        form: forms.BaseForm,
        *,
        save: Callable[[dict[str, Any]], Any],
        report: Callable[[int], object],
        errors_title: str = "Fichier refusé : rien n'a été importé",
        **kwargs: Any,
    ) -> HttpResponse:
        """A file's import page: on a valid POST, ``save(cleaned_data)`` imports it all or nothing (a refused file's
        faults are listed under ``errors_title``) and gives its batch; the page then comes back as ``?lot=<batch>``
        and shows the batch's ``report(pk)``: what was read, added, replaced and left unused."""
        lot = request.GET.get("lot", "")
        return self.form_page(
            request,
            form,
            save=save,
            done=lambda batch: (f"Import terminé : {batch.summary}.", f"{request.path}?lot={batch.pk}"),
            errors_title=errors_title,
            submit_label="Importer",
            report=report(int(lot)) if lot.isdigit() else None,
            **kwargs,
        )

    def confirm_page(
        self,
        request: HttpRequest,
        *,
        act: Callable[[], object],
        message: str,
        success_url: str,
        explanation: str,
        **kwargs: Any,
    ) -> HttpResponse:
        """A confirmation page (« Supprimer … »): the ``explanation``, then a form with no field; on POST, ``act()``,
        flash ``message`` and go to ``success_url`` — or say above the button why the rule refused it."""
        return self.form_page(
            request,
            Form(request.POST if request.method == "POST" else None),
            save=lambda _data: act(),
            done=lambda _saved: (message, success_url),
            intro=explanation,
            **kwargs,
        )

    def route_removal(
        self,
        routes: Routes,
        prefix: str,
        name: str,
        *,
        guard: Callable[[View], View],
        describe: Callable[..., Removal],
    ) -> None:
        """Route the removal of one kind of object: the confirmation page ``<prefix>supprimer/`` (URL name
        ``<name>_delete``) and the POST action ``<prefix>archiver/`` (``<name>_archive``), both behind ``guard``
        (the app's view decorator: who may remove). ``describe(request, **ids)`` gets the object the URL names
        (404 when it is not there) and says what removing it does (``Removal``)."""

        def delete(request: HttpRequest, **ids: Any) -> HttpResponse:
            removal = describe(request, **ids)
            return self.confirm_page(
                request,
                act=removal.delete,
                message=removal.deleted,
                success_url=removal.after_url,
                explanation=removal.explanation,
                title=removal.title,
                parents=removal.parents,
                submit_label=removal.submit_label,
                cancel_url=removal.back_url,
                **removal.context,
            )

        def archive(request: HttpRequest, **ids: Any) -> HttpResponse:
            removal = describe(request, **ids)
            return self.post_action(
                request,
                act=lambda: removal.archive(timezone.localdate()),
                message=removal.archived,
                next_url=removal.back_url,
            )

        routes.add(f"{prefix}supprimer/", guard(delete), f"{name}_delete")
        routes.add(f"{prefix}archiver/", require_POST(guard(archive)), f"{name}_archive")
