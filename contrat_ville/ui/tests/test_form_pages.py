"""ui.form_pages: the form page, the confirmation page and the POST action every app's views are built on."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from contrat_ville.ui.form_pages import FormPages, Removal
from contrat_ville.ui.forms import Form
from contrat_ville.ui.page import Crumb
from contrat_ville.ui.routes import Routes


class RefusedError(Exception):
    def __init__(self, message: str, field: str | None = None, issues: list[str] | None = None) -> None:
        super().__init__(message)
        self.message, self.field, self.issues = message, field, issues or []


class NameForm(Form):
    name = forms.CharField(label="Nom")


pages = FormPages(layout="ui/base.html", refused=RefusedError)


def request(method: str = "get", data: dict[str, Any] | None = None) -> HttpRequest:
    made = getattr(RequestFactory(), method)("/formulaire/", data or {})
    made.session = SessionStore()
    MessageMiddleware(HttpResponse).process_request(made)
    return made


def flashed(made: HttpRequest) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in get_messages(made)]


def page(made: HttpRequest, save: Any, **context: Any) -> Any:
    return pages.form_page(
        made,
        NameForm(made.POST or None),
        save=save,
        done=lambda saved: (f"« {saved} » enregistré.", "/fait/"),
        title="Nommer",
        parents=[],
        **context,
    )


def test_the_form_page_shows_title_intro_form_and_buttons() -> None:
    html = page(
        request(), save=str, intro="Une phrase.", submit_label="Nommer", cancel_url="/retour/"
    ).content.decode()
    assert "<h1>Nommer</h1>" in html and "<p>Une phrase.</p>" in html
    assert 'name="name"' in html and "csrfmiddlewaretoken" in html
    assert '<button type="submit" class="fr-btn">Nommer</button>' in html and 'href="/retour/"' in html


def test_a_valid_post_saves_flashes_and_redirects() -> None:
    made = request("post", {"name": "Comité"})
    response = page(made, save=lambda data: data["name"])
    assert (response.status_code, response.url) == (302, "/fait/")
    assert flashed(made) == [("success", "« Comité » enregistré.")]


def test_a_refused_rule_goes_on_its_field_with_the_issues_listed() -> None:
    def save(_data: dict[str, Any]) -> None:
        raise RefusedError("Ce nom est pris.", field="name", issues=["ligne 2 : vide", "ligne 3 : trop long"])

    made = request("post", {"name": "Comité"})
    response = page(made, save=save, errors_title="Erreurs du fichier")
    html = response.content.decode()
    assert response.status_code == 200 and "Ce nom est pris." in html
    assert 'data-testid="form-errors"' in html and "Erreurs du fichier (2)" in html and "ligne 3 : trop long" in html
    assert flashed(made) == []


def test_a_read_only_page_shows_why_instead_of_the_form() -> None:
    html = page(
        request(), save=str, read_only_message="Validé : <rien> ne change.", back_label="Retour", cancel_url="/r/"
    ).content.decode()
    assert "Validé : &lt;rien&gt; ne change." in html and "<form" not in html and 'href="/r/">Retour</a>' in html


def test_the_confirmation_page_acts_on_post_only() -> None:
    done: list[str] = []
    response = pages.confirm_page(
        request(),
        act=lambda: done.append("supprimé"),
        message="Supprimé.",
        success_url="/liste/",
        explanation="L'instance sera supprimée.",
        title="Supprimer",
        parents=[],
    )
    assert response.status_code == 200 and "L&#x27;instance sera supprimée." in response.content.decode()
    made = request("post")
    response = pages.confirm_page(
        made,
        act=lambda: done.append("supprimé"),
        message="Supprimé.",
        success_url="/liste/",
        explanation="",
        title="Supprimer",
        parents=[],
    )
    assert (response.url, done, flashed(made)) == ("/liste/", ["supprimé"], [("success", "Supprimé.")])


@pytest.mark.parametrize(
    ("fails", "expected"), [(False, ("/plan/2027/", "success")), (True, ("/plan/2026/", "error"))]
)
def test_a_post_action_goes_where_its_outcome_says(fails: bool, expected: tuple[str, str]) -> None:
    def act() -> int:
        if fails:
            raise RefusedError("Le plan 2027 existe déjà.")
        return 2027

    made = request("post")
    response = pages.post_action(
        made, act=act, done=lambda year: (f"Plan {year} préparé.", f"/plan/{year}/"), next_url="/plan/2026/"
    )
    assert (response.url, flashed(made)[0][0]) == expected


def test_a_removal_routes_a_confirmation_page_and_a_post_only_archive_behind_its_guard() -> None:
    done: list[tuple[object, ...]] = []
    guarded: list[str] = []

    def guard(view: Any) -> Any:
        def wrapper(made: HttpRequest, **ids: Any) -> HttpResponse:
            guarded.append(view.__name__)
            return view(made, **ids)

        return wrapper

    def describe(_made: HttpRequest, source_id: int) -> Removal:
        return Removal(
            delete=lambda: done.append(("supprimée", source_id)),
            archive=lambda on: done.append(("archivée", source_id, on)),
            title=f"Supprimer la source {source_id}",
            explanation="La source sera supprimée.",
            submit_label="Supprimer la source",
            deleted="Source supprimée.",
            archived="Source archivée.",
            back_url="/sources/7/",
            after_url="/sources/",
            parents=[Crumb("Sources", "/sources/")],
            context={"section": "sources"},
        )

    routes = Routes()
    pages.route_removal(routes, "sources/<int:source_id>/", "source", guard=guard, describe=describe)
    delete, archive = routes.urlpatterns
    assert (str(delete.pattern), delete.name) == ("sources/<int:source_id>/supprimer/", "source_delete")
    assert (str(archive.pattern), archive.name) == ("sources/<int:source_id>/archiver/", "source_archive")

    html = delete.callback(request(), source_id=7).content.decode()
    assert "Supprimer la source 7" in html and "La source sera supprimée." in html and 'href="/sources/7/"' in html
    made = request("post")
    response = delete.callback(made, source_id=7)
    assert (response.url, flashed(made), done) == ("/sources/", [("success", "Source supprimée.")], [("supprimée", 7)])

    assert archive.callback(request(), source_id=7).status_code == 405
    made = request("post")
    response = archive.callback(made, source_id=7)
    assert (response.url, flashed(made)) == ("/sources/7/", [("success", "Source archivée.")])
    assert done[-1][:2] == ("archivée", 7) and guarded == ["delete", "delete", "archive"]
