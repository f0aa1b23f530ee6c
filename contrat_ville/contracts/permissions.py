"""Who may do what on a contract: the permission kernel every app's ``permissions.py`` builds on.

Each app states its rules once, as named predicates declared with ``@permission``::

    @permission(roles=CONTRIBUTORS, action="modifier un enjeu", condition="tant que le comité de pilotage n'a pas
                décidé")
    def can_edit_stake(access: ContractAccess, stake: Stake) -> bool:
        return not stake_is_decided(stake)

The rules that state roles only (no object condition) are the rows of one ``role_permissions`` table per app::

    can_write_diagnostic, can_steer_diagnostic = role_permissions(
        __name__,
        RoleRule("can_write_diagnostic", roles=CONTRIBUTORS, action="rédiger le diagnostic", why="Seed 004, 3.1."),
        RoleRule("can_steer_diagnostic", roles=STEERING, action="piloter le diagnostic", why="Seed 004, 3.2."),
    )

A predicate first checks the caller's role on the contract (platform administrators always pass), then runs its
body, the object condition. Views (``contract_view(permission=...)``), the API (``api_contract_access``), services
and the pages' flags ask these predicates and nothing else; the role lists below are the only ones in the code.
The table of every rule (``permission_table``) is what ARCHITECTURE.md shows and what the access-matrix test
expects.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar

from django.apps import apps

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.contracts.enums import Role
from contrat_ville.contracts.models import ContractRole
from contrat_ville.contracts.selectors import ContractAccess

P = ParamSpec("P")

ROLE_FORBIDDEN_MESSAGE = "Votre rôle sur ce contrat ne permet pas cette action."

# The role groups: named once, used by every app's rules.
STEERING: frozenset[str] = frozenset({Role.PILOT, Role.STATE})
"""Those who steer the contract: the EPCI's pilot and the State delegate (seed 004, phases 1 and 2)."""

CONTRIBUTORS: frozenset[str] = STEERING | {Role.PARTNER}
"""Those who write the diagnostic in the working groups: the steering roles and the partners (seed 004, 3.1)."""

MEMBERS: frozenset[str] = frozenset(Role.values)
"""Every role of the contract."""

ADMINISTRATOR_LABEL = "administrateur"


@dataclass(frozen=True)
class Rule:
    """One line of the permission table: an action, the roles that may perform it, and its object condition."""

    app: str
    name: str
    action: str
    roles: frozenset[str]
    condition: str
    refusal: str

    def admits(self, access: ContractAccess) -> bool:
        """The role part of the rule: platform administrators and the listed roles."""
        return access.is_staff or access.role in self.roles


class Predicate(Generic[P]):
    """A named rule: ``predicate(access, obj, ...)`` is True when the role is admitted and the condition holds."""

    def __init__(self, func: Callable[Concatenate[ContractAccess, P], bool], rule: Rule) -> None:
        self._func = func
        self.rule = rule
        functools.update_wrapper(self, func)

    def __call__(self, access: ContractAccess, /, *args: P.args, **kwargs: P.kwargs) -> bool:
        return self.rule.admits(access) and bool(self._func(access, *args, **kwargs))

    def admits(self, access: ContractAccess) -> bool:
        """The role part alone: what the page gate asks before it has the object."""
        return self.rule.admits(access)

    def __repr__(self) -> str:
        return f"<permission {self.rule.app}.{self.rule.name}>"


_RULES: dict[str, Predicate[...]] = {}


def permission(
    *,
    roles: Iterable[str],
    action: str,
    condition: str = "",
    refusal: str = ROLE_FORBIDDEN_MESSAGE,
) -> Callable[[Callable[Concatenate[ContractAccess, P], bool]], Predicate[P]]:
    """Declare a predicate of an app's ``permissions.py``; its docstring states the rule and its source.

    ``action`` and ``condition`` are the French texts of the permission table; ``refusal`` is the message of the
    403 answer when the rule refuses.
    """

    def decorator(func: Callable[Concatenate[ContractAccess, P], bool]) -> Predicate[P]:
        app = _app_of(func.__module__)
        rule = Rule(
            app=app,
            name=func.__name__,
            action=action,
            roles=frozenset(roles),
            condition=condition,
            refusal=refusal,
        )
        predicate = Predicate(func, rule)
        _RULES[f"{app}.{func.__name__}"] = predicate
        return predicate

    return decorator


