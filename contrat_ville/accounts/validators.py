import re

from django.core.exceptions import ValidationError

from contrat_ville.core.checksums import luhn_is_valid

__all__ = [
    "luhn_is_valid",
    "validate_departement_code",
    "validate_region_code",
    "validate_rna",
    "validate_siren",
    "validate_siret",
]


def _refuse_unless(valid: bool, message: str, value: str) -> None:
    """The French error every validator raises, naming the value it was given (``%(value)s``)."""
    if not valid:
        raise ValidationError(message, params={"value": value})


def validate_siren(value: str) -> None:
    _refuse_unless(
        len(value) == 9 and value.isdigit(), "Un SIREN compte exactement 9 chiffres (reçu « %(value)s »).", value
    )
    _refuse_unless(luhn_is_valid(value), "Le SIREN « %(value)s » n'est pas valide (clé de contrôle erronée).", value)


def validate_siret(value: str) -> None:
    """A SIRET: the SIREN and the establishment's five-digit NIC, 14 digits with a Luhn key (La Poste's
    establishments excepted: their SIRET starts with 356000000 and sums to a multiple of 5)."""
    _refuse_unless(
        len(value) == 14 and value.isdigit(), "Un SIRET compte exactement 14 chiffres (reçu « %(value)s »).", value
    )
    la_poste = value.startswith("356000000") and sum(int(digit) for digit in value) % 5 == 0
    _refuse_unless(
        luhn_is_valid(value) or la_poste, "Le SIRET « %(value)s » n'est pas valide (clé de contrôle erronée).", value
    )


RNA_RE = re.compile(r"^W\d{9}$")


def validate_rna(value: str) -> None:
    """The number of an association in the Répertoire national des associations: « W » and nine digits."""
    _refuse_unless(
        bool(RNA_RE.match(value)), "Un numéro RNA s'écrit « W » suivi de 9 chiffres (reçu « %(value)s »).", value
    )


DEPARTEMENT_CODE_RE = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-8]|98[4-9])$")


def validate_departement_code(value: str) -> None:
    """An official département code: 01 to 95, 2A, 2B, or an overseas code (971 to 978, 984 to 989)."""
    _refuse_unless(
        bool(DEPARTEMENT_CODE_RE.match(value)),
        "« %(value)s » n'est pas un code de département (01 à 95, 2A, 2B, 971 à 978…).",
        value,
    )


REGION_CODE_RE = re.compile(r"^\d{2}$")


def validate_region_code(value: str) -> None:
    """An official region code of the COG: two digits (« 76 » for Occitanie, « 01 » for Guadeloupe)."""
    _refuse_unless(
        bool(REGION_CODE_RE.match(value)),
        "« %(value)s » n'est pas un code de région (deux chiffres : 76, 84…).",
        value,
    )
