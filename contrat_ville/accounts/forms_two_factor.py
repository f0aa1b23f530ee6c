"""The one form of the second factor: the 6-digit code of an authenticator app (enrolment, sign-in, removal)."""

import re

from django import forms

from contrat_ville.ui.forms import Form

CODE_PATTERN = re.compile(r"^\d{6}$")


class TwoFactorCodeForm(Form):
    code = forms.CharField(
        label="Code à 6 chiffres",
        max_length=20,
        help_text="Le code que votre application d'authentification affiche en ce moment.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"required": "Saisissez le code à 6 chiffres de votre application."},
    )

    def clean_code(self) -> str:
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError("Le code compte exactement 6 chiffres.")
        return code