def _app_of(module: str) -> str:
    """The app a rule belongs to: the app of the module that declares it."""
    return module.split(".")[1] if module.startswith("contrat_ville.") else module


@dataclass(frozen=True)
class RoleRule:
    """A row of an app's ``role_permissions`` table: a rule that states roles only, with no object condition.

    ``action`` is the French text of the permission table, ``why`` the predicate's docstring (the rule and its
    source); ``roles`` and ``refusal`` default to the table's.
    """

    name: str
    action: str
    why: str
    roles: Iterable[str] | None = None
    refusal: str | None = None


def role_permissions(
    module: str,
    *rows: RoleRule,
    roles: Iterable[str] = (),
    refusal: str = ROLE_FORBIDDEN_MESSAGE,
) -> tuple[Predicate[[]], ...]:
    """Declare the predicates of ``module`` (its ``__name__``) that state roles only, one row each, in order::

        can_manage_bodies, can_run_meetings = role_permissions(
            __name__,
            RoleRule("can_manage_bodies", action="constituer les instances", why="Seed 004, phase 2.1."),
            RoleRule("can_run_meetings", action="programmer une séance", why="Issue 4 §6."),
            roles=STEERING,
            refusal=GOVERNANCE_REFUSAL,
        )

    Each is a predicate like those ``@permission`` declares — ``can_manage_bodies(access)`` is True when the role
    is admitted — named after its row, in the table and with its refusal. The module binds each to its row's name
    (a test checks that every predicate is importable under its name).
    """
    return tuple(
        permission(
            roles=row.roles if row.roles is not None else roles,
            action=row.action,
            refusal=row.refusal if row.refusal is not None else refusal,
        )(_admitted(module, row))
        for row in rows
    )


def _admitted(module: str, row: RoleRule) -> Callable[[ContractAccess], bool]:
    """The body of a rule that states roles only: once the role is admitted, nothing else to check."""

    def admitted(access: ContractAccess) -> bool:
        return True

    admitted.__module__, admitted.__name__, admitted.__qualname__ = module, row.name, row.name
    admitted.__doc__ = row.why
    return admitted


# --- rules outside a contract --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlatformRule:
    """A rule asked before any contract is at hand (opening a contract space): who, in French."""

    app: str
    name: str
    action: str
    who: str


_PLATFORM_RULES: dict[str, PlatformRule] = {}
F = TypeVar("F", bound=Callable[..., bool])


def platform_permission(*, action: str, who: str) -> Callable[[F], F]:
    """Declare a platform-level predicate (it takes the user, not a contract access); it joins the table."""

    def decorator(func: F) -> F:
        app = _app_of(func.__module__)
        _PLATFORM_RULES[f"{app}.{func.__name__}"] = PlatformRule(app=app, name=func.__name__, action=action, who=who)
        return func

    return decorator


# --- the table -----------------------------------------------------------------------------------------------


def load_permission_modules() -> None:
    """Import every installed app's ``permissions`` module, so the table lists them all."""
    for config in apps.get_app_configs():
        if not config.name.startswith("contrat_ville."):
            continue
        try:
            importlib.import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.permissions":
                raise


