"""Forms of a contract's space: opening it, completing it, its territories and the terms of its structure.

They check what a form can check (required fields, lengths, dates); the rules of the contract live in
``services`` and come back to the form as its errors.
"""

from __future__ import annotations

from typing import Any

from django import forms

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.enums import (
    CONTRACT_TRANSITIONS,
    AreaKind,
    ContractStatus,
    Generation,
    Role,
    SignatoryKind,
)
from contrat_ville.contracts.generations import GENERATION_DEFAULTS
from contrat_ville.contracts.models import Contract, Pillar, Signatory, TransversalAxis
from contrat_ville.contracts.selectors import contract_territories_served, organizations_of_contract
from contrat_ville.contracts.services import AmendmentChanges
from contrat_ville.core.bounds import form_field
from contrat_ville.core.imports.limits import size_text
from contrat_ville.core.uploads import IMPORT, clean_upload
from contrat_ville.territories.models import Territory
from contrat_ville.territories.selectors import communes_of_epci, epci_search, qpvs_in_epci
from contrat_ville.territories.services import TERRITORY_FILES
from contrat_ville.ui.forms import DateInput, Form

EPCI_CHOICES_SHOWN = 6


def _date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


class ContractOpenForm(Form):
    """Open a contract's space: the intercommunality is found by its name or its SIREN."""

    name = forms.CharField(
        label="Intitulé du contrat", max_length=255, help_text="Par exemple « Contrat de ville de … »."
    )
    epci_query = forms.CharField(
        label="Intercommunalité (EPCI)",
        max_length=120,
        help_text="Son nom ou son numéro SIREN (9 chiffres), tel que l'Insee le publie.",
    )
    generation = forms.ChoiceField(label="Génération du contrat", choices=Generation.choices, initial=Generation.G2024)
    start_on = _date_field(
        "Début", required=False, help_text="Laissé vide : le début de la génération (1er janvier 2024 ou 2015)."
    )
    end_on = _date_field("Fin", required=False, help_text="Laissée vide : la fin de la génération.")
    anct_code = forms.CharField(
        label="Code du contrat (ANCT)",
        max_length=Contract._meta.get_field("anct_code").max_length,
        required=False,
    )

    def clean_epci_query(self) -> Territory:
        query = self.cleaned_data["epci_query"].strip()
        found = epci_search(query, limit=EPCI_CHOICES_SHOWN + 1)
        exact = [epci for epci in found if query in (epci.code, epci.siren) or epci.name.lower() == query.lower()]
        if len(exact) == 1:
            return exact[0]
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(
                "Aucune intercommunalité ne correspond. Vérifiez le nom ou le SIREN ; si elle manque, "
                "un administrateur importe d'abord le fichier des EPCI de l'Insee."
            )
        listed = ", ".join(f"{epci.name} ({epci.code})" for epci in found[:EPCI_CHOICES_SHOWN])
        more = " et d'autres" if len(found) > EPCI_CHOICES_SHOWN else ""
        raise forms.ValidationError(f"Plusieurs intercommunalités correspondent : {listed}{more}. Précisez le SIREN.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        epci = data.pop("epci_query", None)
        if epci is not None:
            data["epci"] = epci
        return data


class ContractSettingsForm(Form):
    """What the pilot completes: presentation, period, codes and the names of the levels of the strategic tree."""

    name = forms.CharField(label="Intitulé du contrat", max_length=255)
    summary = forms.CharField(label="Présentation", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    start_on = _date_field("Début")
    end_on = _date_field("Fin")
    anct_code = forms.CharField(
        label="Code du contrat (ANCT)", max_length=Contract._meta.get_field("anct_code").max_length, required=False
    )
    framework_agreement_on = _date_field(
        "Protocole ou accord-cadre signé le",
        required=False,
        help_text="Date du document qui engage la démarche avant le contrat, s'il existe.",
    )
    pillar_term = forms.CharField(
        label="Nom du premier niveau",
        max_length=60,
        help_text="« pilier », « défi », « axe prioritaire »… : le mot du contrat.",
    )
    pillar_term_plural = forms.CharField(label="Nom du premier niveau au pluriel", max_length=60)
    orientation_term = forms.CharField(label="Nom des orientations", max_length=60)
    objective_term = forms.CharField(
        label="Nom des objectifs", max_length=60, help_text="« objectif opérationnel », « fiche action »…"
    )
    action_term = forms.CharField(label="Nom des actions", max_length=60)
    requires_two_factor = forms.BooleanField(
        label="Exiger la double authentification des membres",
        required=False,
        help_text="Chaque membre confirme sa connexion par le code d'une application d'authentification avant "
        "d'ouvrir les pages privées du contrat ; ses pages publiques restent ouvertes à tous.",
    )

    @classmethod
    def initial_of(cls, contract: Contract) -> dict[str, Any]:
        return {name: getattr(contract, name) for name in cls.base_fields}


class ContractStatusForm(Form):
    """Move the contract to the next step of its life; signing has its own form (date and signatories)."""

    status = forms.ChoiceField(label="Nouvel état")
    comment = forms.CharField(label="Commentaire", max_length=500, required=False)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ContractStatus.choices)
        allowed = CONTRACT_TRANSITIONS.get(contract.status, frozenset())
        self.fields["status"].choices = [
            (status, labels[status])
            for status in ContractStatus.values
            if status in allowed and status != ContractStatus.SIGNED
        ]


class CheckboxesChoiceField(forms.ModelMultipleChoiceField):
    """Rows as checkboxes, each as it names itself: a territory « name (official code) », a term its label."""

    widget = forms.CheckboxSelectMultiple


class ContractTerritoriesForm(Form):
    """The QPVs of the contract's generation inside its EPCI, and the communes concerned."""

    qpvs = CheckboxesChoiceField(
        label="Quartiers prioritaires du contrat", queryset=Territory.objects.none(), required=False
    )
    communes = CheckboxesChoiceField(
        label="Communes concernées",
        queryset=Territory.objects.none(),
        required=False,
        help_text="Les communes de l'intercommunalité qui signent le contrat.",
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vintage = GENERATION_DEFAULTS[contract.generation].qpv_vintage
        qpvs = self.fields["qpvs"]
        communes = self.fields["communes"]
        assert isinstance(qpvs, forms.ModelMultipleChoiceField)
        assert isinstance(communes, forms.ModelMultipleChoiceField)
        qpvs.queryset = qpvs_in_epci(epci=contract.epci, vintage=vintage)
        qpvs.help_text = f"Quartiers de la géographie prioritaire {vintage} situés dans l'intercommunalité."
        communes.queryset = communes_of_epci(epci=contract.epci)


class TermForm(Form):
    """A pillar (or the contract's own first level) or a transversal axis."""

    label = forms.CharField(label="Libellé", max_length=Pillar._meta.get_field("label").max_length)
    slogan = forms.CharField(
        label="Accroche",
        max_length=Pillar._meta.get_field("slogan").max_length,
        required=False,
        help_text="Une formule courte, quand le contrat en donne une.",
    )
    objective = forms.CharField(
        label="Objectif", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class InvitationForm(Form):
    """Invite someone by e-mail with a role; the organisation they act for is optional, and one of the contract's
    (``selectors.organizations_of_contract``: its département's, its signatories'… or one created on its
    organisations page)."""

    email = forms.EmailField(label="Adresse électronique", max_length=254)
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    role = forms.ChoiceField(label="Rôle sur le contrat", choices=Role.choices)
    organization = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organization.objects.order_by("name"),
        required=False,
        help_text="Celle pour laquelle la personne agit : l'État, une commune, un partenaire, un conseil citoyen… "
        "Si elle manque, créez-la d'abord dans les organisations du contrat.",
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        assert isinstance(organization, forms.ModelChoiceField)
        organization.queryset = organizations_of_contract(contract=contract)


class MemberRoleForm(Form):
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)


class InvitationAcceptForm(Form):
    """A new account for the invited address: name and password (the platform's password rules apply)."""

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password = forms.CharField(
        label="Mot de passe",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
        help_text="Au moins 12 caractères, pas uniquement des chiffres, différent de votre nom et de votre adresse.",
    )
    password_confirmation = forms.CharField(
        label="Confirmation du mot de passe",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_confirmation"):
            self.add_error("password_confirmation", "Les deux mots de passe ne sont pas identiques.")
        data.pop("password_confirmation", None)
        return data


class SignatoryForm(Form):
    """An organisation that signs the contract, and in which capacity (loi 2014-173 art. 6 I)."""

    organization = forms.ModelChoiceField(label="Organisation", queryset=Organization.objects.order_by("name"))
    kind = forms.ChoiceField(label="Qualité", choices=SignatoryKind.choices)


class SignatureForm(Form):
    """The signature of the contract: its date, and who signed for each signatory (name and office)."""

    signed_on = _date_field("Date de signature")

    def __init__(self, *args: Any, signatories: list[Signatory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signatories = signatories
        for signatory in signatories:
            self.fields[f"signed_by_{signatory.pk}"] = forms.CharField(
                label=f"Pour {signatory.organization} ({signatory.get_kind_display()})",
                max_length=255,
                required=False,
                help_text="Nom et fonction de la personne qui a signé ; laissé vide, la signature manque.",
                initial=signatory.signed_by,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        signatures = {
            signatory.pk: (data[f"signed_by_{signatory.pk}"], None)
            for signatory in self.signatories
            if data.get(f"signed_by_{signatory.pk}", "").strip()
        }
        if self.signatories and not signatures:
            raise forms.ValidationError("Indiquez qui a signé pour au moins un signataire.")
        return {"signed_on": data.get("signed_on"), "signatures": signatures}


def _lines(text: str) -> list[tuple[str, str]]:
    """One new term per line: « libellé » (the objective is written later, on the structure page)."""
    return [(line.strip(), "") for line in text.splitlines() if line.strip()]


def _lines_field(label: str, help_text: str) -> forms.CharField:
    """Optional text of one label per line (the terms an avenant adds)."""
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=help_text, max_length=2000
    )


class AmendmentForm(Form):
    """An avenant: its object, date, and what it changes (all optional but one)."""

    title = forms.CharField(label="Objet de l'avenant", max_length=255)
    signed_on = _date_field("Signé le")
    description = forms.CharField(label="Présentation", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    new_end_on = _date_field("Nouvelle date de fin du contrat", required=False, help_text="Pour une prorogation.")
    pillars_added = _lines_field(
        "Niveaux ajoutés", "Un libellé par ligne (par exemple « Valeurs de la République et citoyenneté »)."
    )
    pillars_archived = CheckboxesChoiceField(label="Niveaux retirés", queryset=Pillar.objects.none(), required=False)
    axes_added = _lines_field("Axes transversaux ajoutés", "Un libellé par ligne.")
    axes_archived = CheckboxesChoiceField(
        label="Axes transversaux retirés", queryset=TransversalAxis.objects.none(), required=False
    )
    qpvs_added = CheckboxesChoiceField(
        label="Quartiers prioritaires ajoutés", queryset=Territory.objects.none(), required=False
    )
    qpvs_removed = CheckboxesChoiceField(
        label="Quartiers prioritaires retirés", queryset=Territory.objects.none(), required=False
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        term = contract.pillar_term_plural
        # The DSFR form has already bound its fields: the label is changed on both.
        for name, label in (("pillars_added", "ajoutés"), ("pillars_archived", "retirés")):
            self.fields[name].label = self[name].label = f"{term.capitalize()} {label}"
        current_qpvs = contract.qpvs.all()
        vintage = GENERATION_DEFAULTS[contract.generation].qpv_vintage
        fields = self.fields
        for name, queryset in (
            ("pillars_archived", Pillar.objects.filter(contract=contract).current()),
            ("axes_archived", TransversalAxis.objects.filter(contract=contract).current()),
            ("qpvs_added", qpvs_in_epci(epci=contract.epci, vintage=vintage).exclude(pk__in=current_qpvs)),
            ("qpvs_removed", current_qpvs.order_by("code")),
        ):
            field = fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        changes = AmendmentChanges(
            new_end_on=data.get("new_end_on"),
            pillars_added=_lines(data.get("pillars_added", "")),
            pillars_archived=list(data.get("pillars_archived") or []),
            axes_added=_lines(data.get("axes_added", "")),
            axes_archived=list(data.get("axes_archived") or []),
            qpvs_added=list(data.get("qpvs_added") or []),
            qpvs_removed=list(data.get("qpvs_removed") or []),
        )
        return {
            "title": data.get("title"),
            "signed_on": data.get("signed_on"),
            "description": data.get("description", ""),
            "changes": changes,
        }


class StructureDateForm(Form):
    day = forms.DateField(label="Date", widget=DateInput())


class AreaForm(Form):
    """A perimeter beside the QPVs: its kind, name, description, the QPV it is tied to, its GeoJSON outline."""

    kind = forms.ChoiceField(label="Nature", choices=AreaKind.choices)
    name = forms.CharField(label="Nom", max_length=255)
    description = forms.CharField(
        label="Périmètre",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Rues, îlots, IRIS… : le périmètre en mots.",
    )
    qpv = forms.ModelChoiceField(
        label="Quartier prioritaire associé", queryset=Territory.objects.none(), required=False
    )
    geometry = forms.CharField(
        label="Contour (GeoJSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Facultatif : une géométrie Polygon ou MultiPolygon en WGS84, par exemple exportée d'un SIG.",
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qpv = self.fields["qpv"]
        assert isinstance(qpv, forms.ModelChoiceField)
        qpv.queryset = contract.qpvs.order_by("code")


class OrganizationForm(Form):
    """An organisation of the contract: who it is (name, acronym, kind, SIREN, SIRET, RNA, département, former
    names) and the contract's territories it serves."""

    name = form_field(Organization, "name", label="Nom")
    acronym = form_field(Organization, "acronym", label="Sigle", required=False)
    kind = form_field(Organization, "kind", label="Nature")
    siren = form_field(
        Organization, "siren", label="SIREN", required=False, help_text="9 chiffres, pour une personne morale."
    )
    siret = form_field(
        Organization,
        "siret",
        label="SIRET",
        required=False,
        help_text="14 chiffres : l'établissement qui attribue ou reçoit des subventions (données ouvertes).",
    )
    rna = form_field(
        Organization, "rna", label="Numéro RNA", required=False, help_text="Pour une association : W et 9 chiffres."
    )
    departement_code = form_field(Organization, "departement_code", label="Département", required=False)
    former_names = form_field(
        Organization,
        "former_names",
        label="Anciennes dénominations",
        required=False,
        help_text="Par exemple « DDCS » pour la DDETS, « Pôle emploi » pour France Travail.",
    )
    served_territories = CheckboxesChoiceField(
        label="Territoires du contrat où elle intervient", queryset=Territory.objects.none(), required=False
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        served = self.fields["served_territories"]
        assert isinstance(served, forms.ModelMultipleChoiceField)
        served.queryset = contract_territories_served(contract=contract)

    @classmethod
    def initial_of(cls, organization: Organization, served: list[Territory]) -> dict[str, Any]:
        initial = {name: getattr(organization, name) for name in cls.base_fields if name != "served_territories"}
        return {**initial, "served_territories": [territory.pk for territory in served]}


class OrganizationSearchForm(Form):
    q = forms.CharField(
        label="Rechercher une organisation",
        required=False,
        max_length=120,
        help_text="Son nom, son sigle, une ancienne dénomination ou son SIREN.",
    )


class TerritoryImportForm(Form):
    """The upload of an official territory file by an administrator (issue 10 §3)."""

    kind = forms.ChoiceField(
        label="Fichier officiel",
        choices=[(file.key, f"{file.label} — {file.formats}") for file in TERRITORY_FILES.values()],
        help_text="Dans l'ordre pour un premier chargement : régions, départements, communes, intercommunalités, "
        "IRIS, quartiers prioritaires.",
    )
    file = forms.FileField(
        label="Fichier",
        help_text=f"{size_text(IMPORT.max_bytes)} au plus ; au-delà, un administrateur système utilise la "
        "commande d'import. Un fichier en erreur n'enregistre rien.",
    )
    vintage = forms.CharField(
        label="Millésime",
        required=False,
        max_length=4,
        help_text="L'année du COG ou des contours (2026…) ; pour le classeur des intercommunalités, laissé vide, "
        "celle de « Géographie au 01/01/AAAA ».",
    )
    generation = forms.ChoiceField(
        label="Génération des quartiers prioritaires",
        required=False,
        choices=[("", "—"), ("2024", "2024 (codes QN…)"), ("2015", "2015 (codes QP…)")],
    )

    def clean_file(self) -> Any:
        return clean_upload(
            self.cleaned_data["file"], extensions=("csv", "txt", "xlsx", "json", "geojson", "gpkg", "zip")
        )

    def clean_vintage(self) -> str:
        vintage = str(self.cleaned_data["vintage"]).strip()
        if vintage and not (vintage.isdigit() and len(vintage) == 4):
            raise forms.ValidationError("Le millésime est une année sur quatre chiffres, par exemple 2026.")
        return vintage
