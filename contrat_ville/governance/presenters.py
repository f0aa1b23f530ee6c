"""What the pages of the apps above show of governance: the link that records a decision on one of their objects."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Model
from django.urls import reverse

from contrat_ville.contracts.models import Contract
from contrat_ville.governance.selectors.decisions import target_value

# « ?cible=app.model:id » preselects the object of the decision form: a stake or a plan page sends the user there.
DECISION_TARGET_PARAM = "cible"


def decision_form_url(contract: Contract, meeting_id: int, target: Model) -> str:
    """The form recording a decision in the meeting ``meeting_id``, with ``target`` already chosen as its object."""
    form_url = reverse("governance:decision_create", kwargs={"contract_slug": contract.slug, "meeting_id": meeting_id})
    return f"{form_url}?{urlencode({DECISION_TARGET_PARAM: target_value(target)})}"
