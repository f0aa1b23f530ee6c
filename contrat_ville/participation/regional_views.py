"""The conseils citoyens of a region, mounted under /conseils-citoyens/ (issue 11 §5-6, issue 12 §6): the yearly
questionnaire's campaigns and the state of play, for the region's resource centre (its organisation's
``region_code``) and for the platform's administrators (every region). A campaign of another region is « introuvable »
(404) for a resource centre; anyone else gets 403 (``contracts.permissions.can_follow_region``)."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from contrat_ville.contracts.access import platform_view
from contrat_ville.contracts.permissions import REGION_REFUSAL, can_follow_region, followed_region
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.spreadsheets import XLSX_CONTENT_TYPE
from contrat_ville.participation import exports, presenters, selectors, services
from contrat_ville.participation.forms import CampaignForm, RegionForm
from contrat_ville.participation.models import SurveyCampaign
from contrat_ville.territories.selectors import region_choices, region_name
from contrat_ville.ui.form_pages import FormPages
from contrat_ville.ui.page import Crumb, download, render_page
from contrat_ville.ui.routes import Routes

routes = Routes()
pages = FormPages(layout="ui/base.html", refused=BusinessRuleError)
followers_only = platform_view(can_follow_region, refusal=REGION_REFUSAL)
CAMPAIGNS_TITLE = "Questionnaire annuel des conseils citoyens"


def _campaigns_crumbs() -> list[Crumb]:
    return [Crumb(CAMPAIGNS_TITLE, reverse("councils:campaign_list"))]


def campaign_url(campaign: SurveyCampaign) -> str:
    return reverse("councils:campaign_detail", kwargs={"campaign_id": campaign.pk})


def _scope(request: HttpRequest) -> str | None:
    """The region the caller follows (``None``: every region, an administrator)."""
    return followed_region(request.user)


@routes("questionnaires/")
@followers_only
def campaign_list(request: HttpRequest) -> HttpResponse:
    """The campaigns of the caller's region (every region for an administrator), with their answers' count."""
    region = _scope(request)
    names = dict(region_choices())
    return render_page(
        request,
        "participation/campaign_list.html",
        CAMPAIGNS_TITLE,
        rows=[
            (campaign, names.get(campaign.region_code, campaign.region_code))
            for campaign in selectors.campaign_list(region_code=region)
        ],
        region_name=names.get(region, region) if region else "",
    )


@routes("questionnaires/ouvrir/")
@followers_only
def campaign_create(request: HttpRequest) -> HttpResponse:
    """Open the year's questionnaire: a resource centre over its region, an administrator over the region chosen."""
    region = _scope(request)
    form = CampaignForm(request.POST or None, regions=region_choices(), fixed_region=region)

    def save(data: dict[str, object]) -> SurveyCampaign:
        due_on = data.get("due_on")
        return services.campaign_open(
            year=int(str(data["year"])),
            region_code=region if region is not None else str(data["region_code"]),
            due_on=due_on if isinstance(due_on, date) else None,
            by=request.user,
        )

    return pages.form_page(
        request,
        form,
        save=save,
        done=lambda campaign: (
            f"Questionnaire {campaign.year} ouvert : {campaign.surveys.count()} conseil(s) citoyen(s) le reçoivent.",
            campaign_url(campaign),
        ),
        title="Ouvrir le questionnaire de l'année",
        parents=_campaigns_crumbs(),
        intro=(
            "Chaque conseil citoyen des contrats de la région reçoit un questionnaire, prérempli avec ce que dit son "
            "registre ; la personne qui l'anime le complète et le transmet en ligne."
            + (f" Région : {region_name(region)}." if region else "")
        ),
        submit_label="Ouvrir le questionnaire",
        cancel_url=reverse("councils:campaign_list"),
    )


@routes("questionnaires/<int:campaign_id>/")
@followers_only
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Who answered: each council of the region and its questionnaire's state."""
    campaign = selectors.campaign_get(campaign_id=campaign_id, region_code=_scope(request))
    surveys = selectors.campaign_surveys(campaign=campaign)
    return render_page(
        request,
        "participation/campaign_detail.html",
        f"Questionnaire {campaign.year} — {region_name(campaign.region_code)}",
        parents=_campaigns_crumbs(),
        campaign=campaign,
        surveys=surveys,
        submitted=sum(survey.is_submitted for survey in surveys),
    )


