"""Pages of the conseils citoyens' registry, mounted under /contrats/<contract_slug>/conseils-citoyens/.

The list and a council's page are public on a published contract (counts, never a name the member did not agree to
publish); the nominative list of members is for the pilot, the State and the council's own members; the pilot and
the State keep the registry (``participation.permissions``).
"""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import ContractRequest, contract_view, require
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.presenters import contract_crumbs, pages
from contrat_ville.core.registries import seats_of
from contrat_ville.participation import presenters, selectors, services
from contrat_ville.participation.draws import verify
from contrat_ville.participation.forms import (
    CouncilDocumentForm,
    CouncilForm,
    DrawForm,
    MemberForm,
    PoolForm,
    QuotaForm,
    ReplacementForm,
    SeedForm,
    SurveyForm,
)
from contrat_ville.participation.models import CitizenCouncil, CouncilMember, CouncilSurvey, Draw
from contrat_ville.participation.permissions import (
    can_answer_council_survey,
    can_manage_councils,
    can_read_council_members,
)
from contrat_ville.ui.formats import euros
from contrat_ville.ui.page import Crumb, download, file_download, render_page
from contrat_ville.ui.routes import Routes

routes = Routes()


def council_list_url(contract: Contract) -> str:
    return reverse("participation:council_list", kwargs={"contract_slug": contract.slug})


def council_url(council: CitizenCouncil) -> str:
    return reverse(
        "participation:council_detail", kwargs={"contract_slug": council.contract.slug, "council_id": council.pk}
    )


def member_list_url(council: CitizenCouncil) -> str:
    return reverse(
        "participation:member_list", kwargs={"contract_slug": council.contract.slug, "council_id": council.pk}
    )


def _crumbs(contract: Contract, council: CitizenCouncil | None = None, *, members: bool = False) -> list[Crumb]:
    crumbs = contract_crumbs(contract, Crumb("Conseils citoyens", council_list_url(contract)))
    if council is not None:
        crumbs.append(Crumb(council.name, council_url(council)))
        if members:
            crumbs.append(Crumb("Membres", member_list_url(council)))
    return crumbs


@routes("")
@contract_view(private=False)
def council_list(request: ContractRequest) -> HttpResponse:
    """The contract's councils: neighbourhoods, legal form, status and composition (counts)."""
    contract = request.contract
    return render_page(
        request,
        "participation/council_list.html",
        f"Conseils citoyens — {contract.name}",
        parents=_crumbs(contract)[:-1],
        rows=selectors.council_rows(contract=contract),
        can_manage_councils=can_manage_councils(request.access),
    )


