"""API of the contracts: list, detail and members, behind the tenancy selector.

Outside the tenancy boundary the answer is 404, whether the contract exists or not; anonymous calls
to private endpoints get 401.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from contrat_ville.accounts.models import Organization
from contrat_ville.accounts.selectors import organization_by_id
from contrat_ville.contracts import selectors, services
from contrat_ville.contracts.access import (
    api_caller,
    api_contract_access,
    api_removal,
    api_user,
    business_rules_as_http,
)
from contrat_ville.contracts.enums import ContractStatus
from contrat_ville.contracts.models import (
    Contract,
    Pillar,
    TransversalAxis,
)
from contrat_ville.contracts.permissions import (
    OPEN_REFUSAL,
    can_amend_contract,
    can_edit_contract,
    can_manage_members,
    can_manage_organizations,
    can_open_contract_space,
    can_publish_contract,
)
from contrat_ville.contracts.schemas import (
    AmendmentIn,
    AmendmentOut,
    AreaIn,
    AreaOut,
    ContractDetailOut,
    ContractIn,
    ContractListItemOut,
    ContractPublicationIn,
    ContractStatusIn,
    ContractTerritoriesIn,
    ContractUpdateIn,
    InvitationIn,
    InvitationOut,
    MemberOut,
    MemberRoleIn,
    OrganizationIn,
    OrganizationOut,
    SignatoryIn,
    SignatoryOut,
    SignatureIn,
    TermDetailOut,
    TermIn,
    TermOrderIn,
)
from contrat_ville.core.api_endpoints import Endpoints
from contrat_ville.core.schemas import Id, Pagination, errors
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory
from contrat_ville.territories.selectors import territories_by_ids, territory_of_kind

router = Router(tags=["contrats"])
endpoints = Endpoints(router, "contract")
# Reads reserved to the pilot and the State: a member who may only read the contract gets 403.
MANAGER_READ_ERRORS = errors(401, 403, 404, 422)


@endpoints.reads("", list[ContractListItemOut], summary="Contrats visibles", errors=errors(401, 422))
@paginate(Pagination, page_size=50)
def contract_list(request: HttpRequest) -> Any:
    """Contrats visibles de l'appelant : sans jeton, les contrats publiés ; avec un jeton, aussi ceux dont il est
    membre. Paginé (`page`, `page_size`)."""
    return selectors.contracts_for_listing(api_caller(request))


@endpoints.reads("/{contract_id}", ContractDetailOut, summary="Détail d'un contrat")
def contract_detail(request: HttpRequest, contract_id: Id) -> Any:
    """404 si le contrat n'existe pas ou n'est pas visible de l'appelant."""
    access = api_contract_access(request, contract_id, private=False)
    return _contract_detail(access.contract)


def _contract_detail(contract: Contract) -> ContractDetailOut:
    detail = selectors.contract_detail_get(contract=contract)
    return ContractDetailOut.of(
        detail.contract, qpvs=detail.qpvs, pillars=detail.pillars, axes=detail.axes, signatories=detail.signatories
    )


@endpoints.reads("/{contract_id}/members", list[MemberOut], summary="Membres d'un contrat")
def contract_member_list(request: HttpRequest, contract_id: Id) -> Any:
    """Réservé aux membres du contrat : 401 sans jeton, 404 pour qui n'en est pas membre."""
    access = api_contract_access(request, contract_id, private=True)
    return selectors.contract_members(contract=access.contract)


# --- writes: the contract's space, its territories, its structure, its avenants, its invitations ----------------


@endpoints.creates("", ContractDetailOut, summary="Ouvrir l'espace d'un contrat")
def contract_create(request: HttpRequest, payload: ContractIn) -> Any:
    """Réservé aux administrateurs et aux agents d'un service de l'État, pour une intercommunalité de leur
    département. Les piliers et axes viennent de la génération, les communes de l'EPCI."""
    user = api_user(request)
    if not can_open_contract_space(user):
        raise HttpError(403, OPEN_REFUSAL)
    epci = territory_of_kind(territory_id=payload.epci_id, kind=TerritoryKind.EPCI)
    if epci is None:
        raise HttpError(422, "Intercommunalité (EPCI) inconnue : cherchez son identifiant dans /territories.")
    with business_rules_as_http():
        contract = services.contract_space_open(by=user, epci=epci, **payload.model_dump(exclude={"epci_id"}))
    return Status(201, _contract_detail(contract))