@routes("questionnaires/<int:campaign_id>/nouveaux-conseils/")
@require_POST
@followers_only
def campaign_refresh(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.campaign_get(campaign_id=campaign_id, region_code=_scope(request))
    return pages.post_action(
        request,
        act=lambda: services.campaign_add_new_councils(campaign=campaign, by=request.user),
        done=lambda created: (
            f"{len(created)} conseil(s) citoyen(s) inscrit(s) depuis l'ouverture reçoivent le questionnaire.",
            campaign_url(campaign),
        ),
        next_url=campaign_url(campaign),
    )


@routes("questionnaires/<int:campaign_id>/reponses/<int:survey_id>/")
@followers_only
def campaign_survey(request: HttpRequest, campaign_id: int, survey_id: int) -> HttpResponse:
    """A council's answers, as the resource centre reads them (a draft shows what is prefilled so far)."""
    campaign = selectors.campaign_get(campaign_id=campaign_id, region_code=_scope(request))
    survey = selectors.campaign_survey_get(campaign=campaign, survey_id=survey_id)
    return render_page(
        request,
        "participation/campaign_survey.html",
        f"{survey.council.name} — questionnaire {campaign.year}",
        parents=[*_campaigns_crumbs(), Crumb(f"Questionnaire {campaign.year}", campaign_url(campaign))],
        campaign=campaign,
        survey=survey,
        answers=presenters.survey_answers(survey),
    )


def _state_region(request: HttpRequest) -> tuple[str | None, RegionForm | None]:
    """The region of the state of play: the resource centre's own; the one an administrator picks (all by default)."""
    region = _scope(request)
    if region is not None:
        return region, None
    form = RegionForm(request.GET or None, regions=region_choices())
    chosen = form.cleaned_data.get("region") if form.is_valid() else ""
    return (str(chosen) or None), form


@routes("etat-des-lieux/")
@followers_only
def state_of_play(request: HttpRequest) -> HttpResponse:
    """The state of play of the councils of the region (of the platform for an administrator): one line per council,
    then the totals and percentages, like the first seed's survey."""
    region, form = _state_region(request)
    state = selectors.state_of_play(region_code=region)
    return render_page(
        request,
        "participation/state_of_play.html",
        "État des lieux des conseils citoyens",
        form=form,
        region=region,
        region_name=region_name(region) if region else "toutes les régions",
        headers=presenters.STATE_OF_PLAY_HEADERS,
        rows=[(line.council_id, presenters.state_row(line)) for line in state.states],
        totals=presenters.total_rows(state.totals),
        query=request.GET.urlencode(),
    )


@routes("etat-des-lieux/export.<str:file_format>")
@followers_only
def state_of_play_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The same state of play as a spreadsheet (councils and totals) or a CSV (councils)."""
    if file_format not in {"xlsx", "csv"}:
        raise Http404("Format inconnu.")
    region, _form = _state_region(request)
    state = selectors.state_of_play(region_code=region)
    name = f"etat-des-lieux-conseils-citoyens-{region or 'france'}"
    if file_format == "csv":
        return download(exports.state_of_play_csv(state), exports.CSV_CONTENT_TYPE, f"{name}.csv")
    return download(exports.state_of_play_xlsx(state), XLSX_CONTENT_TYPE, f"{name}.xlsx")


@routes("etat-des-lieux/conseils/<int:council_id>/")
@followers_only
def council_state(request: HttpRequest, council_id: int) -> HttpResponse:
    """One council's line of the state of play and its questionnaires over the years, side by side."""
    council = selectors.region_council_get(council_id=council_id, region_code=_scope(request))
    surveys = selectors.council_surveys(council=council)
    latest = next((survey for survey in surveys if survey.is_submitted), None)
    line = selectors.council_state(council, council.members.all(), latest)
    header, rows = presenters.survey_comparison(surveys)
    return render_page(
        request,
        "participation/council_state.html",
        council.name,
        parents=[Crumb("État des lieux des conseils citoyens", reverse("councils:state_of_play"))],
        facts=list(zip(presenters.STATE_OF_PLAY_HEADERS, presenters.state_row(line), strict=True)),
        header=header,
        rows=rows,
    )
