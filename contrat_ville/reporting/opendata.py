"""A contract's published data as open data (issue 12 §4): CSV files (UTF-8, « , », ISO dates, decimal point) with
a Data Package descriptor (``datapackage.json``, frictionless), zipped; and the same data as one JSON document.

Only what the contract's public pages show: the contract, its QPVs, pillars and axes, its strategic tree with the
public indicator values, the steering bodies' published decisions, and the conseils citoyens in counts (never a
name). Droit commun commitments and credits stay with the contract's members.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from contrat_ville.contracts.models import Contract
from contrat_ville.contracts.selectors import contract_terms
from contrat_ville.core.spreadsheets import csv_writer
from contrat_ville.governance.models import Decision
from contrat_ville.participation.selectors import council_rows
from contrat_ville.strategy import selectors as strategy_selectors
from contrat_ville.strategy.presenters import objective_figures

LICENCE = {
    "name": "etalab-2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "title": "Licence Ouverte 2.0",
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # a Table Schema type: string, integer, number, date, boolean
    description: str


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    fields: tuple[Field, ...]
    rows: list[list[Any]]

    @property
    def path(self) -> str:
        return f"{self.name}.csv"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


STRATEGY_FIELDS = (
    Field("pilier", "string", "pilier"),
    Field("orientation_code", "string", "orientation stratégique (référence)"),
    Field("orientation", "string", "orientation stratégique"),
    Field("orientation_validee", "boolean", "validée par le comité de pilotage"),
    Field("objectif_code", "string", "objectif opérationnel (référence)"),
    Field("objectif", "string", "objectif opérationnel"),
    Field("indicateur", "string", "indicateur de l'objectif"),
    Field("valeur_reference", "number", "valeur de référence"),
    Field("annee_reference", "integer", "année de référence"),
    Field("valeur_cible", "number", "valeur cible"),
    Field("annee_cible", "integer", "année cible"),
    Field("derniere_valeur", "number", "dernière valeur publique mesurée"),
    Field("annee_derniere_valeur", "integer", "année de la dernière valeur"),
    Field("action_code", "string", "action (référence)"),
    Field("action", "string", "action"),
    Field("action_statut", "string", "statut de l'action"),
)


def _strategy(contract: Contract) -> Resource:
    """One row per action (an objective without action and an orientation without objective get their own row),
    with the public indicator values only (``access=None``)."""
    tree = strategy_selectors.strategy_tree(contract=contract, access=None)
    rows: list[list[Any]] = []
    for pillar_node in tree.pillars:
        for node in pillar_node.orientations:
            orientation = node.orientation
            head = [pillar_node.pillar.label, orientation.code, orientation.title, node.is_validated]
            if not node.objectives:
                rows.append(head + [None] * 12)
            for objective_node in node.objectives:
                objective, state = objective_node.objective, objective_node.state
                indicator = (
                    f"{objective.indicator.code} — {objective.indicator.label}"
                    if objective.indicator is not None
                    else objective.indicator_text
                )
                middle = [objective.code, objective.title, indicator, *objective_figures(objective, state)]
                if not objective_node.actions:
                    rows.append(head + middle + [None] * 3)
                rows.extend(
                    head + middle + [action.code, action.title, action.get_status_display()]
                    for action in objective_node.actions
                )
    return Resource("strategie", "Arbre stratégique : orientations, objectifs et actions", STRATEGY_FIELDS, rows)


def contract_resources(contract: Contract) -> list[Resource]:
    """The contract's public data, one resource a table (a fixed number of queries)."""
    epci = contract.epci
    pillars, axes = contract_terms(contract=contract)
    decisions = (
        Decision.objects.filter(contract=contract, is_published=True)
        .select_related("meeting__body")
        .order_by("meeting__starts_at", "pk")
    )
    return [
        Resource(
            "contrat",
            "Le contrat de ville",
            (
                Field("identifiant", "string", "identifiant du contrat sur la plateforme"),
                Field("intitule", "string", "intitulé"),
                Field("epci_code", "string", "code SIREN de l'intercommunalité"),
                Field("epci_nom", "string", "intercommunalité"),
                Field("generation", "string", "génération du contrat"),
                Field("etat", "string", "état du contrat"),
                Field("debut", "date", "début"),
                Field("fin", "date", "fin"),
                Field("signe_le", "date", "date de signature"),
            ),
            [
                [
                    contract.slug,
                    contract.name,
                    epci.code,
                    epci.name,
                    contract.get_generation_display(),
                    contract.get_status_display(),
                    contract.start_on,
                    contract.end_on,
                    contract.signed_on,
                ]
            ],
        ),
        Resource(
            "quartiers",
            "Les quartiers prioritaires du contrat",
            (
                Field("code", "string", "code du quartier prioritaire"),
                Field("nom", "string", "nom"),
                Field("population", "integer", "population (fichiers des quartiers prioritaires)"),
            ),
            [[qpv.code, qpv.name, qpv.population] for qpv in contract.qpvs.defer("geometry").order_by("code")],
        ),
        Resource(
            "piliers_et_axes",
            "Les piliers et les axes transversaux",
            (
                Field("nature", "string", "pilier ou axe transversal"),
                Field("code", "string", "code"),
                Field("intitule", "string", "intitulé"),
            ),
            [["pilier", term.code, term.label] for term in pillars]
            + [["axe transversal", term.code, term.label] for term in axes],
        ),
        _strategy(contract),
        Resource(
            "decisions",
            "Les décisions publiées des instances du contrat",
            (
                Field("date", "date", "date de la séance"),
                Field("instance", "string", "instance"),
                Field("objet", "string", "objet de la décision"),
                Field("sens", "string", "sens de la décision"),
                Field("texte", "string", "texte de la décision"),
            ),
            [
                [
                    decision.meeting.starts_at,
                    decision.meeting.body.name,
                    decision.target_label,
                    decision.get_verdict_display(),
                    decision.text,
                ]
                for decision in decisions
            ],
        ),
        Resource(
            "conseils_citoyens",
            "Les conseils citoyens du contrat (effectifs, jamais un nom)",
            (
                Field("nom", "string", "conseil citoyen"),
                Field("forme_juridique", "string", "forme juridique"),
                Field("etat", "string", "état"),
                Field("membres", "integer", "membres en fonction"),
                Field("part_femmes", "integer", "part des femmes (%)"),
                Field("part_moins_de_26_ans", "integer", "part des moins de 26 ans (%)"),
            ),
            [
                [
                    row.council.name,
                    row.council.get_legal_form_display(),
                    row.council.get_status_display(),
                    row.composition.total,
                    row.composition.women_share,
                    row.composition.young_share,
                ]
                for row in council_rows(contract=contract)
            ],
        ),
    ]


