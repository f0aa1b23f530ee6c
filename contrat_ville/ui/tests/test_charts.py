from django.template import Context, Template

from contrat_ville.ui.charts import Cell, Series, stacked_bars

SERIES = (Series("a", "Prévue", "blue-france"), Series("b", "Réalisée", "success"))


def test_rows_share_one_scale_and_segments_follow_each_other():
    chart = stacked_bars(
        caption="Actions",
        row_header="Pilier",
        series=SERIES,
        rows=[("Cohésion", "/c", {"a": Cell(1), "b": Cell(3)}), ("Emploi", "", {"b": Cell(2)})],
    )
    first, second = chart.rows
    assert [cell.value for cell in first.cells] == [1, 3] and first.total == 4
    assert [(segment.x, segment.width) for segment in first.segments] == [(0.0, 25.0), (25.0, 75.0)]
    # The missing series counts 0 and draws nothing; the row is half the largest one.
    assert [cell.value for cell in second.cells] == [0, 2]
    assert [(segment.series.key, segment.x, segment.width) for segment in second.segments] == [("b", 0.0, 50.0)]
    assert chart.total == 6
    assert chart.headers == ["Pilier", "Prévue", "Réalisée", "Total", "Répartition"]


def test_the_chart_is_a_table_with_linked_figures_and_a_hidden_bar():
    chart = stacked_bars(
        caption="Actions par pilier",
        row_header="Pilier",
        series=SERIES,
        rows=[("Cohésion", "/c", {"a": Cell(1, "/c?a"), "b": Cell(0, "/c?b")})],
        testid="chart",
    )
    html = Template("{% load ui_tags %}{% stacked_bars chart %}").render(Context({"chart": chart}))
    assert "<caption>Actions par pilier (1)</caption>" in html
    assert '<a href="/c?a">1</a>' in html
    assert '<a href="/c?b">' not in html  # a zero links nowhere
    # Percentages are written with a point whatever the language (the French one writes « 0,0 »).
    assert '<rect x="0.0%" y="0" width="100.0%"' in html
    assert '<svg aria-hidden="true"' in html


def test_an_empty_chart_says_so():
    chart = stacked_bars(caption="Actions", row_header="Pilier", series=SERIES, rows=[])
    html = Template("{% load ui_tags %}{% stacked_bars chart %}").render(Context({"chart": chart}))
    assert "Aucune donnée." in html
