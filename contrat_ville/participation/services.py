"""Writes of the participation app: the registry of the conseils citoyens and their members, and their opinions.

The registry (issue 11 §1-2): ``council_save`` registers or edits a conseil citoyen of a contract and keeps its
organisation (``accounts.Organization`` of kind ``citizen_council``, which bodies seat and opinions name) in step;
``member_save`` keeps its membership. Both refuse in French what the law and the 2014 reference framework rule out,
per generation of contract (domain.md §6).

Opinions:
Loi 2014-173 art. 7: the conseils citoyens are associated with the elaboration of the contract; seed 004 phase 3.1:
the stakes « seront mis en débat avec les conseils citoyens ». An opinion points at what it judges through a
generic relation (design.md §2), so this app never imports the apps above it: they check their own rules (which
councils were consulted, until when) and call ``opinion_give``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.models import Organization, User
from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.permissions import can_follow_region
from contrat_ville.contracts.selectors import (
    contract_access_of,
    contract_territory_ids,
    contracts_in_region,
    epci_departement_codes,
    organizations_of_contract,
)
from contrat_ville.contracts.services import organization_save
from contrat_ville.core.attachments import delete_file_on_commit
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.models import ImportBatch
from contrat_ville.core.personal_data import ANONYMISED, Person, scrub
from contrat_ville.core.saving import delete_by, save_by
from contrat_ville.core.services import acting_user, object_delete
from contrat_ville.core.uploads import check_upload
from contrat_ville.participation.draws import (
    ALGORITHM,
    ALGORITHM_WITH_QUOTAS,
    QUOTA_FEATURES,
    DrawInputs,
    Quota,
    Replacement,
    candidate_as_dict,
    check_quota,
    draw_run,
    inputs_from_dict,
    next_substitute,
    published,
    result_from_dict,
    verify,
)
from contrat_ville.participation.enums import (
    COMMENT_REQUIRED_VERDICTS,
    DRAWN_METHODS,
    College,
    CouncilStatus,
    DesignationMethod,
    Difficulty,
    DrawStatus,
    LegalForm,
    Need,
    OpinionVerdict,
    SurveyStatus,
    TrainingTopic,
)
from contrat_ville.participation.models import (
    CitizenCouncil,
    CouncilMember,
    CouncilSurvey,
    Draw,
    DrawReplacement,
    Opinion,
    SurveyCampaign,
)
from contrat_ville.participation.permissions import speaks_for_a_council
from contrat_ville.participation.pools import AGE_BAND_HINT, age_band_of, pool_read
from contrat_ville.territories.models import Territory

COUNCIL_TEXT_FIELDS = ("name", "charter", "statutes", "facilitation", "premises", "training")


def _full_clean(instance: Model, *, exclude: Sequence[str] = ()) -> None:
    """The model's own checks (lengths, choices, bounds), as a French ``BusinessRuleError`` on the first field."""
    try:
        instance.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as error:
        field_name, messages = next(iter(error.message_dict.items()))
        raise BusinessRuleError(" ".join(messages), field=field_name) from error


# --- the registry of councils -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CouncilMeans:
    """How a council works, as the registry keeps it — charter, statutes, facilitation, means — and as the first
    seed's survey asks it; the demo's data files and the forms give the same fields."""

    charter: str = ""
    charter_adopted_on: datetime.date | None = None
    statutes: str = ""
    facilitator_kind: str = ""
    facilitation: str = ""
    yearly_budget: int | None = None
    premises: str = ""
    training: str = ""


@dataclass(frozen=True, kw_only=True)
class CouncilFields(CouncilMeans):
    """What the registry says of a conseil citoyen (the names of the model's fields and the form's)."""

    name: str
    qpvs: Sequence[Territory]
    legal_form: str
    created_on: datetime.date | None = None
    host_structure: Organization | None = None
    status: str = CouncilStatus.ACTIVE
    renewed_on: datetime.date | None = None