@endpoints.writes("PUT", "/{contract_id}", ContractDetailOut, summary="Compléter un contrat")
def contract_update(request: HttpRequest, contract_id: Id, payload: ContractUpdateIn) -> Any:
    """Réservé au pilote et à l'État : présentation, période, codes, noms des niveaux de l'arbre."""
    access = api_contract_access(request, contract_id, private=True, permission=can_edit_contract)
    with business_rules_as_http():
        services.contract_update(contract=access.contract, by=access.user, **payload.dict())
    return _contract_detail(access.contract)


@endpoints.writes("PUT", "/{contract_id}/territories", ContractDetailOut, summary="Quartiers et communes d'un contrat")
def contract_territories_update(request: HttpRequest, contract_id: Id, payload: ContractTerritoriesIn) -> Any:
    """Réservé au pilote et à l'État : les QPV de la génération du contrat dans son EPCI, et les communes
    concernées. Après la signature, les QPV changent par un avenant."""
    access = api_contract_access(request, contract_id, private=True, permission=can_edit_contract)
    qpvs = territories_by_ids(ids=payload.qpv_ids)
    communes = territories_by_ids(ids=payload.commune_ids)
    if len(qpvs) != len(set(payload.qpv_ids)) or len(communes) != len(set(payload.commune_ids)):
        raise HttpError(422, "Un territoire indiqué n'existe pas.")
    with business_rules_as_http():
        services.contract_set_territories(contract=access.contract, qpvs=qpvs, communes=communes, by=access.user)
    return _contract_detail(access.contract)


def _register_term_routes(kind: str, segment: str, name: str) -> None:
    """The same five operations for the pillars (or the contract's own first level) and the transversal axes."""

    list_path = f"/{{contract_id}}/{segment}"
    term_path = f"{list_path}/{{term_id}}"

    @endpoints.reads(list_path, list[TermDetailOut], summary=f"{name.capitalize()} d'un contrat", name=f"{kind}_list")
    def term_list(request: HttpRequest, contract_id: Id) -> Any:
        """Retirés compris (avec leur date de retrait)."""
        access = api_contract_access(request, contract_id, private=False)
        return [row.term for row in selectors.term_rows(contract=access.contract, kind=kind)]

    @endpoints.creates(list_path, TermDetailOut, summary=f"Ajouter : {name}", name=f"{kind}_create")
    def term_create(request: HttpRequest, contract_id: Id, payload: TermIn) -> Any:
        """Réservé au pilote et à l'État, avant la signature (ensuite : par un avenant)."""
        access = api_contract_access(request, contract_id, private=True, permission=can_edit_contract)
        with business_rules_as_http():
            term = services.term_create(contract=access.contract, kind=kind, by=access.user, **payload.dict())
        return Status(201, term)

    # Registered before « PUT …/{term_id} », which would otherwise take « order » for an identifier.
    @endpoints.writes(
        "PUT", f"{list_path}/order", list[TermDetailOut], summary=f"Ordonner : {name}", name=f"{kind}_reorder"
    )
    def term_reorder(request: HttpRequest, contract_id: Id, payload: TermOrderIn) -> Any:
        """Réservé au pilote et à l'État, comme les flèches de la page de structure : l'ordre où le contrat les
        présente. Un identifiant d'un autre contrat est refusé (422)."""
        access = api_contract_access(request, contract_id, private=True, permission=can_edit_contract)
        with business_rules_as_http():
            services.terms_reorder(contract=access.contract, kind=kind, ordered_ids=payload.ids, by=access.user)
        return [row.term for row in selectors.term_rows(contract=access.contract, kind=kind)]

    @endpoints.writes("PUT", term_path, TermDetailOut, summary=f"Renommer : {name}", name=f"{kind}_update")
    def term_update(request: HttpRequest, contract_id: Id, term_id: Id, payload: TermIn) -> Any:
        """Réservé au pilote et à l'État ; l'historique garde les anciens libellés."""
        access = api_contract_access(request, contract_id, private=True, permission=can_edit_contract)
        term = selectors.term_get(contract=access.contract, kind=kind, term_id=term_id)
        with business_rules_as_http():
            services.term_update(term=term, by=access.user, **payload.dict())
        return term

    @endpoints.writes(
        "POST", f"{term_path}/archive", TermDetailOut, summary=f"Retirer : {name}", name=f"{kind}_archive"
    )
    def term_archive(request: HttpRequest, contract_id: Id, term_id: Id) -> Any:
        """Les objets qui le citent le gardent ; les formulaires ne le proposent plus."""
        access = api_contract_access(request, contract_id, private=True, permission=can_edit_contract)
        term = selectors.term_get(contract=access.contract, kind=kind, term_id=term_id)
        with business_rules_as_http():
            services.term_archive(term=term, on=timezone.localdate(), by=access.user)
        return term

    @endpoints.removes("DELETE", term_path, summary=f"Supprimer : {name}", name=f"{kind}_delete")
    def term_delete(request: HttpRequest, contract_id: Id, term_id: Id) -> Any:
        """Seulement tant que rien ne le cite (422 sinon : retirez-le)."""
        return api_removal(
            request,
            contract_id,
            permission=can_edit_contract,
            get=lambda contract: selectors.term_get(contract=contract, kind=kind, term_id=term_id),
            remove=lambda term, by: services.term_delete(term=term, by=by),
        )


