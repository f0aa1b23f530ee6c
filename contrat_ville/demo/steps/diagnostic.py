"""The participatory diagnostic of the demo contract « val-de-sorne-2024 » (seed 004, phases 3 and 3.1).

For each pillar, the working group's data inventory (the sources an officer would really gather: INSEE census and
Filosofi, France Travail, CAF, DEPP, RPLS, the landlord's registers…), its *état des lieux* (strengths and handicaps of
each QPV or of the whole contract, citing the sources and, when the observation step has loaded them, the indicator
figures), and its stakes with the transversal axes and the *droit commun* of the partners of the demo catalogue.

The stakes are then debated with BOTH conseils citoyens (one consultation; opinions of conseil@ for the Hauts de Sorne
and conseil2@ for the Pré-Vert, with varied verdicts), redefined where the councils asked for it (version 2 with its
reason, the opinions staying on version 1), one duplicate is flagged in the technical committee's synthesis, and the
steering committee decides in its latest past meeting: eight stakes retained, the duplicate rejected, one redefined
stake left for its next meeting (so that « non validé » shows somewhere).

Dates. The steering committee's latest past meeting (« Lancement du diagnostic participatif », 58 days after the
launch of the elaboration in ``steps.governance``) is the reference ``M``: the consultation opens 13 days before it,
opinions come in the following days, the deadline is 2 days before ``M``. Everything moves with the day of the load as
governance's meetings do. Without such a meeting (a ``--today`` in the future), the decisions are left out.

Idempotent: sources and findings are looked up by their text, stakes by the title of their first version, the
consultation by its title, opinions by author and version, decisions by meeting and text; a stake is redefined only
while it is still at version 1. Every write goes through the services of ``diagnostic``, ``participation`` (through
``consultation_opinion_give``) and ``governance``.

The content (who, what, when) is data, in ``demo/data/diagnostic.yaml``; this module holds the logic that loads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from contrat_ville.accounts.models import User
from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.core.datafiles import load_record, load_records
from contrat_ville.core.services import fields_as_arguments
from contrat_ville.demo.context import DemoContext
from contrat_ville.demo.users import PILOT, SLUG_VAL_DE_SORNE
from contrat_ville.diagnostic.enums import ConsultationStatus, StakeStatus
from contrat_ville.diagnostic.models import Consultation, DataSource, Finding, FindingEvidence, Stake
from contrat_ville.diagnostic.selectors.stakes import steering_meetings_for_validation
from contrat_ville.diagnostic.services.consultations import (
    consultation_close,
    consultation_create,
    consultation_opinion_give,
)
from contrat_ville.diagnostic.services.inventory import data_source_create, finding_create, finding_evidence_add
from contrat_ville.diagnostic.services.stakes import stake_create, stake_duplicate_set, stake_redefine
from contrat_ville.governance.enums import MeetingStatus, Verdict
from contrat_ville.governance.models import Decision, Meeting
from contrat_ville.governance.selectors.decisions import decisions_for
from contrat_ville.governance.services.decisions import decision_record
from contrat_ville.observation.models import Indicator
from contrat_ville.observation.selectors import Scope, latest_measured_values
from contrat_ville.observation.services import catalogue_load
from contrat_ville.participation.selectors import opinion_of
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory

# Days relative to the steering committee's meeting ``M``.
CONSULTATION_OPENS = -13
CONSULTATION_DEADLINE = -2
# A second round, open on the demo's today, so that a council member who logs in has something to give an opinion on.
SECOND_ROUND_DAYS = 21


# --- specifications ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceSpec:
    key: str
    producer: str
    dataset: str
    level: str
    year: int | None
    url: str = ""
    notes: str = ""


@dataclass(frozen=True)
class FindingSpec:
    key: str
    kind: str
    text: str
    qpv: str = ""  # QPV code; "" for the whole contract
    sources: tuple[str, ...] = ()  # SourceSpec keys
    # (indicator code, territory code): cited at the latest year that has a figure, when the observation step ran.
    evidence: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class OpinionSpec:
    author: str  # e-mail of a council member
    verdict: str
    text: str
    day: int  # days after the consultation opened


@dataclass(frozen=True)
class RedefinitionSpec:
    title: str
    description: str
    reason: str
    axes: tuple[str, ...] | None = None  # None: the axes of version 1


@dataclass(frozen=True)
class StakeSpec:
    key: str
    title: str
    description: str
    axes: tuple[str, ...]
    findings: tuple[str, ...]  # FindingSpec keys
    mainstream: tuple[tuple[str, str], ...]  # (organisation key in the catalogue, policy named)
    opinions: tuple[OpinionSpec, ...] = ()
    redefinition: RedefinitionSpec | None = None
    verdict: str = ""  # the steering committee's decision; "" = left for its next meeting
    decision_text: str = ""
    duplicate_of: str = ""  # StakeSpec key


@dataclass(frozen=True)
class PillarDiagnostic:
    pillar: str  # pillar code
    sources: tuple[SourceSpec, ...]
    findings: tuple[FindingSpec, ...]
    stakes: tuple[StakeSpec, ...]


@dataclass(frozen=True)
class ConsultationSpec:
    """The debate of the stakes with the conseils citoyens, and its second round on the redefined stakes."""

    title: str
    message: str
    councils: tuple[str, ...]  # organisation keys
    second_round_title: str
    second_round_message: str


PACKAGE, DATA_FILE = "contrat_ville.demo", "data/diagnostic.yaml"
CONSULTATION = load_record(ConsultationSpec, PACKAGE, DATA_FILE, section="consultation")
CONSULTATION_TITLE, SECOND_ROUND_TITLE = CONSULTATION.title, CONSULTATION.second_round_title
DIAGNOSTICS: tuple[PillarDiagnostic, ...] = load_records(
    PillarDiagnostic, PACKAGE, DATA_FILE, section="diagnostics", key="pillar"
)
STAKES: dict[str, StakeSpec] = {stake.key: stake for diagnostic in DIAGNOSTICS for stake in diagnostic.stakes}


# --- helpers shared with the strategy step ----------------------------------------------------------------------


def steering_meeting(contract: Contract, context: DemoContext) -> Meeting | None:
    """The steering committee's latest meeting held before the demo's « today »: where the demo records its
    validations (the meetings governance convenes after « today » may be past in real time: they are not held)."""
    meetings = steering_meetings_for_validation(contract=contract).filter(status=MeetingStatus.HELD)
    for meeting in meetings:
        if timezone.localtime(meeting.starts_at).date() <= context.today:
            return meeting
    return None


def reference_date(contract: Contract, context: DemoContext) -> date:
    """The day of that meeting (``M``), or the day of the load when the committee has not met yet."""
    meeting = steering_meeting(contract, context)
    return timezone.localtime(meeting.starts_at).date() if meeting is not None else context.today


def stakes_by_key(contract: Contract) -> dict[str, Stake]:
    """The contract's demo stakes, by ``StakeSpec.key`` (looked up by the title of their first version)."""
    titles = {spec.title: key for key, spec in STAKES.items()}
    stakes = Stake.objects.filter(contract=contract, versions__number=1, versions__title__in=list(titles)).distinct()
    result: dict[str, Stake] = {}
    for stake in stakes.prefetch_related("versions"):
        first = next(version for version in stake.versions.all() if version.number == 1)
        result[titles[first.title]] = stake
    return result


