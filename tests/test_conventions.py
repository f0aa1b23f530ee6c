"""Conventions of style.md (§2, §5.3, §5.4, §5.5) that no linter checks, enforced by reading the code.

Each test names the files that break its rule and says how to fix them. Most read the source (regular
expressions on templates, ``ast`` on Python); the model and choices checks ask Django at run time.
"""

import ast
import importlib
import inspect
import pkgutil
import re
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

import contrat_ville
from contrat_ville.contracts.permissions import (
    permission_get,
    permission_rules,
    permission_table_in,
    permission_table_markdown,
)
from contrat_ville.ui.forms import Form as UiForm
from contrat_ville.ui.forms import ModelForm as UiModelForm

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = REPO_ROOT / "contrat_ville"
BASE_TEMPLATE = "ui/base.html"

# Django renders 500.html without a RequestContext (no request, no nonce, no context processor): it
# has to be a self-contained page.
STANDALONE_PAGES = {"500.html"}
# Templates that re-skin form widgets or override django-dsfr's own templates are the skin itself.
SKIN_TEMPLATE_PREFIXES = ("dsfr/", "django/forms/")
# `documents` holds print templates that WeasyPrint turns into PDF files: not pages of the site.
FRAGMENT_DIRS = {"components", "blocks", "documents"}
# Official acronyms and proper names kept as they are in lower-case verbose names (style.md §5.5).
VERBOSE_NAME_ACRONYMS = (
    "SIREN",
    "SIRET",
    "RNA",
    "EPCI",
    "IRIS",
    "QPV",
    "API",
    "GeoJSON",
    "WGS84",
    "URL",
    "ANCT",
    "ProConnect",
)
# TextChoices whose label is the value itself because the word is the same in French and English.
LABELS_SAME_AS_VALUE = {"absent", "association", "commune", "inclusion"}
# What an app may import from another one (design.md §2): its public layer. ``ui`` and ``core`` are the
# kernel, open to all.
# `access` is contracts' tenancy decorator, built on its selector: every contract page of every app uses it;
# `permissions` holds an app's named predicates, which a higher app may ask (and every app builds on contracts');
# `presenters` is how an app writes its figures (observation's French numbers, « secret statistique »): an app
# above shows them as the owner does, never with a copy of the rules.
PUBLIC_MODULES = ("models", "services", "selectors", "enums", "access", "permissions", "presenters")
KERNEL_APPS = ("ui", "core")


def relative(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT))


def python_files() -> Iterator[Path]:
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def is_test_module(path: Path) -> bool:
    return "tests" in path.relative_to(PACKAGE_DIR).parts


def is_http_module(path: Path, kinds: tuple[str, ...] = ("views", "api")) -> bool:
    """``views.py``/``api.py`` or a module of a ``views/``/``api/`` package, outside tests."""
    parts = path.relative_to(PACKAGE_DIR).parts
    return not is_test_module(path) and (path.stem in kinds or any(part in kinds for part in parts[:-1]))


def format_violations(rule: str, how: str, violations: list[str]) -> str:
    return f"{rule} — {len(violations)} écart(s). {how}\n" + "\n".join(f"  - {item}" for item in sorted(violations))


# --- templates --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    name: str  # as Django loads it: "contracts/contract_home.html"
    path: Path

    @property
    def source(self) -> str:
        return self.path.read_text(encoding="utf-8")


def project_templates() -> list[Template]:
    """Every HTML template of the project's apps, in app order (the first one of a name wins, like Django)."""
    templates: dict[str, Template] = {}
    for app in apps.get_app_configs():
        directory = Path(app.path) / "templates"
        if not app.name.startswith("contrat_ville.") or not directory.is_dir():
            continue
        for path in sorted(directory.rglob("*.html")):
            name = path.relative_to(directory).as_posix()
            templates.setdefault(name, Template(name, path))
    return list(templates.values())


EXTENDS = re.compile(r"""{%\s*extends\s+(?P<quote>["'])(?P<name>[^"']+)(?P=quote)\s*%}""")
# ui/form_page.html, the one form page, extends the shell its view gives (``layout``): each layout is checked instead.
LAYOUT_EXTENDS = re.compile(r"{%\s*extends\s+layout\s*%}")
DYNAMIC_EXTENDS = re.compile(r"{%\s*extends\s+[^\"'\s]")
NON_CONTENT = re.compile(
    r"{%\s*partialdef\b.*?{%\s*endpartialdef\b[^%]*%}"
    r"|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}"
    r"|{#.*?#}"
    r"|{%\s*load\b[^%]*%}",
    re.DOTALL,
)


