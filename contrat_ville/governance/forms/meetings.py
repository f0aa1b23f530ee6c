"""Forms of the meeting pages: they shape the input; the rules live in ``services.meetings``."""

from __future__ import annotations

from typing import Any

from django import forms

from contrat_ville.core.attachments import ACCEPTED_TEXT
from contrat_ville.core.bounds import form_field, validate_plausible_date
from contrat_ville.governance.enums import AttendanceStatus
from contrat_ville.governance.models import Attendance, Meeting
from contrat_ville.ui.forms import Form

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def agenda_from_text(text: str) -> list[tuple[str, str]]:
    """One agenda item per non-empty line."""
    return [(line.strip(), "") for line in text.splitlines() if line.strip()]


class MeetingForm(Form):
    title = form_field(Meeting, "title", label="Intitulé")
    purpose = form_field(
        Meeting,
        "purpose",
        label="Objet de la séance",
        required=False,
        help_text="Facultatif : installation, validation, suivi annuel, évaluation…",
    )
    formation = form_field(
        Meeting,
        "formation",
        label="Formation",
        required=False,
        help_text="Vide : tous les membres sont invités ; restreinte : sans les sièges de la seule formation élargie.",
    )
    starts_at = forms.DateTimeField(
        label="Début",
        widget=DateTimeLocalInput(),
        input_formats=DATETIME_INPUT_FORMATS,
        help_text="Date et heure.",
        validators=[validate_plausible_date],
    )
    ends_at = forms.DateTimeField(
        label="Fin",
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=DATETIME_INPUT_FORMATS,
        validators=[validate_plausible_date],
    )
    location = form_field(
        Meeting,
        "location",
        label="Lieu",
        required=False,
        help_text="Un lieu ou un lien de visioconférence, ou les deux.",
    )
    video_url = form_field(
        Meeting,
        "video_url",
        label="Lien de visioconférence",
        required=False,
        assume_scheme="https",
        help_text="Adresse commençant par https://",
    )
    agenda = forms.CharField(
        label="Ordre du jour", required=False, widget=forms.Textarea(attrs={"rows": 6}), help_text="Un point par ligne"
    )

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict[str, Any]:
        return cls.initial_from(meeting, agenda="\n".join(item.title for item in meeting.agenda_items.all()))

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "purpose": data.get("purpose", ""),
            "formation": data.get("formation", ""),
            "starts_at": data["starts_at"],
            "ends_at": data.get("ends_at"),
            "location": data.get("location", ""),
            "video_url": data.get("video_url", ""),
            "agenda": agenda_from_text(data.get("agenda", "")),
        }


class AttendanceForm(Form):
    """One presence select and one « représenté par » field per invited seat (fields built from the invitations)."""

    def __init__(self, *args: Any, attendances: list[Attendance], **kwargs: Any) -> None:
        self.attendances = attendances
        fields: dict[str, forms.Field] = {}
        initial = kwargs.pop("initial", None) or {}
        for attendance in attendances:
            member = str(attendance.member)
            fields[f"status_{attendance.member_id}"] = forms.ChoiceField(
                label=f"Présence — {member}", choices=AttendanceStatus.choices
            )
            fields[f"represented_by_{attendance.member_id}"] = forms.CharField(
                label=f"Représenté par — {member}",
                required=False,
                max_length=255,
                help_text="Seulement si la présence est « représenté ».",
            )
            initial.setdefault(f"status_{attendance.member_id}", attendance.status)
            initial.setdefault(f"represented_by_{attendance.member_id}", attendance.represented_by)
        # Declared before the base class builds ``self.fields``, so that the DSFR classes apply to them too.
        self.base_fields = fields
        super().__init__(*args, initial=initial, **kwargs)

    def entries(self) -> dict[int, tuple[str, str]]:
        return {
            attendance.member_id: (
                self.cleaned_data[f"status_{attendance.member_id}"],
                self.cleaned_data.get(f"represented_by_{attendance.member_id}", ""),
            )
            for attendance in self.attendances
        }


class MinutesForm(Form):
    minutes = forms.CharField(
        label="Compte rendu",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=(
            "HTML simple (paragraphes, titres h2 à h4, listes, gras, italique, liens, tableaux) ou texte brut : "
            "chaque ligne devient alors un paragraphe. Tout autre balisage est retiré."
        ),
    )
    publish = forms.BooleanField(label="Publier le compte rendu", required=False)


class AttachmentForm(Form):
    title = forms.CharField(label="Titre", max_length=255, required=False, help_text="Par défaut, le nom du fichier.")
    file = forms.FileField(
        label="Fichier",
        help_text=ACCEPTED_TEXT,
    )
