"""Forms of the annual report's pages; the services check the procedure's rules (one month at least, approval
after the deadline…) and their refusals come back on the fields."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from contrat_ville.accounts.models import Organization
from contrat_ville.core.attachments import ACCEPTED_TEXT
from contrat_ville.core.bounds import form_field, validate_plausible_date
from contrat_ville.reporting.enums import MunicipalOpinion
from contrat_ville.reporting.models import AnnualReport, DsuLine
from contrat_ville.territories.models import Territory
from contrat_ville.ui.forms import DateInput, Form

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _date(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=DateInput(), input_formats=DATE_FORMATS, validators=[validate_plausible_date], **kwargs
    )


class TerritoryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class CouncilChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class AnnualReportCreateForm(Form):
    year = form_field(
        AnnualReport,
        "year",
        label="Année retracée",
        help_text="Le rapport retrace les actions de l'année écoulée.",
    )


class AnnualReportTextsForm(Form):
    introduction = form_field(AnnualReport, "introduction", widget=forms.Textarea(attrs={"rows": 6}))
    situation_comment = form_field(AnnualReport, "situation_comment", widget=forms.Textarea(attrs={"rows": 6}))
    perspectives = form_field(AnnualReport, "perspectives", widget=forms.Textarea(attrs={"rows": 8}))
    renewal_text = form_field(AnnualReport, "renewal_text", widget=forms.Textarea(attrs={"rows": 5}))


class DsuLineForm(Form):
    commune = CommuneChoiceField(label="Commune", queryset=Territory.objects.none())
    amount = form_field(DsuLine, "amount", label="Montant de la DSU perçue (€)")
    actions = form_field(
        DsuLine,
        "actions",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Les actions de développement social urbain conduites sur le territoire de la commune.",
    )

    def __init__(self, *args: Any, communes: list[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Territory.objects.filter(
            pk__in=[commune.pk for commune in communes]
        ).order_by("name")


class AnnualReportSubmitForm(Form):
    sent_on = _date("Transmis pour avis le")
    deadline = _date(
        "Date limite des avis",
        help_text="Au moins un mois après la transmission (décret n° 2015-1118). Sans réponse à cette date, l'avis "
        "est réputé favorable.",
    )
    communes = TerritoryChoiceField(
        label="Conseils municipaux consultés",
        queryset=Territory.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    councils = CouncilChoiceField(
        label="Conseils citoyens consultés",
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Ils donnent leur avis sur la plateforme ; l'avis attendu apparaît dans « Ce qui vous attend ».",
    )
    message = forms.CharField(
        label="Message aux conseils citoyens", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, communes: list[Territory], councils: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = Territory.objects.filter(pk__in=[item.pk for item in communes]).order_by(
            "name"
        )
        self.fields["councils"].queryset = councils
        if not self.is_bound:
            today = timezone.localdate()
            self.fields["sent_on"].initial = today
            self.fields["deadline"].initial = today + datetime.timedelta(days=35)
            self.fields["communes"].initial = [item.pk for item in communes]
            self.fields["councils"].initial = [council.pk for council in councils]


class MunicipalOpinionForm(Form):
    deliberated_on = _date("Délibération du")
    opinion = forms.ChoiceField(label="Avis", choices=MunicipalOpinion.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label="Observations",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Obligatoire avec des réserves ou un avis défavorable.",
    )
    file = forms.FileField(label="Délibération (fichier)", required=False, help_text=ACCEPTED_TEXT)


class AnnualReportApproveForm(Form):
    approved_on = _date("Délibération du conseil communautaire du")
    follow_up = forms.CharField(
        label="Suites données aux observations",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Ce que le conseil communautaire retient des avis des conseils municipaux et des conseils citoyens.",
    )