def is_partial_only(source: str) -> bool:
    """Only ``{% partialdef %}`` blocks (plus loads and comments): rendered as ``page.html#fragment``."""
    return "partialdef" in source and not NON_CONTENT.sub("", source).strip()


def is_full_page(template: Template) -> bool:
    parts = template.name.split("/")
    return not (
        parts[-1].startswith("_")
        or FRAGMENT_DIRS.intersection(parts[:-1])
        or template.name == BASE_TEMPLATE
        or template.name.startswith(SKIN_TEMPLATE_PREFIXES)
        or template.name in STANDALONE_PAGES
        or is_partial_only(template.source)
    )


def extends_chain(template: Template, by_name: dict[str, Template]) -> tuple[list[str], str | None]:
    """The ``{% extends %}`` chain from ``template`` up; the second item explains where it breaks."""
    chain = [template.name]
    current: Template | None = template
    while current is not None:
        source = current.source
        match = EXTENDS.search(source)
        if match is None:
            problem = "parent calculé ({% extends variable %})" if DYNAMIC_EXTENDS.search(source) else None
            return chain, problem or "pas de {% extends %}"
        parent = match.group("name")
        if parent in chain:
            return [*chain, parent], "boucle"
        chain.append(parent)
        if parent == BASE_TEMPLATE:
            return chain, None
        current = by_name.get(parent)
    return chain, "le parent n'est pas un gabarit du projet"


def test_every_page_extends_ui_base() -> None:
    templates = project_templates()
    by_name = {template.name: template for template in templates}
    violations = []
    for template in templates:
        if not is_full_page(template) or LAYOUT_EXTENDS.search(template.source):
            continue
        chain, problem = extends_chain(template, by_name)
        if problem:
            violations.append(f"{relative(template.path)} : {' → '.join(chain)} ({problem})")
    assert not violations, format_violations(
        "Toute page étend « ui/base.html », directement ou par « <app>/base.html » (style.md §5.4)",
        "Un fragment se nomme « _nom.html » ou se range dans components/ ou blocks/.",
        violations,
    )


def layouts_given() -> list[tuple[str, str]]:
    """Every ``layout="…"`` the project's code gives a page (``FormPages(layout=…)``, ``page(…, layout=…)``)."""
    return [
        (f"{relative(path)}:{node.value.lineno}", str(node.value.value))
        for path in python_files()
        if not is_test_module(path)
        for node in ast.walk(parse(path))
        if isinstance(node, ast.keyword) and node.arg == "layout" and isinstance(node.value, ast.Constant)
    ]


def test_every_layout_of_a_form_page_extends_ui_base() -> None:
    """``ui/form_page.html`` extends the shell its view names: that shell must lead to ``ui/base.html``."""
    templates = project_templates()
    by_name = {template.name: template for template in templates}
    given = layouts_given()
    violations = []
    for where, name in given:
        if name == BASE_TEMPLATE:
            continue
        if name not in by_name:
            violations.append(f"{where} : « {name} » n'est pas un gabarit du projet")
            continue
        chain, problem = extends_chain(by_name[name], by_name)
        if problem:
            violations.append(f"{where} : {' → '.join(chain)} ({problem})")
    assert {name for _, name in given} >= {"contracts/base.html", "diagnostic/base.html"}, (
        "Les gabarits de page des apps ne sont plus trouvés : le test ne lit plus le bon code."
    )
    assert not violations, format_violations(
        "Le gabarit d'une page de formulaire (layout) étend « ui/base.html » (style.md §5.4)",
        "Donnez à FormPages(layout=…) le gabarit de page de l'app (contracts/base.html, diagnostic/base.html…).",
        violations,
    )


FORM_TAG = re.compile(r"<form\b(?P<attributes>[^>]*)>(?P<body>.*?)</form>", re.IGNORECASE | re.DOTALL)
POST_METHOD = re.compile(r"""\bmethod\s*=\s*["']?post\b""", re.IGNORECASE)
RENDERS_FORM = re.compile(r"{{\s*form\s*}}")
SHARED_FORM_PAGE = "ui/form_page.html"


def test_every_form_page_uses_the_shared_form_template() -> None:
    """A page whose form posts ``{{ form }}`` is ``ui/form_page.html`` (title, intro, read-only message, errors,
    the form, submit and cancel), rendered by ``ui.form_pages``: no page writes its own copy of it."""
    violations = []
    for template in project_templates():
        if template.name == SHARED_FORM_PAGE or not is_full_page(template):
            continue
        source = template.source
        for match in FORM_TAG.finditer(source):
            if POST_METHOD.search(match.group("attributes")) and RENDERS_FORM.search(match.group("body")):
                line = source.count("\n", 0, match.start()) + 1
                violations.append(f"{relative(template.path)}:{line}")
    assert not violations, format_violations(
        "Toute page de formulaire est « ui/form_page.html » (style.md §5.4)",
        "Rendez la page avec contrat_ville.ui.form_pages (FormPages(…).form_page) ; ce qui lui est propre va dans "
        "intro, alert, read_only_message ou un include (intro_template, side_template, after_template).",
        violations,
    )