_register_term_routes("pillar", "pillars", "pilier (ou premier niveau propre au contrat)")
_register_term_routes("axis", "axes", "axe transversal")


@endpoints.reads("/{contract_id}/amendments", list[AmendmentOut], summary="Avenants d'un contrat")
def amendment_list(request: HttpRequest, contract_id: Id) -> Any:
    """Réservé aux membres ; les plus récents d'abord, avec ce que chacun a changé."""
    access = api_contract_access(request, contract_id, private=True)
    return selectors.amendment_list(contract=access.contract)


@endpoints.creates("/{contract_id}/amendments", AmendmentOut, summary="Enregistrer un avenant")
def amendment_create(request: HttpRequest, contract_id: Id, payload: AmendmentIn) -> Any:
    """Réservé au pilote et à l'État, sur un contrat signé : ce que l'avenant change est appliqué et inscrit
    (niveaux et axes ajoutés ou retirés, QPV, nouvelle date de fin)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_amend_contract)
    contract = access.contract
    pillars = {term.pk: term for term in Pillar.objects.filter(contract=contract, pk__in=payload.pillar_ids_archived)}
    axes = {
        term.pk: term for term in TransversalAxis.objects.filter(contract=contract, pk__in=payload.axis_ids_archived)
    }
    added = territories_by_ids(ids=payload.qpv_ids_added)
    removed = territories_by_ids(ids=payload.qpv_ids_removed)
    if len(pillars) != len(set(payload.pillar_ids_archived)) or len(axes) != len(set(payload.axis_ids_archived)):
        raise HttpError(422, "Un pilier ou un axe indiqué n'appartient pas à ce contrat.")
    if len(added) != len(set(payload.qpv_ids_added)) or len(removed) != len(set(payload.qpv_ids_removed)):
        raise HttpError(422, "Un quartier indiqué n'existe pas.")
    changes = services.AmendmentChanges(
        new_end_on=payload.new_end_on,
        pillars_added=[(label, "") for label in payload.pillars_added],
        pillars_archived=[term for term in pillars if isinstance(term, Pillar)],
        axes_added=[(label, "") for label in payload.axes_added],
        axes_archived=[term for term in axes if isinstance(term, TransversalAxis)],
        qpvs_added=added,
        qpvs_removed=removed,
    )
    with business_rules_as_http():
        amendment = services.amendment_create(
            contract=contract,
            title=payload.title,
            signed_on=payload.signed_on,
            description=payload.description,
            changes=changes,
            by=access.user,
        )
    return Status(201, selectors.amendment_get(contract=contract, amendment_id=amendment.pk))


@endpoints.reads(
    "/{contract_id}/invitations",
    list[InvitationOut],
    summary="Invitations d'un contrat",
    errors=MANAGER_READ_ERRORS,
)
def invitation_list(request: HttpRequest, contract_id: Id) -> Any:
    """Réservé au pilote et à l'État : les invitations pas encore acceptées."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_members)
    return selectors.invitation_list(contract=access.contract)


