"""The form that asks for a generated document (issue 12 §4)."""

from __future__ import annotations

from typing import Any

from django import forms

from contrat_ville.reporting.document_selectors import KindRow
from contrat_ville.ui.forms import Form


class DocumentRequestForm(Form):
    """A kind of document, and for a yearly kind the year of one of the contract's action plans."""

    kind = forms.ChoiceField(label="Document", widget=forms.HiddenInput)
    year = forms.TypedChoiceField(label="Année", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, rows: list[KindRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(row.kind.key, row.kind.label) for row in rows]
        years = sorted({year for row in rows for year in row.years}, reverse=True)
        self.fields["year"].choices = [("", "—"), *((year, str(year)) for year in years)]