def latest_figure(
    indicator: Indicator, territory: Territory, contract: Contract, *, until: int | None = None
) -> tuple[int, float] | None:
    """The latest (year, value) of an indicator on a territory that the contract's members see, if any (up to the
    year ``until`` when given): observation's ``latest_measured_values``."""
    key = (indicator.pk, territory.pk)
    found = latest_measured_values(pairs=[key], scope=Scope(contract=contract), until=until).get(key)
    return (found[1], found[0]) if found is not None else None


def demo_territory(context: DemoContext, code: str) -> Territory:
    kind = TerritoryKind.EPCI if code.isdigit() else TerritoryKind.QPV
    return context.territory_of(kind, code)


# --- the step -----------------------------------------------------------------------------------------------------


def _sources(spec: PillarDiagnostic, contract: Contract, pillar: Pillar, pilot: User) -> dict[str, DataSource]:
    sources = {}
    for source in spec.sources:
        existing = DataSource.objects.filter(
            contract=contract, pillar=pillar, producer=source.producer, dataset=source.dataset
        ).first()
        sources[source.key] = existing or data_source_create(
            contract=contract, pillar=pillar, by=pilot, **fields_as_arguments(source, leave_out={"key"})
        )
    return sources


def _evidence(finding: Finding, spec: FindingSpec, context: DemoContext, contract: Contract, pilot: User) -> None:
    if not spec.evidence:
        return
    indicators = {item.code: item for item in Indicator.objects.filter(code__in=[code for code, _ in spec.evidence])}
    cited = set(FindingEvidence.objects.filter(finding=finding).values_list("indicator_id", "territory_id", "period"))
    for code, territory_code in spec.evidence:
        indicator = indicators.get(code)
        if indicator is None:
            continue
        territory = demo_territory(context, territory_code)
        figure = latest_figure(indicator, territory, contract)
        if figure is None or (indicator.pk, territory.pk, figure[0]) in cited:
            continue
        finding_evidence_add(finding=finding, indicator=indicator, territory=territory, period=figure[0], by=pilot)