def permission_rules() -> list[Rule]:
    """Every declared rule, by app (in the order of the app graph) then by name."""
    load_permission_modules()
    order = {config.name.split(".")[-1]: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(
        (predicate.rule for predicate in _RULES.values()), key=lambda rule: (order.get(rule.app, 0), rule.name)
    )


def permission_get(qualified_name: str) -> Predicate[...]:
    """A predicate by its « app.name » (for the access-matrix rows)."""
    load_permission_modules()
    return _RULES[qualified_name]


def platform_rules() -> list[PlatformRule]:
    load_permission_modules()
    return sorted(_PLATFORM_RULES.values(), key=lambda rule: (rule.app, rule.name))


def role_columns() -> list[tuple[str, str]]:
    """The columns of the table: each role of the contract, then the platform administrator."""
    return [(role.value, role.label) for role in Role]


def permission_table_markdown() -> str:
    """The role-by-action table of every app, as Markdown (ARCHITECTURE.md shows it; a test keeps it current)."""
    columns = role_columns()
    header = ["action", "prédicat", *(label for _, label in columns), ADMINISTRATOR_LABEL, "condition"]
    lines: list[str] = []
    current_app = None
    for rule in permission_rules():
        if rule.app != current_app:
            if current_app is not None:
                lines.append("")
            lines.extend([f"#### `{rule.app}`", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)])
            current_app = rule.app
        marks = ["✓" if value in rule.roles else "" for value, _ in columns]
        cells = [rule.action, f"`{rule.name}`", *marks, "✓", rule.condition or "—"]
        lines.append("| " + " | ".join(cells) + " |")
    rules = platform_rules()
    if rules:
        lines.extend(["", "#### Hors d'un contrat", "", "| action | prédicat | qui |", "|---|---|---|"])
        lines.extend(f"| {rule.action} | `{rule.app}.{rule.name}` | {rule.who} |" for rule in rules)
    return "\n".join(lines) + "\n"


TABLE_START = "<!-- permission-table:start (manage.py write_permission_table) -->"
TABLE_END = "<!-- permission-table:end -->"


def permission_table_in(document: str, table: str) -> str:
    """``document`` with the text between its permission-table markers replaced by ``table``."""
    start, end = document.find(TABLE_START), document.find(TABLE_END)
    if start < 0 or end < start:
        raise ValueError(f"Les repères {TABLE_START} … {TABLE_END} manquent.")
    return f"{document[: start + len(TABLE_START)]}\n\n{table}\n{document[end:]}"


# --- the contracts' own rules -----------------------------------------------------------------------------------

OPEN_REFUSAL = (
    "Seuls un administrateur de la plateforme et les agents des services de l'État ouvrent l'espace d'un contrat."
)
CONTRACT_REFUSAL = "Seuls le pilote et le délégué de l'État complètent et font évoluer ce contrat."


def acts_for(access: ContractAccess, organization_id: int | None) -> bool:
    """The caller acts for the organisation ``organization_id``, the one of its account (``User.organization``): a
    partner for its own, a conseil citoyen's member for the council. ``None`` is nobody's organisation."""
    user = access.user
    return user is not None and user.organization_id is not None and user.organization_id == organization_id


def role_acts_for_a_council(role: str) -> bool:
    """The role of a conseil citoyen's member, who acts for their council (its organisation): invited without it,
    they would see no consultation and no questionnaire."""
    return role == Role.COUNCIL


def role_acts_for_an_organization(role: str) -> bool:
    """The role of an applicant, who deposits its applications for its organisation: invited without one, it could
    not apply."""
    return role == Role.APPLICANT


def acts_for_an_organization(access: ContractAccess) -> bool:
    """The caller's account belongs to an organisation, the one it acts for."""
    return acts_for(access, access.user.organization_id if access.user is not None else None)


def is_state_delegate_or_staff(user: Any) -> bool:
    """A platform administrator, or a user holding the State role on at least one contract: who the State's pages
    across contracts are for (each then shows ``selectors.state_contracts(user)``)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff) or ContractRole.objects.filter(user=user, role=Role.STATE).exists()


@platform_permission(
    action="ouvrir l'espace d'un contrat de ville pour une intercommunalité",
    who="administrateur de la plateforme ; agent d'un service de l'État du département de l'intercommunalité",
)
def can_open_contract_space(user: Any, departement_codes: Iterable[str] | None = None) -> bool:
    """The State and the EPCI prepare the contract together (seed 004 phase 1.1); on the platform the space is
    opened by an administrator, or by a State agent for an intercommunality of their département
    (``Organization.departement_code``). Without ``departement_codes`` the question is whether the user may open
    a space somewhere (to show the button)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    organization = user.organization
    is_state_agent = organization is not None and organization.kind == OrganizationKind.STATE_SERVICE
    if not is_state_agent or not organization.departement_code:
        return False
    return departement_codes is None or organization.departement_code in set(departement_codes)


