"""Models of the reporting app; each area keeps its own module, imported here so that Django finds them."""

from contrat_ville.reporting.evaluations.models import Evaluation, EvaluativeQuestion

__all__ = ["Evaluation", "EvaluativeQuestion"]