def _findings(
    spec: PillarDiagnostic,
    contract: Contract,
    pillar: Pillar,
    sources: dict[str, DataSource],
    context: DemoContext,
    pilot: User,
) -> dict[str, Finding]:
    findings = {}
    for item in spec.findings:
        finding = Finding.objects.filter(contract=contract, pillar=pillar, text=item.text).first()
        if finding is None:
            finding = finding_create(
                contract=contract,
                pillar=pillar,
                territory=demo_territory(context, item.qpv) if item.qpv else None,
                kind=item.kind,
                text=item.text,
                data_sources=[sources[key] for key in item.sources],
                by=pilot,
            )
        _evidence(finding, item, context, contract, pilot)
        findings[item.key] = finding
    return findings


def _stakes(
    spec: PillarDiagnostic,
    contract: Contract,
    pillar: Pillar,
    findings: dict[str, Finding],
    existing: dict[str, Stake],
    context: DemoContext,
    pilot: User,
) -> None:
    axes = {axis.code: axis for axis in TransversalAxis.objects.filter(contract=contract)}
    for item in spec.stakes:
        if item.key in existing:
            continue
        existing[item.key] = stake_create(
            contract=contract,
            pillar=pillar,
            title=item.title,
            description=item.description,
            axes=[axes[code] for code in item.axes],
            findings=[findings[key] for key in item.findings],
            mainstream=[(context.organizations[key], policy) for key, policy in item.mainstream],
            by=pilot,
        )


def _consultation(contract: Contract, stakes: dict[str, Stake], context: DemoContext, opens_on: date) -> Consultation:
    consultation = Consultation.objects.filter(contract=contract, title=CONSULTATION.title).first()
    if consultation is not None:
        return consultation
    return consultation_create(
        contract=contract,
        title=CONSULTATION.title,
        deadline=opens_on + timedelta(days=CONSULTATION_DEADLINE - CONSULTATION_OPENS),
        councils=[context.organizations[key] for key in CONSULTATION.councils],
        stakes=[stakes[key] for key in STAKES],
        message=CONSULTATION.message,
        by=context.users[PILOT],
        today=opens_on,
    )


def _opinions(consultation: Consultation, stakes: dict[str, Stake], context: DemoContext, opens_on: date) -> None:
    versions = {version.stake_id: version for version in consultation.stake_versions.all()}
    for key, spec in STAKES.items():
        version = versions.get(stakes[key].pk)
        if version is None:
            continue
        for opinion in spec.opinions:
            author = context.users[opinion.author]
            if opinion_of(target=version, author=author) is not None:
                continue
            consultation_opinion_give(
                consultation=consultation,
                version=version,
                author=author,
                verdict=opinion.verdict,
                text=opinion.text,
                today=opens_on + timedelta(days=opinion.day),
            )


def _redefinitions(stakes: dict[str, Stake], contract: Contract, pilot: User) -> None:
    axes = {axis.code: axis for axis in TransversalAxis.objects.filter(contract=contract)}
    for key, spec in STAKES.items():
        stake = stakes[key]
        redefinition = spec.redefinition
        if redefinition is None or stake.version != 1 or stake.status != StakeStatus.SUBMITTED:
            continue
        codes = redefinition.axes if redefinition.axes is not None else spec.axes
        stake_redefine(
            stake=stake,
            title=redefinition.title,
            description=redefinition.description,
            axes=[axes[code] for code in codes],
            reason=redefinition.reason,
            by=pilot,
        )


