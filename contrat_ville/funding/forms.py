"""Forms of the commitment pages: they check the input's shape; the services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.core.bounds import form_field
from contrat_ville.funding import selectors
from contrat_ville.funding.models import CommitmentYear, MainstreamCommitment
from contrat_ville.funding.services import CommitmentFields
from contrat_ville.ui.forms import Form

WHOLE_CONTRACT = ""


def _field(name: str, **kwargs: Any) -> forms.Field:
    return form_field(MainstreamCommitment, name, **kwargs)


class CommitmentForm(Form):
    """What a partner commits. ``partners`` are the organisations the caller may commit for: every organisation of
    the contract for the pilot and the State, the partner's own for a partner (the field is then fixed)."""

    partner = forms.ModelChoiceField(label="Partenaire", queryset=Organization.objects.none())
    title = _field("title", label="Intitulé", help_text="Par exemple « Postes d'adultes-relais dans les collèges ».")
    nature = _field("nature", label="Nature")
    target = forms.ChoiceField(
        label="Ce que sert l'engagement",
        required=False,
        help_text="Un objectif opérationnel, une action, ou le contrat dans son ensemble.",
    )
    pillar = forms.ModelChoiceField(
        label="Pilier (pour un engagement sur le contrat dans son ensemble)",
        queryset=Pillar.objects.none(),
        required=False,
    )
    unit = _field("unit", label="Unité des chiffres annuels")
    unit_label = _field("unit_label", label="Unité (précisez)", required=False)
    description = _field("description", label="Description", required=False)
    status = _field("status", label="État")
    evidence = _field("evidence", label="Pièces justificatives", required=False)

    def __init__(
        self,
        *args: Any,
        contract: Contract,
        partners: QuerySet[Organization],
        commitment: MainstreamCommitment | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        keep_objective = [commitment.objective_id] if commitment and commitment.objective_id else []
        keep_action = [commitment.action_id] if commitment and commitment.action_id else []
        self.objectives = {
            str(item.pk): item for item in selectors.objective_choices(contract=contract, keep=keep_objective)
        }
        self.actions = {str(item.pk): item for item in selectors.action_choices(contract=contract, keep=keep_action)}
        self.fields["target"].choices = [
            (WHOLE_CONTRACT, "Le contrat dans son ensemble"),
            (
                "Objectifs opérationnels",
                [(f"objective:{key}", f"{item.code} {item}".strip()) for key, item in self.objectives.items()],
            ),
            ("Actions", [(f"action:{key}", f"{item.code} {item}".strip()) for key, item in self.actions.items()]),
        ]
        partner_field = self.fields["partner"]
        assert isinstance(partner_field, forms.ModelChoiceField)
        partner_field.queryset = partners
        pillar_field = self.fields["pillar"]
        assert isinstance(pillar_field, forms.ModelChoiceField)
        pillar_field.queryset = Pillar.objects.filter(contract=contract).order_by("order", "pk")
        if commitment is not None and not self.is_bound:
            self.initial.update(
                {
                    "partner": commitment.partner_id,
                    "title": commitment.title,
                    "nature": commitment.nature,
                    "target": (
                        f"objective:{commitment.objective_id}"
                        if commitment.objective_id
                        else f"action:{commitment.action_id}"
                        if commitment.action_id
                        else WHOLE_CONTRACT
                    ),
                    "pillar": commitment.pillar_id,
                    "unit": commitment.unit,
                    "unit_label": commitment.unit_label,
                    "description": commitment.description,
                    "status": commitment.status,
                    "evidence": commitment.evidence,
                }
            )

    def commitment_fields(self) -> CommitmentFields:
        data = self.cleaned_data
        kind, _, key = str(data.get("target") or "").partition(":")
        return CommitmentFields(
            title=data["title"],
            nature=data["nature"],
            unit=data["unit"],
            unit_label=data.get("unit_label") or "",
            description=data.get("description") or "",
            status=data["status"],
            evidence=data.get("evidence") or "",
            objective=self.objectives.get(key) if kind == "objective" else None,
            action=self.actions.get(key) if kind == "action" else None,
            pillar=data.get("pillar"),
        )


class CommitmentYearForm(Form):
    """A year's planned and realised figures, in the commitment's unit."""

    year = forms.TypedChoiceField(label="Année", coerce=int)
    planned = form_field(CommitmentYear, "planned", label="Prévu", required=False)
    realised = form_field(
        CommitmentYear,
        "realised",
        label="Réalisé",
        required=False,
        help_text="Laissez vide tant que l'année n'est pas échue ou que le chiffre n'est pas connu.",
    )
    note = form_field(CommitmentYear, "note", label="Commentaire", required=False)

    def __init__(self, *args: Any, contract: Contract, unit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = range(contract.start_on.year, contract.end_on.year + 1)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        for name in ("planned", "realised"):
            self.fields[name].label = f"{self.fields[name].label} ({unit})"


class CommitmentFilterForm(Form):
    """« ?partenaire=<id>&pilier=<id> » on the list."""

    partenaire = forms.TypedChoiceField(label="Partenaire", required=False, coerce=int, empty_value=None)
    pilier = forms.TypedChoiceField(label="Pilier", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, partners: list[Organization], pillars: list[Pillar], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partenaire"].choices = [
            ("", "Tous les partenaires"),
            *[(item.pk, str(item)) for item in partners],
        ]
        self.fields["pilier"].choices = [("", "Tous les piliers"), *[(item.pk, item.label) for item in pillars]]

    def selected(self, name: str) -> int | None:
        if not self.is_bound or not self.is_valid():
            return None
        value = self.cleaned_data.get(name)
        return int(value) if value else None
