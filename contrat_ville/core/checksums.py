def luhn_is_valid(digits: str) -> bool:
    """Luhn checksum, which every SIREN passes (data-formats.md §4.2)."""
    if not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0