def _csv(resource: Resource) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\n")
    writer.writerow([field.name for field in resource.fields])
    for row in resource.rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def descriptor(contract: Contract, resources: list[Resource]) -> dict[str, Any]:
    """The Data Package descriptor (frictionless) of the contract's files."""
    return {
        "name": f"contrat-de-ville-{contract.slug}",
        "title": contract.name,
        "description": "Données publiées d'un contrat de ville (Plateforme des contrats de ville).",
        "licenses": [LICENCE],
        "resources": [
            {
                "name": resource.name,
                "title": resource.title,
                "path": resource.path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": field.name, "type": field.type, "description": field.description}
                        for field in resource.fields
                    ]
                },
            }
            for resource in resources
        ],
    }


def package_zip(contract: Contract) -> bytes:
    """``datapackage.json`` and one CSV a resource, zipped."""
    resources = contract_resources(contract)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor(contract, resources), ensure_ascii=False, indent=2))
        for resource in resources:
            archive.writestr(resource.path, _csv(resource))
    return buffer.getvalue()


def package_json(contract: Contract) -> dict[str, Any]:
    """The same data as one JSON document: each resource's rows as objects keyed by the fields' names."""
    resources = contract_resources(contract)
    return {
        "licence": LICENCE["title"],
        **{
            resource.name: [
                {field.name: _json_value(value) for field, value in zip(resource.fields, row, strict=True)}
                for row in resource.rows
            ]
            for resource in resources
        },
    }
