"""Forms of the commitment pages: they check the input's shape; the services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.core.bounds import form_field
from contrat_ville.core.imports import limits
from contrat_ville.core.imports.limits import size_text
from contrat_ville.funding import selectors
from contrat_ville.funding.enums import CreditProgramme
from contrat_ville.funding.importers import POST_PROGRAMMES
from contrat_ville.funding.models import CommitmentYear, Credit, MainstreamCommitment
from contrat_ville.funding.services import CommitmentFields, CreditFields
from contrat_ville.strategy.models import Action, Objective
from contrat_ville.ui.forms import Form

WHOLE_CONTRACT = ""


class Targets:
    """What money or means serve, as one grouped choice: an objective, an action of the contract, or neither. The
    edited row's own target stays among the choices, even archived."""

    def __init__(self, contract: Contract, row: MainstreamCommitment | Credit | None = None) -> None:
        keep_objective = [row.objective_id] if row is not None and row.objective_id else []
        keep_action = [row.action_id] if row is not None and row.action_id else []
        self.objectives = {
            str(item.pk): item for item in selectors.objective_choices(contract=contract, keep=keep_objective)
        }
        self.actions = {str(item.pk): item for item in selectors.action_choices(contract=contract, keep=keep_action)}

    def choices(self, neither: str) -> list[Any]:
        return [
            (WHOLE_CONTRACT, neither),
            (
                "Objectifs opérationnels",
                [(f"objective:{key}", f"{item.code} {item}".strip()) for key, item in self.objectives.items()],
            ),
            ("Actions", [(f"action:{key}", f"{item.code} {item}".strip()) for key, item in self.actions.items()]),
        ]

    @staticmethod
    def initial(row: MainstreamCommitment | Credit) -> str:
        if row.objective_id:
            return f"objective:{row.objective_id}"
        if row.action_id:
            return f"action:{row.action_id}"
        return WHOLE_CONTRACT

    def chosen(self, value: object) -> tuple[Objective | None, Action | None]:
        kind, _, key = str(value or "").partition(":")
        return (
            self.objectives.get(key) if kind == "objective" else None,
            self.actions.get(key) if kind == "action" else None,
        )


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
        self.targets = Targets(contract, commitment)
        self.fields["target"].choices = self.targets.choices("Le contrat dans son ensemble")
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
                    "target": self.targets.initial(commitment),
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
        objective, action = self.targets.chosen(data.get("target"))
        return CommitmentFields(
            title=data["title"],
            nature=data["nature"],
            unit=data["unit"],
            unit_label=data.get("unit_label") or "",
            description=data.get("description") or "",
            status=data["status"],
            evidence=data.get("evidence") or "",
            objective=objective,
            action=action,
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


def _credit_field(name: str, **kwargs: Any) -> forms.Field:
    return form_field(Credit, name, **kwargs)


class CreditForm(Form):
    """A year's specific credits. The amounts are in euros; what is not known yet stays empty."""

    programme = _credit_field("programme", label="Programme")
    title = _credit_field("title", label="Intitulé", help_text="L'action financée, le poste, l'opération.")
    year = forms.TypedChoiceField(label="Année", coerce=int)
    target = forms.ChoiceField(label="Ce que financent ces crédits", required=False)
    theme_code = _credit_field(
        "theme_code",
        label="Code thématique (programme 147)",
        required=False,
        help_text="Nomenclature thématique du programme 147 : « 1112 » programme de réussite éducative, « 1122 » "
        "accompagnement à la scolarité…",
    )
    beneficiary = _credit_field("beneficiary", label="Porteur ou employeur", required=False)
    beneficiary_siret = _credit_field("beneficiary_siret", label="SIRET du porteur", required=False)
    agreement = _credit_field("agreement", label="Convention")
    agreement_end_year = forms.TypedChoiceField(
        label="Dernière année de la convention (pluriannuelle)", coerce=int, required=False, empty_value=None
    )
    requested = _credit_field("requested", label="Demandé (€)", required=False)
    granted = _credit_field("granted", label="Accordé (€)", required=False)
    paid = _credit_field("paid", label="Versé (€)", required=False)

    def __init__(self, *args: Any, contract: Contract, credit: Credit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = Targets(contract, credit)
        self.fields["target"].choices = self.targets.choices("Le contrat dans son ensemble")
        years = [(year, str(year)) for year in range(contract.start_on.year, contract.end_on.year + 1)]
        self.fields["year"].choices = years
        self.fields["agreement_end_year"].choices = [
            ("", "—"),
            *years,
            (contract.end_on.year + 1, str(contract.end_on.year + 1)),
        ]
        if credit is not None and not self.is_bound:
            names = ("programme", "title", "year", "theme_code", "beneficiary", "beneficiary_siret", "agreement")
            self.initial.update({name: getattr(credit, name) for name in names})
            self.initial.update(
                target=self.targets.initial(credit),
                agreement_end_year=credit.agreement_end_year,
                requested=credit.requested,
                granted=credit.granted,
                paid=credit.paid,
            )

    def credit_fields(self) -> CreditFields:
        data = self.cleaned_data
        objective, action = self.targets.chosen(data.get("target"))
        return CreditFields(
            programme=data["programme"],
            title=data["title"],
            year=data["year"],
            theme_code=data.get("theme_code") or "",
            beneficiary=data.get("beneficiary") or "",
            beneficiary_siret=data.get("beneficiary_siret") or "",
            objective=objective,
            action=action,
            agreement=data["agreement"],
            agreement_end_year=data.get("agreement_end_year"),
            requested=data.get("requested"),
            granted=data.get("granted"),
            paid=data.get("paid"),
        )


class CreditFilterForm(Form):
    """« ?annee=2025&programme=p147 » on the credits list."""

    annee = forms.TypedChoiceField(label="Année", required=False, coerce=int, empty_value=None)
    programme = forms.ChoiceField(label="Programme", required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [("", "Toutes les années"), *[(year, str(year)) for year in years]]
        self.fields["programme"].choices = [("", "Tous les programmes"), *CreditProgramme.choices]

    def value(self, name: str) -> Any:
        if not self.is_bound or not self.is_valid():
            return None
        return self.cleaned_data.get(name) or None


class PostsImportForm(Form):
    """An ANCT file of programme 147 posts, uploaded by an administrator."""

    file = forms.FileField(
        label="Fichier de l'ANCT (JSON)",
        help_text=f"adulte-relais-AAAA.json ou postes-fonjep-AAAA.json ; {size_text(limits.MAX_UPLOAD_BYTES)} au "
        "plus. Un fichier en erreur n'enregistre rien.",
    )
    programme = forms.ChoiceField(
        label="Programme",
        required=False,
        choices=[
            ("", "Déduit du nom du fichier"),
            *[(key, label) for key, label in CreditProgramme.choices if key in POST_PROGRAMMES],
        ],
    )
