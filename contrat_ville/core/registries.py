"""Registries through which higher apps contribute to lower ones (design.md §2).

A lower app (``contracts``, ``governance``) declares what it needs; a higher app fills it in its
``AppConfig.ready()``. So the navigation grows as apps land, and ``contracts`` never imports the apps
above it. Registries hold plain callables and dataclasses: nothing here touches the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Generic, TypeVar

from django.apps import AppConfig
from django.urls import reverse

T = TypeVar("T")


class Registry(Generic[T]):
    """An ordered set of named entries, filled at start-up, read at request time."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, T] = {}

    def register(self, key: str, entry: T) -> T:
        if key in self._entries and self._entries[key] != entry:
            raise ValueError(f"{self.name}: « {key} » est déjà enregistré.")
        self._entries[key] = entry
        return entry

    def unregister(self, key: str) -> None:
        self._entries.pop(key, None)

    def get(self, key: str) -> T | None:
        return self._entries.get(key)

    def keys(self) -> list[str]:
        return list(self._entries)

    def __iter__(self) -> Iterator[T]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries


@dataclass(frozen=True)
class NavigationEntry:
    """One entry of a contract's navigation.

    ``url_name`` is reversed with ``contract_slug``; ``is_visible(membership)`` receives the
    user's role on the contract (``None`` for an anonymous visitor of a published contract).
    """

    label: str
    url_name: str
    order: int = 100
    is_visible: Callable[[Any], bool] = field(default=lambda membership: True)


@dataclass(frozen=True)
class HomePanel:
    """A panel on the contract home page, rendered from ``template`` with ``get_context``.

    ``get_context(contract, membership)`` must run a bounded number of queries whatever the data. A ``wide`` panel
    (one holding a table) takes the dashboard's whole width; the others share a row two by two.
    """

    title: str
    template: str
    get_context: Callable[[Any, Any], dict[str, Any]]
    order: int = 100
    is_visible: Callable[[Any], bool] = field(default=lambda membership: True)
    wide: bool = False


@dataclass(frozen=True)
class PhaseStatusRule:
    """Computes the status of an elaboration phase from data owned by the registering app.

    ``compute(contract)`` returns ``True`` when the phase is done, ``False`` when not, and ``None``
    when the rule has nothing to say (the phase then falls back to its manual status).
    """

    phase_code: str
    description: str
    compute: Callable[[Any], bool | None]


@dataclass(frozen=True)
class DecisionTarget:
    """A kind of object a governance decision may target (``app_label.model``).

    ``on_decision(decision, by)``, when given, is called inside the transaction that records or corrects a
    decision on such an object, so the owning app can move its status (a stake retained, a plan validated).
    It may raise ``BusinessRuleError`` to refuse the decision.
    """

    model_label: str
    label: str
    on_decision: Callable[[Any, Any], None] | None = None


@dataclass(frozen=True)
class DeletionGuard:
    """Something a higher app knows that forbids deleting an object of a lower one (issue 10 §6).

    ``reason(obj)`` returns a French reason (« une décision du comité de pilotage porte sur cet objet ») or ``None``.
    Governance registers one for the objects its decisions target; ``core.services.deletion_refusal`` asks them.
    """

    label: str
    reason: Callable[[Any], str | None]


@dataclass(frozen=True)
class AwaitingItem:
    """Something that awaits a user's action: an opinion to give, an application to review, yearly figures to enter.

    ``key`` is stable across requests (``"funding.application.review:42"``): the digest e-mail compares keys to tell
    what is new since the last one.
    """

    title: str
    url: str
    contract_id: int | None
    contract_name: str
    key: str
    due: datetime.date | None = None

    @classmethod
    def on_page(
        cls,
        contract: Any,
        *,
        title: str,
        route: str,
        route_kwargs: Mapping[str, Any],
        key: str,
        due: datetime.date | None = None,
        suffix: str = "",
    ) -> AwaitingItem:
        """An item whose page is one of ``contract``'s: ``route`` takes the contract's slug and ``route_kwargs``,
        ``suffix`` leads to a sub-page (``"avis/"``)."""
        path = reverse(route, kwargs={"contract_slug": contract.slug, **route_kwargs})
        return cls(
            title=title, url=f"{path}{suffix}", contract_id=contract.pk, contract_name=contract.name, key=key, due=due
        )


@dataclass(frozen=True)
class AwaitingSource:
    """A kind of awaiting item an app knows about (« Avis attendus », « Dossiers à instruire »).

    ``collect(user)`` returns the user's items across all their contracts in a bounded number of queries.
    """

    label: str
    collect: Callable[[Any], Iterable[AwaitingItem]]
    order: int = 100


navigation_entries: Registry[NavigationEntry] = Registry("navigation du contrat")
home_panels: Registry[HomePanel] = Registry("panneaux de l'accueil du contrat")
phase_status_rules: Registry[PhaseStatusRule] = Registry("règles de statut des phases")
decision_targets: Registry[DecisionTarget] = Registry("objets pouvant faire l'objet d'une décision")
deletion_guards: Registry[DeletionGuard] = Registry("gardes avant suppression")
awaiting_sources: Registry[AwaitingSource] = Registry("ce qui attend les utilisateurs")