def _duplicates(stakes: dict[str, Stake], pilot: User) -> None:
    for key, spec in STAKES.items():
        stake = stakes[key]
        wanted = stakes[spec.duplicate_of] if spec.duplicate_of else None
        if stake.duplicate_of_id != (wanted.pk if wanted else None):
            stake_duplicate_set(stake=stake, duplicate_of=wanted, by=pilot)


def _second_round(contract: Contract, context: DemoContext) -> Consultation | None:
    """Submit again, until three weeks after the demo's today, the redefined stakes the COPIL has not decided on."""
    existing = Consultation.objects.filter(contract=contract, title=CONSULTATION.second_round_title).first()
    if existing is not None:
        return existing
    waiting = [
        stake
        for stake in Stake.objects.filter(contract=contract, status=StakeStatus.REDEFINED).order_by("pk")
        if not decisions_for(stake).exists()
    ]
    if not waiting:
        return None
    return consultation_create(
        contract=contract,
        title=CONSULTATION.second_round_title,
        deadline=context.today + timedelta(days=SECOND_ROUND_DAYS),
        councils=[context.organizations[key] for key in CONSULTATION.councils],
        stakes=waiting,
        message=CONSULTATION.second_round_message,
        by=context.users[PILOT],
        today=context.today,
    )


def record_decision(meeting: Meeting, *, verdict: str, text: str, target: object, by: User) -> None:
    """A decision of ``meeting`` on ``target``, recorded once (looked up by its text)."""
    if Decision.objects.filter(meeting=meeting, text=text).exists():
        return
    decision_record(meeting=meeting, verdict=verdict, text=text, target=target, is_published=True, by=by)  # type: ignore[arg-type]


def step_diagnostic(context: DemoContext) -> None:
    """Inventory, findings, stakes, their debate with both conseils citoyens and the steering committee's choices."""
    contract = context.contracts[SLUG_VAL_DE_SORNE]
    pilot = context.users[PILOT]
    catalogue_load()  # the indicators the findings cite (idempotent; the observation step loads it too)
    pillars = {pillar.code: pillar for pillar in Pillar.objects.filter(contract=contract)}
    findings: dict[str, Finding] = {}  # a stake may cite a finding of another pillar's group
    for spec in DIAGNOSTICS:
        pillar = pillars[spec.pillar]
        sources = _sources(spec, contract, pillar, pilot)
        findings.update(_findings(spec, contract, pillar, sources, context, pilot))
    stakes = stakes_by_key(contract)
    for spec in DIAGNOSTICS:
        _stakes(spec, contract, pillars[spec.pillar], findings, stakes, context, pilot)

    meeting = steering_meeting(contract, context)
    opens_on = reference_date(contract, context) + timedelta(days=CONSULTATION_OPENS)
    consultation = _consultation(contract, stakes, context, opens_on)
    _opinions(consultation, stakes, context, opens_on)
    if consultation.status == ConsultationStatus.OPEN:
        consultation_close(consultation=consultation, by=pilot)
    for stake in stakes.values():
        stake.refresh_from_db()
    _redefinitions(stakes, contract, pilot)
    _duplicates(stakes, pilot)

    if meeting is None:
        context.log("    ⚠ aucune séance passée du comité de pilotage : les enjeux restent à valider.")
    else:
        for key, stake_spec in STAKES.items():
            if stake_spec.verdict:
                record_decision(
                    meeting, verdict=stake_spec.verdict, text=stake_spec.decision_text, target=stakes[key], by=pilot
                )
    second_round = _second_round(contract, context)
    counts = [(len(spec.sources), len(spec.findings), len(spec.stakes)) for spec in DIAGNOSTICS]
    context.log(
        f"  {sum(c[0] for c in counts)} sources, {sum(c[1] for c in counts)} constats, {sum(c[2] for c in counts)} "
        f"enjeux ; consultation des deux conseils citoyens ({consultation.deadline:%d/%m/%Y}) ; "
        f"{sum(1 for spec in STAKES.values() if spec.verdict == Verdict.VALIDATED)} enjeux retenus"
        + (f" ; second tour ouvert jusqu'au {second_round.deadline:%d/%m/%Y}" if second_round else "")
    )
