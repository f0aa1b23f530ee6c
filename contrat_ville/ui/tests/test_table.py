"""The {% table %} tag: the DSFR table frame (caption, count, headers) written once for every table."""

from django.template import Context, Template


def render(source: str, **context: object) -> str:
    return Template("{% load ui_tags %}" + source).render(Context(context))


def test_the_frame_caption_count_headers_and_rows() -> None:
    html = render(
        '{% table "Membres de l\'instance" "Nom" can_edit|yesno:"Action," count=rows|length testid="members" %}'
        '{% for row in rows %}<tr><td>{{ row }}</td></tr>{% empty %}<tr><td colspan="{{ columns }}">Aucun.</td></tr>'
        "{% endfor %}{% endtable %}",
        rows=["<Alix>"],
        can_edit=False,
    )
    assert html == (
        '<div class="fr-table" data-testid="members">\n<table tabindex="0">\n'
        "<caption>Membres de l'instance (1)</caption>\n"
        '<thead><tr><th scope="col">Nom</th></tr></thead>\n<tbody><tr><td>&lt;Alix&gt;</td></tr></tbody>\n'
        "</table>\n</div>"
    )


def test_an_empty_table_spans_its_columns_and_a_caption_may_be_built() -> None:
    html = render(
        '{% table "Plan "|concat:year "Action" "État" can_edit|yesno:"Retirer," count=rows|length '
        'classes="fr-table--no-caption fr-mb-1w" %}{% for row in rows %}{% empty %}'
        '<tr><td colspan="{{ columns }}">Aucune.</td></tr>{% endfor %}{% endtable %}',
        rows=[],
        year=2026,
        can_edit=True,
    )
    assert '<div class="fr-table fr-table--no-caption fr-mb-1w">' in html
    assert "<caption>Plan 2026 (0)</caption>" in html
    assert '<th scope="col">Retirer</th>' in html and '<td colspan="3">Aucune.</td>' in html


def test_without_count_the_caption_stands_alone() -> None:
    assert "<caption>Avancement</caption>" in render('{% table "Avancement" "Pilier" %}{% endtable %}')


def test_a_caption_from_data_is_escaped() -> None:
    assert "<caption>&lt;b&gt; (2)</caption>" in render("{% table name count=2 %}{% endtable %}", name="<b>")


def test_a_list_of_headers_gives_one_column_each() -> None:
    html = render('{% table "Séries" "Territoire" years %}{% endtable %}', years=[2020, 2021])
    assert '<th scope="col">Territoire</th><th scope="col">2020</th><th scope="col">2021</th>' in html


def test_a_table_dsfr_scrolls_is_reachable_by_keyboard_and_one_it_does_not_scroll_is_no_stop() -> None:
    assert '<table tabindex="0">' in render('{% table "Bilan" "Partenaire" %}{% endtable %}')
    fixed = render('{% table "Phases" "Phase" classes="fr-table--no-scroll" %}{% endtable %}')
    assert "<table>" in fixed and "tabindex" not in fixed
