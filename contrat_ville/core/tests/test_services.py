"""The write helpers every app's services share."""

import pytest

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.services import required_text


def test_required_text_strips_the_value() -> None:
    assert required_text("  Comité  ", "L'intitulé est obligatoire.", field="title") == "Comité"


@pytest.mark.parametrize("value", ["", "   ", None])
def test_required_text_refuses_an_empty_value_on_its_field(value: str | None) -> None:
    with pytest.raises(BusinessRuleError) as refused:
        required_text(value, "L'intitulé est obligatoire.", field="title")
    assert refused.value.message == "L'intitulé est obligatoire."
    assert refused.value.field == "title"
