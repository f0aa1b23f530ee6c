"""« Télécharger ce tableau »: the links the {% table %} tag writes, reading a table back out of a page, and the
French figures and dates typed for a spreadsheet."""

import datetime

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory

from contrat_ville.ui.table_exports import download_name, extract_table, typed_cell


def render(source: str, request=None, **context: object) -> str:
    template = Template("{% load ui_tags %}" + source)
    return template.render(RequestContext(request, context) if request else Context(context))


MEMBERS = (
    '{% table "Membres de l\'instance" "Nom" "Montant" can_edit|yesno:"Actions," count=rows|length testid="members" %}'
    '{% for name, amount in rows %}<tr><th scope="row"><a href="#">{{ name }}</a><br>'
    '<span class="fr-text--sm">{{ name|lower }}@exemple.fr</span></th><td>{{ amount }}</td>'
    '{% if can_edit %}<td><form method="post"><button>Retirer<span class="fr-sr-only"> {{ name }}</span></button>'
    "</form></td>{% endif %}</tr>"
    '{% empty %}<tr><td colspan="{{ columns }}">Aucun membre.</td></tr>{% endfor %}{% endtable %}'
)


def test_on_a_page_the_table_offers_csv_and_xlsx_keeping_the_filters() -> None:
    request = RequestFactory().get("/contrats/val/instances/", {"annee": "2026", "export": "csv", "tableau": "x"})
    html = render(MEMBERS, request, rows=[("Alix", "12")], can_edit=False)
    assert 'data-table-export="members"' in html
    assert 'href="/contrats/val/instances/?annee=2026&amp;export=csv&amp;tableau=members" download' in html
    assert 'href="/contrats/val/instances/?annee=2026&amp;export=xlsx&amp;tableau=members" download' in html
    assert "Télécharger ce tableau :" in html
    # Each link's accessible name says which table it downloads.
    assert 'CSV<span class="fr-sr-only"> : tableau « Membres de l\'instance »</span>' in html


def test_no_links_without_a_request_or_when_switched_off() -> None:
    assert "Télécharger" not in render(MEMBERS, rows=[], can_edit=False)  # a document, an e-mail
    request = RequestFactory().get("/")
    assert "Télécharger" not in render('{% table "Petit" "A" export=False %}{% endtable %}', request)


def test_two_tables_of_the_same_name_get_two_keys() -> None:
    request = RequestFactory().get("/")
    html = render('{% table "Plan 2026" "A" %}{% endtable %}{% table "Plan 2026" "A" %}{% endtable %}', request)
    assert 'data-table-export="plan-2026"' in html and 'data-table-export="plan-2026-2"' in html


def test_an_htmx_post_links_to_the_page_the_browser_shows() -> None:
    request = RequestFactory().post("/contrats/val/membres/ajouter/")
    request.htmx = type("Htmx", (), {"current_url": "http://testserver/contrats/val/membres/?role=pilot"})()
    html = render('{% table "Membres" "A" %}{% endtable %}', request)
    assert 'href="/contrats/val/membres/?role=pilot&amp;export=csv&amp;tableau=membres"' in html


def test_extraction_reads_headers_and_cells_and_leaves_controls_out() -> None:
    request = RequestFactory().get("/")
    page = "<html><head><title>Instances — Plateforme des contrats de ville</title></head><body>{}</body></html>"
    html = render(MEMBERS, request, rows=[("Alix", "1\u202f234,5\u00a0€"), ("Bruno", "—")], can_edit=True)
    title, table = extract_table(page.format(html), "members")
    assert title == "Instances"
    assert table is not None
    assert table.caption == "Membres de l'instance (2)"
    # The « Actions » column held only a form: not data, left out.
    assert table.headers == ["Nom", "Montant"]
    # Spaces collapse to plain ones (non-breaking ones included).
    assert table.rows == [["Alix ; alix@exemple.fr", "1 234,5 €"], ["Bruno ; bruno@exemple.fr", "—"]]
    assert extract_table(page.format(html), "autre")[1] is None
    svg_title = "<svg><title>Icône</title></svg>"
    assert extract_table(page.format(svg_title + html), "members")[0] == "Instances"


def test_extraction_of_an_empty_table_has_no_rows() -> None:
    request = RequestFactory().get("/")
    _, table = extract_table(render(MEMBERS, request, rows=[], can_edit=False), "members")
    assert table is not None and table.headers == ["Nom", "Montant"] and table.rows == []


def test_extraction_keeps_visually_hidden_text_and_drops_decoration_and_spans() -> None:
    html = (
        '<div data-table-export="t"><table><caption>Suivi</caption><thead><tr><th>Quartier</th><th>Année</th>'
        "<th>État</th></tr></thead><tbody>"
        '<tr><th rowspan="2">Les   Tilleuls</th><td>2025</td><td><span aria-hidden="true">●</span>'
        '<p class="fr-badge">En retard</p><span class="fr-sr-only"> : deux séances manquent</span></td></tr>'
        '<tr><td>2026</td><td colspan="1">À l\'heure<svg><title>icône</title></svg></td></tr>'
        '<tr><td colspan="2">Total</td><td><table><tr><td>imbriqué</td></tr></table>ok</td></tr>'
        "</tbody></table></div>"
    )
    _, table = extract_table(html, "t")
    assert table is not None
    assert table.rows == [
        ["Les Tilleuls", "2025", "En retard ; : deux séances manquent"],
        ["Les Tilleuls", "2026", "À l'heure"],
        ["Total", "", "ok"],
    ]


@pytest.mark.parametrize(
    ("text", "value", "number_format", "csv"),
    [
        ("12\u202f345", 12345, "#,##0", "12345"),
        ("1\u202f234,5\u00a0€", 1234.5, '#,##0.0\\ "€"', "1234,5 €"),
        ("6 500 €", 6500, '#,##0\\ "€"', "6500 €"),
        ("45 %", 0.45, "0\\ %", "45 %"),
        ("12,5\u00a0%", 0.125, "0.0\\ %", "12,5 %"),
        ("\u22123,2", -3.2, "0.0", "-3,2"),
        ("2026", 2026, "0", "2026"),
        ("31/01/2026", datetime.date(2026, 1, 31), "DD/MM/YYYY", "31/01/2026"),
        ("1er mars 2024", datetime.date(2024, 3, 1), "DD/MM/YYYY", "01/03/2024"),
        # As the page shows it, local time (a spreadsheet cell has no time zone).
        ("12/03/2026 14:30", datetime.datetime(2026, 3, 12, 14, 30), "DD/MM/YYYY HH:MM", "12/03/2026 14:30"),  # noqa: DTZ001
        ("—", None, None, ""),
        ("01053", "01053", None, "01053"),  # a code keeps its leading zero
        ("01 23 45 67 89", "01 23 45 67 89", None, "01 23 45 67 89"),  # not a figure
        ("31/02/2026", "31/02/2026", None, "31/02/2026"),
        ("12 / 3 au minimum", "12 / 3 au minimum", None, "12 / 3 au minimum"),
    ],
)
def test_french_figures_and_dates_become_typed_cells(text, value, number_format, csv) -> None:
    cell = typed_cell(text)
    assert (cell.value, cell.number_format, cell.csv) == (value, number_format, csv)


def test_the_file_name_joins_the_page_title_and_the_caption_in_ascii() -> None:
    assert download_name("Instances — Contrat du Val", "Comités de pilotage (3)") == (
        "instances-contrat-du-val-comites-de-pilotage"
    )
    assert download_name("Plans d'actions — Val", "Plans d\u2019actions (2)") == "plans-d-actions-val"
    assert download_name("", "") == "tableau"