BADGE_CLASS = re.compile(r"\bfr-badge\b(?!s-group)")
# Where a hand-written badge stays, and why.
BADGE_ALLOWED = {
    # One value cell per indicator, year and reference: a template per cell would cost the portrait its speed
    # (tests/test_portrait_performance.py counts templates); that test also checks the markup equals the badge
    # of observation/_value.html, which uses the shared tag.
    "observation/_portrait.html",
}


def test_no_hand_written_badge() -> None:
    """Every badge is drawn by ``{% status_badge %}`` (``ui/components/status_badge.html``), its colour decided in
    ``ui/badges.py``: no template nor Python module writes ``fr-badge`` itself."""
    violations: list[str] = []
    for template in project_templates():
        if template.name.startswith(("ui/components/", *SKIN_TEMPLATE_PREFIXES)) or template.name in BADGE_ALLOWED:
            continue
        source = template.source
        violations.extend(
            f"{relative(template.path)}:{source.count(chr(10), 0, match.start()) + 1}"
            for match in BADGE_CLASS.finditer(source)
        )
    for path in python_files():
        if is_test_module(path) or module_name(path) == "contrat_ville.ui.badges":
            continue
        source = path.read_text(encoding="utf-8")
        violations.extend(
            f"{relative(path)}:{source.count(chr(10), 0, match.start()) + 1}" for match in BADGE_CLASS.finditer(source)
        )
    assert not violations, format_violations(
        "Pas de badge écrit à la main (style.md §6b)",
        '{% load ui_tags %}{% status_badge "famille" valeur libellé %} ; la couleur se décide dans '
        "contrat_ville/ui/badges.py.",
        violations,
    )


RAW_TABLE = re.compile(r"<table\b", re.IGNORECASE)
TABLE_TAG = re.compile(r"{%\s*table\s")
NO_EXPORT = re.compile(r"{%\s*table\s[^%]*\bexport=False\b")
# Tables written by hand, each for a reason the generic CSV/XLSX export (``{% table %}``) cannot serve.
RAW_TABLE_ALLOWED = {
    # Observation's own exports, typed columns and all (``observation.exports``): the page links to them.
    "observation/_portrait.html": "exports de l'observation (observation/exports.py)",
    "observation/comparison.html": "exports de l'observation (observation/exports.py)",
    # Drawings rather than lists: a Gantt chart and a month's grid.
    "governance/phase_timeline.html": "frise (diagramme de Gantt)",
    "governance/meeting_calendar.html": "grille d'un mois",
}
# Tables without « Télécharger ce tableau » (``{% table … export=False %}``): the demo accounts beside the login
# form (not worth a file); the strategic tree's one table per objective (the page exports the whole tree, typed,
# through ``strategy.exports``).
TABLES_WITHOUT_EXPORT = {"accounts/_demo_accounts.html", "strategy/tree.html"}


def test_every_table_is_drawn_by_the_table_tag_and_so_offers_its_export() -> None:
    """A table of a page is written with ``{% table %}``, which adds « Télécharger ce tableau : CSV · XLSX »
    (``ui.table_exports``): no ``<table>`` by hand outside ``RAW_TABLE_ALLOWED`` and the print templates
    (``documents/``), and ``export=False`` only on the few small tables listed here."""
    violations: list[str] = []
    for template in project_templates():
        parts = template.name.split("/")
        if "documents" in parts[:-1] or template.name.startswith(SKIN_TEMPLATE_PREFIXES):
            continue
        source = template.source
        if template.name not in RAW_TABLE_ALLOWED:
            violations.extend(
                f"{relative(template.path)}:{source.count(chr(10), 0, match.start()) + 1}"
                for match in RAW_TABLE.finditer(source)
            )
        violations.extend(
            f"{relative(template.path)}:{source.count(chr(10), 0, match.start()) + 1} (export=False)"
            for match in NO_EXPORT.finditer(source)
            if template.name not in TABLES_WITHOUT_EXPORT
        )
    assert not violations, format_violations(
        "Chaque tableau passe par {% table %} et s'exporte en CSV et XLSX",
        '{% load ui_tags %}{% table "Légende" "Colonne"… count=… testid=… %}lignes{% endtable %} ; un tableau '
        "écrit à la main pour une bonne raison s'inscrit dans RAW_TABLE_ALLOWED, export=False dans "
        "TABLES_WITHOUT_EXPORT.",
        violations,
    )
    assert any(TABLE_TAG.search(template.source) for template in project_templates())


