"""The status badge: one tag, its colour decided in ui/badges.py."""

import datetime

import pytest
from django.template import Context, Template

from contrat_ville.ui.badges import BADGE_VARIANTS, badge_classes


def render(source: str, **context: object) -> str:
    return Template("{% load ui_tags %}" + source).render(Context(context)).strip()


def test_a_status_takes_the_colour_its_family_gives() -> None:
    html = render(
        '{% status_badge "verdict" value label testid="decision-verdict" %}', value="postponed", label="ajourné"
    )
    assert html.endswith(
        '<p class="fr-badge fr-badge--sm fr-badge--warning" data-testid="decision-verdict">ajourné</p>'
    )


def test_a_value_its_family_leaves_out_is_a_neutral_badge() -> None:
    assert render('{% status_badge "stake" "proposed" "proposé" %}').endswith(
        '<p class="fr-badge fr-badge--sm">proposé</p>'
    )


def test_inline_large_and_without_icon() -> None:
    html = render('{% status_badge "meeting" "held" "Tenue" small=False icon=False inline=True %}')
    assert html.endswith('<span class="fr-badge fr-badge--success fr-badge--no-icon">Tenue</span>')
    # An accent colour has no icon to remove.
    assert badge_classes("action", "planned", icon=False) == "fr-badge fr-badge--sm fr-badge--blue-ecume"


def test_the_label_is_escaped_and_may_have_a_prefix() -> None:
    html = render('{% status_badge "marker" "pillar" label prefix="Pilier : " %}', label="<b>Emploi</b>")
    assert "Pilier : &lt;b&gt;Emploi&lt;/b&gt;" in html and "<b>" not in html


def test_an_unknown_family_is_an_error() -> None:
    with pytest.raises(ValueError, match="Famille de badge inconnue"):
        render('{% status_badge "statut" "x" "x" %}')


def test_validation_badge_says_by_whom_and_when() -> None:
    on = datetime.datetime(2026, 3, 2, 23, 30, tzinfo=datetime.UTC)  # 3 March in Paris
    html = render("{% validation_badge True feminine=True on=on %}", on=on)
    assert html.endswith(
        '<p class="fr-badge fr-badge--sm fr-badge--success" data-testid="validation-badge">'
        "validée par le comité de pilotage le 03/03/2026</p>"
    )
    html = render('{% validation_badge False testid="stake-not-validated" %}')
    assert 'fr-badge--warning" data-testid="stake-not-validated">non validé par le comité de pilotage</p>' in html
    assert render("{% validation_badge True short=True %}").endswith(">validé</p>")


def test_every_variant_is_a_dsfr_colour() -> None:
    system = {"success", "warning", "error", "info", "new"}
    accents = {"green-emeraude", "green-menthe", "purple-glycine", "blue-ecume", "blue-cumulus", "beige-gris-galet"}
    used = {variant for family in BADGE_VARIANTS.values() for variant in family.values()}
    assert used <= system | accents
