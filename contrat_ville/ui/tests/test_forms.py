"""The form base: the pairs of fields that may not go backwards (``Form.in_order``) and the date widget."""

from datetime import date

from django import forms

from contrat_ville.ui.forms import DateInput, Form, InOrder


class PeriodForm(Form):
    start = forms.DateField(required=False, widget=DateInput())
    end = forms.DateField(required=False, widget=DateInput())
    baseline = forms.IntegerField(required=False)
    target = forms.IntegerField(required=False)

    in_order = (
        InOrder("start", "end", "La fin ne peut pas précéder le début."),
        InOrder("baseline", "target", "L'année cible ({then}) suit l'année de référence ({first})."),
    )


def test_fields_in_order_pass() -> None:
    form = PeriodForm({"start": "2025-01-01", "end": "2025-01-01", "baseline": "2020", "target": "2030"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["end"] == date(2025, 1, 1)


def test_a_missing_field_is_not_out_of_order() -> None:
    assert PeriodForm({"end": "2025-01-01", "baseline": "2020"}).is_valid()


def test_fields_out_of_order_put_the_message_on_the_second() -> None:
    form = PeriodForm({"start": "2025-02-01", "end": "2025-01-01", "baseline": "2030", "target": "2020"})
    assert not form.is_valid()
    assert form.errors == {
        "end": ["La fin ne peut pas précéder le début."],
        "target": ["L'année cible (2020) suit l'année de référence (2030)."],
    }


def test_the_date_widget_is_the_browser_date_picker() -> None:
    html = PeriodForm(initial={"start": date(2025, 3, 4)})["start"].as_widget()
    assert 'type="date"' in html and 'value="2025-03-04"' in html