INPUT_TAG = re.compile(r"<input\b[^>]*>", re.IGNORECASE | re.DOTALL)
HIDDEN_TYPE = re.compile(r"""\btype\s*=\s*["']?hidden\b""", re.IGNORECASE)


def test_no_hand_written_input() -> None:
    violations = []
    for template in project_templates():
        if template.name.startswith(SKIN_TEMPLATE_PREFIXES):
            continue
        source = template.source
        for match in INPUT_TAG.finditer(source):
            if not HIDDEN_TYPE.search(match.group()):
                line = source.count("\n", 0, match.start()) + 1
                violations.append(f"{relative(template.path)}:{line} : {' '.join(match.group().split())}")
    assert not violations, format_violations(
        'Pas de <input> écrit à la main, sauf type="hidden" (style.md §5.4)',
        "Déclarez le champ dans un formulaire dérivé de contrat_ville.ui.forms et rendez {{ form }}.",
        violations,
    )


# --- views ------------------------------------------------------------------------------------------


def call_name(node: ast.AST) -> str | None:
    """``page`` for ``page(...)`` and ``ui.page(...)``; ``None`` when not a call."""
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def builds_page(node: ast.AST | None, function: ast.AST | None) -> bool:
    """The context is ``page(...)``, ``{**page(...), …}``, or a variable assigned from one in the same function."""
    if node is None:
        return False
    if call_name(node) == "page":
        return True
    if isinstance(node, ast.Dict):
        return any(
            key is None and call_name(value) == "page" for key, value in zip(node.keys, node.values, strict=True)
        )
    if isinstance(node, ast.Name) and function is not None:
        for child in ast.walk(function):
            if isinstance(child, ast.Assign | ast.AnnAssign) and child.value is not None:
                targets = child.targets if isinstance(child, ast.Assign) else [child.target]
                assigned = any(isinstance(target, ast.Name) and target.id == node.id for target in targets)
                if assigned and builds_page(child.value, None):
                    return True
    return False


def render_context(call: ast.Call) -> ast.AST | None:
    if len(call.args) >= 3:
        return call.args[2]
    return next((keyword.value for keyword in call.keywords if keyword.arg == "context"), None)


def renders_fragment(call: ast.Call) -> bool:
    """``render(request, "app/page.html#fragment", …)``: an htmx fragment has no page title."""
    template = call.args[1] if len(call.args) >= 2 else None
    return isinstance(template, ast.Constant) and isinstance(template.value, str) and "#" in template.value


def is_page_render(call: ast.Call) -> bool:
    """``render(…)``, ``shortcuts.render(…)`` or ``TemplateResponse(…)``; not ``template.render(context)``."""
    if isinstance(call.func, ast.Name):
        return call.func.id in {"render", "TemplateResponse"}
    return (
        isinstance(call.func, ast.Attribute)
        and call.func.attr in {"render", "TemplateResponse"}
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id in {"shortcuts", "response"}
    )


def functions_with_parents(tree: ast.Module) -> Iterator[tuple[ast.AST | None, ast.AST]]:
    """Each node with the innermost function around it."""

    def visit(node: ast.AST, function: ast.AST | None) -> Iterator[tuple[ast.AST | None, ast.AST]]:
        for child in ast.iter_child_nodes(node):
            yield function, child
            inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            yield from visit(child, inner)

    yield from visit(tree, None)


def test_every_page_view_sets_a_title_with_page() -> None:
    violations = []
    for path in python_files():
        if not is_http_module(path, ("views",)):
            continue
        tree = parse(path)
        for function, node in functions_with_parents(tree):
            if isinstance(node, ast.Call) and is_page_render(node):
                if renders_fragment(node) or builds_page(render_context(node), function):
                    continue
                violations.append(f"{relative(path)}:{node.lineno} : {ast.unparse(node)[:100]}")
            if isinstance(node, ast.ClassDef):
                assigns_template = any(
                    isinstance(item, ast.Assign)
                    and any(isinstance(target, ast.Name) and target.id == "template_name" for target in item.targets)
                    for item in node.body
                )
                context_method = next(
                    (
                        item
                        for item in node.body
                        if isinstance(item, ast.FunctionDef) and item.name == "get_context_data"
                    ),
                    None,
                )
                if assigns_template and not (
                    context_method and any(call_name(child) == "page" for child in ast.walk(context_method))
                ):
                    violations.append(
                        f"{relative(path)}:{node.lineno} : classe {node.name} sans page() dans get_context_data"
                    )
    assert not violations, format_violations(
        "Toute vue de page construit son contexte avec contrat_ville.ui.page.page(titre, …) (style.md §5.4)",
        'render(request, gabarit, page("Titre", parents=[…], …)) ; un fragment htmx se rend « page.html#fragment ».',
        violations,
    )