def _check_council_qpvs(contract: Contract, qpvs: Sequence[Territory], council: CitizenCouncil | None) -> None:
    """At least one QPV, each of the contract's, none already covered by another council of the contract: one
    conseil citoyen per QPV, one council may cover several (loi 2014-173 art. 7; circ. 2 Feb 2017; rule R23)."""
    if not qpvs:
        raise BusinessRuleError("Indiquez au moins un quartier prioritaire du conseil citoyen.", field="qpvs")
    own = set(contract.qpvs.values_list("pk", flat=True))
    for qpv in qpvs:
        if qpv.pk not in own:
            raise BusinessRuleError(f"« {qpv.name} » n'est pas un quartier prioritaire du contrat.", field="qpvs")
    others = CitizenCouncil.objects.filter(contract=contract, qpvs__in=list(qpvs))
    if council is not None and council.pk is not None:
        others = others.exclude(pk=council.pk)
    other = others.prefetch_related("qpvs").first()
    if other is not None:
        shared = next(qpv for qpv in other.qpvs.all() if qpv in qpvs)
        raise BusinessRuleError(
            f"Le quartier « {shared.name} » a déjà son conseil citoyen : « {other.name} ». Un conseil peut couvrir "
            "plusieurs quartiers, mais chaque quartier n'a qu'un conseil.",
            field="qpvs",
        )


def _check_council_dates(fields: CouncilFields, today: datetime.date) -> None:
    if fields.created_on is not None and fields.created_on > today:
        raise BusinessRuleError("La date de création ne peut pas être dans le futur.", field="created_on")
    if fields.status == CouncilStatus.RENEWED and fields.renewed_on is None:
        raise BusinessRuleError("Indiquez la date du renouvellement du conseil.", field="renewed_on")
    if fields.status != CouncilStatus.RENEWED and fields.renewed_on is not None:
        raise BusinessRuleError(
            "Une date de renouvellement ne se donne qu'à un conseil renouvelé : choisissez l'état « renouvelé ».",
            field="renewed_on",
        )
    if fields.renewed_on is not None and fields.created_on is not None and fields.renewed_on < fields.created_on:
        raise BusinessRuleError(
            "Le renouvellement du conseil suit sa création : vérifiez les dates.", field="renewed_on"
        )
    if fields.charter_adopted_on is not None:
        if fields.charter_adopted_on > today:
            raise BusinessRuleError("La charte ne peut pas être adoptée dans le futur.", field="charter_adopted_on")
        if fields.created_on is not None and fields.charter_adopted_on < fields.created_on:
            raise BusinessRuleError(
                "La charte est adoptée après la création du conseil : vérifiez les dates.", field="charter_adopted_on"
            )


def _check_host_structure(fields: CouncilFields) -> None:
    if fields.legal_form == LegalForm.HOSTED and fields.host_structure is None:
        raise BusinessRuleError(
            "Un collectif porté par une structure porteuse nomme cette structure (centre social, association…).",
            field="host_structure",
        )
    if fields.host_structure is not None and fields.host_structure.kind == OrganizationKind.CITIZEN_COUNCIL:
        raise BusinessRuleError(
            "La structure porteuse est une autre organisation qu'un conseil citoyen.", field="host_structure"
        )


def _check_organization(contract: Contract, organization: Organization) -> None:
    if organization.kind != OrganizationKind.CITIZEN_COUNCIL:
        raise BusinessRuleError(f"« {organization} » n'est pas un conseil citoyen.", field="organization")
    if not organizations_of_contract(contract=contract).filter(pk=organization.pk).exists():
        raise BusinessRuleError(f"« {organization} » n'est pas une organisation de ce contrat.", field="organization")
    if CitizenCouncil.objects.filter(contract=contract, organization=organization).exists():
        raise BusinessRuleError(
            f"« {organization} » est déjà inscrit au registre des conseils citoyens du contrat.", field="organization"
        )


def _departement_code(contract: Contract) -> str:
    """The département of the contract's EPCI, when it has a valid official code (governance suggests the councils
    of the contract's département for its bodies' seats); the QPVs the council serves tie it to the contract."""
    for code in sorted(epci_departement_codes(contract=contract)):
        try:
            Organization._meta.get_field("departement_code").run_validators(code)
        except ValidationError:
            continue
        return code
    return ""


