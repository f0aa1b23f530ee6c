"""The form base: the pairs of fields that may not go backwards (``Form.in_order``), the initial values of the
form that edits a row (``Form.initial_from``) and the date widget."""

from datetime import date

import pytest
from django import forms
from django.contrib.auth.models import Group, Permission

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


class GroupForm(Form):
    name = forms.CharField()
    permissions = forms.ModelMultipleChoiceField(queryset=Permission.objects.all(), required=False)
    note = forms.CharField(required=False)


class PermissionForm(Form):
    name = forms.CharField()
    content_type = forms.ModelChoiceField(queryset=Permission.objects.none())


@pytest.mark.django_db
def test_initial_from_reads_the_row_fields_of_the_form() -> None:
    group = Group.objects.create(name="Pilotes")
    permissions = list(Permission.objects.order_by("pk")[:2])
    group.permissions.set(permissions)
    # A many-to-many field by the ids of its rows; a field the row does not have is left out, ``others`` added.
    initial = GroupForm.initial_from(group, note="À revoir")
    assert initial == {"name": "Pilotes", "permissions": initial["permissions"], "note": "À revoir"}
    assert sorted(initial["permissions"]) == [permission.pk for permission in permissions]
    # A foreign key by its id.
    permission = permissions[0]
    assert PermissionForm.initial_from(permission) == {
        "name": permission.name,
        "content_type": permission.content_type_id,
    }
