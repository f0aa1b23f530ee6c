"""Input and output shapes of the participation API (django-ninja)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class CouncilRefOut(Schema):
    id: int
    name: str


class OpinionOut(Schema):
    id: int
    council: CouncilRefOut
    author: str | None = Field(description="Nom du membre du conseil citoyen qui a donné l'avis.")
    verdict: str = Field(description="agree, agree_with_reservations ou disagree.")
    verdict_label: str
    text: str
    target_type: str = Field(description="Type de l'objet jugé (« diagnostic.stakeversion »…).")
    target_id: int
    target_label: str
    target_version: int | None = Field(description="Numéro de la version jugée, quand l'objet est une version.")
    created_at: datetime
    updated_at: datetime
