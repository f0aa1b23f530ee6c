"""htmx on the contract pages (style.md §5.2), in the style of les-emplois: what an htmx request gets is exactly the
part of the full page it replaces, and every interaction also works without JavaScript.

Filters (stake, source and finding lists, the strategic tree, the decision register) answer an htmx request with the
page's results fragment; an action's status and progress change in place on its page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import User
from contrat_ville.accounts.tests.factories import OrganizationFactory, UserFactory
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.tests.factories import grant, make_contract
from contrat_ville.diagnostic.tests.factories import make_stake, pillars
from contrat_ville.governance.enums import Verdict
from contrat_ville.governance.tests.factories_decisions import make_body, make_decision, make_meeting
from contrat_ville.strategy import services
from contrat_ville.strategy.enums import ActionStatus
from contrat_ville.strategy.models import Action
from contrat_ville.strategy.tests.factories import make_tree

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def normalised(markup: str) -> str:
    return " ".join(markup.split())


class _Inner(HTMLParser):
    """Finds where the element ``element_id`` starts and ends in a page (its inner markup, as written)."""

    def __init__(self, element_id: str) -> None:
        super().__init__(convert_charrefs=False)
        self.element_id, self.tag, self.depth = element_id, "", 0
        self.start: tuple[int, int] | None = None
        self.end: tuple[int, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.start is None and ("id", self.element_id) in attrs:
            self.tag, self.depth = tag, 1
            line, offset = self.getpos()
            self.start = (line, offset + len(self.get_starttag_text() or ""))
        elif self.start is not None and self.end is None and tag == self.tag:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.start is not None and self.end is None and tag == self.tag:
            self.depth -= 1
            if self.depth == 0:
                self.end = self.getpos()


def inner_html(page: str, element_id: str) -> str:
    """The markup inside the element ``element_id`` of a whole page, white space folded."""
    parser = _Inner(element_id)
    parser.feed(page)
    assert parser.start is not None and parser.end is not None, f"#{element_id} absent de la page"
    lines = page.splitlines(keepends=True)

    def index(position: tuple[int, int]) -> int:
        return sum(len(line) for line in lines[: position[0] - 1]) + position[1]

    return normalised(page[index(parser.start) : index(parser.end)])


def fragment_html(fragment: str) -> str:
    return normalised(fragment)


@dataclass(frozen=True)
class World:
    contract: Contract
    pilot: User
    action: Action


@pytest.fixture
def world() -> World:
    """A published contract with stakes in two pillars, a strategic tree and decisions of two verdicts."""
    pilot = UserFactory.create(first_name="Alix", last_name="Pilote")
    contract = make_contract(name="Contrat de ville du Val Fictif", published=True)
    grant(contract, pilot, Role.PILOT)
    first, second = pillars(contract)[:2]
    make_stake(contract, pillar=first, title="Réussite éducative")
    make_stake(contract, pillar=second, title="Accès à l'emploi des jeunes")
    _, _, (action, _) = make_tree(contract, action_count=2)
    meeting = make_meeting(make_body(contract))
    make_decision(meeting, verdict=Verdict.VALIDATED, is_published=True, text="Le comité valide le calendrier.")
    make_decision(meeting, verdict=Verdict.POSTPONED, is_published=True, text="Le comité ajourne le diagnostic.")
    return World(contract=contract, pilot=pilot, action=action)


def contract_url(name: str, contract: Contract, **kwargs: object) -> str:
    return reverse(name, kwargs={"contract_slug": contract.slug, **kwargs})


FILTER_PAGES: list[tuple[str, str, Callable[[Contract], str]]] = [
    ("diagnostic:stake_list", "pillar-results", lambda contract: f"pilier={pillars(contract)[1].code}"),
    ("diagnostic:source_list", "pillar-results", lambda contract: f"pilier={pillars(contract)[0].code}"),
    ("diagnostic:finding_list", "pillar-results", lambda contract: f"pilier={pillars(contract)[0].code}"),
    ("strategy:tree", "tree-results", lambda contract: f"status={ActionStatus.PLANNED}&q=Action"),
    ("governance:decision_list", "decision-results", lambda contract: f"verdict={Verdict.POSTPONED}"),
]


@pytest.mark.parametrize(("name", "target", "query"), FILTER_PAGES, ids=[row[0] for row in FILTER_PAGES])
@pytest.mark.parametrize("filtered", [False, True], ids=["all", "filtered"])
def test_a_filter_fragment_is_the_part_of_the_page_it_replaces(
    client: Client,
    world: World,
    name: str,
    target: str,
    query: Callable[[Contract], str],
    filtered: bool,
) -> None:
    client.force_login(world.pilot)
    path = contract_url(name, world.contract)
    if filtered:
        path = f"{path}?{query(world.contract)}"
    page = client.get(path)
    fragment = client.get(path, **HTMX)
    assert page.status_code == fragment.status_code == 200
    content = fragment.content.decode()
    assert "<html" not in content and "<h1" not in content and "<form" not in content
    assert fragment_html(content) == inner_html(page.content.decode(), target)
    # One URL, two answers: caches must tell them apart.
    assert "HX-Request" in page["Vary"] and "HX-Request" in fragment["Vary"]


def test_the_filters_do_filter_the_fragment(client: Client, world: World) -> None:
    client.force_login(world.pilot)
    second = pillars(world.contract)[1]
    fragment = client.get(f"{contract_url('diagnostic:stake_list', world.contract)}?pilier={second.code}", **HTMX)
    text = normalised(fragment.content.decode())
    assert "Accès à l&#x27;emploi des jeunes" in text and "Réussite éducative" not in text
    assert "1 enjeu pour ce pilier." in text
    decisions = client.get(f"{contract_url('governance:decision_list', world.contract)}?verdict=postponed", **HTMX)
    text = normalised(decisions.content.decode())
    assert "Le comité ajourne le diagnostic." in text and "Le comité valide le calendrier." not in text
    assert "Décisions correspondant aux filtres (1)" in text


def test_restoring_a_page_from_the_history_gets_the_whole_page(client: Client, world: World) -> None:
    """htmx asks the server for a page missing from its history cache: it must get the page, not a fragment."""
    response = client.get(
        contract_url("strategy:tree", world.contract), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<h1>" in response.content.decode()


# --- an action's status and progress, in place ---------------------------------------------------------------


def progress_url(world: World) -> str:
    return contract_url("strategy:action_progress", world.contract, action_id=world.action.pk)


def test_the_action_page_holds_the_progress_fragment_and_its_form(client: Client, world: World) -> None:
    client.force_login(world.pilot)
    page = client.get(contract_url("strategy:action_detail", world.contract, action_id=world.action.pk))
    fragment = inner_html(page.content.decode(), "action-progress")
    assert 'data-testid="action-status"' in fragment and f'hx-post="{progress_url(world)}"' in fragment


def test_htmx_changes_the_status_in_place(client: Client, world: World) -> None:
    client.force_login(world.pilot)
    data = {"status": ActionStatus.IN_PROGRESS, "progress": "40", "comment": "Premiers ateliers tenus."}
    response = client.post(progress_url(world), data, **HTMX)
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content
    assert "État et avancement de l&#x27;action enregistrés." in content
    assert ">en cours</p>" in content and "avancement : 40 %" in content
    world.action.refresh_from_db()
    assert (world.action.status, world.action.progress) == (ActionStatus.IN_PROGRESS, 40)
    # Recorded like any status change, with its comment; no flash message is left for the next page.
    page = client.get(contract_url("strategy:action_detail", world.contract, action_id=world.action.pk))
    assert "Premiers ateliers tenus." in page.content.decode()
    assert "enregistrés" not in inner_html(page.content.decode(), "action-progress")


def test_htmx_shows_the_errors_in_place_and_saves_nothing(client: Client, world: World) -> None:
    client.force_login(world.pilot)
    response = client.post(progress_url(world), {"status": ActionStatus.DONE, "progress": "150"}, **HTMX)
    content = normalised(response.content.decode())
    assert response.status_code == 200 and "<html" not in content
    assert (
        "L&#x27;avancement est compris entre 0 et 100 %." in content and '<details class="fr-mb-2w" open>' in content
    )
    world.action.refresh_from_db()
    assert (world.action.status, world.action.progress) == (ActionStatus.PLANNED, 0)


def test_without_javascript_the_same_form_is_a_page_of_its_own(client: Client, world: World) -> None:
    client.force_login(world.pilot)
    response = client.post(progress_url(world), {"status": ActionStatus.DONE, "progress": "150"})
    content = response.content.decode()
    assert response.status_code == 200 and "<h1>État et avancement" in content
    assert "L&#x27;avancement est compris entre 0 et 100 %." in content
    response = client.post(progress_url(world), {"status": ActionStatus.IN_PROGRESS, "progress": "10"})
    assert response.status_code == 302
    assert response.url == contract_url("strategy:action_detail", world.contract, action_id=world.action.pk)


def test_a_partner_changes_only_the_actions_its_organisation_leads(client: Client, world: World) -> None:
    organization = OrganizationFactory.create(kind=OrganizationKind.SOCIAL_LANDLORD)
    partner = UserFactory.create(organization=organization)
    grant(world.contract, partner, Role.PARTNER)
    client.force_login(partner)
    data = {"status": ActionStatus.IN_PROGRESS, "progress": "20"}
    assert client.post(progress_url(world), data, **HTMX).status_code == 403
    page = client.get(contract_url("strategy:action_detail", world.contract, action_id=world.action.pk))
    assert 'data-testid="action-progress-form"' not in page.content.decode()
    services.action_update(
        action=world.action, fields=services.ActionFields(title=world.action.title, lead_organization=organization)
    )
    assert client.post(progress_url(world), data, **HTMX).status_code == 200