@routes("nouveau/")
@contract_view(private=True, permission=can_manage_councils)
def council_create(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    form = CouncilForm(request.POST or None, contract=contract)
    return pages.form_page(
        request,
        form,
        save=lambda data: services.council_save(
            contract=contract, fields=form.council_fields(), organization=data["organization"], by=request.access.user
        ),
        done=lambda council: (f"Conseil citoyen « {council.name} » inscrit au registre.", council_url(council)),
        title="Inscrire un conseil citoyen",
        parents=_crumbs(contract),
        submit_label="Inscrire le conseil",
        cancel_url=council_list_url(contract),
    )


@routes("<int:council_id>/")
@contract_view(private=False)
def council_detail(request: ContractRequest, council_id: int) -> HttpResponse:
    """A council: registry facts, composition (counts), the names its members agreed to publish, and — for those
    who may read it — the link to the nominative list."""
    contract = request.contract
    council = selectors.council_get(contract=contract, council_id=council_id)
    row = selectors.council_row(council)
    return render_page(
        request,
        "participation/council_detail.html",
        council.name,
        parents=_crumbs(contract),
        council=council,
        row=row,
        budget=euros(council.yearly_budget),
        warnings=selectors.composition_warnings(council, row.composition),
        can_manage_councils=can_manage_councils(request.access),
        can_read_members=can_read_council_members(request.access, council),
        can_answer_survey=can_answer_council_survey(request.access, council),
        draws=selectors.draw_list(council=council, with_drafts=can_manage_councils(request.access)),
        # One form per document, each with its prefix: two file fields on one page need two identifiers.
        document_forms={kind: CouncilDocumentForm(prefix=kind) for kind in services.COUNCIL_DOCUMENTS}
        if can_manage_councils(request.access)
        else {},
        seats=seats_of(council.organization, contract) if council.organization_id else [],
    )


@routes("<int:council_id>/documents/<slug:kind>/")
@require_POST
@contract_view(private=True, permission=can_manage_councils)
def council_document_upload(request: ContractRequest, council_id: int, kind: str) -> HttpResponse:
    """Attach the council's charter (« charte ») or statutes (« statuts ») as a file."""
    council = selectors.council_get(contract=request.contract, council_id=council_id)
    return pages.form_page(
        request,
        CouncilDocumentForm(request.POST, request.FILES, prefix=kind),
        save=lambda data: services.council_document_set(
            council=council, kind=kind, upload=data["file"], by=request.access.user
        ),
        done=lambda saved: ("Fichier enregistré.", council_url(saved)),
        title=f"Joindre un fichier — {council.name}",
        parents=_crumbs(request.contract, council),
        submit_label="Joindre le fichier",
        cancel_url=council_url(council),
    )


@routes("<int:council_id>/documents/<slug:kind>/retirer/")
@require_POST
@contract_view(private=True, permission=can_manage_councils)
def council_document_remove(request: ContractRequest, council_id: int, kind: str) -> HttpResponse:
    council = selectors.council_get(contract=request.contract, council_id=council_id)
    return pages.post_action(
        request,
        act=lambda: services.council_document_remove(council=council, kind=kind, by=request.access.user),
        message="Fichier retiré.",
        next_url=council_url(council),
    )


@routes("<int:council_id>/documents/<slug:kind>/telecharger/")
@contract_view(private=False)
def council_document_download(request: ContractRequest, council_id: int, kind: str) -> HttpResponse:
    """The council's charter or statutes, public with the council's page (adopted documents, no member's name)."""
    council = selectors.council_get(contract=request.contract, council_id=council_id)
    field = services.COUNCIL_DOCUMENTS.get(kind, ("", ""))[0]
    stored = getattr(council, field, None) if field else None
    if not stored:
        raise Http404("Fichier introuvable.")
    return file_download(stored)


@routes("<int:council_id>/modifier/")
@contract_view(private=True, permission=can_manage_councils)
def council_update(request: ContractRequest, council_id: int) -> HttpResponse:
    contract = request.contract
    council = selectors.council_get(contract=contract, council_id=council_id)
    form = CouncilForm(
        request.POST or None, contract=contract, council=council, initial=CouncilForm.initial_from(council)
    )
    return pages.form_page(
        request,
        form,
        save=lambda _data: services.council_save(
            contract=contract, council=council, fields=form.council_fields(), by=request.access.user
        ),
        done=lambda saved: (f"Conseil citoyen « {saved.name} » modifié.", council_url(saved)),
        title=f"Modifier « {council.name} »",
        parents=_crumbs(contract, council),
        cancel_url=council_url(council),
    )


@routes("<int:council_id>/supprimer/")
@contract_view(private=True, permission=can_manage_councils)
def council_delete(request: ContractRequest, council_id: int) -> HttpResponse:
    contract = request.contract
    council = selectors.council_get(contract=contract, council_id=council_id)
    count = len(council.members.all())
    return pages.confirm_page(
        request,
        act=lambda: services.council_delete(council=council, by=request.access.user),
        message=f"Conseil citoyen « {council.name} » retiré du registre.",
        success_url=council_list_url(contract),
        title=f"Retirer « {council.name} » du registre",
        parents=_crumbs(contract, council),
        explanation=f"Le conseil citoyen « {council.name} » et ses {count} membre{'s' if count > 1 else ''} seront "
        "retirés du registre. Son organisation reste parmi celles du contrat (instances, avis).",
        submit_label="Retirer le conseil",
        cancel_url=council_url(council),
    )


@routes("<int:council_id>/membres/")
@contract_view(private=True, permission=can_read_council_members)
def member_list(request: ContractRequest, council_id: int) -> HttpResponse:
    """The nominative list of a council's members, past ones included (pilot, State, the council's members)."""
    contract = request.contract
    council = selectors.council_get(contract=contract, council_id=council_id)
    require(can_read_council_members, request.access, council)
    row = selectors.council_row(council)
    return render_page(
        request,
        "participation/member_list.html",
        f"Membres de « {council.name} »",
        parents=_crumbs(contract, council),
        council=council,
        row=row,
        members=council.members.all(),
        today=timezone.localdate(),
        can_manage_councils=can_manage_councils(request.access),
    )


def _member_page(request: ContractRequest, council: CitizenCouncil, member: CouncilMember | None) -> HttpResponse:
    initial = MemberForm.initial_from(member) if member is not None else {"start_on": timezone.localdate()}
    form = MemberForm(request.POST or None, council=council, initial=initial)
    return pages.form_page(
        request,
        form,
        save=lambda _data: services.member_save(
            council=council, member=member, fields=form.member_fields(), by=request.access.user
        ),
        done=lambda saved: (
            "Membre enregistré." if member is not None else "Membre ajouté.",
            member_list_url(council),
        ),
        title=f"Modifier « {member} »" if member is not None else f"Ajouter un membre à « {council.name} »",
        parents=_crumbs(request.contract, council, members=True),
        cancel_url=member_list_url(council),
    )


@routes("<int:council_id>/membres/ajouter/")
@contract_view(private=True, permission=can_manage_councils)
def member_create(request: ContractRequest, council_id: int) -> HttpResponse:
    council = selectors.council_get(contract=request.contract, council_id=council_id)
    return _member_page(request, council, None)


@routes("<int:council_id>/membres/<int:member_id>/modifier/")
@contract_view(private=True, permission=can_manage_councils)
def member_update(request: ContractRequest, council_id: int, member_id: int) -> HttpResponse:
    council = selectors.council_get(contract=request.contract, council_id=council_id)
    return _member_page(request, council, selectors.member_get(council=council, member_id=member_id))


@routes("<int:council_id>/membres/<int:member_id>/supprimer/")
@contract_view(private=True, permission=can_manage_councils)
def member_delete(request: ContractRequest, council_id: int, member_id: int) -> HttpResponse:
    council = selectors.council_get(contract=request.contract, council_id=council_id)
    member = selectors.member_get(council=council, member_id=member_id)
    return pages.confirm_page(
        request,
        act=lambda: services.member_delete(member=member, by=request.access.user),
        message=f"« {member} » retiré de la liste des membres.",
        success_url=member_list_url(council),
        title=f"Supprimer « {member} »",
        parents=_crumbs(request.contract, council, members=True),
        explanation="Supprimez un membre saisi par erreur. Un membre qui quitte le conseil garde sa ligne : "
        "indiquez plutôt la fin de son mandat.",
        submit_label="Supprimer le membre",
        cancel_url=member_list_url(council),
    )


urlpatterns = routes.urlpatterns


# --- draws ----------------------------------------------------------------------------------------------------


def draw_url(draw: Draw, name: str = "draw_detail") -> str:
    return reverse(f"participation:{name}", kwargs={"contract_slug": draw.council.contract.slug, "draw_id": draw.pk})


def _draw(request: ContractRequest, draw_id: int) -> Draw:
    """The draw of the URL: a draft only for those who prepare draws (404 for anyone else)."""
    return selectors.draw_get(
        contract=request.contract, draw_id=draw_id, with_drafts=can_manage_councils(request.access)
    )


def _draw_crumbs(draw: Draw) -> list[Crumb]:
    return [*_crumbs(draw.council.contract, draw.council), Crumb(draw.title, draw_url(draw))]


@routes("<int:council_id>/tirages/nouveau/")
@contract_view(private=True, permission=can_manage_councils)
def draw_create(request: ContractRequest, council_id: int) -> HttpResponse:
    council = selectors.council_get(contract=request.contract, council_id=council_id)
    return pages.form_page(
        request,
        DrawForm(request.POST or None, initial={"substitutes": 2}),
        save=lambda data: services.draw_save(council=council, by=request.access.user, **data),
        done=lambda draw: ("Tirage préparé : importez le vivier, puis donnez la graine publique.", draw_url(draw)),
        title=f"Préparer un tirage au sort — {council.name}",
        parents=_crumbs(request.contract, council),
        submit_label="Préparer le tirage",
        cancel_url=council_url(council),
        intro="Le tirage au sort pourvoit les sièges avec la parité entre les femmes et les hommes, à partir d'un "
        "vivier anonymisé et d'une graine publique que personne ne maîtrise ; une fois publié, chacun peut le "
        "refaire.",
    )


@routes("tirages/<int:draw_id>/")
@contract_view(private=False)
def draw_detail(request: ContractRequest, draw_id: int) -> HttpResponse:
    """A draw: its inputs (pool summary, seats, seed), its result and fingerprint; for the pilot and the State, the
    steps of a draft (import the pool, set the seed, run, publish)."""
    draw = _draw(request, draw_id)
    may_manage = can_manage_councils(request.access)
    can_manage = may_manage and not draw.is_published
    seats = selectors.draw_seats_now(draw)
    return render_page(
        request,
        "participation/draw_detail.html",
        draw.title,
        parents=_crumbs(request.contract, draw.council),
        draw=draw,
        algorithm=services.draw_algorithm(draw),
        pool=selectors.pool_summary(draw),
        quotas=presenters.quota_rows(draw),
        result=presenters.draw_result_rows(draw),
        seats=seats,
        can_manage=can_manage,
        pool_form=PoolForm() if can_manage else None,
        seed_form=SeedForm(initial={"seed": draw.seed, "seed_source": draw.seed_source, "seed_date": draw.seed_date})
        if can_manage
        else None,
        quota_form=QuotaForm() if can_manage else None,
        replacement_form=ReplacementForm(seated=seats.seated, initial={"left_on": timezone.localdate()})
        if may_manage and draw.is_published
        else None,
    )


@routes("tirages/<int:draw_id>/vivier/")
@require_POST
@contract_view(private=True, permission=can_manage_councils)
def draw_pool(request: ContractRequest, draw_id: int) -> HttpResponse:
    draw = _draw(request, draw_id)
    return pages.form_page(
        request,
        PoolForm(request.POST, request.FILES),
        save=lambda data: services.draw_pool_import(draw=draw, upload=data["file"], by=request.access.user),
        done=lambda batch: (f"Vivier importé : {batch.created_count} candidat(s).", draw_url(draw)),
        title=f"Vivier du tirage — {draw.title}",
        parents=_draw_crumbs(draw),
        submit_label="Importer le vivier",
        cancel_url=draw_url(draw),
        errors_title="Fichier refusé : rien n'a été importé",
    )


@routes("tirages/<int:draw_id>/graine/")
@require_POST
@contract_view(private=True, permission=can_manage_councils)
def draw_seed(request: ContractRequest, draw_id: int) -> HttpResponse:
    draw = _draw(request, draw_id)
    return pages.form_page(
        request,
        SeedForm(request.POST),
        save=lambda data: services.draw_seed_set(draw=draw, by=request.access.user, **data),
        done=lambda _saved: ("Graine publique enregistrée.", draw_url(draw)),
        title=f"Graine du tirage — {draw.title}",
        parents=_draw_crumbs(draw),
        submit_label="Enregistrer la graine",
        cancel_url=draw_url(draw),
    )


@routes("tirages/<int:draw_id>/quotas/")
@require_POST
@contract_view(private=True, permission=can_manage_councils)
def draw_quota_add(request: ContractRequest, draw_id: int) -> HttpResponse:
    draw = _draw(request, draw_id)
    return pages.form_page(
        request,
        QuotaForm(request.POST),
        save=lambda data: services.draw_quota_add(draw=draw, by=request.access.user, **data),
        done=lambda _saved: ("Quota enregistré : le tirage suivra l'algorithme cv-tirage-2.", draw_url(draw)),
        title=f"Quota du tirage — {draw.title}",
        parents=_draw_crumbs(draw),
        submit_label="Ajouter le quota",
        cancel_url=draw_url(draw),
    )


@routes("tirages/<int:draw_id>/quotas/<int:position>/retirer/")
@require_POST
@contract_view(private=True, permission=can_manage_councils)
def draw_quota_remove(request: ContractRequest, draw_id: int, position: int) -> HttpResponse:
    draw = _draw(request, draw_id)
    return pages.post_action(
        request,
        act=lambda: services.draw_quota_remove(draw=draw, position=position, by=request.access.user),
        message="Quota retiré.",
        next_url=draw_url(draw),
    )


@routes("tirages/<int:draw_id>/remplacements/")
@require_POST
@contract_view(private=True, permission=can_manage_councils)
def draw_replace(request: ContractRequest, draw_id: int) -> HttpResponse:
    draw = _draw(request, draw_id)
    return pages.form_page(
        request,
        ReplacementForm(request.POST, seated=selectors.draw_seats_now(draw).seated),
        save=lambda data: services.draw_replace(draw=draw, by=request.access.user, **data),
        done=lambda replacement: (
            f"« {replacement.substitute} », premier suppléant qui convient, remplace « {replacement.leaving} ».",
            draw_url(draw),
        ),
        title=f"Appeler la liste complémentaire — {draw.title}",
        parents=_draw_crumbs(draw),
        submit_label="Appeler le suppléant suivant",
        cancel_url=draw_url(draw),
    )


@routes("tirages/<int:draw_id>/lancer/")
@require_POST
@contract_view(private=True, permission=can_manage_councils)
def draw_execute(request: ContractRequest, draw_id: int) -> HttpResponse:
    draw = _draw(request, draw_id)
    return pages.post_action(
        request,
        act=lambda: services.draw_execute(draw=draw, by=request.access.user),
        message="Tirage effectué : vérifiez-le, puis publiez-le.",
        next_url=draw_url(draw),
    )


@routes("tirages/<int:draw_id>/publier/")
@contract_view(private=True, permission=can_manage_councils)
def draw_publish(request: ContractRequest, draw_id: int) -> HttpResponse:
    draw = _draw(request, draw_id)
    return pages.confirm_page(
        request,
        act=lambda: services.draw_publish(draw=draw, by=request.access.user),
        message="Tirage publié : son fichier et sa vérification sont publics.",
        success_url=draw_url(draw),
        title=f"Publier « {draw.title} »",
        parents=_draw_crumbs(draw),
        explanation="Une fois publié, le tirage ne peut plus être relancé ni modifié ; son vivier anonymisé, sa "
        "graine et son résultat sont publiés pour que chacun puisse le refaire.",
        submit_label="Publier le tirage",
        cancel_url=draw_url(draw),
    )


@routes("tirages/<int:draw_id>/tirage.json")
@contract_view(private=False)
def draw_file(request: ContractRequest, draw_id: int) -> HttpResponse:
    """The published file (inputs, result, fingerprint), for ``manage.py verify_draw``."""
    draw = _draw(request, draw_id)
    content = json.dumps(services.draw_file(draw), ensure_ascii=False, indent=2).encode()
    return download(content, "application/json", f"tirage-{draw.pk}.json")


@routes("tirages/<int:draw_id>/verifier/")
@contract_view(private=False)
def draw_verify(request: ContractRequest, draw_id: int) -> HttpResponse:
    """Redo the draw from its published inputs, here and now, and compare with its recorded result."""
    draw = _draw(request, draw_id)
    same, result = verify(services.draw_file(draw)) if draw.fingerprint else (False, None)
    return render_page(
        request,
        "participation/draw_verify.html",
        f"Vérification — {draw.title}",
        parents=_draw_crumbs(draw),
        draw=draw,
        same=same,
        recomputed=result.fingerprint if result is not None else "",
    )


# --- the yearly questionnaire (issue 11 §5) --------------------------------------------------------------------


def survey_list_url(council: CitizenCouncil) -> str:
    return reverse(
        "participation:survey_list", kwargs={"contract_slug": council.contract.slug, "council_id": council.pk}
    )


def survey_url(survey: CouncilSurvey) -> str:
    council = survey.council
    return reverse(
        "participation:survey_answer",
        kwargs={"contract_slug": council.contract.slug, "council_id": council.pk, "survey_id": survey.pk},
    )


def _survey_crumbs(contract: Contract, council: CitizenCouncil) -> list[Crumb]:
    return [*_crumbs(contract, council), Crumb("Questionnaires annuels", survey_list_url(council))]


@routes("<int:council_id>/questionnaires/")
@contract_view(private=True, permission=can_answer_council_survey)
def survey_list(request: ContractRequest, council_id: int) -> HttpResponse:
    """The council's questionnaires, year by year, and their answers side by side for comparison."""
    contract = request.contract
    council = selectors.council_get(contract=contract, council_id=council_id)
    require(can_answer_council_survey, request.access, council)
    surveys = selectors.council_surveys(council=council)
    header, rows = presenters.survey_comparison(surveys)
    return render_page(
        request,
        "participation/survey_list.html",
        f"Questionnaires annuels — {council.name}",
        parents=_crumbs(contract, council),
        council=council,
        surveys=surveys,
        header=header,
        rows=rows,
    )


@routes("<int:council_id>/questionnaires/<int:survey_id>/")
@contract_view(private=True, permission=can_answer_council_survey)
def survey_answer(request: ContractRequest, council_id: int, survey_id: int) -> HttpResponse:
    """The year's questionnaire: a form while it is a draft (prefilled from the registry, last year's answers
    beside it), its answers once transmitted."""
    contract = request.contract
    council = selectors.council_get(contract=contract, council_id=council_id)
    require(can_answer_council_survey, request.access, council)
    survey = selectors.council_survey_get(council=council, survey_id=survey_id)
    title = f"Questionnaire {survey.campaign.year} — {council.name}"
    previous = next(
        (
            other
            for other in selectors.council_surveys(council=council)
            if other.campaign.year < survey.campaign.year and other.is_submitted
        ),
        None,
    )
    previous_answers = presenters.survey_answers(previous) if previous is not None else []
    if survey.is_submitted:
        return render_page(
            request,
            "participation/survey_detail.html",
            title,
            parents=_survey_crumbs(contract, council),
            survey=survey,
            answers=presenters.survey_answers(survey),
            previous=previous,
            previous_answers=previous_answers,
        )
    form = SurveyForm(request.POST or None, initial=SurveyForm.initial_from(survey))
    return pages.form_page(
        request,
        form,
        save=lambda _data: services.survey_save(survey=survey, answers=form.answers(), by=request.access.user),
        done=lambda saved: (
            "Brouillon enregistré. Transmettez le questionnaire quand il est complet.",
            survey_url(saved),
        ),
        title=title,
        parents=_survey_crumbs(contract, council),
        intro=(
            "Le questionnaire annuel des conseils citoyens de la région : il nourrit l'état des lieux que le centre "
            "de ressources publie. Les réponses sont préremplies avec le registre du conseil ; enregistrez un "
            "brouillon autant de fois que nécessaire, puis transmettez-le."
            + (f" Réponses attendues avant le {survey.campaign.due_on:%d/%m/%Y}." if survey.campaign.due_on else "")
        ),
        submit_label="Enregistrer le brouillon",
        after_template="participation/_survey_submit.html",
        side_template="participation/_survey_previous.html" if previous is not None else "",
        submit_url=reverse(
            "participation:survey_submit",
            kwargs={"contract_slug": contract.slug, "council_id": council.pk, "survey_id": survey.pk},
        ),
        previous=previous,
        previous_answers=previous_answers,
        cancel_url=survey_list_url(council),
    )


@routes("<int:council_id>/questionnaires/<int:survey_id>/transmettre/")
@contract_view(private=True, permission=can_answer_council_survey)
def survey_submit(request: ContractRequest, council_id: int, survey_id: int) -> HttpResponse:
    contract = request.contract
    council = selectors.council_get(contract=contract, council_id=council_id)
    require(can_answer_council_survey, request.access, council)
    survey = selectors.council_survey_get(council=council, survey_id=survey_id)
    return pages.confirm_page(
        request,
        act=lambda: services.survey_submit(survey=survey, by=request.access.user),
        message=f"Questionnaire {survey.campaign.year} transmis au centre de ressources.",
        success_url=survey_url(survey),
        title=f"Transmettre le questionnaire {survey.campaign.year}",
        parents=_survey_crumbs(contract, council),
        explanation=(
            "Une fois transmis, le questionnaire ne se modifie plus : il nourrit l'état des lieux des conseils "
            "citoyens de la région."
        ),
        submit_label="Transmettre",
        cancel_url=survey_url(survey),
    )