def members_only(membership: Any) -> bool:
    """The ``is_visible`` of an entry or a panel that only the contract's members see."""
    return membership is not None and membership.is_member


def contribute(
    *,
    navigation: Mapping[str, NavigationEntry] | None = None,
    panels: Mapping[str, HomePanel] | None = None,
    targets: Iterable[DecisionTarget] = (),
    phase_rules: Iterable[PhaseStatusRule] = (),
    awaiting: Mapping[str, AwaitingSource] | None = None,
    consultable: Iterable[ConsultableKind] = (),
    annexes: Mapping[str, DecisionAnnex] | None = None,
    seats: Mapping[str, SeatSource] | None = None,
) -> None:
    """Register what an app contributes, from its ``registrations.register()``: menu entries, home panels, awaiting
    sources and decision annexes under their key, decision targets and consultable kinds under their model label,
    phase status rules under their phase code."""
    for key, entry in (navigation or {}).items():
        navigation_entries.register(key, entry)
    for key, panel in (panels or {}).items():
        home_panels.register(key, panel)
    for target in targets:
        decision_targets.register(target.model_label, target)
    for rule in phase_rules:
        phase_status_rules.register(rule.phase_code, rule)
    for key, source in (awaiting or {}).items():
        awaiting_sources.register(key, source)
    for kind in consultable:
        consultable_kinds.register(kind.model_label, kind)
    for key, annex in (annexes or {}).items():
        decision_annexes.register(key, annex)
    for key, seat_source in (seats or {}).items():
        seat_sources.register(key, seat_source)


@dataclass(frozen=True)
class Seat:
    """A place an organisation holds in a contract's body (a conseil citoyen in the steering committee)."""

    body: str
    role: str


@dataclass(frozen=True)
class SeatSource:
    """Where an organisation sits, known to the app that owns the bodies (governance): ``collect(organization,
    contract)`` returns its seats in that contract in a bounded number of queries."""

    label: str
    collect: Callable[[Any, Any], Iterable[Seat]]


seat_sources: Registry[SeatSource] = Registry("sièges des organisations dans les instances")


def seats_of(organization: Any, contract: Any) -> list[Seat]:
    """Every seat the apps know ``organization`` holds in ``contract``'s bodies (what a council's page shows)."""
    return [seat for source in seat_sources for seat in source.collect(organization, contract)]


def sorted_entries(registry: Registry[Any]) -> list[Any]:
    return sorted(registry, key=lambda entry: (getattr(entry, "order", 100), getattr(entry, "label", "")))


@dataclass(frozen=True)
class DemoAccount:
    """An account of the demo, listed on the login page when ``DEMO_MODE`` is on."""

    email: str
    role: str
    order: int = 100

    @property
    def label(self) -> str:
        return self.email


demo_accounts: Registry[DemoAccount] = Registry("comptes de démonstration")


class RegisteringAppConfig(AppConfig):
    """An app that fills the registries once loaded: its ``registrations.register()``. Subclass it through the module
    (``registries.RegisteringAppConfig``): an ``apps.py`` holding two ``AppConfig`` classes confuses Django."""

    def ready(self) -> None:
        import_module(f"{self.name}.registrations").register()


# --- what the conseils citoyens may be consulted on (issue 11 §4) ------------------------------------------------


@dataclass(frozen=True)
class ConsultableKind:
    """A kind of object the pilot may submit to the conseils citoyens in a consultation (``diagnostic.Consultation``).

    Registered with ``contribute(consultable=[ConsultableKind(…)])`` under ``model_label`` (« app_label.model » of what
    the pilot chooses: ``diagnostic.stake``, ``strategy.orientation``, ``strategy.actionplan``; a future
    ``reporting.annualreport``) by the app that owns it, so the consultation never imports the apps above it:

    - ``candidates(contract)``: the queryset of what may be submitted now (bounded queries to label them);
    - ``describe(obj)``: its line in the form and its title in the consultation (French);
    - ``submit(obj, comment=…, by=…)``: what the opinions will judge (a stake freezes a new version and returns it);
      by default the object itself;
    - ``subject(target)``: the object the steering committee decides on (a stake version's stake); by default the
      target itself: the « suites données » are that object's decisions;
    - ``url(target, contract)``: the page of the object judged (absolute path; no query);
    - ``form_field``: the name of its field in the consultation form (``stakes``, ``orientations``, ``action_plans``).
    """

    model_label: str
    label: str
    form_field: str
    candidates: Callable[[Any], Any]
    describe: Callable[[Any], str] = field(default=lambda obj: str(obj))
    url: Callable[[Any, Any], str] = field(default=lambda target, contract: "")
    submit: Callable[..., Any] | None = None
    subject: Callable[[Any], Any] | None = None
    order: int = 100


consultable_kinds: Registry[ConsultableKind] = Registry("objets soumis à l'avis des conseils citoyens")


@dataclass(frozen=True)
class DecisionAnnex:
    """A section a higher app adds to a governance decision's page (« Avis des conseils citoyens »).

    ``get_context(decision, access, user)`` returns the template's context, or ``None`` to show nothing; bounded
    queries.
    """

    title: str
    template: str
    get_context: Callable[[Any, Any, Any], dict[str, Any] | None]
    order: int = 100


decision_annexes: Registry[DecisionAnnex] = Registry("sections ajoutées à la page d'une décision")