@endpoints.creates("/{contract_id}/invitations", InvitationOut, summary="Inviter une personne")
def invitation_create(request: HttpRequest, contract_id: Id, payload: InvitationIn) -> Any:
    """Réservé au pilote et à l'État : un courriel porte un lien à usage unique, valable 14 jours."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_members)
    organization = None
    if payload.organization_id is not None:
        organization = organization_by_id(organization_id=payload.organization_id)
        if organization is None:
            raise HttpError(422, "Organisation inconnue.")
    with business_rules_as_http():
        invitation = services.invitation_create(
            contract=access.contract,
            organization=organization,
            accept_url_for=lambda raw: request.build_absolute_uri(reverse("contracts:invitation_accept", args=[raw])),
            by=access.user,
            **payload.model_dump(exclude={"organization_id"}),
        )
    return Status(201, invitation)


@endpoints.writes(
    "POST", "/{contract_id}/invitations/{invitation_id}/resend", InvitationOut, summary="Renvoyer une invitation"
)
def invitation_resend(request: HttpRequest, contract_id: Id, invitation_id: Id) -> Any:
    """Réservé au pilote et à l'État : un nouveau lien, valable 14 jours, part par courriel ; l'ancien ne fonctionne
    plus. Une invitation acceptée ou révoquée ne se renvoie pas (422)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_members)
    invitation = selectors.invitation_get(contract=access.contract, invitation_id=invitation_id)
    with business_rules_as_http():
        services.invitation_resend(
            invitation=invitation,
            accept_url_for=lambda raw: request.build_absolute_uri(reverse("contracts:invitation_accept", args=[raw])),
            by=access.user,
        )
    return selectors.invitation_get(contract=access.contract, invitation_id=invitation.pk)


@endpoints.removes("DELETE", "/{contract_id}/invitations/{invitation_id}", summary="Révoquer une invitation")
def invitation_revoke(request: HttpRequest, contract_id: Id, invitation_id: Id) -> Any:
    """Réservé au pilote et à l'État : le lien ne fonctionne plus."""
    return api_removal(
        request,
        contract_id,
        permission=can_manage_members,
        get=lambda contract: selectors.invitation_get(contract=contract, invitation_id=invitation_id),
        remove=lambda invitation, by: services.invitation_revoke(invitation=invitation, by=by),
    )


# --- members' roles ---------------------------------------------------------------------------------------------


@endpoints.writes("PUT", "/{contract_id}/members/{user_id}", MemberOut, summary="Changer le rôle d'un membre")
def member_role_update(request: HttpRequest, contract_id: Id, user_id: Id, payload: MemberRoleIn) -> Any:
    """Réservé au pilote et à l'État. Le contrat garde au moins un pilote ou un délégué de l'État (422 sinon)."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_members)
    member = selectors.member_get(contract=access.contract, user_id=user_id)
    with business_rules_as_http():
        role = services.member_role_change(
            contract=access.contract, user=member.user, role=payload.role.value, by=access.user
        )
    return role


@endpoints.removes("DELETE", "/{contract_id}/members/{user_id}", summary="Retirer un membre du contrat")
def member_remove(request: HttpRequest, contract_id: Id, user_id: Id) -> Any:
    """Réservé au pilote et à l'État : la personne perd son rôle et l'accès aux pages privées ; ce qu'elle a écrit
    reste. Le contrat garde au moins un pilote ou un délégué de l'État (422 sinon)."""
    return api_removal(
        request,
        contract_id,
        permission=can_manage_members,
        get=lambda contract: selectors.member_get(contract=contract, user_id=user_id),
        remove=lambda member, by: services.member_remove(contract=member.contract, user=member.user, by=by),
    )


# --- signatories, signature, status and publication -------------------------------------------------------------


@endpoints.creates("/{contract_id}/signatories", SignatoryOut, summary="Ajouter un signataire")
def signatory_add(request: HttpRequest, contract_id: Id, payload: SignatoryIn) -> Any:
    """Réservé au pilote et à l'État : une organisation (par son identifiant) et sa qualité. Les signataires
    attendus qui manquent sont signalés sur la page de signature, jamais bloquants."""
    access = api_contract_access(request, contract_id, private=True, permission=can_edit_contract)
    organization = organization_by_id(organization_id=payload.organization_id)
    if organization is None:
        raise HttpError(422, "Organisation inconnue.")
    with business_rules_as_http():
        signatory = services.signatory_add(
            contract=access.contract, organization=organization, kind=payload.kind.value
        )
    return Status(201, selectors.signatory_get(contract=access.contract, signatory_id=signatory.pk))


