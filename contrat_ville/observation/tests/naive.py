"""The national computation's oracle: ``national_gaps_naive`` computes the rows of
``selectors.national.national_gaps_and_trends`` by a plain ORM loop (queries per QPV, indicator and reference). The
tests compare the set-based computation with it; the benchmark (``benchmarks/observation.py``) times it as the
yardstick. Nothing in the application calls it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from contrat_ville.observation.computations import gap_values, trend_of
from contrat_ville.observation.models import Indicator, IndicatorValue, visible_condition
from contrat_ville.observation.selectors.national import GapRow, ReferenceGap
from contrat_ville.observation.selectors.references import references_for
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.models import Territory


def _row(
    qpv_id: int,
    indicator_id: int,
    latest: tuple[int, float | None, bool],
    previous: tuple[int, float | None, bool] | None,
    references: Iterable[tuple[int, str, tuple[float | None, bool] | None]],
    stable_threshold: float,
) -> GapRow:
    period, value, confidential = latest
    usable = None if confidential else value
    change = annual = None
    previous_period = previous_value = None
    if previous is not None:
        previous_period = previous[0]
        previous_value = None if previous[2] else previous[1]
        if usable is not None and previous_value is not None:
            change = usable - previous_value
            annual = change / (period - previous_period)
    gaps = []
    for territory_id, kind, figure in references:
        if figure is None:
            gaps.append(ReferenceGap(territory_id, kind, None, False, None, None))
            continue
        reference_value, reference_confidential = figure
        if reference_confidential:
            gaps.append(ReferenceGap(territory_id, kind, None, True, None, None))
            continue
        difference, ratio = gap_values(usable, reference_value)
        gaps.append(ReferenceGap(territory_id, kind, reference_value, False, difference, ratio))
    return GapRow(
        qpv_id,
        indicator_id,
        period,
        usable,
        confidential,
        previous_period,
        previous_value,
        change,
        annual,
        trend_of(change, stable_threshold=stable_threshold),
        tuple(gaps),
    )


def _naive_value(
    *, territory: Territory, indicator: Indicator, period: int, contract_id: int | None
) -> tuple[float | None, bool] | None:
    scope = visible_condition(contract_id)
    found = None
    for value in IndicatorValue.objects.filter(scope, territory=territory, indicator=indicator, period=period):
        if found is None or value.contract_id is not None:
            found = (value.value, value.is_confidential)
    return found


def national_gaps_naive(
    *,
    period: int | None = None,
    indicator_codes: list[str] | None = None,
    contract_id: int | None = None,
    min_gap_years: int = 0,
    stable_threshold: float = 0.0,
    qpv_ids: Sequence[int] | None = None,
) -> list[GapRow]:
    """The same rows as ``national_gaps_and_trends``, computed by a plain ORM loop (queries per QPV,
    indicator and reference): the benchmark's yardstick. References are read per QPV, with the one definition."""
    indicators = Indicator.objects.all().order_by("pk")
    if indicator_codes is not None:
        indicators = indicators.filter(code__in=indicator_codes)
    scope = visible_condition(contract_id)
    rows: list[GapRow] = []
    qpvs = Territory.objects.filter(kind=TerritoryKind.QPV).order_by("pk")
    if qpv_ids is not None:
        qpvs = qpvs.filter(pk__in=list(qpv_ids))
    for qpv in qpvs:
        ancestors: list[Territory] | None = None
        for indicator in indicators:
            values = IndicatorValue.objects.filter(scope, territory=qpv, indicator=indicator)
            if period is not None:
                values = values.filter(period__lte=period)
            by_period: dict[int, IndicatorValue] = {}
            for value in values.order_by("-period"):
                if value.period not in by_period or value.contract_id is not None:
                    by_period[value.period] = value
            if not by_period:
                continue
            latest_period = max(by_period)
            current = by_period[latest_period]
            older = [year for year in by_period if year <= latest_period - max(min_gap_years, 1)]
            before = by_period[max(older)] if older else None
            if ancestors is None:
                ancestors = references_for(qpv)
            rows.append(
                _row(
                    qpv.pk,
                    indicator.pk,
                    (latest_period, current.value, current.is_confidential),
                    (before.period, before.value, before.is_confidential) if before is not None else None,
                    [
                        (
                            reference.pk,
                            reference.kind,
                            _naive_value(
                                territory=reference, indicator=indicator, period=latest_period, contract_id=contract_id
                            ),
                        )
                        for reference in ancestors
                    ],
                    stable_threshold,
                )
            )
    return rows
