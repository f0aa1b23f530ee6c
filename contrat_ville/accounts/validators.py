from django.core.exceptions import ValidationError


def luhn_is_valid(digits: str) -> bool:
    """Luhn checksum, which every SIREN passes (data-formats.md §4.2)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_siren(value: str) -> None:
    if len(value) != 9 or not value.isdigit():
        raise ValidationError("Un SIREN compte exactement 9 chiffres (reçu « %(value)s »).", params={"value": value})
    if not luhn_is_valid(value):
        raise ValidationError(
            "Le SIREN « %(value)s » n'est pas valide (clé de contrôle erronée).", params={"value": value}
        )