@endpoints.removes("DELETE", "/{contract_id}/signatories/{signatory_id}", summary="Retirer un signataire")
def signatory_remove(request: HttpRequest, contract_id: Id, signatory_id: Id) -> Any:
    """Réservé au pilote et à l'État, tant que le contrat n'est pas signé (422 ensuite : un avenant change ses
    signataires)."""
    return api_removal(
        request,
        contract_id,
        permission=can_edit_contract,
        get=lambda contract: selectors.signatory_get(contract=contract, signatory_id=signatory_id),
        remove=lambda signatory, by: services.signatory_remove(signatory=signatory, by=by),
    )


@endpoints.writes("POST", "/{contract_id}/signature", ContractDetailOut, summary="Enregistrer la signature")
def contract_sign(request: HttpRequest, contract_id: Id, payload: SignatureIn) -> Any:
    """Réservé au pilote et à l'État : la date de signature et, pour chaque signataire qui a signé (par son
    identifiant), qui a signé ; le contrat passe « signé »."""
    access = api_contract_access(request, contract_id, private=True, permission=can_edit_contract)
    signatures = {entry.signatory_id: (entry.signed_by, None) for entry in payload.signatures}
    with business_rules_as_http():
        services.contract_sign(
            contract=access.contract, signed_on=payload.signed_on, signatures=signatures, by=access.user
        )
    return _contract_detail(access.contract)


@endpoints.writes("POST", "/{contract_id}/status", ContractDetailOut, summary="Changer l'état d'un contrat")
def contract_status_update(request: HttpRequest, contract_id: Id, payload: ContractStatusIn) -> Any:
    """Réservé au pilote et à l'État : en vigueur, en révision, prorogé, terminé…, selon les passages que l'état
    actuel permet (422 sinon). La signature s'enregistre par `POST …/signature`."""
    access = api_contract_access(request, contract_id, private=True, permission=can_edit_contract)
    if payload.status == ContractStatus.SIGNED:
        raise HttpError(422, "Le contrat se dit signé en enregistrant sa signature : POST …/signature.")
    with business_rules_as_http():
        services.contract_set_status(
            contract=access.contract, status=payload.status.value, comment=payload.comment, by=access.user
        )
    return _contract_detail(access.contract)


@endpoints.writes("POST", "/{contract_id}/publication", ContractDetailOut, summary="Publier un contrat")
def contract_publication(request: HttpRequest, contract_id: Id, payload: ContractPublicationIn) -> Any:
    """Réservé au pilote et à l'État : un contrat publié ouvre ses pages publiques à tous ; `is_published` à
    `false` le retire de la publication."""
    access = api_contract_access(request, contract_id, private=True, permission=can_publish_contract)
    with business_rules_as_http():
        services.contract_publish(contract=access.contract, is_published=payload.is_published, by=access.user)
    return _contract_detail(access.contract)


# --- the other perimeters (veille active, quartiers vécus, observation) -----------------------------------------


@endpoints.reads(
    "/{contract_id}/areas", list[AreaOut], summary="Autres périmètres d'un contrat", errors=MANAGER_READ_ERRORS
)
def area_list(request: HttpRequest, contract_id: Id) -> Any:
    """Réservé au pilote et à l'État, comme la page des territoires : quartiers de veille active, quartiers vécus,
    territoires d'observation, par nature puis nom."""
    access = api_contract_access(request, contract_id, private=True, permission=can_edit_contract)
    return selectors.area_list(contract=access.contract)


@endpoints.creates("/{contract_id}/areas", AreaOut, summary="Ajouter un périmètre")
def area_create(request: HttpRequest, contract_id: Id, payload: AreaIn) -> Any:
    """Réservé au pilote et à l'État : un quartier de veille active, un quartier vécu ou un territoire
    d'observation, décrit en mots, rattaché le cas échéant à un quartier prioritaire du contrat (par son code),
    avec son contour GeoJSON s'il est connu."""
    access = api_contract_access(request, contract_id, private=True, permission=can_edit_contract)
    contract = access.contract
    qpv = None
    if payload.qpv:
        qpv = contract.qpvs.filter(code=payload.qpv).first()
        if qpv is None:
            raise HttpError(422, f"Ce contrat n'a pas de quartier prioritaire de code « {payload.qpv} ».")
    with business_rules_as_http():
        area = services.area_create(
            contract=contract,
            kind=payload.kind.value,
            name=payload.name,
            description=payload.description,
            qpv=qpv,
            geometry=json.dumps(payload.geometry) if payload.geometry is not None else "",
            by=access.user,
        )
    return Status(201, selectors.area_get(contract=contract, area_id=area.pk))