def _council_organization(
    *, contract: Contract, name: str, qpvs: Sequence[Territory], organization: Organization | None, by: Any
) -> Organization:
    """The council's organisation, created or brought in step (its name, the QPVs it serves) through the contract's
    organisation service, so that governance offers it for seats and the diagnostic for consultations."""
    if organization is None:
        return organization_save(
            contract=contract,
            name=name,
            kind=OrganizationKind.CITIZEN_COUNCIL,
            departement_code=_departement_code(contract),
            served_territories=qpvs,
            by=by,
        )
    # An organisation the contract already knows keeps what it is (acronym, SIREN, département) and takes the
    # council's name and QPVs; the territories it serves outside the contract stay.
    organization.name = name
    organization.save(update_fields=["name", "updated_at"])
    kept = organization.served_territories.exclude(pk__in=contract_territory_ids(contract=contract))
    organization.served_territories.set([*kept, *qpvs])
    return organization


@transaction.atomic
def council_save(
    *,
    contract: Contract,
    fields: CouncilFields,
    council: CitizenCouncil | None = None,
    organization: Organization | None = None,
    by: Any = None,
    today: datetime.date | None = None,
) -> CitizenCouncil:
    """Register (``council=None``) or edit a conseil citoyen of ``contract``.

    A new council is registered on a conseil citoyen organisation the contract already knows (``organization``: one
    seated in a body, the demo's) or gets its own; that organisation then takes the council's name and serves its
    QPVs. Refused: no name, no QPV, a QPV not of the contract or already covered by another council, a hosted
    collective without its host structure, dates out of order or in the future, a renewal date without the
    « renouvelé » status (and the reverse).
    """
    today = today or timezone.localdate()
    if council is not None and council.contract_id != contract.pk:
        raise BusinessRuleError("Ce conseil citoyen appartient à un autre contrat.")
    values = {field.name: getattr(fields, field.name) for field in dataclass_fields(fields) if field.name != "qpvs"}
    for name in COUNCIL_TEXT_FIELDS:
        values[name] = (values[name] or "").strip()
    if not values["name"]:
        raise BusinessRuleError("Donnez le nom du conseil citoyen.", field="name")
    qpvs = list(fields.qpvs)
    _check_council_qpvs(contract, qpvs, council)
    _check_host_structure(fields)
    _check_council_dates(fields, today)
    instance = council or CitizenCouncil(contract=contract)
    if instance.pk is None and organization is not None:
        _check_organization(contract, organization)
    for name, value in values.items():
        setattr(instance, name, value)
    _full_clean(instance, exclude=["contract", "organization"])
    duplicate = CitizenCouncil.objects.filter(contract=contract, name__iexact=values["name"])
    if instance.pk is not None:
        duplicate = duplicate.exclude(pk=instance.pk)
    if duplicate.exists():
        raise BusinessRuleError(f"Le contrat a déjà un conseil citoyen nommé « {values['name']} ».", field="name")
    instance.organization = _council_organization(
        contract=contract,
        name=values["name"],
        qpvs=qpvs,
        organization=instance.organization if instance.pk is not None else organization,
        by=by,
    )
    save_by(instance, by)
    instance.qpvs.set(qpvs)
    return instance


@transaction.atomic
def council_delete(*, council: CitizenCouncil, by: Any = None) -> None:
    """Remove a council registered by mistake, with its members. Its organisation stays (bodies may seat it,
    opinions name it): the contract's organisations page deletes it once nothing uses it."""
    for member in list(council.members.all()):
        delete_by(member, by)
    object_delete(obj=council, by=by)


# The council's adopted documents: what each is called, in French.
COUNCIL_DOCUMENTS = {"charte": ("charter_file", "la charte"), "statuts": ("statutes_file", "les statuts")}


def _council_document_field(kind: str) -> tuple[str, str]:
    if kind not in COUNCIL_DOCUMENTS:
        raise BusinessRuleError("Document inconnu : la charte ou les statuts.")
    return COUNCIL_DOCUMENTS[kind]


@transaction.atomic
def council_document_set(*, council: CitizenCouncil, kind: str, upload: Any, by: Any = None) -> CitizenCouncil:
    """Attach the council's charter or statutes as a file (PDF, DOCX…, 10 Mo at most: ``core.attachments``); the
    previous file, if any, is deleted once the change is committed."""
    field, _label = _council_document_field(kind)
    check_upload(upload)
    previous = getattr(council, field)
    if previous:
        delete_file_on_commit(previous)
    setattr(council, field, upload)
    return save_by(council, by)


@transaction.atomic
def council_document_remove(*, council: CitizenCouncil, kind: str, by: Any = None) -> CitizenCouncil:
    field, label = _council_document_field(kind)
    current = getattr(council, field)
    if not current:
        raise BusinessRuleError(f"Aucun fichier pour {label}.")
    delete_file_on_commit(current)
    setattr(council, field, "")
    return save_by(council, by)