def is_post_check(node: ast.AST) -> bool:
    """``request.method == "POST"`` (either side)."""
    if not isinstance(node, ast.Compare) or len(node.comparators) != 1:
        return False
    sides = [node.left, node.comparators[0]]
    return any(isinstance(side, ast.Attribute) and side.attr == "method" for side in sides) and any(
        isinstance(side, ast.Constant) and side.value == "POST" for side in sides
    )


def hand_rolled_shapes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """What ``ui.form_pages`` does, written again in a view: a form page's POST-then-redirect, or a refused rule
    caught and flashed (or put on the form) by hand."""
    own = [node for node in ast.walk(function) if not (node is not function and isinstance(node, ast.Lambda))]
    calls = {call_name(node) for node in own if isinstance(node, ast.Call)}
    shapes = []
    if any(is_post_check(node) for node in own) and "redirect" in calls:
        shapes.append("formulaire traité à la main (POST puis redirect)")
    catches = any(isinstance(node, ast.Try) and node.handlers for node in own)
    flashes = any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "messages"
        for node in own
    )
    if catches and (flashes or "add_error" in calls):
        shapes.append("règle refusée rattrapée à la main (try/except puis message ou add_error)")
    return shapes


def test_views_use_ui_form_pages() -> None:
    """Form pages, confirmations and POST actions go through ``contrat_ville.ui.form_pages`` (``FormPages``): the
    views say what to save and where to go, never how."""
    violations: list[str] = []
    for path in python_files():
        if not is_http_module(path, ("views",)):
            continue
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                violations.extend(
                    f"{relative(path)}:{node.lineno} {node.name} : {shape}" for shape in hand_rolled_shapes(node)
                )
    assert not violations, format_violations(
        "Les vues passent par contrat_ville.ui.form_pages (style.md §5.2)",
        "form_page(request, form, save=…, done=…), confirm_page(…) ou post_action(request, act=…, message=…).",
        violations,
    )


@pytest.mark.parametrize(
    ("source", "shapes"),
    [
        (
            "def v(request):\n    if request.method == 'POST' and form.is_valid():\n        return redirect('/')\n",
            1,
        ),
        (
            "def v(request):\n    try:\n        act()\n    except E as error:\n        messages.error(request, 'x')\n",
            1,
        ),
        ("def v(request):\n    return form_page(request, form, save=lambda data: act(), done=done)\n", 0),
        ("def v(request):\n    if request.method == 'POST':\n        require(p, access)\n    return render()\n", 0),
    ],
)
def test_hand_rolled_shapes_detection(source: str, shapes: int) -> None:
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    assert len(hand_rolled_shapes(function)) == shapes


def is_objects_call(node: ast.Call, method: str) -> bool:
    """``<something>.objects.<method>(...)``."""
    return (
        isinstance(node.func, ast.Attribute)
        and node.func.attr == method
        and isinstance(node.func.value, ast.Attribute)
        and node.func.value.attr == "objects"
    )


def queried_model_name(node: ast.Call) -> str | None:
    """``Model`` for a call chain that starts from ``Model.objects`` (``Model.objects.filter(…).first()``)."""
    current: ast.AST = node.func
    while isinstance(current, ast.Attribute | ast.Call):
        if isinstance(current, ast.Attribute) and current.attr == "objects" and isinstance(current.value, ast.Name):
            return current.value.id
        current = current.func if isinstance(current, ast.Call) else current.value
    return None


def is_contract_scoped(model: object) -> bool:
    if not (isinstance(model, type) and issubclass(model, models.Model)):
        return False
    if model._meta.label == "contracts.Contract":
        return True
    return any(field.name == "contract" for field in model._meta.get_fields() if field.concrete)


def test_no_unscoped_get_in_views_and_api() -> None:
    violations = []
    for path in python_files():
        if not is_http_module(path):
            continue
        module = importlib.import_module(module_name(path))
        for node in ast.walk(parse(path)):
            if not isinstance(node, ast.Call):
                continue
            where = f"{relative(path)}:{node.lineno} : {ast.unparse(node)[:100]}"
            if is_objects_call(node, "get") or call_name(node) == "get_object_or_404":
                violations.append(where)
            elif isinstance(node.func, ast.Attribute) and node.func.attr in {"first", "last", "get"}:
                model_name = queried_model_name(node)
                if model_name and is_contract_scoped(getattr(module, model_name, None)):
                    violations.append(where)
    assert not violations, format_violations(
        "Pas de .objects.get(), get_object_or_404() ni Modèle.objects…first() dans les vues et l'API (style.md §5.3)",
        "Passez par un sélecteur qui prend contract= (contrat_ville.<app>.selectors.<entité>_get).",
        violations,
    )