@endpoints.removes("DELETE", "/{contract_id}/areas/{area_id}", summary="Supprimer un périmètre")
def area_delete(request: HttpRequest, contract_id: Id, area_id: Id) -> Any:
    """Réservé au pilote et à l'État ; la suppression reste inscrite dans l'historique."""
    return api_removal(
        request,
        contract_id,
        permission=can_edit_contract,
        get=lambda contract: selectors.area_get(contract=contract, area_id=area_id),
        remove=lambda area, by: services.area_delete(area=area, by=by),
    )


# --- organisations ----------------------------------------------------------------------------------------------


def _organization_out(organization: Organization, served: list[Territory]) -> OrganizationOut:
    return OrganizationOut.of(organization, served_territories=served)


def _organization_saved(
    request: HttpRequest, contract_id: int, payload: OrganizationIn, organization_id: int | None
) -> OrganizationOut:
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_organizations)
    contract = access.contract
    organization = (
        selectors.organization_get(contract=contract, organization_id=organization_id)
        if organization_id is not None
        else None
    )
    served = territories_by_ids(ids=payload.served_territory_ids)
    if len(served) != len(set(payload.served_territory_ids)):
        raise HttpError(422, "Un territoire indiqué n'existe pas.")
    data = payload.model_dump(exclude={"served_territory_ids"})
    with business_rules_as_http():
        saved = services.organization_save(
            contract=contract, organization=organization, served_territories=served, by=access.user, **data
        )
    return _organization_out(saved, selectors.territories_served_by(contract=contract, organization=saved))


@endpoints.reads(
    "/{contract_id}/organizations",
    list[OrganizationOut],
    summary="Organisations d'un contrat",
    errors=MANAGER_READ_ERRORS,
)
def organization_list(request: HttpRequest, contract_id: Id, q: str = Query("", max_length=120)) -> Any:
    """Réservé au pilote et à l'État : les organisations du département du contrat et celles qui lui sont liées
    (signataires, organisations des membres, collectivités, celles qui interviennent sur ses territoires), avec les
    territoires du contrat qu'elles desservent ; « q » cherche par nom, sigle ou SIREN."""
    access = api_contract_access(request, contract_id, private=True, permission=can_manage_organizations)
    rows = selectors.organization_rows(contract=access.contract, query=q)
    return [_organization_out(row.organization, row.served) for row in rows]


@endpoints.creates("/{contract_id}/organizations", OrganizationOut, summary="Créer une organisation")
def organization_create(request: HttpRequest, contract_id: Id, payload: OrganizationIn) -> Any:
    """Réservé au pilote et à l'État : elle relève du département du contrat ou intervient sur l'un de ses
    territoires ; les invitations et les instances du contrat la proposent ensuite."""
    return Status(201, _organization_saved(request, contract_id, payload, None))


@endpoints.writes(
    "PUT", "/{contract_id}/organizations/{organization_id}", OrganizationOut, summary="Modifier une organisation"
)
def organization_update(request: HttpRequest, contract_id: Id, organization_id: Id, payload: OrganizationIn) -> Any:
    """Réservé au pilote et à l'État, sur une organisation du contrat : les territoires du contrat qu'elle dessert
    sont remplacés, les autres gardés."""
    return _organization_saved(request, contract_id, payload, organization_id)


@endpoints.removes("DELETE", "/{contract_id}/organizations/{organization_id}", summary="Supprimer une organisation")
def organization_delete(request: HttpRequest, contract_id: Id, organization_id: Id) -> Any:
    """Réservé au pilote et à l'État, sur une organisation du contrat que rien n'utilise (membres, signataires,
    sièges, invitations…) : une erreur de saisie. Sinon 422 avec la raison."""
    return api_removal(
        request,
        contract_id,
        permission=can_manage_organizations,
        get=lambda contract: selectors.organization_get(contract=contract, organization_id=organization_id),
        remove=lambda organization, by: services.organization_delete(organization=organization, by=by),
    )
