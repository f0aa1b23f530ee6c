from django.core.exceptions import ValidationError

from contrat_ville.core.checksums import luhn_is_valid

__all__ = ["luhn_is_valid", "validate_siren"]


def validate_siren(value: str) -> None:
    if len(value) != 9 or not value.isdigit():
        raise ValidationError("Un SIREN compte exactement 9 chiffres (reçu « %(value)s »).", params={"value": value})
    if not luhn_is_valid(value):
        raise ValidationError(
            "Le SIREN « %(value)s » n'est pas valide (clé de contrôle erronée).", params={"value": value}
        )