# --- members ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberFields:
    """A seat of a council (the names of the model's fields and the form's)."""

    college: str
    sex: str
    designation_method: str
    start_on: datetime.date
    age_band: str = ""
    neighbourhood: Territory | None = None
    end_on: datetime.date | None = None
    name: str = ""
    publish_name: bool = False


def _check_member(council: CitizenCouncil, fields: MemberFields) -> None:
    if fields.neighbourhood is not None and not council.qpvs.filter(pk=fields.neighbourhood.pk).exists():
        raise BusinessRuleError(
            f"« {fields.neighbourhood.name} » n'est pas l'un des quartiers du conseil « {council.name} ».",
            field="neighbourhood",
        )
    if fields.end_on is not None and fields.end_on < fields.start_on:
        raise BusinessRuleError("La fin du mandat suit son début : vérifiez les dates.", field="end_on")
    if council.created_on is not None and fields.start_on < council.created_on:
        raise BusinessRuleError(
            f"Le mandat ne peut pas commencer avant la création du conseil ({council.created_on:%d/%m/%Y}).",
            field="start_on",
        )
    if fields.publish_name and not fields.name:
        raise BusinessRuleError("Indiquez le nom du membre pour pouvoir le publier.", field="name")
    if (
        fields.college == College.RESIDENTS
        and fields.designation_method not in DRAWN_METHODS
        and council.residents_drawn_by_lot
    ):
        raise BusinessRuleError(
            "Dans un contrat de la génération 2015, les membres du collège des habitants sont tirés au sort, sur "
            "une liste ou parmi des volontaires (loi 2014-173 art. 7, cadre de référence de 2014).",
            field="designation_method",
        )


@transaction.atomic
def member_save(
    *, council: CitizenCouncil, fields: MemberFields, member: CouncilMember | None = None, by: Any = None
) -> CouncilMember:
    """Add (``member=None``) or edit a member of ``council``. Refused: a neighbourhood that is not one of the
    council's QPVs, a mandate ending before it starts or starting before the council was created, a name to publish
    without a name, and — in a 2015 contract — a member of the residents' college who was not drawn by lot."""
    if member is not None and member.council_id != council.pk:
        raise BusinessRuleError("Ce membre appartient à un autre conseil citoyen.")
    values = {field.name: getattr(fields, field.name) for field in dataclass_fields(fields)}
    values["name"] = (values["name"] or "").strip()
    _check_member(council, MemberFields(**values))
    instance = member or CouncilMember(council=council)
    for name, value in values.items():
        setattr(instance, name, value)
    _full_clean(instance, exclude=["council", "neighbourhood"])
    return save_by(instance, by)


@transaction.atomic
def member_delete(*, member: CouncilMember, by: Any = None) -> None:
    """Remove a member entered by mistake (a member who leaves keeps their row, with the end of their mandate)."""
    delete_by(member, by)


# --- opinions -----------------------------------------------------------------------------------------------


def _check_author(*, council: Organization, author: Any, contract: Contract) -> None:
    if council.kind != OrganizationKind.CITIZEN_COUNCIL:
        raise BusinessRuleError(f"« {council} » n'est pas un conseil citoyen.", field="council")
    if not isinstance(author, User) or not author.is_authenticated:
        raise BusinessRuleError("Un avis est donné par un membre identifié d'un conseil citoyen.", field="author")
    if author.organization_id != council.pk:
        raise BusinessRuleError(
            f"Vous ne pouvez donner un avis qu'au nom de votre conseil citoyen, pas au nom de « {council} ».",
            field="council",
        )
    if not speaks_for_a_council(contract_access_of(user=author, contract=contract)):
        raise BusinessRuleError(
            "Seuls les membres d'un conseil citoyen du contrat (rôle « membre de conseil citoyen ») donnent un avis.",
            field="author",
        )


def _check_deadline(open_until: datetime.date | None, today: datetime.date | None) -> None:
    if open_until is None:
        return
    today = today or timezone.localdate()
    if today > open_until:
        raise BusinessRuleError(
            f"La date limite des avis ({open_until:%d/%m/%Y}) est passée : l'avis ne peut plus être donné ni modifié."
        )


