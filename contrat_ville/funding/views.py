"""Pages of the partners' *droit commun* commitments, mounted under /contrats/<contract_slug>/droit-commun/: the
list, a commitment with its yearly figures, « Mes engagements » for a partner, and the balance with its export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.access import ContractRequest, contract_view, platform_view, require
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.presenters import contract_crumbs, contracts_crumb, pages
from contrat_ville.core.spreadsheets import XLSX_CONTENT_TYPE
from contrat_ville.funding import exports, presenters, selectors, services
from contrat_ville.funding.forms import (
    CommitmentFilterForm,
    CommitmentForm,
    CommitmentYearForm,
    CreditFilterForm,
    CreditForm,
    PostsImportForm,
)
from contrat_ville.funding.models import Credit, MainstreamCommitment
from contrat_ville.funding.permissions import (
    ACROSS_CONTRACTS_REFUSAL,
    IMPORT_POSTS_REFUSAL,
    can_commit_for,
    can_edit_commitment,
    can_import_p147_posts,
    can_manage_commitments,
    can_manage_credits,
    can_record_commitments,
    can_view_balance_across_contracts,
)
from contrat_ville.ui.page import Crumb, download, render_page
from contrat_ville.ui.routes import Routes

routes = Routes()

LIST_TITLE = "Engagements de droit commun"


def url(name: str, contract: Contract, **kwargs: Any) -> str:
    return reverse(f"funding:{name}", kwargs={"contract_slug": contract.slug, **kwargs})


def commitment_url(commitment: MainstreamCommitment) -> str:
    return url("commitment_detail", commitment.contract, commitment_id=commitment.pk)


def crumbs(contract: Contract, *extra: Crumb) -> list[Crumb]:
    return contract_crumbs(contract, Crumb(LIST_TITLE, url("commitment_list", contract)), *extra)


def commitment_crumbs(commitment: MainstreamCommitment) -> list[Crumb]:
    """The breadcrumb of the pages under a commitment: the list, then the commitment."""
    return crumbs(commitment.contract, Crumb(str(commitment), commitment_url(commitment)))


def _editable_commitment(request: ContractRequest, commitment_id: int) -> MainstreamCommitment:
    """The commitment the URL names (404 when the contract has none such), which the caller may edit (403 else)."""
    commitment = selectors.commitment_get(contract=request.contract, commitment_id=commitment_id)
    require(can_edit_commitment, request.access, commitment)
    return commitment


def _partners_for(request: ContractRequest) -> QuerySet[Organization]:
    """Whom the caller may commit for: every organisation of the contract for the steering roles, one's own
    organisation for a partner."""
    access = request.access
    if can_manage_commitments(access):
        return selectors.partner_choices(contract=request.contract)
    organization_id = _own_organization_id(request)
    return Organization.objects.filter(pk=organization_id) if organization_id else Organization.objects.none()


def _own_organization_id(request: ContractRequest) -> int | None:
    user = request.access.user
    return user.organization_id if user is not None else None


@routes("")
@contract_view(private=True)
def commitment_list(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    access = request.access
    today = timezone.localdate()
    everything = selectors.commitment_list(contract=contract)
    partners = sorted({item.partner for item in everything}, key=lambda organization: organization.name)
    filters = CommitmentFilterForm(
        request.GET or None, partners=partners, pillars=selectors.pillar_choices(contract=contract)
    )
    partner_id, pillar_id = filters.selected("partenaire"), filters.selected("pilier")
    commitments = (
        selectors.commitment_list(contract=contract, partner_id=partner_id, pillar_id=pillar_id)
        if partner_id or pillar_id
        else everything
    )
    return render_page(
        request,
        "funding/commitment_list.html",
        f"{LIST_TITLE} — {contract.name}",
        parents=crumbs(contract)[:-1],
        rows=presenters.commitment_rows(commitments, today),
        filters=filters,
        is_filtered=bool(partner_id or pillar_id),
        can_record=can_record_commitments(access),
        has_own_organization=_own_organization_id(request) is not None,
    )


@routes("nouveau/")
@contract_view(private=True, permission=can_record_commitments)
def commitment_create(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    access = request.access
    partners = _partners_for(request)
    only = list(partners[:2])
    initial = {"partner": only[0].pk} if len(only) == 1 else {}
    form = CommitmentForm(request.POST or None, contract=contract, partners=partners, initial=initial)

    def save(data: dict[str, Any]) -> MainstreamCommitment:
        require(can_commit_for, access, data["partner"])
        return services.commitment_create(
            contract=contract, partner=data["partner"], fields=form.commitment_fields(), by=access.user
        )

    return pages.form_page(
        request,
        form,
        save=save,
        done=lambda commitment: (
            f"Engagement « {commitment} » enregistré : saisissez maintenant ses chiffres prévus année par année.",
            url("commitment_year", contract, commitment_id=commitment.pk),
        ),
        title="Enregistrer un engagement de droit commun",
        parents=crumbs(contract),
        submit_label="Enregistrer l'engagement",
        cancel_url=url("commitment_list", contract),
        intro="Ce que le partenaire mobilise de ses propres politiques — crédits, personnels, services, "
        "dispositifs — pour un objectif, une action ou le contrat dans son ensemble. Les chiffres prévus et "
        "réalisés se saisissent ensuite, année par année.",
    )


@routes("<int:commitment_id>/")
@contract_view(private=True)
def commitment_detail(request: ContractRequest, commitment_id: int) -> HttpResponse:
    contract = request.contract
    commitment = selectors.commitment_get(contract=contract, commitment_id=commitment_id)
    return render_page(
        request,
        "funding/commitment_detail.html",
        str(commitment),
        parents=crumbs(contract),
        row=presenters.commitment_row(commitment, timezone.localdate()),
        can_edit=can_edit_commitment(request.access, commitment),
    )


@routes("<int:commitment_id>/modifier/")
@contract_view(private=True, permission=can_record_commitments)
def commitment_update(request: ContractRequest, commitment_id: int) -> HttpResponse:
    contract = request.contract
    access = request.access
    commitment = _editable_commitment(request, commitment_id)
    partners = _partners_for(request)
    form = CommitmentForm(request.POST or None, contract=contract, partners=partners, commitment=commitment)

    def save(data: dict[str, Any]) -> MainstreamCommitment:
        require(can_commit_for, access, data["partner"])
        return services.commitment_update(
            commitment=commitment, fields=form.commitment_fields(), partner=data["partner"], by=access.user
        )

    return pages.form_page(
        request,
        form,
        save=save,
        done=lambda _: ("Engagement modifié.", commitment_url(commitment)),
        title=f"Modifier l'engagement « {commitment} »",
        parents=commitment_crumbs(commitment),
        cancel_url=commitment_url(commitment),
    )


@routes("<int:commitment_id>/supprimer/")
@contract_view(private=True, permission=can_record_commitments)
def commitment_delete(request: ContractRequest, commitment_id: int) -> HttpResponse:
    contract = request.contract
    commitment = _editable_commitment(request, commitment_id)
    return pages.confirm_page(
        request,
        act=lambda: services.commitment_delete(commitment=commitment, by=request.access.user),
        message=f"Engagement « {commitment} » supprimé.",
        success_url=url("commitment_list", contract),
        title=f"Supprimer l'engagement « {commitment} »",
        parents=commitment_crumbs(commitment),
        explanation="L'engagement sera supprimé avec ses chiffres annuels ; la suppression reste inscrite dans "
        "l'historique. Un engagement abandonné en cours de contrat se garde : passez-le à l'état « retiré ».",
        submit_label="Supprimer l'engagement",
        cancel_url=commitment_url(commitment),
    )


@routes("<int:commitment_id>/annees/")
@contract_view(private=True, permission=can_record_commitments)
def commitment_year(request: ContractRequest, commitment_id: int) -> HttpResponse:
    """The figures of one year (« ?annee=2025 » opens that year's, already filled in)."""
    contract = request.contract
    access = request.access
    commitment = _editable_commitment(request, commitment_id)
    lines = {line.year: line for line in commitment.years.all()}
    asked = request.GET.get("annee", "")
    year = int(asked) if asked.isdigit() and int(asked) in lines else None
    initial: dict[str, Any] = {"year": year or _first_year_to_fill(contract, lines)}
    if year is not None:
        line = lines[year]
        initial.update(planned=line.planned, realised=line.realised, note=line.note)
    form = CommitmentYearForm(request.POST or None, contract=contract, unit=commitment.unit_text, initial=initial)
    return pages.form_page(
        request,
        form,
        save=lambda data: services.commitment_year_set(
            commitment=commitment,
            year=data["year"],
            planned=data["planned"],
            realised=data["realised"],
            note=data["note"],
            by=access.user,
        ),
        done=lambda line: (f"Chiffres de {line.year} enregistrés.", commitment_url(commitment)),
        title=f"Chiffres annuels — {commitment}",
        parents=commitment_crumbs(commitment),
        submit_label="Enregistrer les chiffres",
        cancel_url=commitment_url(commitment),
        intro="Le prévu est ce que le partenaire s'engage à mobiliser cette année-là ; le réalisé, ce qu'il a "
        "effectivement mobilisé, saisi une fois l'année en cours ou échue. Une année déjà saisie est remplacée.",
    )


def _first_year_to_fill(contract: Contract, lines: dict[int, Any]) -> int:
    """The current year when it lies in the contract and has no figure yet, else the first such year."""
    years = range(contract.start_on.year, contract.end_on.year + 1)
    current = timezone.localdate().year
    if current in years and current not in lines:
        return current
    return next((year for year in years if year not in lines), years[0])


@routes("<int:commitment_id>/annees/<int:year>/supprimer/")
@require_POST
@contract_view(private=True, permission=can_record_commitments)
def commitment_year_delete(request: ContractRequest, commitment_id: int, year: int) -> HttpResponse:
    commitment = _editable_commitment(request, commitment_id)
    return pages.post_action(
        request,
        act=lambda: services.commitment_year_delete(commitment=commitment, year=year, by=request.access.user),
        message=f"Chiffres de {year} supprimés.",
        next_url=commitment_url(commitment),
    )


@routes("mes-engagements/")
@contract_view(private=True, permission=can_record_commitments)
def my_commitments(request: ContractRequest) -> HttpResponse:
    """A partner's own page: what its organisation committed, and the years that wait for its realised figure."""
    contract = request.contract
    organization_id = _own_organization_id(request)
    user = request.access.user
    rows = presenters.commitment_rows(
        selectors.partner_commitments(contract=contract, organization_id=organization_id), timezone.localdate()
    )
    return render_page(
        request,
        "funding/my_commitments.html",
        "Mes engagements",
        parents=crumbs(contract),
        organization=user.organization if user is not None else None,
        rows=rows,
        awaiting=[row for row in rows if row.awaiting_years],
    )


@routes("bilan/")
@contract_view(private=True)
def balance(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    today = timezone.localdate()
    figures = selectors.contract_balance(contract=contract, today=today)
    return render_page(
        request,
        "funding/balance.html",
        f"Bilan du droit commun — {contract.name}",
        parents=crumbs(contract),
        balance=figures,
        rows=presenters.balance_rows(figures),
        units=presenters.balance_units(figures),
        today=today,
        can_view_across=can_view_balance_across_contracts(request.user),
    )


@routes("bilan/export.xlsx")
@contract_view(private=True)
def balance_export(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    today = timezone.localdate()
    content = exports.balance_xlsx(
        selectors.contract_balance(contract=contract, today=today), selectors.commitment_list(contract=contract)
    )
    return download(content, XLSX_CONTENT_TYPE, f"bilan-droit-commun-{contract.slug}.xlsx")


@platform_view(can_view_balance_across_contracts, refusal=ACROSS_CONTRACTS_REFUSAL)
def balance_across_contracts(request: HttpRequest) -> HttpResponse:
    """A State delegate's view: the droit commun of every contract where they represent the State (issue 14 §2)."""
    rows = selectors.balances_across_contracts(user=request.user, today=timezone.localdate())
    return render_page(
        request,
        "funding/balance_across_contracts.html",
        "Bilan du droit commun de mes contrats",
        parents=[contracts_crumb()],
        rows=presenters.balances_across_contracts_text(rows),
    )


# --- specific credits -------------------------------------------------------------------------------------------

CREDITS_TITLE = "Crédits spécifiques"


def credit_crumbs(contract: Contract) -> list[Crumb]:
    return [*crumbs(contract)[:-1], Crumb(CREDITS_TITLE, url("credit_list", contract))]


@routes("credits/")
@contract_view(private=True)
def credit_list(request: ContractRequest) -> HttpResponse:
    contract = request.contract
    filters = CreditFilterForm(request.GET or None, years=selectors.credit_years(contract=contract))
    credits = selectors.credit_list(
        contract=contract, year=filters.value("annee"), programme=filters.value("programme") or ""
    )
    everything, by_programme = selectors.credit_totals(credits)
    return render_page(
        request,
        "funding/credit_list.html",
        f"{CREDITS_TITLE} — {contract.name}",
        parents=crumbs(contract)[:-1],
        filters=filters,
        rows=presenters.credit_rows(credits, selectors.credit_warnings(credits)),
        totals=presenters.credit_totals_text(everything),
        by_programme=[presenters.credit_totals_text(totals) for totals in by_programme],
        can_manage=can_manage_credits(request.access),
    )


def _credit_form_page(request: ContractRequest, credit: Credit | None) -> HttpResponse:
    contract = request.contract
    form = CreditForm(request.POST or None, contract=contract, credit=credit)

    def save(_data: dict[str, Any]) -> Credit:
        if credit is None:
            return services.credit_create(contract=contract, fields=form.credit_fields(), by=request.access.user)
        return services.credit_update(credit=credit, fields=form.credit_fields(), by=request.access.user)

    def done(saved: Credit) -> tuple[str, str]:
        warning = selectors.credit_warnings([saved]).get(saved.pk)
        if warning:
            messages.warning(request, warning)
        return (f"Crédits « {saved} » enregistrés.", url("credit_list", contract))

    return pages.form_page(
        request,
        form,
        save=save,
        done=done,
        title="Enregistrer des crédits spécifiques" if credit is None else f"Modifier « {credit} »",
        parents=credit_crumbs(contract),
        cancel_url=url("credit_list", contract),
        intro="Les crédits propres à la politique de la ville, mobilisés après le droit commun des partenaires : "
        "programme 147 (actions de l'appel à projets, postes d'adultes-relais et FONJEP), renouvellement urbain, "
        "crédits des collectivités dédiés aux quartiers.",
    )


@routes("credits/nouveau/")
@contract_view(private=True, permission=can_manage_credits)
def credit_create(request: ContractRequest) -> HttpResponse:
    return _credit_form_page(request, None)


@routes("credits/<int:credit_id>/modifier/")
@contract_view(private=True, permission=can_manage_credits)
def credit_update(request: ContractRequest, credit_id: int) -> HttpResponse:
    return _credit_form_page(request, selectors.credit_get(contract=request.contract, credit_id=credit_id))


@routes("credits/<int:credit_id>/supprimer/")
@contract_view(private=True, permission=can_manage_credits)
def credit_delete(request: ContractRequest, credit_id: int) -> HttpResponse:
    contract = request.contract
    credit = selectors.credit_get(contract=contract, credit_id=credit_id)
    return pages.confirm_page(
        request,
        act=lambda: services.credit_delete(credit=credit, by=request.access.user),
        message=f"Crédits « {credit} » supprimés.",
        success_url=url("credit_list", contract),
        title=f"Supprimer « {credit} »",
        parents=credit_crumbs(contract),
        explanation="La ligne de crédits sera supprimée ; la suppression reste inscrite dans l'historique. Un poste "
        "importé de l'ANCT reviendra au prochain import de son année.",
        submit_label="Supprimer",
        cancel_url=url("credit_list", contract),
    )


# --- programme 147 posts across contracts ------------------------------------------------------------------------


@platform_view(can_view_balance_across_contracts, refusal=ACROSS_CONTRACTS_REFUSAL)
def posts_across_contracts(request: HttpRequest) -> HttpResponse:
    """The adultes-relais and FONJEP posts of every contract where the user represents the State."""
    asked = request.GET.get("annee", "")
    year = int(asked) if asked.isdigit() and len(asked) == 4 else None
    posts = selectors.posts_across_contracts(user=request.user, year=year)
    return render_page(
        request,
        "funding/posts_across_contracts.html",
        "Postes du programme 147 de mes contrats",
        parents=[contracts_crumb()],
        posts=presenters.credit_rows(posts, {}),
        year=year,
        can_import=can_import_p147_posts(request.user),
    )


@platform_view(can_import_p147_posts, refusal=IMPORT_POSTS_REFUSAL)
def posts_import(request: HttpRequest) -> HttpResponse:
    return pages.import_page(
        request,
        PostsImportForm(request.POST or None, request.FILES or None),
        save=lambda data: services.p147_posts_import(data["file"], programme=data["programme"], by=request.user),
        report=lambda pk: selectors.posts_import_batch_get(pk=pk),
        title="Importer les postes du programme 147 (ANCT)",
        parents=[Crumb("Postes du programme 147 de mes contrats", reverse("funding_posts_across_contracts"))],
        intro_template="funding/_posts_import_help.html",
        form_testid="posts-import-form",
        layout="ui/base.html",
    )
