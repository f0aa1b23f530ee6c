from django.db import models


class DocumentKind(models.TextChoices):
    """What a resource centre publishes (domain.md §8.2)."""

    CAPITALISATION = "capitalisation", "document de capitalisation"
    DOSSIER = "dossier", "dossier thématique"
    LEGAL_TEXT = "legal_text", "texte officiel"
    GUIDE = "guide", "guide méthodologique"
    FICHE = "fiche", "fiche pratique"
    FRAMING_TEXT = "framing_text", "texte de cadrage"
    COMPILATION = "compilation", "recueil"
    EVALUATION = "evaluation", "évaluation"
    REFERENCE_FRAME = "reference_frame", "cadre de référence"
    EVENT_MATERIAL = "event_material", "supports d'une journée"
    LOCAL_EXAMPLE = "local_example", "exemple local"