# --- forms ------------------------------------------------------------------------------------------


def project_modules() -> Iterator[ModuleType]:
    """Every module of ``contrat_ville`` apart from migrations and tests."""
    for info in pkgutil.walk_packages(contrat_ville.__path__, prefix="contrat_ville."):
        parts = info.name.split(".")
        if "migrations" in parts or "tests" in parts:
            continue
        yield importlib.import_module(info.name)


def test_every_form_derives_from_ui_forms() -> None:
    violations: list[str] = []
    for module in project_modules():
        # The admin keeps Django's own skin; contrat_ville.ui.forms defines the two base classes.
        if module.__name__ == "contrat_ville.ui.forms" or module.__name__.split(".")[-1] == "admin":
            continue
        violations.extend(
            f"{module.__name__} ({module.__file__}) : {value.__name__}"
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, forms.BaseForm)
            and value.__module__ == module.__name__
            and not issubclass(value, UiForm | UiModelForm)
        )
    assert not violations, format_violations(
        "Tout formulaire dérive de contrat_ville.ui.forms.Form ou .ModelForm (style.md §5.4)",
        "Remplacez forms.Form / forms.ModelForm par ceux de contrat_ville.ui.forms (rendu DSFR).",
        violations,
    )


# --- imports between apps ---------------------------------------------------------------------------