REGION_REFUSAL = (
    "Seuls les administrateurs de la plateforme et les centres de ressources (pour la région qu'ils couvrent) "
    "suivent les conseils citoyens et les contrats d'une région."
)


@platform_permission(
    action="suivre sa région : mener le questionnaire annuel des conseils citoyens, lire leur état des lieux et "
    "les données publiées des contrats de la région",
    who="administrateur de la plateforme (toutes les régions) ; personne agissant pour un centre de ressources "
    "politique de la ville, pour la région de son centre",
)
def can_follow_region(user: Any, region_code: str | None = None) -> bool:
    """A regional resource centre qualifies the actors of its region and capitalises their experience (cadre de
    référence des CRPV, 16 mars 2017; issue 12 §6): its members follow the councils and contracts of the region its
    organisation covers (``Organization.region_code``). Without ``region_code`` the question is whether the user
    follows a region at all (to show the pages and links)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    region = followed_region(user)
    return bool(region) and (region_code is None or region_code == region)


def followed_region(user: Any) -> str | None:
    """The region a user follows: their resource centre's (« » when it has none), ``None`` for an administrator,
    who sees the whole platform. Ask ``can_follow_region`` first."""
    if getattr(user, "is_staff", False):
        return None
    organization = getattr(user, "organization", None)
    if organization is None or organization.kind != OrganizationKind.RESOURCE_CENTRE:
        return ""
    return str(organization.region_code)


can_edit_contract, can_publish_contract, can_manage_members, can_manage_organizations = role_permissions(
    __name__,
    RoleRule(
        "can_edit_contract",
        action="compléter le contrat : présentation, période, territoires, signataires, piliers et axes, signature",
        why="The EPCI pilots the contract with the State (loi 2014-173 art. 6; instruction du 4 janvier 2024).",
    ),
    RoleRule(
        "can_publish_contract",
        action="publier le contrat ou le retirer de la publication",
        why="A published contract's public pages are open to everyone: the steering roles decide when.",
    ),
    RoleRule(
        "can_manage_members",
        action="inviter des membres par courriel, changer leur rôle, retirer un membre",
        why="The EPCI and the State steer the contract and decide who works on it (loi 2014-173 art. 6).",
        refusal="Seuls le pilote et le délégué de l'État invitent les membres du contrat et changent leurs rôles.",
    ),
    RoleRule(
        "can_manage_organizations",
        action="créer et modifier les organisations du contrat et les territoires qu'elles desservent, supprimer "
        "celles que rien n'utilise",
        why="The partners the EPCI and the State bring into the contract (loi 2014-173 art. 6 I: the signatories "
        "and the partners of the contract); organisations are shared, so the page offers those of the contract "
        "only.",
        refusal="Seuls le pilote et le délégué de l'État gèrent les organisations du contrat.",
    ),
    roles=STEERING,
    refusal=CONTRACT_REFUSAL,
)


@permission(
    roles=STEERING,
    action="enregistrer un avenant (piliers, axes, quartiers, signataires, prorogation)",
    condition="le contrat est signé",
    refusal=CONTRACT_REFUSAL,
)
def can_amend_contract(access: ContractAccess) -> bool:
    """A signed contract changes only through an avenant (loi 2014-173 art. 6: revision, extension)."""
    return access.contract.is_signed


IMPORT_TERRITORIES_REFUSAL = "Seuls les administrateurs de la plateforme importent les référentiels de territoires."


@platform_permission(
    action="importer les fichiers officiels des territoires (COG, intercommunalités, IRIS, quartiers prioritaires)",
    who="administrateur de la plateforme",
)
def can_import_territories(user: Any) -> bool:
    """The reference territories are shared by every contract: only the platform's administrators replace them
    (the same importers as the management commands)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)
