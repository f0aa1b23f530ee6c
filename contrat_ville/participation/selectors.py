"""Reads of the participation app: the opinions of the conseils citoyens, whatever they judge.

Generic on purpose (design.md §2): a higher app passes its own objects (stake versions, orientations…) and gets
their opinions back in one query; this module never imports it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from contrat_ville.contracts.models import Contract
from contrat_ville.core.lookups import filter_given
from contrat_ville.participation.enums import OpinionVerdict
from contrat_ville.participation.models import Opinion


@dataclass(frozen=True)
class OpinionSummary:
    """How many opinions of each verdict (for lists and the synthesis)."""

    agree: int = 0
    agree_with_reservations: int = 0
    disagree: int = 0

    @property
    def total(self) -> int:
        return self.agree + self.agree_with_reservations + self.disagree

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        """(verdict, French label, count) in the verdicts' order, for templates."""
        return [
            (OpinionVerdict.AGREE.value, OpinionVerdict.AGREE.label, self.agree),
            (
                OpinionVerdict.AGREE_WITH_RESERVATIONS.value,
                OpinionVerdict.AGREE_WITH_RESERVATIONS.label,
                self.agree_with_reservations,
            ),
            (OpinionVerdict.DISAGREE.value, OpinionVerdict.DISAGREE.label, self.disagree),
        ]

    @property
    def text(self) -> str:
        """« 2 d'accord · 1 pas d'accord », or « aucun avis »."""
        parts = [f"{count} {label}" for _, label, count in self.rows if count]
        return " · ".join(parts) if parts else "aucun avis"


def opinion_summary(opinions: Iterable[Opinion]) -> OpinionSummary:
    """Counts per verdict of ``opinions`` (no query: pass opinions already loaded)."""
    counts: dict[str, int] = defaultdict(int)
    for opinion in opinions:
        counts[opinion.verdict] += 1
    return OpinionSummary(
        agree=counts[OpinionVerdict.AGREE],
        agree_with_reservations=counts[OpinionVerdict.AGREE_WITH_RESERVATIONS],
        disagree=counts[OpinionVerdict.DISAGREE],
    )


def _opinions_with_people() -> QuerySet[Opinion]:
    return Opinion.objects.select_related("council", "author", "content_type").order_by("created_at", "pk")


def opinions_for(targets: Iterable[Model]) -> dict[Model, list[Opinion]]:
    """The opinions on each of ``targets`` (every target is a key, possibly with an empty list), in one query.

    Targets may be of several models. Each opinion comes with its council and author loaded, and ``opinion.target``
    set to the very object passed in (no further query).
    """
    targets = [target for target in targets if target.pk is not None]
    result: dict[Model, list[Opinion]] = {target: [] for target in targets}
    if not targets:
        return result
    by_type: dict[int, dict[Any, Model]] = defaultdict(dict)
    for target in targets:
        by_type[ContentType.objects.get_for_model(target).pk][target.pk] = target
    condition = Q()
    for content_type_id, objects in by_type.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=list(objects))
    for opinion in _opinions_with_people().filter(condition):
        target = by_type[opinion.content_type_id][opinion.object_id]
        opinion.target = target
        result[target].append(opinion)
    return result


def opinion_of(*, target: Model, author: Any) -> Opinion | None:
    """The opinion ``author`` gave on ``target``, if any (to prefill the form)."""
    if target.pk is None or not getattr(author, "is_authenticated", False):
        return None
    return (
        Opinion.objects.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk, author=author
        )
        .select_related("council")
        .first()
    )


def opinion_list(
    *, contract: Contract, council_id: int | None = None, verdict: str | None = None
) -> QuerySet[Opinion]:
    """The contract's opinions, oldest first, with council, author and target type (one query)."""
    return filter_given(_opinions_with_people().filter(contract=contract), council_id=council_id, verdict=verdict)


def opinion_targets(opinions: Iterable[Opinion]) -> dict[tuple[int, int], Model]:
    """The objects ``opinions`` judge, keyed by (content type id, object id): one query per kind of object."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for opinion in opinions:
        wanted[opinion.content_type_id].add(opinion.object_id)
    targets: dict[tuple[int, int], Model] = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        for obj in model._base_manager.filter(pk__in=ids):
            targets[(content_type_id, obj.pk)] = obj
    return targets