def _check_verdict(verdict: str, text: str) -> None:
    if verdict not in OpinionVerdict.values:
        raise BusinessRuleError(f"Avis inconnu : « {verdict} ».", field="verdict")
    if verdict in COMMENT_REQUIRED_VERDICTS and not text:
        raise BusinessRuleError("Précisez vos réserves ou votre désaccord dans le commentaire.", field="text")


@transaction.atomic
def opinion_give(
    *,
    target: Model,
    council: Organization,
    author: Any,
    verdict: str,
    text: str = "",
    contract: Contract,
    open_until: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Opinion:
    """Give, or change, the opinion of ``author`` speaking for ``council`` on ``target``.

    One opinion per author, council and target (a later call replaces the verdict and comment; the history keeps
    the previous ones). Refused when the author does not belong to the council or holds no ``council`` role on the
    contract, when ``open_until`` (the consultation's deadline, checked by the caller's app) is past, and when a
    reservation or a disagreement comes without a comment.
    """
    text = (text or "").strip()
    _check_author(council=council, author=author, contract=contract)
    _check_deadline(open_until, today)
    _check_verdict(verdict, text)
    if target.pk is None:
        raise BusinessRuleError("L'objet de l'avis doit être enregistré.", field="target")
    content_type = ContentType.objects.get_for_model(target)
    opinion = Opinion.objects.filter(
        author=author, council=council, content_type=content_type, object_id=target.pk
    ).first()
    if opinion is None:
        opinion = Opinion(
            contract=contract, council=council, author=author, content_type=content_type, object_id=target.pk
        )
    elif opinion.contract_id != contract.pk:
        raise BusinessRuleError("Cet avis appartient à un autre contrat.", field="target")
    opinion.verdict = verdict
    opinion.text = text
    save_by(opinion, author)
    return opinion


# --- draws ----------------------------------------------------------------------------------------------------


def _draft(draw: Draw) -> None:
    if draw.is_published:
        raise BusinessRuleError("Ce tirage est publié : ni ses données ni son résultat ne peuvent plus changer.")


def _seats(residents: int, local_actors: int) -> dict[str, int]:
    return {
        college: count
        for college, count in ((College.RESIDENTS, residents), (College.LOCAL_ACTORS, local_actors))
        if count
    }


@transaction.atomic
def draw_save(
    *,
    council: CitizenCouncil,
    draw: Draw | None = None,
    title: str,
    residents_seats: int,
    local_actors_seats: int = 0,
    substitutes: int = 0,
    by: Any = None,
) -> Draw:
    """Prepare a draw of the council's seats, or change a draft one (its result, if any, is then cleared)."""
    if draw is not None:
        _draft(draw)
    if not title.strip():
        raise BusinessRuleError("Donnez un intitulé au tirage.", field="title")
    if not residents_seats and not local_actors_seats:
        raise BusinessRuleError("Indiquez le nombre de sièges à pourvoir.", field="residents_seats")
    draw = draw or Draw(council=council)
    draw.title, draw.residents_seats, draw.local_actors_seats = title.strip(), residents_seats, local_actors_seats
    draw.substitutes = substitutes
    _clear_result(draw)
    return save_by(draw, by)


def _clear_result(draw: Draw) -> None:
    draw.result, draw.fingerprint, draw.drawn_at = {}, "", None


@transaction.atomic
def draw_pool_import(*, draw: Draw, upload: Any, by: Any = None) -> ImportBatch:
    """Replace the draft draw's pool by the candidates of a CSV file (``pools.py``); a faulty file changes nothing."""
    _draft(draw)
    candidates, batch = pool_read(upload, scope=draw.council.contract, by=by)
    batch.save()
    draw.pool = [candidate_as_dict(candidate, with_features=True) for candidate in candidates]
    draw.pool_batch = batch
    _clear_result(draw)
    save_by(draw, by)
    return batch


@transaction.atomic
def draw_seed_set(*, draw: Draw, seed: str, seed_source: str, seed_date: datetime.date | None, by: Any = None) -> Draw:
    """The public seed, written before the draw is run, with where and when it was published."""
    _draft(draw)
    if not seed.strip():
        raise BusinessRuleError("Indiquez la graine publique du tirage.", field="seed")
    draw.seed, draw.seed_source, draw.seed_date = seed.strip(), seed_source.strip(), seed_date
    _clear_result(draw)
    return save_by(draw, by)


@transaction.atomic
def draw_quota_add(
    *, draw: Draw, college: str, feature: str, value: str, minimum: int, maximum: int, by: Any = None
) -> Draw:
    """Add (or replace) a quota of the draft draw: at least ``minimum``, at most ``maximum`` of a college's seats for
    an age band or a neighbourhood. The draw then follows ``cv-tirage-2``."""
    _draft(draw)
    if feature not in QUOTA_FEATURES:
        raise BusinessRuleError("Choisissez la tranche d'âge ou le quartier.", field="feature")
    if feature == "age_band":
        band = age_band_of(value)
        if band is None:
            raise BusinessRuleError(f"Tranche d'âge inconnue : « {value} » ({AGE_BAND_HINT}).", field="value")
        value = band
    quota = Quota(college=college, feature=feature, value=value.strip(), minimum=minimum, maximum=maximum)
    seats = _seats(draw.residents_seats, draw.local_actors_seats)
    check_quota(quota, seats.get(college, 0))
    same = (quota.college, quota.feature, quota.value)
    draw.quotas = [entry for entry in draw.quotas if (entry["college"], entry["feature"], entry["value"]) != same] + [
        quota.as_dict()
    ]
    _clear_result(draw)
    return save_by(draw, by)


@transaction.atomic
def draw_quota_remove(*, draw: Draw, position: int, by: Any = None) -> Draw:
    """Remove the draft draw's quota at ``position`` (from 1, in the order shown)."""
    _draft(draw)
    if not 1 <= position <= len(draw.quotas):
        raise BusinessRuleError("Ce quota n'existe plus.")
    draw.quotas = [entry for index, entry in enumerate(draw.quotas, start=1) if index != position]
    _clear_result(draw)
    return save_by(draw, by)


def draw_algorithm(draw: Draw) -> str:
    """``cv-tirage-2`` once a quota is set, ``cv-tirage-1`` otherwise; a published draw keeps the one it ran with."""
    if draw.is_published:
        return draw.algorithm
    return ALGORITHM_WITH_QUOTAS if draw.quotas else ALGORITHM


def draw_inputs(draw: Draw) -> DrawInputs:
    return inputs_from_dict(
        {
            "algorithm": draw_algorithm(draw),
            "seed": draw.seed,
            "seats": _seats(draw.residents_seats, draw.local_actors_seats),
            "substitutes": draw.substitutes,
            "pool": draw.pool,
            "quotas": draw.quotas,
        }
    )


@transaction.atomic
def draw_execute(*, draw: Draw, by: Any = None) -> Draw:
    """Run the draw from its inputs (``draws.draw_run``): a pool that cannot give parity is refused in French."""
    _draft(draw)
    if not draw.pool:
        raise BusinessRuleError("Importez d'abord le vivier des candidats.")
    if not draw.seed:
        raise BusinessRuleError("Indiquez d'abord la graine publique du tirage.")
    draw.algorithm = draw_algorithm(draw)
    result = draw_run(draw_inputs(draw))
    draw.result, draw.fingerprint, draw.drawn_at = result.as_dict(), result.fingerprint, timezone.now()
    return save_by(draw, by)


@transaction.atomic
def draw_publish(*, draw: Draw, by: Any = None) -> Draw:
    """Publish a draw that has been run: from then on it is frozen, and anyone may redo it from its file."""
    _draft(draw)
    if not draw.fingerprint:
        raise BusinessRuleError("Lancez le tirage avant de le publier.")
    draw.status = DrawStatus.PUBLISHED
    draw.published_at = timezone.now()
    draw.published_by = by if getattr(by, "is_authenticated", False) else None
    return save_by(draw, by)


def draw_file(draw: Draw) -> dict[str, Any]:
    """The published file of a draw: what ``manage.py verify_draw`` and the verification page read."""
    return {
        **published(draw_inputs(draw), draw_run(draw_inputs(draw))),
        "result": draw.result,
        "fingerprint": draw.fingerprint,
        "seed_source": draw.seed_source,
        "seed_date": draw.seed_date.isoformat() if draw.seed_date else "",
    }


def draw_is_verified(draw: Draw) -> bool:
    """Whether the draw, redone from its published file, gives its recorded result."""
    same, _result = verify(draw_file(draw))
    return same


@transaction.atomic
def draw_replace(
    *, draw: Draw, leaving: str, left_on: datetime.date, reason: str = "", by: Any = None
) -> DrawReplacement:
    """A member seated by the published draw leaves: the first fitting substitute takes the seat (``draws.
    next_substitute``), recorded after the draw, which stays as published."""
    if not draw.is_published:
        raise BusinessRuleError("Publiez le tirage avant d'appeler sa liste complémentaire.")
    Draw.objects.select_for_update().filter(pk=draw.pk).first()  # one replacement at a time per draw
    done = [
        Replacement(leaving=row.leaving, substitute=row.substitute)
        for row in draw.replacements.order_by("created_at", "pk")
    ]
    inputs = draw_inputs(draw)
    substitute = next_substitute(inputs, result_from_dict(inputs, draw.result), leaving=leaving, done=done)
    replacement = DrawReplacement(
        draw=draw, leaving=leaving, substitute=substitute, left_on=left_on, reason=reason.strip()
    )
    return save_by(replacement, by)


def draw_delete(*, draw: Draw, by: Any = None) -> None:
    _draft(draw)
    object_delete(obj=draw, by=by)


# --- the yearly questionnaire (issue 11 §5) --------------------------------------------------------------------

SURVEY_CHOICE_LISTS: dict[str, type[Any]] = {
    "designation_methods": DesignationMethod,
    "training_topics": TrainingTopic,
    "difficulties": Difficulty,
    "needs": Need,
}
SURVEY_TEXT_FIELDS = ("facilitation", "premises", "training", "difficulties_text", "needs_text", "prospects")


@dataclass(frozen=True, kw_only=True)
class SurveyAnswers:
    """A council's answers to the yearly questionnaire (the names of ``CouncilSurvey``'s fields and the form's)."""

    legal_form: str = ""
    facilitator_kind: str = ""
    facilitation: str = ""
    meetings_held: int | None = None
    designation_methods: Sequence[str] = ()
    charter_adopted: bool | None = None
    yearly_budget: int | None = None
    premises: str = ""
    training_topics: Sequence[str] = ()
    training: str = ""
    difficulties: Sequence[str] = ()
    difficulties_text: str = ""
    needs: Sequence[str] = ()
    needs_text: str = ""
    prospects: str = ""


def survey_prefill(council: CitizenCouncil, members: Sequence[CouncilMember]) -> SurveyAnswers:
    """What the registry already says of the council, to spare the facilitator typing it again: legal form,
    facilitation, charter, means, training, and the designation methods of its members (no query: pass the members
    already loaded)."""
    methods = {member.designation_method for member in members}
    return SurveyAnswers(
        legal_form=council.legal_form,
        facilitator_kind=council.facilitator_kind,
        facilitation=council.facilitation,
        designation_methods=[method.value for method in DesignationMethod if method.value in methods],
        charter_adopted=True if (council.charter_adopted_on or council.charter) else None,
        yearly_budget=council.yearly_budget,
        premises=council.premises,
        training=council.training,
    )


def _survey_for(campaign: SurveyCampaign, council: CitizenCouncil) -> CouncilSurvey:
    survey = CouncilSurvey(campaign=campaign, council=council)
    for name, value in dataclass_fields_values(survey_prefill(council, list(council.members.all()))).items():
        setattr(survey, name, list(value) if name in SURVEY_CHOICE_LISTS else value)
    return survey


def dataclass_fields_values(answers: SurveyAnswers) -> dict[str, Any]:
    return {field.name: getattr(answers, field.name) for field in dataclass_fields(answers)}


def _region_councils(region_code: str) -> list[CitizenCouncil]:
    return list(
        CitizenCouncil.objects.filter(contract__in=contracts_in_region(region_code).values("pk"))
        .select_related("contract")
        .prefetch_related("members")
        .order_by("pk")
    )


@transaction.atomic
def campaign_open(
    *, year: int, region_code: str, due_on: datetime.date | None = None, by: Any = None
) -> SurveyCampaign:
    """Open the year's questionnaire over a region: every council of the region's contracts gets its questionnaire,
    prefilled from the registry. One campaign per region and year; a resource centre opens it for its own region
    only (``contracts.permissions.can_follow_region``)."""
    if by is not None and not can_follow_region(by, region_code):
        raise BusinessRuleError(
            "Vous ne suivez pas cette région : ouvrez le questionnaire de la vôtre.", field="region_code"
        )
    campaign = SurveyCampaign(region_code=region_code, year=year, due_on=due_on, opened_by=acting_user(by))
    organization = getattr(by, "organization", None)
    if organization is not None and organization.kind == OrganizationKind.RESOURCE_CENTRE:
        campaign.organization = organization
    _full_clean(campaign, exclude=["organization", "opened_by"])
    if due_on is not None and due_on.year < year:
        raise BusinessRuleError("La date limite des réponses ne précède pas l'année du questionnaire.", field="due_on")
    if SurveyCampaign.objects.filter(region_code=region_code, year=year).exists():
        raise BusinessRuleError(
            f"Le questionnaire {year} de cette région est déjà ouvert : complétez-le plutôt.", field="year"
        )
    save_by(campaign, by)
    campaign_add_new_councils(campaign=campaign, by=by)
    return campaign


@transaction.atomic
def campaign_add_new_councils(*, campaign: SurveyCampaign, by: Any = None) -> list[CouncilSurvey]:
    """Send the campaign's questionnaire to the councils of the region registered since it opened (idempotent)."""
    surveyed = set(campaign.surveys.values_list("council_id", flat=True))
    created = [
        _survey_for(campaign, council)
        for council in _region_councils(campaign.region_code)
        if council.pk not in surveyed
    ]
    for survey in created:
        save_by(survey, by)
    return created


@transaction.atomic
def survey_save(*, survey: CouncilSurvey, answers: SurveyAnswers, by: Any = None) -> CouncilSurvey:
    """Save the council's answers as a draft; a submitted questionnaire no longer changes."""
    if survey.is_submitted:
        raise BusinessRuleError("Ce questionnaire est transmis : il ne se modifie plus.")
    for name, value in dataclass_fields_values(answers).items():
        if name in SURVEY_CHOICE_LISTS:
            known = set(SURVEY_CHOICE_LISTS[name].values)
            unknown = [item for item in value if item not in known]
            if unknown:
                raise BusinessRuleError(f"Choix inconnu : « {unknown[0]} ».", field=name)
            value = [item for item in SURVEY_CHOICE_LISTS[name].values if item in set(value)]
        elif name in SURVEY_TEXT_FIELDS:
            value = (value or "").strip()
        setattr(survey, name, value)
    _full_clean(survey, exclude=["campaign", "council", "submitted_by"])
    return save_by(survey, by)


SURVEY_REQUIRED = {
    "legal_form": "Indiquez la forme juridique du conseil.",
    "facilitator_kind": "Indiquez qui anime le conseil.",
    "designation_methods": "Indiquez au moins un mode de désignation des membres.",
}


@transaction.atomic
def survey_submit(*, survey: CouncilSurvey, by: Any = None) -> CouncilSurvey:
    """Transmit the questionnaire to the resource centre: it then feeds the state of play and no longer changes.
    Refused while the legal form, the facilitation or the designation methods are missing."""
    if survey.is_submitted:
        raise BusinessRuleError("Ce questionnaire est déjà transmis.")
    missing = [message for name, message in SURVEY_REQUIRED.items() if not getattr(survey, name)]
    if missing:
        raise BusinessRuleError("Le questionnaire est incomplet : " + " ".join(missing))
    survey.status = SurveyStatus.SUBMITTED
    survey.submitted_at = timezone.now()
    survey.submitted_by = acting_user(by)
    return save_by(survey, by, "status", "submitted_at", "submitted_by")


# --- personal data (core.personal_data) -----------------------------------------------------------------------------


def council_member_erase(person: Person, apply: bool) -> list[str]:
    """A conseil citoyen member's name goes (« Personne anonymisée ») and its publication with it; college, sex, age
    band, neighbourhood and mandate stay, so the council's counts and the draws' quotas stay right."""
    if person.council_member_id is None:
        return []
    members = list(CouncilMember.objects.filter(pk=person.council_member_id).select_related("council"))
    if not members:
        raise BusinessRuleError(f"Membre de conseil citoyen n° {person.council_member_id} introuvable.")
    if apply:
        scrub(members, {"name": ANONYMISED, "publish_name": False})
    return [f"Membre n° {member.pk} du {member.council.name} : nom « {member.name or '—'} »" for member in members]