def imported_modules(tree: ast.Module, module: str) -> Iterator[tuple[int, str]]:
    """Every ``contrat_ville.…`` name imported, as a dotted path (``from a import b`` gives ``a.b``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                base = ".".join([*module.split(".")[: -node.level], node.module])
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def allowed_import(*, importer: str, imported: str, from_tests: bool) -> bool:
    parts = imported.split(".")
    if parts[0] != "contrat_ville" or len(parts) < 2:
        return True
    importer_app = importer.split(".")[1] if importer.count(".") >= 1 else ""
    app = parts[1]
    if app == importer_app or app in KERNEL_APPS:
        return True
    if len(parts) >= 3 and parts[2] in PUBLIC_MODULES:
        return True
    return from_tests and parts[2:4] == ["tests", "factories"]


def test_apps_import_only_the_public_layer_of_other_apps() -> None:
    violations = []
    for path in python_files():
        importer = module_name(path)
        if importer.count(".") < 1:
            continue  # contrat_ville/__init__.py
        for line, imported in imported_modules(parse(path), importer):
            if not allowed_import(importer=importer, imported=imported, from_tests=is_test_module(path)):
                violations.append(f"{relative(path)}:{line} : {imported}")
    assert not violations, format_violations(
        "Une app n'importe d'une autre que ses models, services, selectors, enums, permissions et presenters "
        "(design.md §2)",
        "Jamais ses views, forms, api, urls ni templatetags ; les tests peuvent importer ses tests.factories. "
        "Pour qu'une app basse affiche un contenu d'une app haute, passez par contrat_ville.core.registries.",
        violations,
    )


# --- models and choices -----------------------------------------------------------------------------

ACRONYMS_PATTERN = re.compile(r"\b(?:" + "|".join(VERBOSE_NAME_ACRONYMS) + r")\b")


def is_lower_case(text: str) -> bool:
    remainder = ACRONYMS_PATTERN.sub("", text)
    return remainder == remainder.lower()


def project_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if model.__module__.startswith("contrat_ville.")]


def test_verbose_names_are_lower_case() -> None:
    violations = []
    for model in project_models():
        for attribute in ("verbose_name", "verbose_name_plural"):
            name = str(getattr(model._meta, attribute))
            if not is_lower_case(name):
                violations.append(f"{model.__module__}.{model.__name__}.Meta.{attribute} = « {name} »")
        for field in model._meta.get_fields():
            if field.auto_created or not hasattr(field, "verbose_name"):
                continue
            name = str(field.verbose_name)
            if not is_lower_case(name):
                violations.append(f"{model.__module__}.{model.__name__}.{field.name} : « {name} »")
    assert not violations, format_violations(
        "Les verbose_name sont en minuscules (style.md §5.5)",
        f"Django met la majuscule où il faut. Sigles admis : {', '.join(VERBOSE_NAME_ACRONYMS)}.",
        violations,
    )


def text_choices_classes() -> Iterator[tuple[Path, ast.ClassDef]]:
    for path in python_files():
        if is_test_module(path):
            continue
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.ClassDef) and any(
                ast.unparse(base).endswith("TextChoices") for base in node.bases
            ):
                yield path, node


def test_text_choices_have_french_labels() -> None:
    violations = []
    classes = list(text_choices_classes())
    for path, node in classes:
        choices = getattr(importlib.import_module(module_name(path)), node.name)
        for statement in node.body:
            if not isinstance(statement, ast.Assign) or not all(isinstance(t, ast.Name) for t in statement.targets):
                continue
            member_name = statement.targets[0].id
            if member_name.startswith("_") or member_name not in choices.__members__:
                continue
            member = choices[member_name]
            where = f"{relative(path)}:{statement.lineno} : {node.name}.{member_name}"
            if not (isinstance(statement.value, ast.Tuple) and len(statement.value.elts) == 2):
                violations.append(f"{where} sans libellé explicite (Django le déduirait du nom, en anglais)")
            elif not str(member.label).strip():
                violations.append(f"{where} : libellé vide")
            elif member.label == member.value and member.value not in LABELS_SAME_AS_VALUE:
                violations.append(f"{where} : libellé identique à la valeur « {member.value} »")
    assert classes, "Aucune TextChoices trouvée : le test ne lit plus le bon dossier."
    assert not violations, format_violations(
        "Toute TextChoices porte un libellé français explicite (style.md §5.5)",
        'Écrivez MEMBRE = "valeur", "libellé en français".',
        violations,
    )


@pytest.mark.parametrize(
    ("importer", "imported", "from_tests", "allowed"),
    [
        ("contrat_ville.contracts.views", "contrat_ville.territories.models", False, True),
        ("contrat_ville.contracts.views", "contrat_ville.territories.models.Territory", False, True),
        ("contrat_ville.contracts.views", "contrat_ville.territories.selectors.territory_get", False, True),
        ("contrat_ville.strategy.selectors", "contrat_ville.observation.presenters.format_value", False, True),
        ("contrat_ville.contracts.views", "contrat_ville.ui.page.page", False, True),
        ("contrat_ville.contracts.views", "contrat_ville.territories.views.territory_detail", False, False),
        ("contrat_ville.contracts.views", "contrat_ville.territories.forms", False, False),
        ("contrat_ville.contracts.views", "contrat_ville.territories", False, False),
        ("contrat_ville.contracts.tests.test_x", "contrat_ville.territories.tests.factories.square", True, True),
        ("contrat_ville.contracts.services", "contrat_ville.territories.tests.factories", False, False),
    ],
)
def test_allowed_import_rule(importer: str, imported: str, from_tests: bool, allowed: bool) -> None:
    assert allowed_import(importer=importer, imported=imported, from_tests=from_tests) is allowed


@pytest.mark.parametrize(
    ("source", "partial_only"),
    [
        ("{% load partials %}{% partialdef rows %}<tr></tr>{% endpartialdef %}", True),
        ("{% load partials %}{% partialdef rows %}<tr></tr>{% endpartialdef rows %}\n{# note #}", True),
        ("<h1>Titre</h1>{% partialdef rows %}<tr></tr>{% endpartialdef %}", False),
        ("<h1>Titre</h1>", False),
    ],
)
def test_partial_only_detection(source: str, partial_only: bool) -> None:
    assert is_partial_only(source) is partial_only


def test_architecture_shows_the_current_permission_table() -> None:
    """ARCHITECTURE.md's role-by-action table is the one the predicates give (``manage.py write_permission_table``)."""
    document = (REPO_ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert permission_table_in(document, permission_table_markdown()) == document, (
        "Le tableau des rôles et des actions d'ARCHITECTURE.md est périmé : lancez "
        "`.venv/bin/python manage.py write_permission_table`."
    )


def test_every_permission_predicate_states_its_rule() -> None:
    """Each predicate names its action in French and carries a docstring stating the rule and its source."""
    undocumented = [
        f"{rule.app}.{rule.name}"
        for rule in permission_rules()
        if not rule.action or not (permission_get(f"{rule.app}.{rule.name}").__doc__ or "").strip()
    ]
    assert not undocumented, f"Prédicats sans action ou sans docstring : {', '.join(undocumented)}"


def _role_comparisons(tree: ast.AST) -> list[int]:
    """Lines comparing against a contract role (``x.role == Role.PILOT``, ``role in {Role.PILOT, …}``)."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        for operand in [node.left, *node.comparators]:
            for sub in ast.walk(operand):
                is_member = isinstance(sub, ast.Attribute) and sub.attr.isupper()
                if is_member and isinstance(sub.value, ast.Name) and sub.value.id == "Role":
                    lines.append(node.lineno)
                if isinstance(sub, ast.Attribute) and sub.attr in {"role", "has_role"} and operand is not node.left:
                    lines.append(node.lineno)
    return sorted(set(lines))


def test_no_role_comparison_outside_the_permission_modules() -> None:
    """Who may do what is asked of the named predicates of ``permissions.py``: no other module compares a contract
    role (``Role.…``) itself."""
    offenders = [
        f"{relative(path)}:{line}"
        for path in python_files()
        if not is_test_module(path) and path.name != "permissions.py"
        for line in _role_comparisons(parse(path))
    ]
    assert not offenders, format_violations(
        "Les rôles du contrat ne se comparent que dans les permissions.py", "Écrivez un prédicat nommé.", offenders
    )


# --- query counts -----------------------------------------------------------------------------------

FORM_PAGE_CALLS = {"form_page", "confirm_page", "post_action"}
# Pages that render a page but list or show nothing that grows with the data, each with its reason.
QUERY_COUNT_EXEMPT = {
    "diagnostic:stake_validation": "formulaire en GET (choix de la séance du comité), rendu par ui/form_page.html",
}


def html_views(
    patterns: list[object] | None = None, namespace: str = ""
) -> Iterator[tuple[str, Callable[..., object]]]:
    """(URL name, view function) of every named HTML pattern of the resolver: not the admin, not the API."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or str(pattern.pattern).startswith("api/"):
                continue
            child = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from html_views(pattern.url_patterns, child)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", inspect.unwrap(pattern.callback)


def renders_reading_page(function: Callable[..., object]) -> bool:
    """The view renders a page (``render_page`` or ``render``) and is no form page (``ui.form_pages``)."""
    module = getattr(function, "__module__", "") or ""
    if not module.startswith("contrat_ville."):
        return False  # Django's own views (login, logout)
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    names = {call_name(call) for call in calls}
    renders = "render_page" in names or any(is_page_render(call) and not renders_fragment(call) for call in calls)
    return renders and not names & FORM_PAGE_CALLS


def reading_pages() -> set[str]:
    """The list and detail pages: every HTML view that renders a page and is not a form page."""
    return {name for name, function in html_views() if renders_reading_page(function)}


def query_count_markers() -> dict[str, list[str]]:
    """URL name → the tests whose ``@pytest.mark.query_count(…)`` marker names it (read from the test sources)."""
    covered: dict[str, list[str]] = {}
    paths = [*PACKAGE_DIR.rglob("tests/test_*.py"), *(REPO_ROOT / "tests").glob("test_*.py")]
    for path in sorted(paths):
        for node in ast.walk(parse(path)):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and call_name(decorator) == "query_count":
                    for argument in decorator.args:
                        assert isinstance(argument, ast.Constant), f"{relative(path)}:{node.lineno} : nom littéral"
                        covered.setdefault(argument.value, []).append(f"{relative(path)}::{node.name}")
    return covered


def test_every_list_and_detail_page_has_a_query_count_test() -> None:
    """CONTRIBUTING.md: query counts on every list/detail page, the count must not grow with the data. The
    ``query_count`` fixture checks at run time that a marked test measures exactly the pages its marker names."""
    pages = reading_pages()
    assert {"diagnostic:stake_list", "strategy:plan_detail", "contracts:contract_home"} <= pages  # the walk works
    covered = query_count_markers()
    missing = sorted(pages - set(covered) - set(QUERY_COUNT_EXEMPT))
    assert not missing, format_violations(
        "Toute page de liste ou de détail a un test du nombre de requêtes (CONTRIBUTING.md)",
        'Mesurez-la avec petite puis grande volumétrie : @pytest.mark.query_count("app:nom") et '
        "query_count.page(client, url) (conftest.py), ou justifiez-la dans QUERY_COUNT_EXEMPT.",
        missing,
    )
    stale = sorted(name for name in QUERY_COUNT_EXEMPT if name not in pages or name in covered)
    assert not stale, f"QUERY_COUNT_EXEMPT périmé (plus une page de lecture, ou déjà mesurée) : {', '.join(stale)}"
    unknown = sorted(set(covered) - {name for name, _ in html_views()})
    assert not unknown, f"Marqueurs query_count sur des URL inconnues : {', '.join(unknown)}"


def test_no_test_uses_serialized_rollback() -> None:
    """A ``serialized_rollback`` test flushes the database without ``post_migrate`` at its end: the next
    transactional test (the end-to-end ones) then finds no content type and fails on a foreign key."""
    offenders = [
        relative(path)
        for path in [*PACKAGE_DIR.rglob("test*.py"), *(REPO_ROOT / "tests").rglob("test*.py")]
        if "serialized_rollback=True" in path.read_text(encoding="utf-8") and path != Path(__file__)
    ]
    assert not offenders, format_violations(
        "Aucun test n'utilise serialized_rollback",
        "Utilisez @pytest.mark.django_db(transaction=True) : le vidage relance post_migrate.",
        offenders,
    )
