"""Small presentation helpers shared by every app's templates."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.http import HttpRequest
from django.template.base import FilterExpression, kwarg_re
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from contrat_ville.ui import table_exports
from contrat_ville.ui.badges import badge_classes
from contrat_ville.ui.charts import StackedBars
from contrat_ville.ui.formats import euros

register = template.Library()


@register.filter
def date_fr(value: datetime.date | None) -> str:
    """A date written the French way, « 1er janvier 2024 », « 30 juin 2024 »; empty for no date."""
    if not value:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {format_date(value, 'F Y')}"


@register.filter(name="euros")
def euros_filter(value: int | None) -> str:
    """``{{ amount|euros }}``: « 6 500 € » (``ui.formats.euros``)."""
    return euros(value)


@register.filter
def concat(value: object, other: object) -> str:
    """``value`` then ``other``, as text: "Plan "|concat:2026 (``add`` gives "" for a text and a number)."""
    return f"{value}{other}"


@register.inclusion_tag("ui/components/stacked_bars.html")
def stacked_bars(chart: StackedBars) -> dict[str, Any]:
    """``{% stacked_bars chart %}``: a stacked bar chart (``ui.charts``) as a table with a bar per row."""
    return {"chart": chart}


@register.inclusion_tag("ui/components/status_badge.html")
def status_badge(
    kind: str,
    value: object,
    label: object,
    *,
    prefix: str = "",
    testid: str = "",
    small: bool = True,
    icon: bool = True,
    inline: bool = False,
) -> dict[str, Any]:
    """A badge: ``kind`` and ``value`` choose its colour in ``ui/badges.py``, ``label`` is its French text (after
    ``prefix``, for a label such as « Pilier : Emploi »).

    ``inline`` draws a ``<span>`` for a badge inside a sentence (a ``<p>`` cannot sit in a paragraph).
    """
    return {
        "element": "span" if inline else "p",
        "classes": badge_classes(kind, value, small=small, icon=icon),
        "label": f"{prefix}{label}",
        "testid": testid,
    }


@register.inclusion_tag("ui/components/status_badge.html")
def validation_badge(
    validated: bool,
    *,
    feminine: bool = False,
    on: datetime.date | datetime.datetime | None = None,
    testid: str = "validation-badge",
    short: bool = False,
) -> dict[str, Any]:
    """« validé(e) par le comité de pilotage [le …] » or « non validé(e) … »: whether the steering committee's
    latest decision validates the object (``governance.selectors.decisions``). ``short`` keeps « (non) validé(e) »
    for a table whose header already names the committee."""
    text = "validée" if feminine else "validé"
    if not validated:
        text = f"non {text}"
    if not short:
        text = f"{text} par le comité de pilotage"
        if validated and on:
            if isinstance(on, datetime.datetime) and timezone.is_aware(on):
                on = timezone.localtime(on)
            text = f"{text} le {format_date(on, 'd/m/Y')}"
    return status_badge("validation", "validated" if validated else "not_validated", text, testid=testid)


TABLE_HTML = (
    '<div class="{}"{}>\n<table{}>\n<caption>{}{}</caption>\n<thead><tr>{}</tr></thead>\n'
    "<tbody>{}</tbody>\n</table>{}\n</div>"
)
# DSFR makes a table its own scroll area when it is wider than the page (``.fr-table > table``): keyboard users reach
# it with Tab to scroll it (RGAA 7.3, axe « scrollable-region-focusable »); its caption names it. A table that DSFR
# does not scroll (``fr-table--no-scroll``) is no stop.
SCROLLABLE_TABLE = ' tabindex="0"'
NO_SCROLL_CLASS = "fr-table--no-scroll"


class TableNode(template.Node):
    """``{% table caption header… count=… testid=… classes=… %}rows{% endtable %}``: see ``table``."""

    def __init__(
        self, nodelist: template.NodeList, args: list[FilterExpression], kwargs: dict[str, FilterExpression]
    ) -> None:
        self.nodelist, self.args, self.kwargs = nodelist, args, kwargs

    def render(self, context: template.Context) -> str:
        caption, *headers = (arg.resolve(context) for arg in self.args)
        options = {name: value.resolve(context) for name, value in self.kwargs.items()}
        expanded = (item for header in headers for item in (header if isinstance(header, list | tuple) else [header]))
        shown = [header for header in expanded if header not in ("", None)]
        count = options.get("count")
        with context.push(columns=len(shown)):
            rows = self.nodelist.render(context)
        attributes, links = format_html(' data-testid="{}"', options["testid"]) if options.get("testid") else "", ""
        request = context.get("request")
        if options.get("export", True) is not False and isinstance(request, HttpRequest):
            key = table_exports.table_key(request, str(options.get("testid") or ""), str(caption))
            attributes = format_html('{} {}="{}"', attributes, table_exports.KEY_ATTRIBUTE, key)
            links = table_exports.export_links(request, key, str(caption))
        classes = ["fr-table", *str(options.get("classes") or "").split()]
        return format_html(
            TABLE_HTML,
            " ".join(classes),
            attributes,
            mark_safe("" if NO_SCROLL_CLASS in classes else SCROLLABLE_TABLE),  # noqa: S308 — a constant
            caption,
            f" ({count})" if count not in ("", None) else "",
            format_html_join("", '<th scope="col">{}</th>', ((header,) for header in shown)),
            mark_safe(rows),  # noqa: S308 — the rows are the rendered (auto-escaped) content of the tag.
            links,
        )


@register.tag("table")
def table(parser: template.base.Parser, token: template.base.Token) -> TableNode:
    """A DSFR table: its caption (with ``count``, « (12) »), its column headers — an empty one is left out, for a
    column shown only to some (``can_edit|yesno:"Action,"``), a list stands for as many columns (one per year) —
    and its rows, written between the tags; inside,
    ``columns`` is the number of columns (for an empty row's ``colspan``). ``testid`` and ``classes`` (DSFR
    modifiers such as ``fr-table--no-caption``) go on the wrapper.

    On a page (a request in the context), « Télécharger ce tableau : CSV · XLSX » follows the table
    (``ui.table_exports``); ``export=False`` leaves it out, for a table too small to be worth a file."""
    bits = token.split_contents()[1:]
    args: list[FilterExpression] = []
    kwargs: dict[str, FilterExpression] = {}
    for bit in bits:
        match = kwarg_re.match(bit)
        if match and match.group(1):
            kwargs[match.group(1)] = parser.compile_filter(match.group(2))
        else:
            args.append(parser.compile_filter(bit))
    if not args:
        raise template.TemplateSyntaxError("{% table %} prend au moins la légende du tableau.")
    nodelist = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(nodelist, args, kwargs)
