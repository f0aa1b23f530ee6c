"""Form base classes: every form of the platform derives from these (checked by a convention test).

They carry the DSFR rendering, so that Python outside ``ui`` never imports ``dsfr``.
"""

from typing import Any

from django import forms
from dsfr.forms import DsfrBaseForm, DsfrBoundField
from dsfr.utils import dsfr_input_class_attr


class Form(DsfrBaseForm):
    """A DSFR form. Optional fields are marked, as the DSFR now recommends."""

    def get_context(self) -> dict[str, Any]:
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


class ModelForm(forms.ModelForm):
    """A DSFR model form, with the same rendering as ``Form``."""

    template_name = "dsfr/form_snippet.html"
    bound_field_class = DsfrBoundField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def get_context(self) -> dict[str, Any]:
        context = super().get_context()
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context
