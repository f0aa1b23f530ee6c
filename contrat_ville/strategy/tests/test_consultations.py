"""Strategic orientations and yearly plans submitted to the conseils citoyens (issue 11 §4): the consultation holds
objects of any kind registered in ``core.registries.consultable_kinds``, council members give their opinion only for
their own council and only while it is open, the steering committee's decisions (« suites données ») show beside the
opinions, the opinions show on the object's and the decision's pages, and « Ce qui vous attend » lists what awaits a
council member."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.urls import reverse
from django.utils import timezone

from contrat_ville.contracts.enums import Role
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.registries import ConsultableKind, consultable_kinds, contribute
from contrat_ville.diagnostic.enums import ConsultationStatus
from contrat_ville.diagnostic.models import Consultation, ConsultedObject
from contrat_ville.diagnostic.selectors.consultations import (
    awaiting_opinions,
    consultation_items,
    council_answers,
)
from contrat_ville.diagnostic.services.consultations import (
    consultation_close,
    consultation_create,
    consultation_opinion_give,
)
from contrat_ville.diagnostic.tests.factories import (
    contract_with_qpv,
    council_member,
    make_council,
    make_stake,
    member,
)
from contrat_ville.governance.enums import Verdict
from contrat_ville.participation.models import Opinion
from contrat_ville.strategy.tests.factories import decide, make_orientation, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    return contract_with_qpv(name="Contrat de ville de Sornac")


@pytest.fixture
def pilot(contract):
    return member(contract, Role.PILOT, first_name="Élise", last_name="Marchand")


@pytest.fixture
def council(contract):
    return make_council(contract, name="Conseil citoyen des Iris")


@pytest.fixture
def other_council(contract):
    return make_council(contract, name="Conseil citoyen du Plateau")


@pytest.fixture
def resident(contract, council):
    return council_member(contract, council, first_name="Nadia", last_name="Benali", email="nadia@iris.fr")


@pytest.fixture
def orientation(contract):
    return make_orientation(contract, title="Tranquillité publique dans les Iris")


def _consult(contract, objects, councils, *, by=None, days: int = 14, title: str = "Avis sur la stratégie"):
    return consultation_create(
        contract=contract,
        title=title,
        deadline=timezone.localdate() + timedelta(days=days),
        councils=councils,
        objects=objects,
        by=by,
    )


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _page(name: str, contract, **kwargs) -> str:
    return reverse(name, kwargs={"contract_slug": contract.slug, **kwargs})


# --- services ---------------------------------------------------------------------------------------------------


def test_orientations_plans_and_stakes_are_submitted_in_one_consultation(contract, council, pilot, orientation):
    plan = make_plan(contract, year=2025)
    stake = make_stake(contract, title="Réussite éducative")
    consultation = consultation_create(
        contract=contract,
        title="Avis sur le contrat",
        deadline=timezone.localdate() + timedelta(days=10),
        councils=[council],
        stakes=[stake],
        objects=[orientation, plan],
        by=pilot,
    )
    items = list(consultation.items.order_by("order"))
    assert [item.kind for item in items] == ["diagnostic.stake", "strategy.orientation", "strategy.actionplan"]
    assert items[1].label.endswith("Tranquillité publique dans les Iris")
    assert items[2].label == "Plan d'actions 2025"
    # A stake is judged on its frozen version, decided on as a stake; the others are judged and decided as they are.
    assert items[0].target_type.model == "stakeversion" and items[0].subject_type.model == "stake"
    assert (items[1].target_id, items[1].subject_id) == (orientation.pk, orientation.pk)
    assert list(consultation.stake_versions.all()) == [stake.versions.get()]


def test_an_object_of_another_contract_or_kind_is_refused(contract, council, pilot):
    elsewhere = make_orientation(contract_with_qpv(name="Contrat d'ailleurs"))
    with pytest.raises(BusinessRuleError, match="appartient à un autre contrat"):
        _consult(contract, [elsewhere], [council], by=pilot)
    with pytest.raises(BusinessRuleError, match="ne peut pas être soumis"):
        _consult(contract, [council], [council], by=pilot)
    assert not Consultation.objects.exists()


def test_a_member_gives_an_opinion_for_their_own_council_only_while_open(
    contract, council, other_council, resident, orientation
):
    consultation = _consult(contract, [orientation], [council])
    item = consultation.items.get()
    opinion = consultation_opinion_give(
        consultation=consultation,
        item=item,
        author=resident,
        verdict="agree_with_reservations",
        text="Et l'éclairage ?",
    )
    assert opinion.target == orientation and opinion.council == council
    # A member of a council that was not consulted cannot answer.
    outsider = council_member(contract, other_council, email="paul@plateau.fr")
    with pytest.raises(BusinessRuleError, match="conseils citoyens consultés"):
        consultation_opinion_give(consultation=consultation, item=item, author=outsider, verdict="agree")
    # Past the deadline, then once closed, nobody answers any more.
    with pytest.raises(BusinessRuleError, match="date limite"):
        consultation_opinion_give(
            consultation=consultation,
            item=item,
            author=resident,
            verdict="agree",
            today=consultation.deadline + timedelta(days=1),
        )
    consultation_close(consultation=consultation, by=None)
    with pytest.raises(BusinessRuleError, match="close"):
        consultation_opinion_give(consultation=consultation, item=item, author=resident, verdict="agree")
    assert Opinion.objects.get().verdict == "agree_with_reservations"


def test_an_item_of_another_consultation_is_refused(contract, council, resident, orientation):
    first = _consult(contract, [orientation], [council])
    second = _consult(contract, [make_plan(contract)], [council], title="Plan")
    with pytest.raises(BusinessRuleError, match="n'a pas été soumis"):
        consultation_opinion_give(consultation=first, item=second.items.get(), author=resident, verdict="agree")


def test_suites_donnees_and_who_answered(contract, council, other_council, resident, pilot, orientation):
    consultation = _consult(contract, [orientation], [council, other_council])
    consultation_opinion_give(
        consultation=consultation, item=consultation.items.get(), author=resident, verdict="disagree", text="Non."
    )
    decide(orientation, verdict=Verdict.VALIDATED_WITH_AMENDMENTS, text="Validée, avec un volet éclairage public.")
    access = _access(pilot, contract)
    [row] = consultation_items(consultation=consultation, user=pilot, access=access)
    assert [decision.text for decision in row.decisions] == ["Validée, avec un volet éclairage public."]
    assert row.is_validated
    answers = {answer.council.name: answer for answer in council_answers(consultation=consultation, items=[row])}
    assert answers["Conseil citoyen des Iris"].label == "a répondu"
    assert answers["Conseil citoyen du Plateau"].label == "pas encore de réponse"
    consultation_close(consultation=consultation, by=pilot)
    [row] = consultation_items(consultation=consultation, user=pilot, access=access)
    answers = {answer.council.name: answer for answer in council_answers(consultation=consultation, items=[row])}
    assert answers["Conseil citoyen du Plateau"].label == "sans réponse à la date limite"


def _access(user, contract):
    from contrat_ville.contracts.selectors import contract_access_of

    return contract_access_of(user=user, contract=contract)


def test_a_future_kind_registers_in_one_line(contract, council, resident, orientation):
    """The annual report (``reporting``, not built yet) will register its kind like this; here the orientation model
    stands in for it under a second label, to show the consultation needs nothing else."""
    kind = ConsultableKind(
        "tests.report", "Rapports annuels", "annual_reports", candidates=lambda contract: [], order=99
    )
    contribute(consultable=[kind])
    try:
        assert consultable_kinds.get("tests.report") is kind
    finally:
        consultable_kinds.unregister("tests.report")


# --- awaiting -----------------------------------------------------------------------------------------------------


def test_what_awaits_a_council_member(contract, council, other_council, resident, orientation):
    plan = make_plan(contract)
    consultation = _consult(contract, [orientation, plan], [council], days=5)
    _consult(contract, [orientation], [other_council], title="Pour le Plateau seulement")
    late = _consult(contract, [plan], [council], title="Échue")
    Consultation.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    closed = _consult(contract, [plan], [council], title="Close")
    consultation_close(consultation=closed, by=None)

    [item] = awaiting_opinions(resident)
    assert item.key == f"diagnostic.consultation:{consultation.pk}"
    assert item.due == consultation.deadline
    assert item.contract_id == contract.pk and item.contract_name == "Contrat de ville de Sornac"
    assert item.title == "Donner l'avis du conseil : Avis sur la stratégie (2 objets sur 2)"
    assert item.url == _page("diagnostic:consultation_detail", contract, consultation_id=consultation.pk)

    consultation_opinion_give(
        consultation=consultation,
        item=consultation.items.get(kind="strategy.orientation"),
        author=resident,
        verdict="agree",
    )
    [item] = awaiting_opinions(resident)
    assert item.title.endswith("(1 objet sur 2)") and item.key == f"diagnostic.consultation:{consultation.pk}"
    # Once the council has answered on everything, nothing awaits it any more.
    consultation_opinion_give(
        consultation=consultation,
        item=consultation.items.get(kind="strategy.actionplan"),
        author=resident,
        verdict="agree",
    )
    assert awaiting_opinions(resident) == []


def test_nothing_awaits_without_the_council_role_on_the_contract(contract, council, pilot, orientation):
    _consult(contract, [orientation], [council])
    assert awaiting_opinions(pilot) == []
    # A member of the council's organisation on another contract only: the consultation is not theirs to answer.
    stranger = council_member(contract_with_qpv(name="Autre contrat"), council, email="x@iris.fr")
    assert awaiting_opinions(stranger) == []


def test_awaiting_queries_are_bounded(contract, council, resident, django_assert_max_num_queries):
    for year in (2025, 2026, 2027):
        plan = make_plan(contract, year=year)
        _consult(contract, [plan, make_orientation(contract, title=f"Orientation {year}")], [council])
    with django_assert_max_num_queries(3):
        assert len(awaiting_opinions(resident)) == 3


def test_the_awaiting_page_and_the_contract_home_list_the_consultation(client, contract, council, resident):
    consultation = _consult(contract, [make_plan(contract)], [council])
    client.force_login(resident)
    page = _text(client.get(reverse("awaiting")))
    assert "Donner l'avis du conseil : Avis sur la stratégie" in page
    home = _text(client.get(reverse("contracts:contract_home", kwargs={"contract_slug": contract.slug})))
    assert "Donner l'avis du conseil : Avis sur la stratégie" in home
    assert _page("diagnostic:consultation_detail", contract, consultation_id=consultation.pk) in home


# --- pages --------------------------------------------------------------------------------------------------------


def test_pilot_submits_an_orientation_from_its_page(client, contract, council, pilot, orientation):
    client.force_login(pilot)
    detail = _text(client.get(_page("strategy:orientation_detail", contract, orientation_id=orientation.pk)))
    create = _page("diagnostic:consultation_create", contract)
    assert f"{create}?orientations={orientation.pk}" in detail
    form = _text(client.get(f"{create}?orientations={orientation.pk}"))
    assert re.search(rf'<input[^>]*name="orientations"[^>]*value="{orientation.pk}"[^>]*checked', form)
    deadline = timezone.localdate() + timedelta(days=20)
    response = client.post(
        create,
        {
            "title": "Avis sur les orientations",
            "deadline": deadline.isoformat(),
            "councils": [council.pk],
            "orientations": [orientation.pk],
        },
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert consultation.items.get().target_id == orientation.pk
    assert consultation.status == ConsultationStatus.OPEN


def test_a_consultation_without_any_object_is_refused_by_the_form(client, contract, council, pilot, orientation):
    client.force_login(pilot)
    response = client.post(
        _page("diagnostic:consultation_create", contract),
        {
            "title": "Vide",
            "deadline": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "councils": [council.pk],
        },
    )
    assert response.status_code == 200
    assert "Choisissez au moins un objet" in _text(response)
    assert not Consultation.objects.exists()


def test_the_member_gives_an_opinion_and_reads_the_follow_up(client, contract, council, resident, pilot, orientation):
    consultation = _consult(contract, [orientation], [council])
    item = consultation.items.get()
    opinion_url = _page("diagnostic:item_opinion_give", contract, consultation_id=consultation.pk, item_id=item.pk)
    client.force_login(resident)
    assert (
        opinion_url
        in client.get(
            _page("diagnostic:consultation_detail", contract, consultation_id=consultation.pk)
        ).content.decode()
    )
    response = client.post(opinion_url, {"verdict": "agree_with_reservations", "text": "Plus d'éclairage."})
    assert response.status_code == 302
    assert Opinion.objects.get().target == orientation
    assert "Aucune décision enregistrée pour l'instant" in _text(client.get(opinion_url))
    decision = decide(
        orientation, text="Le comité retient l'orientation et ajoute l'éclairage public.", is_published=True
    )
    page = _text(client.get(opinion_url))
    assert "Suites données" in page
    assert "Le comité retient l'orientation et ajoute l'éclairage public." in page
    assert _page("governance:decision_detail", contract, decision_id=decision.pk) in page
    # The orientation's page and the decision's page show the council's opinion.
    client.force_login(pilot)
    for url in (
        _page("strategy:orientation_detail", contract, orientation_id=orientation.pk),
        _page("governance:decision_detail", contract, decision_id=decision.pk),
    ):
        page = _text(client.get(url))
        assert "Avis des conseils citoyens" in page, url
        assert "Plus d'éclairage." in page, url


def test_a_plan_page_shows_the_opinions_on_it(client, contract, council, resident, pilot):
    plan = make_plan(contract, year=2026)
    consultation = _consult(contract, [plan], [council])
    consultation_opinion_give(
        consultation=consultation, item=consultation.items.get(), author=resident, verdict="disagree", text="Trop peu."
    )
    client.force_login(pilot)
    page = _text(client.get(_page("strategy:plan_detail", contract, plan_id=plan.pk)))
    assert "Trop peu." in page
    assert f"?action_plans={plan.pk}" in page


def test_a_member_of_another_council_cannot_post_an_opinion(client, contract, council, other_council, orientation):
    consultation = _consult(contract, [orientation], [council])
    item = consultation.items.get()
    outsider = council_member(contract, other_council, email="paul@plateau.fr")
    client.force_login(outsider)
    url = _page("diagnostic:item_opinion_give", contract, consultation_id=consultation.pk, item_id=item.pk)
    # The consultation is not addressed to their council: it does not exist for them.
    assert client.get(url).status_code == 404
    assert client.post(url, {"verdict": "agree"}).status_code == 404
    assert not Opinion.objects.exists()


def test_a_closed_consultation_refuses_the_opinion(client, contract, council, resident, orientation):
    consultation = _consult(contract, [orientation], [council])
    consultation_close(consultation=consultation, by=None)
    client.force_login(resident)
    url = _page(
        "diagnostic:item_opinion_give", contract, consultation_id=consultation.pk, item_id=consultation.items.get().pk
    )
    assert "ne peut plus être donné" in _text(client.get(url))
    assert client.post(url, {"verdict": "agree"}).status_code == 403
    assert not Opinion.objects.exists()


def test_other_contracts_consultations_are_invisible(client, contract, council, orientation):
    consultation = _consult(contract, [orientation], [council])
    elsewhere = contract_with_qpv(name="Contrat de Brest")
    stranger = member(elsewhere, Role.PILOT, email="pilote@brest.fr")
    client.force_login(stranger)
    assert (
        client.get(_page("diagnostic:consultation_detail", contract, consultation_id=consultation.pk)).status_code
        == 404
    )
    assert (
        client.get(_page("diagnostic:consultation_detail", elsewhere, consultation_id=consultation.pk)).status_code
        == 404
    )
    assert (
        client.get(_page("diagnostic:consultation_list", elsewhere)).content.decode().count("Avis sur la stratégie")
        == 0
    )


@pytest.mark.query_count("diagnostic:consultation_detail", "strategy:orientation_detail", "governance:decision_detail")
def test_consultation_page_queries_do_not_grow(client, contract, council, other_council, resident, pilot, query_count):
    orientation = make_orientation(contract, title="Orientation 1")
    consultation = _consult(contract, [orientation, make_plan(contract, year=2025)], [council])
    decision = decide(orientation)
    client.force_login(pilot)
    decision_page = _page("governance:decision_detail", contract, decision_id=decision.pk)
    few_on_decision = query_count.page(client, decision_page)
    detail = _page("diagnostic:consultation_detail", contract, consultation_id=consultation.pk)
    few = query_count.page(client, detail)
    orientation_page = _page("strategy:orientation_detail", contract, orientation_id=orientation.pk)
    few_on_orientation = query_count.page(client, orientation_page)
    more = [make_orientation(contract, title=f"Orientation {n}") for n in range(2, 6)]
    plans = [make_plan(contract, year=year) for year in (2026, 2027)]
    for obj in more:
        decide(obj)
    bigger = _consult(contract, [*more, *plans], [council, other_council], title="Plus grande")
    for item in bigger.items.all():
        consultation_opinion_give(consultation=bigger, item=item, author=resident, verdict="agree")
    ConsultedObject.objects.filter(consultation=bigger).update(consultation=consultation)
    consultation.councils.add(other_council)
    for title in ("Deuxième tour", "Troisième tour"):
        again = _consult(contract, [orientation], [council], title=title)
        consultation_opinion_give(consultation=again, item=again.items.get(), author=resident, verdict="agree")
    assert query_count.page(client, detail) == few
    assert query_count.page(client, orientation_page) == few_on_orientation
    assert query_count.page(client, decision_page) == few_on_decision


# --- API ----------------------------------------------------------------------------------------------------------


def _bearer(user) -> dict[str, str]:
    from contrat_ville.accounts.services import api_token_create

    _, raw = api_token_create(user=user)
    return {"Authorization": f"Bearer {raw}"}


def test_orientations_are_submitted_and_judged_through_the_api(
    client, contract, council, resident, pilot, orientation
):
    base = f"/api/v1/contracts/{contract.pk}/consultations"
    payload = {
        "title": "Avis sur l'orientation",
        "deadline": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "council_ids": [council.pk],
        "objects": [{"kind": "strategy.orientation", "id": orientation.pk}],
    }
    unknown = {**payload, "objects": [{"kind": "strategy.objective", "id": orientation.pk}]}
    refused = client.post(base, unknown, content_type="application/json", headers=_bearer(pilot))
    assert refused.status_code == 422 and "ne peut pas être soumis" in refused.json()["detail"]
    created = client.post(base, payload, content_type="application/json", headers=_bearer(pilot))
    assert created.status_code == 201, created.json()
    [item] = created.json()["items"]
    assert (item["kind"], item["target_type"], item["target_id"]) == (
        "strategy.orientation",
        "strategy.orientation",
        orientation.pk,
    )
    opinions = f"{base}/{created.json()['id']}/opinions"
    given = client.post(
        opinions,
        {"item_id": item["id"], "verdict": "agree", "text": ""},
        content_type="application/json",
        headers=_bearer(resident),
    )
    assert given.status_code == 201, given.json()
    assert (given.json()["target_type"], given.json()["target_id"], given.json()["stake_version_id"]) == (
        "strategy.orientation",
        orientation.pk,
        None,
    )
    nothing = client.post(opinions, {"verdict": "agree"}, content_type="application/json", headers=_bearer(resident))
    assert nothing.status_code == 422


def test_visitors_of_a_published_contract_do_not_read_the_opinions(client, contract, council, resident, orientation):
    from contrat_ville.contracts.models import Contract

    consultation = _consult(contract, [orientation], [council])
    consultation_opinion_give(
        consultation=consultation, item=consultation.items.get(), author=resident, verdict="disagree", text="Privé."
    )
    decision = decide(orientation, text="Décision publique sur l'orientation.", is_published=True)
    Contract.objects.filter(pk=contract.pk).update(is_published=True)
    for url in (
        _page("governance:decision_detail", contract, decision_id=decision.pk),
        _page("strategy:orientation_detail", contract, orientation_id=orientation.pk),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Décision publique sur l'orientation." in _text(response)
        assert "Privé." not in _text(response) and "Avis des conseils citoyens" not in _text(response)


def test_one_digest_lists_every_consultation_and_is_not_sent_again_unchanged(contract, council, resident):
    from django.core import mail
    from django.core.management import call_command

    plan = make_plan(contract, year=2026)
    _consult(contract, [plan], [council], title="Avis sur le plan 2026", days=9)
    _consult(contract, [make_orientation(contract)], [council], title="Avis sur l'orientation", days=4)
    call_command("send_awaiting_digest", stdout=StringIO())
    [message] = mail.outbox  # one e-mail for both consultations, not one per object
    assert message.to == ["nadia@iris.fr"]
    assert "Avis sur le plan 2026" in message.body and "Avis sur l'orientation" in message.body
    mail.outbox.clear()
    # Same keys: nothing new, nothing sent.
    call_command("send_awaiting_digest", stdout=StringIO())
    assert mail.outbox == []
    # A new consultation: a new key, a new digest.
    _consult(contract, [make_orientation(contract, title="Mobilité")], [council], title="Avis sur la mobilité")
    call_command("send_awaiting_digest", stdout=StringIO())
    [message] = mail.outbox
    assert "Avis sur la mobilité" in message.body


def test_an_object_submitted_to_the_councils_is_archived_not_deleted(contract, council, orientation):
    from contrat_ville.core.services import deletion_refusal

    plan = make_plan(contract, year=2027)
    assert deletion_refusal(plan) is None
    _consult(contract, [plan], [council])
    assert deletion_refusal(plan) == (
        "« Plan d'actions 2027 » a été soumis aux conseils citoyens : il ne peut pas être supprimé, seulement archivé."
    )
    assert deletion_refusal(orientation) is None


def test_silence_past_the_deadline_is_shown_as_such(client, contract, council, other_council, resident, pilot):
    plan = make_plan(contract, year=2026)
    consultation = _consult(contract, [plan], [council, other_council])
    consultation_opinion_give(
        consultation=consultation, item=consultation.items.get(), author=resident, verdict="agree"
    )
    Consultation.objects.filter(pk=consultation.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    client.force_login(pilot)
    page = _text(client.get(_page("diagnostic:consultation_detail", contract, consultation_id=consultation.pk)))
    answers = page[page.index('data-testid="council-answers"') :]
    assert re.search(r"Conseil citoyen des Iris</th>\s*<td>a répondu</td>", answers)
    assert re.search(r"Conseil citoyen du Plateau</th>\s*<td><strong>sans réponse à la date limite</strong>", answers)
