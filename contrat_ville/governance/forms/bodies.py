"""Forms of the bodies pages: they check the input's shape; the services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from contrat_ville.accounts.models import Organization, User
from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.core.bounds import BIGGEST_ID, form_field
from contrat_ville.governance.enums import BodyKind, MemberRole
from contrat_ville.governance.models import Body, BodyMember
from contrat_ville.governance.selectors.bodies import contract_users, organizations_for_seats
from contrat_ville.ui.forms import Form


class OrganizationChoiceField(forms.ModelChoiceField):
    """An organisation shown with its former names (rule R36: « DDETS — anciennement DDCS »)."""

    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, Organization) and obj.former_names:
            return f"{obj} — anciennement {obj.former_names}"
        return str(obj)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, User):
            return f"{obj.display_name} ({obj.organization})" if obj.organization else obj.display_name
        return str(obj)


class BodyForm(Form):
    """Create a body (``with_kind=True``) or edit one (its kind does not change)."""

    kind = forms.ChoiceField(
        label="Nature de l'instance",
        choices=BodyKind.choices,
        help_text="« Instance locale » : une instance que décrit votre contrat, dont vous nommez la nature.",
    )
    local_kind_label = form_field(
        Body,
        "local_kind_label",
        label="Nature propre au contrat (instance locale)",
        required=False,
        help_text="Pour une instance locale : « Conférence des financeurs », « Cellule de pilotage »…",
    )
    name = forms.CharField(
        label="Nom",
        max_length=255,
        required=False,
        help_text="Laissé vide : « Comité de pilotage », « Groupe de travail « Cohésion sociale » »…",
    )
    pillar = forms.ModelChoiceField(
        label="Pilier",
        queryset=Pillar.objects.none(),
        required=False,
        help_text="Pour un groupe de travail thématique ou une instance locale ; laissé vide : aucun pilier.",
    )
    axis = forms.ModelChoiceField(
        label="Axe transversal",
        queryset=TransversalAxis.objects.none(),
        required=False,
        help_text="Pour un groupe de travail ou une instance locale consacré à un axe transversal.",
    )
    mission = forms.CharField(
        label="Rôle de l'instance",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Laissé vide à la création : le rôle que lui donne la note de cadrage de 2014.",
    )
    min_meetings_per_year = form_field(
        Body,
        "min_meetings_per_year",
        label="Nombre minimal de séances par an",
        required=False,
        help_text="Facultatif : un avertissement s'affiche quand les séances de l'année n'y suffisent pas.",
    )

    def __init__(
        self, *args: Any, contract: Contract, kind: str | None = None, with_pillar: bool = True, **kwargs: Any
    ) -> None:
        """``kind``: the kind of the body being edited (no kind field); without it, the creation form."""
        super().__init__(*args, **kwargs)
        self.fields["pillar"].queryset = Pillar.objects.filter(contract=contract).order_by("order", "pk")
        self.fields["axis"].queryset = TransversalAxis.objects.filter(contract=contract).order_by("order", "pk")
        if kind is not None:
            del self.fields["kind"]
            if kind != BodyKind.LOCAL:
                del self.fields["local_kind_label"]
        if not with_pillar:
            del self.fields["pillar"]
            del self.fields["axis"]


class BodyMemberForm(Form):
    organization = OrganizationChoiceField(
        label="Organisation",
        queryset=Organization.objects.none(),
        help_text="Services de l'État, opérateurs, partenaires, conseils citoyens et collectivités du contrat.",
    )
    role = forms.ChoiceField(label="Rôle dans l'instance", choices=MemberRole.choices, initial=MemberRole.MEMBER)
    user = UserChoiceField(
        label="Représentée par un membre du contrat",
        queryset=User.objects.none(),
        required=False,
        help_text="Une personne qui a un compte et un rôle sur ce contrat.",
    )
    person_name = form_field(
        BodyMember, "person_name", label="Ou par une personne sans compte (nom et fonction)", required=False
    )
    person_email = form_field(
        BodyMember, "person_email", label="Adresse électronique de cette personne", required=False
    )
    enlarged_only = forms.BooleanField(
        label="En formation élargie seulement",
        required=False,
        help_text="Pour une instance qui se réunit en formation restreinte et élargie : ce siège n'est invité "
        "qu'aux séances en formation élargie.",
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_for_seats(contract=contract)
        self.fields["user"].queryset = contract_users(contract=contract)


class SuggestionAddForm(Form):
    """The one-click « Ajouter » of a suggested organisation (hidden field, checked against the suggestions)."""

    organization = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=BIGGEST_ID)
